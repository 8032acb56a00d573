"""Reads of the procedures a commune handles, for its public pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from communes.models import Commune, CommuneProcedure


@dataclass(frozen=True)
class FieldCount:
    field: str
    count: int


def procedure_fields_for_commune(*, commune: Commune) -> list[FieldCount]:
    """The fields of the procedures a commune handles with their counts, most common first."""
    rows = (
        CommuneProcedure.objects.filter(commune=commune)
        .values("procedure__field")
        .annotate(count=Count("pk"))
        .order_by("-count", "procedure__field")
    )
    return [FieldCount(field=row["procedure__field"], count=row["count"]) for row in rows]


def procedure_list_for_commune(*, commune: Commune, field: str = "") -> QuerySet[CommuneProcedure]:
    """The procedures a commune handles, by field then name, optionally of one field."""
    procedures = CommuneProcedure.objects.filter(commune=commune).select_related("procedure")
    if field:
        procedures = procedures.filter(procedure__field=field)
    return procedures.order_by("procedure__field", "procedure__name", "pk")


def commune_procedure(*, commune_pk: int, code: str) -> CommuneProcedure:
    """A procedure as one commune handles it; raises CommuneProcedure.DoesNotExist if it does not."""
    return CommuneProcedure.objects.select_related("procedure", "commune__province", "commune__district").get(
        commune_id=commune_pk, procedure__code=code
    )


def commune_handles_procedure(*, commune_pk: int, code: str) -> bool:
    return CommuneProcedure.objects.filter(commune_id=commune_pk, procedure__code=code).exists()
