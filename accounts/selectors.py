"""Reads about users and their roles, shared by rules, views and the admin."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import QuerySet

from accounts.models import Role, RoleAssignment, User


@dataclass(frozen=True)
class UserScope:
    """The places a user works on, by role. A place covers its pre-2025 predecessors too, so the
    officers of today's ward keep the records of the communes it replaced."""

    is_admin: bool = False
    roles: frozenset[str] = frozenset()
    officer_communes: frozenset[int] = frozenset()
    # Communes whose Fatherland Front committee the user sits on (with the communes they replaced).
    front_communes: frozenset[int] = frozenset()
    reviewer_districts: frozenset[int] = frozenset()
    province_roles: dict[str, frozenset[int]] = field(default_factory=dict)
    # Villages by role (village head, village Front work committee), with the villages they replaced.
    village_roles: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_staff_role(self) -> bool:
        """Any role: the workspace is theirs, and they confirm their e-mail address before signing in."""
        return self.is_admin or bool(self.roles)

    @property
    def is_government_role(self) -> bool:
        """A role in the administration (commune and above), not only a village's or the Front's."""
        return self.is_admin or bool(self.roles - {Role.VILLAGE_HEAD, Role.VILLAGE_FRONT, Role.COMMUNE_FRONT})


EMPTY_SCOPE = UserScope()


def _with_predecessors(model, ids: set[int]) -> frozenset[int]:
    if not ids:
        return frozenset()
    through = model.successors.through
    name = model._meta.model_name
    earlier = through.objects.filter(**{f"to_{name}_id__in": ids}).values_list(f"from_{name}_id", flat=True)
    return frozenset(ids | set(earlier))


def user_scope(user) -> UserScope:
    """The user's scope, computed once per request object (two to four queries, whatever the rows)."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    assignments = list(
        RoleAssignment.objects.filter(user=user).values_list(
            "role", "commune_id", "district_id", "province_id", "village_id"
        )
    )
    by_role: dict[str, set[int]] = {}
    for role, commune_id, district_id, province_id, village_id in assignments:
        by_role.setdefault(role, set()).add(village_id or commune_id or district_id or province_id)
    scope = UserScope(
        is_admin=user.is_superuser,
        roles=frozenset(by_role),
        officer_communes=_with_predecessors(
            apps.get_model("communes", "Commune"), by_role.get(Role.COMMUNE_OFFICER, set())
        ),
        front_communes=_with_predecessors(
            apps.get_model("communes", "Commune"), by_role.get(Role.COMMUNE_FRONT, set())
        ),
        reviewer_districts=frozenset(by_role.get(Role.DISTRICT_REVIEWER, set())),
        province_roles={
            role: _with_predecessors(apps.get_model("communes", "Province"), by_role.get(role, set()))
            for role in (Role.DOHA_STAFF, Role.PROVINCIAL_LEADER)
        },
        village_roles={
            role: _with_predecessors(apps.get_model("communes", "Village"), by_role[role])
            for role in (Role.VILLAGE_HEAD, Role.VILLAGE_FRONT)
            if role in by_role
        },
    )
    user._portal_scope = scope
    return scope


def role_assignments_for_user(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related(
        "commune__district", "commune__province", "district__province", "province", "village__commune"
    )


def role_assignments_for_place(*, place) -> QuerySet[RoleAssignment]:
    """Who holds a role over exactly this place (not its parents)."""
    kind = place._meta.model_name
    return RoleAssignment.objects.filter(**{kind: place}).select_related("user").order_by("role", "user__full_name")
