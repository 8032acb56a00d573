"""Accounts and the roles users hold over places."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

phone_validator = RegexValidator(
    r"^\+?[0-9 .-]{8,15}$", _("Enter a phone number of 8 to 15 digits, such as 0912 345 678.")
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address. Signed in with no role, a user is a citizen;
    a superuser is the site administrator."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    is_staff = models.BooleanField(_("may use the admin site"), default=False, help_text=_("Site administrators only."))
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def has_perm(self, perm, obj=None) -> bool:
        # Django lets a superuser pass every check before any backend is asked. The portal's own
        # permissions (each app's rules.py) decide for the site administrator too: an official act such as
        # appraising or approving belongs to one role, whoever administers the site.
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def get_short_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Role(models.TextChoices):
    """Roles held over a place. 'Citizen' (any signed-in user) and 'site admin' (superuser) need no row."""

    COMMUNE_OFFICER = "commune_officer", _("commune officer")
    DISTRICT_REVIEWER = "district_reviewer", _("district reviewer")
    DOHA_STAFF = "doha_staff", _("Department of Home Affairs staff")
    PROVINCIAL_LEADER = "provincial_leader", _("provincial leader")
    # Law 10/2022/QH15: the head of a village or residential group runs its residents' decisions; the
    # village's Front work committee agrees the matters and co-signs their results (art. 16, 20).
    VILLAGE_HEAD = "village_head", _("village head")
    VILLAGE_FRONT = "village_front", _("village Front work committee")
    # The commune's Fatherland Front committee supervises the commune's grassroots democracy (art. 5, 39):
    # it reads every consultation, decision and recommendation of its commune and files its notes.
    COMMUNE_FRONT = "commune_front", _("commune Fatherland Front committee")


PROVINCE_ROLES = [Role.DOHA_STAFF, Role.PROVINCIAL_LEADER]
COMMUNE_ROLES = [Role.COMMUNE_OFFICER, Role.COMMUNE_FRONT]
VILLAGE_ROLES = [Role.VILLAGE_HEAD, Role.VILLAGE_FRONT]


class RoleAssignment(models.Model):
    """One role of one user over one place: a commune, a district or a province."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    commune = models.ForeignKey(
        "communes.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    district = models.ForeignKey(
        "communes.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    province = models.ForeignKey(
        "communes.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    village = models.ForeignKey(
        "communes.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village or residential group"),
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            # Each role is scoped to exactly the kind of place it works on.
            models.CheckConstraint(
                condition=(
                    Q(role__in=COMMUNE_ROLES, commune__isnull=False, district__isnull=True, province__isnull=True)
                    | Q(
                        role=Role.DISTRICT_REVIEWER, commune__isnull=True, district__isnull=False, province__isnull=True
                    )
                    | Q(role__in=PROVINCE_ROLES, commune__isnull=True, district__isnull=True, province__isnull=False)
                    | Q(role__in=VILLAGE_ROLES, commune__isnull=True, district__isnull=True, province__isnull=True)
                )
                & (
                    Q(role__in=VILLAGE_ROLES, village__isnull=False)
                    | Q(~Q(role__in=VILLAGE_ROLES), village__isnull=True)
                ),
                name="role_assignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "commune"],
                name="role_assignment_unique_commune",
                condition=Q(commune__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                name="role_assignment_unique_district",
                condition=Q(district__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "province"],
                name="role_assignment_unique_province",
                condition=Q(province__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "village"],
                name="role_assignment_unique_village",
                condition=Q(village__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.place}"

    @property
    def place(self):
        """The village, commune, district or province the role is held over."""
        return self.village or self.commune or self.district or self.province

    def get_workspace_url(self) -> str:
        if self.village_id:
            return reverse("democracy:manage_village", kwargs={"pk": self.village_id})
        if self.role == Role.COMMUNE_FRONT:  # it supervises: its page reads the commune's democracy records
            return reverse("democracy:manage_front_overview", kwargs={"pk": self.commune_id})
        place = self.place
        return reverse("portal:unit_workspace", kwargs={"kind": place._meta.model_name, "pk": place.pk})


class ApiScope(models.TextChoices):
    """What a system's key may do. Kept narrow: a key that pushes statistics cannot post feedback."""

    DOSSIER_STATISTICS = "dossier_statistics", _("push the communes' monthly dossier statistics")
    PROCEDURES = "procedures", _("push the catalogue of administrative procedures")
    OPEN311 = "open311", _("send citizens' feedback through Open311")


class ApiKey(models.Model):
    """A key another system of the province calls the API with (accounts.api_keys). DoHA issues it for
    its province with the scopes the system needs and revokes it when the system is retired; only a
    hash of the secret is kept, so the key is shown once, when it is issued."""

    name = models.CharField(_("system"), max_length=120)
    province = models.ForeignKey(
        "communes.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("issued by")
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("revoked by")
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["province", "-issued_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes

    @property
    def idempotency_owner(self) -> str:
        """Whose Idempotency-Keys and rate limits these are (core.api)."""
        return f"key:{self.pk}"

    def scope_labels(self) -> list[str]:
        labels = dict(ApiScope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]


class ApiCall(models.Model):
    """One call made with a key: what was asked and what was answered, kept as the key's audit trail."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="calls", verbose_name=_("API key"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=255)
    status = models.PositiveSmallIntegerField(_("status"))

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at"]
        indexes = [models.Index(fields=["key", "-at"], name="api_call_key_at")]

    def __str__(self) -> str:
        return f"{self.key_id} {self.method} {self.path} {self.status}"
