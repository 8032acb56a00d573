"""Public disclosures (công khai) under Law 10/2022/QH15 art. 11–13, and the code of conduct."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models.units import Commune, Province
from core import clock
from core.workdays import add_working_days

# Art. 12(3): the time to disclose is the one the law on each field sets; only where none sets one is it
# 5 working days after the decision. Art. 13(2): posted at the commune's office for 30 days in a row at
# least; the website keeps every item after that.
DISCLOSURE_DEADLINE_WORKING_DAYS = 5
MINIMUM_POSTING = datetime.timedelta(days=30)


class DisclosureCategory(models.TextChoices):
    """The 14 contents of Law 10/2022/QH15 art. 11, in the law's order."""

    DEVELOPMENT_PLAN = "01_plan", _("1. Socio-economic development plans and results")
    BUDGET = "02_budget", _("2. Budget estimates, execution and final accounts")
    INVESTMENT_LAND = "03_investment_land", _("3. Investment projects, land recovery, land and construction planning")
    DEMOCRACY_RULES = "04_democracy_rules", _("4. Grassroots democracy rules, duties of officials, code of conduct")
    FUNDS = "05_funds", _("5. Funds, sponsorships and contributions from the people")
    PUBLIC_ASSETS = "06_public_assets", _("6. Public assets: investment, procurement, use, disposal")
    SUPPORT_POLICIES = "07_support_policies", _("7. Support, allowance and credit policies and their beneficiaries")
    DISASTER_SUPPORT = "08_disaster_support", _("8. Support after disasters, epidemics and critical illness")
    MILITARY_SERVICE = "09_military_service", _("9. Military and police service call-ups")
    INSPECTIONS = "10_inspections", _("10. Inspection results, discipline cases, votes of confidence")
    CONSULTATIONS = "11_consultations", _("11. Consultations of citizens and their results")
    FEES = "12_fees", _("12. Fees and charges collected by the commune")
    PROCEDURES = "13_procedures", _("13. Administrative procedures handled by the commune")
    OTHER = "14_other", _("14. Other contents required by law or local rules")


def disclosure_deadline(decision_date: datetime.date, due_on: datetime.date | None) -> datetime.date:
    """The last day to disclose: the date another law sets, else 5 working days (art. 12(3))."""
    return due_on or add_working_days(decision_date, DISCLOSURE_DEADLINE_WORKING_DAYS)


# Art. 13(2): these stay posted permanently and are kept up to date.
PERMANENT_CATEGORIES = {DisclosureCategory.DEMOCRACY_RULES, DisclosureCategory.PROCEDURES}


class Disclosure(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="disclosures", verbose_name=_("commune")
    )
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=32, choices=DisclosureCategory.choices)
    decision_date = models.DateField(_("decision date"))
    published_on = models.DateField(_("published on"))
    document = models.FileField(_("document (PDF)"), upload_to="disclosures/%Y/")
    posted_until = models.DateField(
        _("posted at the office until"), null=True, blank=True, help_text=_("Empty: posted permanently.")
    )
    # Art. 12(3): another law may set its own time (the budget law, the land law…); the officer records it.
    due_on = models.DateField(
        _("due under another law"),
        null=True,
        blank=True,
        help_text=_(
            "Only where another law sets when this content is made public. Empty: 5 working days after the"
            " decision (Law 10/2022/QH15, art. 12(3))."
        ),
    )
    due_basis = models.CharField(
        _("law that sets the due date"),
        max_length=200,
        blank=True,
        help_text=_("Its number and article, for example: Law on State Budget 83/2015/QH13, art. 15."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public disclosure")
        verbose_name_plural = _("public disclosures")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["commune", "category", "-published_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline(self) -> datetime.date:
        return disclosure_deadline(self.decision_date, self.due_on)

    @property
    def is_late(self) -> bool:
        return self.published_on > self.deadline

    @property
    def is_permanent(self) -> bool:
        return self.category in PERMANENT_CATEGORIES

    @property
    def is_posted(self) -> bool:
        return self.posted_until is None or self.posted_until >= clock.today()

    def clean(self):
        super().clean()
        errors = {}
        if self.decision_date and self.published_on and self.published_on < self.decision_date:
            errors["published_on"] = _("A disclosure cannot be published before its decision.")
        if self.due_on and not self.due_basis.strip():
            errors["due_basis"] = _("Name the law that sets this due date.")
        if self.due_on and self.decision_date and self.due_on < self.decision_date:
            errors["due_on"] = _("The due date cannot be before the decision.")
        if self.category in PERMANENT_CATEGORIES and self.posted_until is not None:
            errors["posted_until"] = _("Procedures and the code of conduct stay posted permanently.")
        elif self.category and self.category not in PERMANENT_CATEGORIES:
            if self.posted_until is None:
                errors["posted_until"] = _("Give the last day it stays posted (at least 30 days).")
            elif self.published_on and self.posted_until < self.published_on + MINIMUM_POSTING:
                errors["posted_until"] = _("The law asks for at least 30 days of posting.")
        if errors:
            raise ValidationError(errors)


class DisclosureList(models.Model):
    """The quarterly list of what the commune disclosed (Law 10/2022/QH15, art. 13(2)): generated from the
    quarter's disclosures and posted. ``items`` keeps the list as published (title, category, dates), so a
    later correction of a disclosure does not rewrite a list already posted."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="disclosure_lists", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    items = models.JSONField(_("items"), default=list)
    published_on = models.DateField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quarterly list of disclosures")
        verbose_name_plural = _("quarterly lists of disclosures")
        ordering = ["commune", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year", "quarter"], name="disclosure_list_one_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="disclosure_list_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.quarter}/{self.year}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)


class CodeOfConduct(models.Model):
    """The province's code of conduct of one-stop officers, in versions."""

    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="codes_of_conduct", verbose_name=_("province")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    decision = models.CharField(_("issued by"), max_length=200, help_text=_("Decision number and date."))
    in_force_from = models.DateField(_("in force from"))
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("code of conduct")
        verbose_name_plural = _("codes of conduct")
        ordering = ["province", "-in_force_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "version"], name="code_of_conduct_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({_('version')} {self.version})"
