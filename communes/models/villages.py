"""Villages and residential groups (thôn, tổ dân phố): the communities under a commune where residents
decide matters together (Law 10/2022/QH15, art. 15–21). Like communes, they merge and are renamed; a
village keeps its period, its former names and the villages that took it over."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models.units import Commune, UnitQuerySet
from core.text import fold


class VillageKind(models.TextChoices):
    # The names in use across Vietnam; Bắc Ninh's communes have thôn and its wards tổ dân phố.
    THON = "thon", _("village (thôn)")
    BAN = "ban", _("hamlet (bản)")
    AP = "ap", _("hamlet (ấp)")
    TO_DAN_PHO = "to_dan_pho", _("residential group (tổ dân phố)")
    KHU_PHO = "khu_pho", _("quarter (khu phố)")


# How the head of each kind is called (Law 10/2022/QH15 speaks of "Trưởng thôn, Tổ trưởng tổ dân phố").
HEAD_TITLES = {
    VillageKind.THON: _("Village head"),
    VillageKind.BAN: _("Hamlet head"),
    VillageKind.AP: _("Hamlet head"),
    VillageKind.TO_DAN_PHO: _("Residential group leader"),
    VillageKind.KHU_PHO: _("Quarter head"),
}
KIND_WORDS = {
    VillageKind.THON: "thôn",
    VillageKind.BAN: "bản",
    VillageKind.AP: "ấp",
    VillageKind.TO_DAN_PHO: "tổ dân phố",
    VillageKind.KHU_PHO: "khu phố",
}
FORMER_NAME_KEYS = {"kind", "name", "valid_until"}


class Village(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="villages", verbose_name=_("commune"))
    kind = models.CharField(_("kind"), max_length=12, choices=VillageKind.choices, default=VillageKind.THON)
    name = models.CharField(_("name"), max_length=100, help_text=_("Without the kind: “Đông Hương”, “số 3”."))
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("The commune's own code for it, if it has one.")
    )
    search_name = models.CharField(max_length=100, editable=False, db_index=True, verbose_name=_("search name"))
    households = models.PositiveIntegerField(
        _("households"),
        default=0,
        help_text=_("The number of households living here, as last counted by the commune."),
    )
    head_name = models.CharField(_("head"), max_length=150, blank=True, help_text=_("Trưởng thôn or Tổ trưởng."))
    front_head_name = models.CharField(
        _("head of the Front work committee"), max_length=150, blank=True, help_text=_("Trưởng ban công tác Mặt trận.")
    )
    front_members = models.TextField(
        _("Front work committee members"), blank=True, help_text=_("One name per line, with their title.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True, help_text=_("Empty: before our records."))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: still in force."))
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors", verbose_name=_("successors")
    )
    former_names = models.JSONField(
        _("former names"),
        default=list,
        blank=True,
        help_text=_("Names this village bore earlier: a list of {kind, name, valid_until}."),
    )
    history = HistoricalRecords(excluded_fields=["search_name"])

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("village or residential group")
        verbose_name_plural = _("villages and residential groups")
        ordering = ["commune", "kind", "name"]
        constraints = [
            # Two villages in force in one commune never share a name; ended ones may (a name is reused).
            models.UniqueConstraint(
                fields=["commune", "kind", "name"],
                condition=Q(valid_until__isnull=True),
                name="village_name_unique_in_force",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="village_valid_period",
            ),
            models.CheckConstraint(condition=Q(kind__in=VillageKind.values), name="village_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.official_name[:1].upper() + self.official_name[1:]

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("democracy:village_detail", kwargs={"pk": self.pk})

    @property
    def official_name(self) -> str:
        """'thôn Đông Hương', 'tổ dân phố số 3' (lower-case kind, as inside an address)."""
        return f"{KIND_WORDS[self.kind]} {self.name}"

    @property
    def head_title(self) -> str:
        return HEAD_TITLES[self.kind]

    @property
    def is_current(self) -> bool:
        return self.valid_until is None

    @property
    def front_member_list(self) -> list[str]:
        return [line.strip() for line in self.front_members.splitlines() if line.strip()]

    def name_on(self, day: datetime.date) -> str:
        """The name the village bore on ``day``."""
        for former in sorted(self.former_names, key=lambda f: f["valid_until"]):
            if day <= datetime.date.fromisoformat(former["valid_until"]):
                return f"{KIND_WORDS[former['kind']]} {former['name']}"
        return self.official_name

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValidationError({"valid_until": _("A village cannot end before it begins.")})
        for former in self.former_names:
            if not isinstance(former, dict) or set(former) != FORMER_NAME_KEYS or former["kind"] not in KIND_WORDS:
                raise ValidationError({"former_names": _("Each former name needs kind, name, valid_until.")})
            try:
                datetime.date.fromisoformat(former["valid_until"])
            except (TypeError, ValueError):
                raise ValidationError(
                    {"former_names": _("The last day of a former name is a date: YYYY-MM-DD.")}
                ) from None
