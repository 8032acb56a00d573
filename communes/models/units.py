"""Administrative units: province, district (abolished on 1 July 2025) and commune.

A unit is one row per period of existence under one official code. The 2025 reform ended the
districts and merged provinces and communes; an ended unit keeps its row, gets ``valid_until`` and
points at its ``successors``, so a 2023 record still names the unit as it was and pages can follow it
to today's unit. A rename or regrading inside a unit's life (Việt Yên: huyện until 31 January 2024,
thị xã after), or a move to another district (the communes of huyện Yên Dũng joined thành phố Bắc Giang
on 1 January 2025), is kept in ``former_names``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import fold


class DivisionType(models.TextChoices):
    # Values are the package's Vietnamese terms, so official names compose as "<type> <name>".
    PROVINCE = "tỉnh", _("province")
    CENTRAL_CITY = "thành phố trung ương", _("centrally-run city")
    CITY = "thành phố", _("city")
    TOWN = "thị xã", _("town")
    RURAL_DISTRICT = "huyện", _("rural district")
    URBAN_DISTRICT = "quận", _("urban district")
    COMMUNE = "xã", pgettext_lazy("division type", "commune")
    WARD = "phường", _("ward")
    TOWNSHIP = "thị trấn", _("township")
    SPECIAL_ZONE = "đặc khu", _("special zone")


PROVINCE_TYPES = [DivisionType.PROVINCE, DivisionType.CENTRAL_CITY]
DISTRICT_TYPES = [DivisionType.CITY, DivisionType.TOWN, DivisionType.RURAL_DISTRICT, DivisionType.URBAN_DISTRICT]
COMMUNE_TYPES = [DivisionType.COMMUNE, DivisionType.WARD, DivisionType.TOWNSHIP, DivisionType.SPECIAL_ZONE]

# "thành phố trung ương" is the package's short form; official names say "thành phố".
_NAME_PREFIX = {DivisionType.CENTRAL_CITY: "thành phố"}


def official_name(division_type: str, name: str) -> str:
    """'xã', 'Quảng Minh' → 'xã Quảng Minh' (lower case, as inside an address)."""
    return f"{_NAME_PREFIX.get(division_type, division_type)} {name}"


def search_tokens(text: str) -> list[str]:
    """The words search compares, folded: 'UBND xã Quảng Minh, TP.' → ['ubnd', 'xa', 'quang', 'minh', 'tp'].
    An apostrophe inside a word stays (Đắk R'Lấp); anything else that is not a letter or a digit
    (punctuation, emoji, control characters) separates words."""
    spaced = "".join(c if c.isalnum() or c == "'" else " " for c in fold(text.replace("’", "'")))
    return [word for word in (token.strip("'") for token in spaced.split()) if word]


def search_former_names(former_names: list[dict]) -> str:
    """The former names as search reads them in SQL: each name's words after a space and closed by " |",
    so that a word is found at the start of a word (" tang") and a whole name as " tang tien |"."""
    return "".join(
        f" {' '.join(search_tokens(former.get('name', '')))} |" for former in former_names if isinstance(former, dict)
    )


FORMER_NAME_KEYS = {"division_type", "name", "valid_until"}
# district: the code of the district the unit belonged to under that name, where it differs from today's.
FORMER_NAME_OPTIONAL_KEYS = {"district", "source"}


class UnitQuerySet(models.QuerySet):
    def current(self):
        return self.filter(valid_until__isnull=True)

    def on(self, day: datetime.date):
        """Units in force on ``day``."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
        )


def unit_constraints(prefix: str, allowed_types: list[str]) -> list:
    return [
        # A code is reused after a merger (Bắc Ninh took Bắc Giang's 24), so it is unique per period.
        models.UniqueConstraint(
            fields=["code"],
            condition=models.Q(valid_until__isnull=True),
            name=f"{prefix}_code_current_unique",
            violation_error_message=_("A unit in force already has this official code."),
        ),
        models.UniqueConstraint(
            fields=["code", "valid_until"],
            name=f"{prefix}_code_period_unique",
            violation_error_message=_("A unit with this official code already ended on that day."),
        ),
        models.CheckConstraint(
            condition=models.Q(valid_from__isnull=True)
            | models.Q(valid_until__isnull=True)
            | models.Q(valid_from__lte=models.F("valid_until")),
            name=f"{prefix}_valid_period",
        ),
        models.CheckConstraint(condition=models.Q(division_type__in=allowed_types), name=f"{prefix}_type_valid"),
    ]


class AdministrativeUnit(models.Model):
    code = models.CharField(_("official code"), max_length=5, help_text=_("Code in the national list of units."))
    name = models.CharField(_("name"), max_length=100, help_text=_("Without the division type: “Quảng Minh”."))
    division_type = models.CharField(_("division type"), max_length=24, choices=DivisionType.choices)
    search_name = models.CharField(max_length=100, editable=False, db_index=True, verbose_name=_("search name"))
    # Filled on save from former_names (see search_former_names), so that search never reads the JSON.
    search_former_names = models.TextField(
        editable=False, blank=True, default="", verbose_name=_("search former names")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("Empty: before our records."))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: still in force."))
    # Where the unit went in a reorganisation; each level links to its own kind.
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors", verbose_name=_("successors")
    )
    former_names = models.JSONField(
        _("former names"),
        default=list,
        blank=True,
        # Each entry may also hold "district" (the code of the district the unit belonged to then, where it
        # differs) and "source"; the help text stays as it is so that no migration is needed.
        help_text=_("Names this unit bore earlier in its life: a list of {division_type, name, valid_until}."),
    )

    objects = UnitQuerySet.as_manager()

    allowed_types: list[str] = []
    # The province's and the commune's pages show other apps too, so portal composes them.
    detail_url_name = ""

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.official_name[:1].upper() + self.official_name[1:]

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        self.search_former_names = search_former_names(self.former_names)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(self.detail_url_name, kwargs={"pk": self.pk})

    @property
    def official_name(self) -> str:
        return official_name(self.division_type, self.name)

    @property
    def is_current(self) -> bool:
        return self.valid_until is None

    @property
    def former_name_periods(self) -> list[dict]:
        """Former names with their last day, oldest first, for display. An entry that only records a
        move to another district (the name stayed) is left out: the name did not change."""
        periods = [
            {
                "name": official_name(f["division_type"], f["name"]),
                "valid_until": datetime.date.fromisoformat(f["valid_until"]),
            }
            for f in sorted(self.former_names, key=lambda f: f["valid_until"])
        ]
        if not periods:
            return []
        following = [p["name"] for p in periods[1:]] + [self.official_name]
        return [period for period, after in zip(periods, following, strict=True) if period["name"] != after]

    def former_on(self, day: datetime.date) -> dict | None:
        """The former-name entry in force on ``day``, or None when the unit already bore its present name."""
        for former in sorted(self.former_names, key=lambda f: f["valid_until"]):
            if day <= datetime.date.fromisoformat(former["valid_until"]):
                return former
        return None

    def name_on(self, day: datetime.date) -> str:
        """The official name the unit bore on ``day`` (lower-case type, as inside an address)."""
        former = self.former_on(day)
        return official_name(former["division_type"], former["name"]) if former else self.official_name

    def clean(self):
        super().clean()
        if self.division_type not in self.allowed_types:
            raise ValidationError({"division_type": _("This division type does not exist at this level.")})
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValidationError({"valid_until": _("A unit cannot end before it begins.")})
        for former in self.former_names:
            if not isinstance(former, dict) or not (
                FORMER_NAME_KEYS <= set(former) <= FORMER_NAME_KEYS | FORMER_NAME_OPTIONAL_KEYS
            ):
                raise ValidationError({"former_names": _("Each former name needs division_type, name, valid_until.")})
            try:
                datetime.date.fromisoformat(former["valid_until"])
            except (TypeError, ValueError):
                raise ValidationError(
                    {"former_names": _("The last day of a former name is a date: YYYY-MM-DD.")}
                ) from None


class Province(AdministrativeUnit):
    allowed_types = PROVINCE_TYPES
    detail_url_name = "portal:province_detail"

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = unit_constraints("province", PROVINCE_TYPES)

    @property
    def parents(self) -> list[AdministrativeUnit]:
        return []


class District(AdministrativeUnit):
    allowed_types = DISTRICT_TYPES
    detail_url_name = "communes:district_detail"
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province")
    )

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = unit_constraints("district", DISTRICT_TYPES)

    @property
    def parents(self) -> list[AdministrativeUnit]:
        return [self.province]


class Commune(AdministrativeUnit):
    allowed_types = COMMUNE_TYPES
    detail_url_name = "portal:commune_detail"
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("district"),
        help_text=_("Empty for units created after the district level ended (1 July 2025)."),
    )

    class Meta(AdministrativeUnit.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = unit_constraints("commune", COMMUNE_TYPES)

    @property
    def parents(self) -> list[AdministrativeUnit]:
        return [self.province, *([self.district] if self.district_id else [])]

    def district_code_on(self, day: datetime.date) -> str | None:
        """The code of the district the unit belonged to on ``day`` (a former-name entry may name another
        one than today's); no query beyond ``self.district``."""
        former = self.former_on(day)
        if former and former.get("district"):
            return former["district"]
        return self.district.code if self.district_id else None

    def district_on(self, day: datetime.date) -> District | None:
        """The district the unit belonged to on ``day``."""
        code = self.district_code_on(day)
        if code is None or (self.district_id and code == self.district.code):
            return self.district if code else None
        # A district code is unique among the districts in force on one day.
        candidates = District.objects.filter(code=code, province_id=self.province_id)
        return candidates.on(day).first() or candidates.order_by("-valid_until").first()

    def address_on(self, day: datetime.date) -> str:
        """'xã Quảng Minh, huyện Việt Yên, tỉnh Bắc Giang' as it read on ``day``."""
        parts = [self.name_on(day)]
        district = self.district_on(day)
        if district is not None:
            parts.append(district.name_on(day))
        parts.append(self.province.name_on(day))
        return ", ".join(parts)
