"""What the API says about administrative units, one-stop pages, procedures and disclosures, and what the
province's systems send (``*In``).

Outputs show what the public pages show and no more: the one-stop shop's own contacts and the names of
the officials the pages name, never a user's."""

from __future__ import annotations

import copy
import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.models import FIGURES, DisclosureCategory, DivisionType, OnlineLevel
from communes.services.statistics import COMMUNE_COLUMN, MAX_ROWS, MONTH_COLUMN
from core import clock
from core.api.fields import LinkField
from core.web import absolute_url

# A push of the catalogue is one transaction: a province's whole commune-level catalogue fits in one.
MAX_PROCEDURES = 1000
_TYPE_LABELS = dict(DivisionType.choices)


def named_on(unit, day: datetime.date | None):
    """``unit`` as it was named on ``day`` (a copy: the unit itself is left alone); ``unit`` itself when
    it bore its present name then, or without a day."""
    former = unit.former_on(day) if unit is not None and day else None
    if former is None:
        return unit
    then = copy.copy(unit)
    then.division_type, then.name = former["division_type"], former["name"]
    return then


# --- Fields ------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class FigureField(serializers.Field):
    """A count of dossiers as the province's system sends it. Any value (null too) is taken here and
    judged by the statistics import's own rules (communes.resources.parse_count), so that a push is
    refused with the very messages a spreadsheet gets."""

    def validate_empty_values(self, data):
        if data is None:
            return True, None  # an empty cell: the import's rules say so
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(OpenApiTypes.STR)
class CellField(FigureField):
    """A commune code or a month, judged by the statistics import's rules like a figure."""


# --- Units -------------------------------------------------------------------------------------------


class UnitRefOut(serializers.Serializer):
    """Another unit, named: a successor, a predecessor, a parent."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    official_name = serializers.CharField(source="__str__")
    is_current = serializers.BooleanField()
    page_url = LinkField(source="get_absolute_url")


class FormerNameOut(serializers.Serializer):
    name = serializers.CharField()
    valid_until = serializers.DateField(help_text="The last day the unit bore this name.")


class UnitOut(serializers.Serializer):
    """A province, district or commune with its period of validity: an ended unit (the communes merged
    on 1 July 2025, say) names the units in force today that took it over."""

    id = serializers.IntegerField()
    code = serializers.CharField(help_text="The official code in the national list of units.")
    name = serializers.CharField(help_text="Without the division type: “Quảng Minh”.")
    division_type = serializers.CharField(help_text="In Vietnamese, as the official name writes it: “xã”, “phường”.")
    division_type_label = serializers.SerializerMethodField()
    official_name = serializers.CharField(source="__str__", help_text="“Phường Vân Hà”.")
    valid_from = serializers.DateField(allow_null=True, help_text="Null: before the portal's records.")
    valid_until = serializers.DateField(allow_null=True, help_text="Null: still in force.")
    is_current = serializers.BooleanField()
    former_names = FormerNameOut(source="former_name_periods", many=True)
    successors_today = UnitRefOut(many=True, help_text="For an ended unit, the units in force today that took it over.")
    page_url = LinkField(source="get_absolute_url")

    @extend_schema_field(OpenApiTypes.STR)
    def get_division_type_label(self, unit) -> str:
        # The type the unit bore on the day shown (named_on may have changed it).
        return str(_TYPE_LABELS.get(unit.division_type, unit.division_type))


class ProvinceOut(UnitOut):
    commune_count = serializers.IntegerField(
        help_text="Commune-level units on the province's last day (today for a province in force)."
    )


class DistrictUnitOut(UnitOut):
    """A district-level unit (the level ended on 1 July 2025)."""

    province = UnitRefOut()


class DistrictUnitDetailOut(DistrictUnitOut):
    communes = UnitRefOut(
        source="communes_then", many=True, help_text="The communes it held on its last day, in code order."
    )


class CommuneUnitOut(UnitOut):
    """A commune-level unit. With ``?on=`` a list names each unit, its province and its district as they
    were named that day; otherwise the unit bears its present (or last) name and its parents the names
    they had on its last day."""

    province = UnitRefOut(source="province_then")
    district = UnitRefOut(source="district_then", allow_null=True, help_text="Null after 1 July 2025.")

    def to_representation(self, commune):
        day = self.context.get("on")
        parents_day = day or commune.valid_until or clock.today()
        shown = named_on(commune, day)
        if shown is commune:
            shown = copy.copy(commune)
        shown.province_then = named_on(commune.province, parents_day)
        district = getattr(commune, "district_then", commune.district)
        shown.district_then = named_on(district, parents_day)
        return super().to_representation(shown)


class CommuneUnitDetailOut(CommuneUnitOut):
    address = serializers.CharField(
        source="address_then", help_text="“xã …, huyện …, tỉnh …” as it read on the unit's last day (or today)."
    )
    predecessors = UnitRefOut(source="replaced", many=True, help_text="The units it directly replaced.")
    successors = UnitRefOut(source="replaced_by", many=True, help_text="The units that directly replaced it.")


class CommuneListQuery(serializers.Serializer):
    province = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    district = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    current = serializers.BooleanField(
        required=False, allow_null=True, help_text="true: only units in force today; false: only ended ones."
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=(
            "A name typed with or without accents (“quang minh”), with “xã” or “UBND” in front, a former name, "
            "a district's or province's name, or an official code: the site's search, its best 50 units."
        ),
    )
    on = serializers.DateField(
        required=False, help_text="Only the units in force that day, each named as it was named that day."
    )


class DistrictListQuery(serializers.Serializer):
    province = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


# --- One-stop page -------------------------------------------------------------------------------


class OpeningSessionOut(serializers.Serializer):
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M")


class DayScheduleOut(serializers.Serializer):
    weekday = serializers.IntegerField(help_text="0 is Monday.")
    label = serializers.CharField()
    sessions = OpeningSessionOut(many=True, help_text="Empty: closed.")
    is_today = serializers.BooleanField()


class OpeningTodayOut(serializers.Serializer):
    date = serializers.DateField()
    sessions = OpeningSessionOut(many=True)
    is_open = serializers.BooleanField(help_text="Open at the moment of the answer (`now`).")
    closes_at = serializers.TimeField(format="%H:%M", allow_null=True)
    opens_next = serializers.TimeField(format="%H:%M", allow_null=True)
    reason = serializers.CharField(help_text="Why today differs from the weekly hours: a special day or a holiday.")
    changes_at = serializers.DateTimeField(allow_null=True, help_text="When `is_open` stops being true today.")


class SpecialDayOut(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()
    is_holiday = serializers.BooleanField()
    closed = serializers.BooleanField()
    opens = serializers.TimeField(format="%H:%M", allow_null=True)
    closes = serializers.TimeField(format="%H:%M", allow_null=True)


class DutyLeaderOut(serializers.Serializer):
    """A commune leader on duty at the counter, as the page names them."""

    full_name = serializers.CharField()
    title = serializers.CharField()


class DutyDayOut(serializers.Serializer):
    weekday = serializers.IntegerField()
    label = serializers.CharField()
    leader = DutyLeaderOut(allow_null=True)
    is_today = serializers.BooleanField()


class ShopFacilityOut(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    available = serializers.BooleanField()
    note = serializers.CharField(source="facility.note", allow_null=True)
    photo_url = LinkField(source="facility.photo", allow_null=True)


class CounterOfficerOut(serializers.Serializer):
    """An officer at the counter: public, as the page shows them (citizens should know whom they meet)."""

    full_name = serializers.CharField()
    title = serializers.CharField()
    field = serializers.CharField()
    photo_url = LinkField(source="photo", allow_null=True)
    duty_days = serializers.ListField(child=serializers.IntegerField(), help_text="Weekday numbers, Monday = 0.")
    duty_day_labels = serializers.ListField(child=serializers.CharField())


class OneStopShopOut(serializers.Serializer):
    """The one-stop shop's own address and contacts (the commune's office, not a person's)."""

    address = serializers.CharField()
    directions = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    photo_url = LinkField(source="photo", allow_null=True)
    verified_on = serializers.DateField(allow_null=True, help_text="The day the commune last confirmed this page.")
    is_stale = serializers.BooleanField(help_text="Never confirmed, or not for more than 90 days.")


class OneStopOut(serializers.Serializer):
    """The commune's one-stop page: where, when, with what and who. An ended unit's page is its history:
    no today, no special days ahead, no leader today."""

    commune = UnitRefOut()
    is_history = serializers.BooleanField()
    name_then = serializers.CharField(help_text="The unit's name on its last day (today's for a unit in force).")
    ended_on = serializers.DateField(allow_null=True, help_text="The first day the unit no longer existed.")
    successors_today = UnitRefOut(many=True)
    now = serializers.DateTimeField()
    shop = OneStopShopOut(allow_null=True, help_text="Null: the commune has not published its page yet.")
    today = OpeningTodayOut(allow_null=True)
    week = DayScheduleOut(many=True)
    special_days = SpecialDayOut(many=True, help_text="The shop's special days and the public holidays ahead.")
    leader_today = DutyLeaderOut(allow_null=True)
    duty_week = DutyDayOut(many=True)
    facilities = ShopFacilityOut(many=True)
    officers = CounterOfficerOut(many=True)
    page_url = LinkField(source="commune.get_absolute_url")


# --- Procedures ----------------------------------------------------------------------------------


def time_limit_label(procedure) -> str:
    """As the procedure pages write it (communes/public/_time_limit.html)."""
    if procedure.same_day:
        return str(_("Within the day"))
    if procedure.time_limit_days:
        days = procedure.time_limit_days
        return ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}
    return str(_("Not stated"))


class ProcedureOut(serializers.Serializer):
    """A procedure of the province's catalogue, as its public page shows it."""

    code = serializers.CharField(help_text="The code in the national procedure database.")
    name = serializers.CharField()
    field = serializers.CharField()
    steps = serializers.ListField(child=serializers.CharField())
    documents = serializers.ListField(child=serializers.CharField(), help_text="The documents to bring.")
    fee = serializers.CharField()
    time_limit_days = serializers.IntegerField(allow_null=True, help_text="Working days; null when not stated.")
    same_day = serializers.BooleanField(help_text="Resolved within the day.")
    time_limit_label = serializers.SerializerMethodField()
    online_level = serializers.ChoiceField(choices=OnlineLevel.choices)
    online_level_label = serializers.CharField(source="get_online_level_display")

    @extend_schema_field(OpenApiTypes.STR)
    def get_time_limit_label(self, procedure) -> str:
        return time_limit_label(procedure)


class CatalogueProcedureOut(ProcedureOut):
    id = serializers.IntegerField()
    commune_count = serializers.IntegerField(help_text="How many communes handle it.")


class CommuneProcedureOut(ProcedureOut):
    """A procedure as one commune handles it, with the commune's own notes."""

    local_notes = serializers.CharField(help_text="What is particular here: counter, days, contact person.")
    page_url = LinkField()

    def to_representation(self, handled):
        data = ProcedureOut(context=self.context).to_representation(handled.procedure)
        data["local_notes"] = handled.local_notes
        data["page_url"] = absolute_url(handled.get_absolute_url())
        return data


class ProcedureListQuery(serializers.Serializer):
    field = serializers.CharField(required=False, allow_blank=True, help_text="Only the procedures of this field.")


# --- Disclosures ---------------------------------------------------------------------------------


def document_url(*, commune_id: int, disclosure_id: int) -> str:
    path = reverse("communes:disclosure_document", kwargs={"pk": commune_id, "disclosure_pk": disclosure_id})
    return absolute_url(path)


class DisclosureOut(serializers.Serializer):
    """A public disclosure (Law 10/2022/QH15 art. 11–13) as the public list shows it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=DisclosureCategory.choices)
    category_label = serializers.CharField(source="get_category_display")
    decision_date = serializers.DateField()
    published_on = serializers.DateField()
    deadline = serializers.DateField(help_text="The last day to disclose it.")
    late = serializers.BooleanField(source="is_late")
    posted_until = serializers.DateField(allow_null=True, help_text="Posted at the office until; null: permanently.")
    permanent = serializers.BooleanField(source="is_permanent")
    posted = serializers.BooleanField(source="is_posted", help_text="Still posted at the commune's office.")
    document_url = serializers.SerializerMethodField(help_text="The document (PDF).")

    @extend_schema_field(OpenApiTypes.URI)
    def get_document_url(self, disclosure) -> str:
        return document_url(commune_id=disclosure.commune_id, disclosure_id=disclosure.pk)


class DisclosureListQuery(serializers.Serializer):
    category = serializers.ChoiceField(choices=DisclosureCategory.choices, required=False)


class QuarterlyListOut(serializers.Serializer):
    """A quarterly list of what the commune disclosed (art. 13(2)), as posted."""

    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    published_on = serializers.DateField()
    url = serializers.SerializerMethodField(help_text="The list's lines, in this API.")
    page_url = serializers.SerializerMethodField()

    @staticmethod
    def _path_kwargs(posted) -> dict:
        return {"pk": posted.commune_id, "year": posted.year, "quarter": posted.quarter}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, posted) -> str:
        path = reverse("api:communes:commune-disclosure-list-detail", kwargs=self._path_kwargs(posted))
        return absolute_url(path)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, posted) -> str:
        path = reverse("communes:disclosure_quarterly_list", kwargs=self._path_kwargs(posted))
        return absolute_url(path)


class QuarterlyListRowOut(serializers.Serializer):
    number = serializers.IntegerField()
    disclosure_id = serializers.IntegerField(source="disclosure_pk")
    title = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    decision_date = serializers.DateField()
    published_on = serializers.DateField()
    deadline = serializers.DateField()
    late = serializers.BooleanField()
    posted_until = serializers.DateField(allow_null=True)
    permanent = serializers.BooleanField()
    forms = serializers.ListField(child=serializers.CharField(), help_text="office, portal: how it was made public.")
    still_published = serializers.BooleanField(help_text="False once withdrawn: the list keeps it, without a link.")
    document_url = serializers.SerializerMethodField(help_text="Null once the disclosure is withdrawn.")

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_document_url(self, row) -> str | None:
        if not row.still_published:
            return None
        return document_url(commune_id=self.context["commune_id"], disclosure_id=row.disclosure_pk)


class QuarterlyListDetailOut(QuarterlyListOut):
    rows = QuarterlyListRowOut(many=True, help_text="The lines as posted, in the order they were published.")


# --- The province's systems ----------------------------------------------------------------------


class StatisticsRowIn(serializers.Serializer):
    """One commune's month, under the columns of the statistics spreadsheet."""

    def get_fields(self):
        fields = {
            COMMUNE_COLUMN: CellField(help_text="The commune's 5-digit official code."),
            MONTH_COLUMN: CellField(help_text="YYYY-MM."),
        }
        fields.update({name: FigureField(help_text="A whole number of dossiers, 0 if none.") for name in FIGURES})
        return fields


class StatisticsPushIn(serializers.Serializer):
    rows = StatisticsRowIn(many=True, allow_empty=False, max_length=MAX_ROWS)


class StatisticsMonthOut(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    communes = serializers.IntegerField()


class StatisticsPushOut(serializers.Serializer):
    created = serializers.IntegerField(help_text="Months of a commune that had no figures.")
    updated = serializers.IntegerField(help_text="Months that had figures (the history keeps the earlier ones).")
    unchanged = serializers.IntegerField(help_text="Of `updated`, those sent with the same figures.")
    months = StatisticsMonthOut(many=True, help_text="How many communes each month's rows covered.")


class ProcedureIn(serializers.Serializer):
    """A catalogue entry, created or corrected by its code."""

    code = serializers.CharField(max_length=20, help_text="The code in the national procedure database.")
    name = serializers.CharField(max_length=300)
    field = serializers.CharField(max_length=120)
    steps = serializers.ListField(
        child=serializers.CharField(allow_blank=True), help_text="In order, one sentence each."
    )
    documents = serializers.ListField(
        child=serializers.CharField(allow_blank=True), help_text="The documents to bring."
    )
    fee = serializers.CharField(max_length=200)
    time_limit_days = serializers.IntegerField(min_value=0, max_value=32767, allow_null=True, default=None)
    same_day = serializers.BooleanField(required=False, default=False)
    online_level = serializers.ChoiceField(choices=OnlineLevel.choices)


class CataloguePushIn(serializers.Serializer):
    procedures = ProcedureIn(many=True, allow_empty=False, max_length=MAX_PROCEDURES)


class PushedProcedureOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    result = serializers.CharField(help_text="created, updated or unchanged (nothing written).")


class CataloguePushOut(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    procedures = PushedProcedureOut(many=True, help_text="In the order sent.")
