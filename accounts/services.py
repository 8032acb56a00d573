"""Writes to accounts and roles."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import PROVINCE_ROLES, VILLAGE_ROLES, Role, RoleAssignment, User
from core.errors import ServiceError


class RoleError(ServiceError):
    """A role that cannot be given as asked; the message is translated."""


# The kind of place (the model's name in the communes app) each role is held over; it is also the
# name of the assignment's field that holds the place.
_ROLE_PLACE = {
    Role.COMMUNE_OFFICER: "commune",
    Role.COMMUNE_FRONT: "commune",
    Role.DISTRICT_REVIEWER: "district",
    **dict.fromkeys(PROVINCE_ROLES, "province"),
    **dict.fromkeys(VILLAGE_ROLES, "village"),
}


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    full_name: str = "",
    phone: str = "",
    email_verified: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user and the allauth address record, so allauth and the portal agree on verification."""
    user = User(email=email, full_name=full_name, phone=phone, is_superuser=is_superuser, is_staff=is_superuser)
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    return user


@transaction.atomic
def role_assign(*, user: User, role: Role, place) -> RoleAssignment:
    """Give ``user`` the ``role`` over ``place`` (a commune, district or province); giving it twice
    returns the existing assignment."""
    expected = _ROLE_PLACE[role]
    if place._meta.label != f"communes.{expected.capitalize()}":
        raise RoleError(
            _("The role “%(role)s” is given over a %(kind)s.")
            % {"role": role.label, "kind": apps.get_model("communes", expected)._meta.verbose_name}
        )
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, **{expected: place})
    return assignment
