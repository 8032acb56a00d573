"""Reads of units, one-stop pages, procedures and disclosures: public, as the pages are, through the
selectors the pages use. Writes: the pushes of the province's one-stop dossier system, with its API key."""

from __future__ import annotations

import dataclasses

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_keys import ApiKeyAuthentication
from accounts.models import ApiScope
from communes import selectors
from communes.api.serializers import (
    CatalogueProcedureOut,
    CataloguePushIn,
    CataloguePushOut,
    CommuneListQuery,
    CommuneProcedureOut,
    CommuneUnitDetailOut,
    CommuneUnitOut,
    DisclosureListQuery,
    DisclosureOut,
    DistrictListQuery,
    DistrictUnitDetailOut,
    DistrictUnitOut,
    OneStopOut,
    ProcedureListQuery,
    ProvinceOut,
    QuarterlyListDetailOut,
    QuarterlyListOut,
    StatisticsPushIn,
    StatisticsPushOut,
)
from communes.models import Commune, DisclosureList, District, Province
from communes.selectors.catalogue import procedure_list_for_province
from communes.services import StatisticsError, pushes
from communes.services.statistics import RowError
from core import clock
from core.api.errors import ApiError
from core.api.idempotency import IdempotentMixin
from core.api.permissions import KeyScope

# The pages cut what is typed into the search box at this length; so does the API.
SEARCH_QUERY_LENGTH = 100


def _query(serializer_class, request) -> dict:
    """A list's query filters, checked: 400 with the faulty ones in ``fields``."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _commune_or_404(pk: int) -> Commune:
    try:
        return selectors.commune_for_public_page(pk=pk)
    except Commune.DoesNotExist as error:
        raise Http404 from error


def _row_fields(prefix: str, errors: list[RowError]) -> dict[str, list[str]]:
    """Row errors as the API's ``fields``: ``rows.3.received``; ``rows.3`` for the whole row."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = prefix if error.row is None else f"{prefix}.{error.row}"
        fields.setdefault(f"{name}.{error.column}" if error.column else name, []).append(error.message)
    return fields


def _push_input(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- Units ---------------------------------------------------------------------------------------


class ProvinceList(generics.ListAPIView):
    """Provinces, today's first, then those the 2025 reform ended (with the provinces that took them over)."""

    serializer_class = ProvinceOut
    pagination_class = None  # 34 provinces today, 63 before July 2025: one page

    def get_queryset(self):
        return selectors.province_list_for_browse()


class ProvinceDetail(generics.RetrieveAPIView):
    serializer_class = ProvinceOut

    def get_object(self):
        # The list's four queries: 63 provinces at most, and the detail counts as the list does.
        for province in selectors.province_list_for_browse():
            if province.pk == self.kwargs["pk"]:
                return province
        raise Http404


class DistrictList(generics.ListAPIView):
    """District-level units (the level ended on 1 July 2025), by province and code."""

    serializer_class = DistrictUnitOut

    def get_queryset(self):
        districts = District.objects.select_related("province").order_by("province__code", "code", "pk")
        if province := _query(DistrictListQuery, self.request).get("province"):
            districts = districts.filter(province_id=province)
        return districts

    def paginate_queryset(self, queryset):
        return selectors.with_successors_today(super().paginate_queryset(queryset))

    @extend_schema(parameters=[DistrictListQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DistrictDetail(generics.RetrieveAPIView):
    """A district with the communes it held on its last day (as its page lists them)."""

    serializer_class = DistrictUnitDetailOut

    def get_object(self):
        district = get_object_or_404(District.objects.select_related("province"), pk=self.kwargs["pk"])
        district.communes_then = selectors.commune_list_for_district(district=district)
        return selectors.with_successors_today([district])[0]


class CommuneList(generics.ListAPIView):
    """Commune-level units: today's first, then the ended ones, in code order; with ``q``, the site's search
    (its best 50 units, closest first)."""

    serializer_class = CommuneUnitOut

    def get_queryset(self):
        filters = self.filters = _query(CommuneListQuery, self.request)
        q = filters.get("q", "").strip()[:SEARCH_QUERY_LENGTH]
        if q:
            # The search orders its results itself and names where each ended unit went.
            return [unit for unit in selectors.commune_search(query=q).communes if self._keeps(unit)]
        communes = Commune.objects.select_related("province", "district")
        if "province" in filters:
            communes = communes.filter(province_id=filters["province"])
        if "district" in filters:
            communes = communes.filter(district_id=filters["district"])
        if filters.get("current") is not None:
            communes = communes.filter(valid_until__isnull=filters["current"])
        if "on" in filters:
            communes = communes.on(filters["on"])
        return communes.order_by(F("valid_until").asc(nulls_first=True), "code", "pk")

    def _keeps(self, unit: Commune) -> bool:
        filters, day = self.filters, self.filters.get("on")
        return (
            filters.get("province", unit.province_id) == unit.province_id
            and filters.get("district", unit.district_id) == unit.district_id
            and filters.get("current") in (None, unit.is_current)
            and (day is None or ((unit.valid_from or day) <= day <= (unit.valid_until or day)))
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if isinstance(queryset, list):
            return page  # the search's units carry their successors already
        return selectors.with_successors_today(page)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "on": getattr(self, "filters", {}).get("on")}

    @extend_schema(parameters=[CommuneListQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CommuneDetail(generics.RetrieveAPIView):
    """A commune-level unit with its history: former names, the units it replaced and that replaced it, its
    parents as they were on its last day, and the units in force today that took it over."""

    serializer_class = CommuneUnitDetailOut

    def get_object(self):
        commune = _commune_or_404(self.kwargs["pk"])
        day = commune.valid_until or clock.today()
        commune.district_then = commune.district_on(day)
        commune.address_then = commune.address_on(day)
        history = selectors.unit_history(unit=commune)
        commune.replaced, commune.replaced_by = history["predecessors"], history["successors"]
        return selectors.with_successors_today([commune])[0]


# --- One-stop page ---------------------------------------------------------------------------------


class CommuneOneStop(generics.RetrieveAPIView):
    """What the commune's page shows of its one-stop shop: address and contacts, this week's hours and
    today's, special days ahead, the leaders on duty, the counter officers and the facilities checklist."""

    serializer_class = OneStopOut

    def get_object(self):
        try:
            page = selectors.commune_page(pk=self.kwargs["pk"])
        except Commune.DoesNotExist as error:
            raise Http404 from error
        # The page shows hours and special days only under a published shop.
        return page if page.shop is not None else dataclasses.replace(page, special_days=[])


# --- Procedures ----------------------------------------------------------------------------------


class CommuneProcedureList(generics.ListAPIView):
    """The procedures the commune handles, by field then name (``?field=`` for one field)."""

    serializer_class = CommuneProcedureOut

    def get_queryset(self):
        commune = _commune_or_404(self.kwargs["pk"])
        return selectors.procedure_list_for_commune(
            commune=commune, field=_query(ProcedureListQuery, self.request).get("field", "")
        )

    @extend_schema(parameters=[ProcedureListQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _key_province(request, pk: int) -> Province:
    """The province of the URL if it is the key's, or one the key's province replaced; 404 otherwise, as
    for a province that does not exist (a key learns nothing of other provinces)."""
    if pk not in pushes.provinces_of(request.auth.province):
        raise Http404
    return get_object_or_404(Province, pk=pk)


class ProvinceProcedures(IdempotentMixin, generics.ListAPIView):
    """GET: the province's procedure catalogue (public), with how many communes handle each.
    POST: the province's one-stop dossier system pushes catalogue entries (its API key, scope
    ``procedures``)."""

    serializer_class = CatalogueProcedureOut
    key_scope = ApiScope.PROCEDURES

    def get_permissions(self):
        return [KeyScope()] if self.request.method == "POST" else super().get_permissions()

    def get_queryset(self):
        province = get_object_or_404(Province, pk=self.kwargs["pk"])
        procedures = procedure_list_for_province(province=province)
        if field := _query(ProcedureListQuery, self.request).get("field"):
            procedures = procedures.filter(field=field)
        return procedures

    @extend_schema(parameters=[ProcedureListQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CataloguePushIn,
        responses={200: CataloguePushOut, 201: CataloguePushOut},
        auth=[{"apiKey": []}],
        description=(
            "Create or correct catalogue entries by their national code, each checked as the catalogue form "
            "checks it: all entries or none; errors name the entry (`procedures.3.name`). 201 when an entry "
            "was created, 200 otherwise. Entries sent unchanged are not written again."
        ),
    )
    def post(self, request, pk: int):
        province = _key_province(request, pk)
        entries = _push_input(CataloguePushIn, request)["procedures"]
        try:
            pushed = pushes.catalogue_push(province=province, entries=entries)
        except pushes.CataloguePushError as error:
            raise ApiError("invalid", error, fields=_row_fields("procedures", error.rows)) from error
        counts = {kind: sum(item.result == kind for item in pushed) for kind in ("created", "updated", "unchanged")}
        body = CataloguePushOut(
            {
                **counts,
                "procedures": [
                    {"id": item.procedure.pk, "code": item.procedure.code, "result": item.result} for item in pushed
                ],
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if counts["created"] else status.HTTP_200_OK)


# --- Disclosures -----------------------------------------------------------------------------------


class CommuneDisclosureList(generics.ListAPIView):
    """The commune's public disclosures, newest first (``?category=`` for one of the law's 14 contents)."""

    serializer_class = DisclosureOut

    def get_queryset(self):
        commune = _commune_or_404(self.kwargs["pk"])
        return selectors.disclosure_list_for_commune(
            commune=commune, category=_query(DisclosureListQuery, self.request).get("category", "")
        )

    @extend_schema(parameters=[DisclosureListQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CommuneQuarterlyLists(generics.ListAPIView):
    """The quarterly lists the commune posted, newest first (a handful a year: one page)."""

    serializer_class = QuarterlyListOut
    pagination_class = None

    def get_queryset(self):
        return selectors.disclosure_lists_published(commune=_commune_or_404(self.kwargs["pk"]))


class CommuneQuarterlyList(generics.RetrieveAPIView):
    """The lines of a quarterly list as the commune posted it."""

    serializer_class = QuarterlyListDetailOut

    def get_object(self):
        commune = _commune_or_404(self.kwargs["pk"])
        try:
            posted = selectors.disclosure_list_of_quarter(
                commune=commune, year=self.kwargs["year"], quarter=self.kwargs["quarter"]
            )
        except DisclosureList.DoesNotExist as error:
            raise Http404 from error
        posted.rows = selectors.disclosure_list_rows(commune=commune, items=posted.items)
        return posted

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "commune_id": self.kwargs["pk"]}


# --- The province's systems ------------------------------------------------------------------------


class ProvinceDossierStatistics(IdempotentMixin, APIView):
    """The province's one-stop dossier system pushes months of its communes' dossier figures."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [KeyScope]
    key_scope = ApiScope.DOSSIER_STATISTICS

    @extend_schema(
        request=StatisticsPushIn,
        responses={200: StatisticsPushOut, 201: StatisticsPushOut},
        description=(
            "Months of dossier figures for the province's communes (and those of the provinces it replaced), "
            "under the columns of the statistics spreadsheet. Every row is checked as a row of an uploaded "
            "spreadsheet is, with the same messages: all rows or none, errors by row (`rows.3.received`). A "
            "month sent again replaces the one kept; the history keeps the earlier figures. 201 when a month "
            "was new, 200 otherwise."
        ),
    )
    def post(self, request, pk: int):
        province = _key_province(request, pk)
        rows = _push_input(StatisticsPushIn, request)["rows"]
        try:
            pushed = pushes.statistics_push(province=province, rows=rows)
        except StatisticsError as error:
            if not error.errors:
                raise
            raise ApiError("invalid", error.message, fields=_row_fields("rows", error.errors)) from error
        report = pushed.report
        body = StatisticsPushOut(
            {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "months": [{"month": month.strftime("%Y-%m"), "communes": count} for month, count in pushed.months],
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if report.created else status.HTTP_200_OK)
