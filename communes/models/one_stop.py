"""The one-stop shop (bộ phận một cửa) of a commune: where, when, with what, and who."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models.units import Commune
from core import clock

STALE_AFTER = datetime.timedelta(days=90)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OneStopShop(models.Model):
    commune = models.OneToOneField(
        Commune, on_delete=models.CASCADE, related_name="one_stop_shop", verbose_name=_("commune")
    )
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="one-stop/", blank=True)
    directions = models.TextField(
        _("how to find it"), blank=True, help_text=_("Landmarks, parking, which door and floor.")
    )
    verified_on = models.DateField(
        _("last verified on"), null=True, blank=True, help_text=_("The day an officer confirmed this page is true.")
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("one-stop shop")
        verbose_name_plural = _("one-stop shops")
        ordering = ["commune"]

    def __str__(self) -> str:
        return str(_("One-stop shop of %(commune)s") % {"commune": self.commune})

    @property
    def is_stale(self) -> bool:
        """Never confirmed, or confirmed more than 90 days ago."""
        return self.verified_on is None or clock.today() - self.verified_on > STALE_AFTER


class OpeningHours(models.Model):
    """One opening session on a weekday; a day may have two (morning and afternoon)."""

    shop = models.ForeignKey(
        OneStopShop, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("one-stop shop")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message=_("Closing time must be after opening time."),
            ),
            models.UniqueConstraint(
                fields=["shop", "weekday", "opens"],
                name="opening_hours_unique_session",
                violation_error_message=_("This day already has a session starting at that time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningException(models.Model):
    """A day that differs from the weekly hours: closed, or open at other times (beyond public holidays,
    which come from the holiday calendar)."""

    shop = models.ForeignKey(
        OneStopShop, on_delete=models.CASCADE, related_name="opening_exceptions", verbose_name=_("one-stop shop")
    )
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("closed all day"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "date"],
                name="opening_exception_unique_day",
                violation_error_message=_("This day already has an exception."),
            ),
            models.CheckConstraint(
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(closed=False, opens__isnull=False, closes__isnull=False, closes__gt=F("opens")),
                name="opening_exception_hours_consistent",
                violation_error_message=_("A day open at other times needs an opening and a later closing time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.reason}"


class FacilityKind(models.TextChoices):
    """The facilities the friendly-government model requires of every one-stop shop."""

    AIR_CONDITIONED_ROOM = "air_conditioned_room", _("Air-conditioned waiting room")
    WAITING_CHAIRS = "waiting_chairs", _("Waiting chairs")
    DRINKING_WATER = "drinking_water", _("Drinking water")
    FREE_WIFI = "free_wifi", _("Free wifi")
    HELP_DESK = "help_desk", _("Help desk")
    QUEUE_KIOSK = "queue_kiosk", _("Queue-number or lookup kiosk")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    DISABILITY_ACCESS = "disability_access", _("Access for disabled people")
    QR_RATING_CODE = "qr_rating_code", _("QR code to rate the service")


class Facility(models.Model):
    shop = models.ForeignKey(
        OneStopShop, on_delete=models.CASCADE, related_name="facilities", verbose_name=_("one-stop shop")
    )
    kind = models.CharField(_("facility"), max_length=32, choices=FacilityKind.choices)
    available = models.BooleanField(_("available"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    photo = models.ImageField(_("photo"), upload_to="facilities/", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["shop", "kind"], name="facility_unique_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class DutyLeader(models.Model):
    """The commune leader on duty at the one-stop counter on a weekday (lãnh đạo trực)."""

    shop = models.ForeignKey(
        OneStopShop, on_delete=models.CASCADE, related_name="duty_leaders", verbose_name=_("one-stop shop")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    full_name = models.CharField(_("full name"), max_length=120)
    title = models.CharField(_("position"), max_length=120, help_text=_("For example: Vice-chairman of the commune."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leader on duty")
        verbose_name_plural = _("leaders on duty")
        ordering = ["weekday"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "weekday"],
                name="duty_leader_unique_day",
                violation_error_message=_("This day already has a leader on duty."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}: {self.full_name}"


class CounterOfficer(models.Model):
    """An officer who receives citizens at the counter. Public: citizens should know whom they meet."""

    shop = models.ForeignKey(
        OneStopShop, on_delete=models.CASCADE, related_name="officers", verbose_name=_("one-stop shop")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    title = models.CharField(_("position"), max_length=120)
    field = models.CharField(_("field handled"), max_length=200, help_text=_("For example: civil status, land."))
    photo = models.ImageField(_("photo"), upload_to="officers/", blank=True)
    duty_days = models.JSONField(_("days on duty"), default=list, help_text=_("Weekday numbers, Monday = 0."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("counter officer")
        verbose_name_plural = _("counter officers")
        ordering = ["position", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    def clean(self):
        super().clean()
        if not isinstance(self.duty_days, list) or any(day not in Weekday.values for day in self.duty_days):
            raise ValidationError({"duty_days": _("Days on duty are weekdays, Monday to Sunday.")})

    @property
    def duty_day_labels(self) -> list[str]:
        return [Weekday(day).label for day in sorted(self.duty_days)]
