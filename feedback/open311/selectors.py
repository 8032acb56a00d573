"""What Open311 reads: the jurisdiction (a province in force), its services (the province's open feedback
categories), the communes a request may name, and requests as the public tracking page shows them.

Requests are loaded with the public columns only, as feedback.selectors.public does for the pages: no
contact detail, submitter, coordinates or action key is ever read, so none can be written out. A list
costs four queries (the items, their shown photos, the refusals' public texts, and the jurisdiction
asked by the view) whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from communes.models import Commune, Province
from feedback.models import OPEN_STATUSES, Category, Event, Feedback, Photo, Status

# GeoReport v2: "first 1000 requests returned"; said in discovery as max_requests.
MAX_REQUESTS = 1000
# Columns a request's public representation reads (PublicFeedback's, less the timeline).
REQUEST_COLUMNS = (
    "code",
    "description",
    "public_description",
    "status",
    "submitted_at",
    "due_date",
    "address",
    "answer",
    "forwarded_to",
    "refusal_reason",
    "commune",
    "commune__name",
    "commune__division_type",
    "category",
    "category__name",
)


def province_in_force(*, code: str) -> Province | None:
    """The province in force today with this official code (codes are reused after a merger)."""
    return Province.objects.current().filter(code=code).first()


def province_only() -> Province | None:
    """The province in force, when the portal holds exactly one; otherwise a client must name it."""
    provinces = list(Province.objects.current()[:2])
    return provinces[0] if len(provinces) == 1 else None


def services_of(*, province: Province) -> QuerySet[Category]:
    """The categories open for new feedback in the province, in the order its forms list them."""
    return Category.objects.filter(province=province, active=True).order_by("position", "name")


def service_of(*, province: Province, code: str) -> Category | None:
    """One open category of the province by its service code (the category's id)."""
    if not (code.isascii() and code.isdigit()) or len(code) > 12:
        return None
    return services_of(province=province).filter(pk=int(code)).first()


def communes_in_force(*, province: Province, today: datetime.date) -> QuerySet[Commune]:
    """The province's communes in force on ``today``, by official code: where a request may be sent."""
    return Commune.objects.filter(province=province).on(today).order_by("code")


def commune_in_force(*, province: Province, code: str, today: datetime.date) -> Commune | None:
    return communes_in_force(province=province, today=today).filter(code=code).first()


def request_exists(*, province: Province, code: str) -> bool:
    return Feedback.objects.filter(commune__province=province, code=code).exists()


def requests_public(
    *,
    province: Province,
    codes: Iterable[str] | None = None,
    service_codes: Iterable[int] | None = None,
    open_: bool | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    limit: int = MAX_REQUESTS,
) -> list[Feedback]:
    """The province's items, newest first, at most ``limit``: those with one of ``codes`` when given
    (the other filters then do not apply, as GeoReport v2 says), otherwise those of the categories
    ``service_codes``, open or closed (``open_``), submitted between ``since`` and ``until`` (both included).

    Each row carries ``updated_at`` (its timeline's last step), ``shown_photos`` (the photos not hidden,
    whether or not the item's status makes them public: the caller asks ``photos_are_public``) and
    ``refusals`` (its refusal steps that have a public text)."""
    items = Feedback.objects.filter(commune__province=province)
    if codes is not None:
        items = items.filter(code__in=list(codes))
    else:
        if service_codes is not None:
            items = items.filter(category_id__in=list(service_codes))
        if open_ is True:
            items = items.filter(status__in=OPEN_STATUSES)
        elif open_ is False:
            items = items.exclude(status__in=OPEN_STATUSES)
        if since is not None:
            items = items.filter(submitted_at__gte=since)
        if until is not None:
            items = items.filter(submitted_at__lte=until)
    last_step = Event.objects.filter(feedback=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
    return list(
        items.select_related("commune", "category")
        .only(*REQUEST_COLUMNS)
        .annotate(updated_at=Subquery(last_step))
        .prefetch_related(
            Prefetch(
                "photos", queryset=Photo.objects.filter(hidden=False).only("pk", "feedback_id"), to_attr="shown_photos"
            ),
            Prefetch(
                "events",
                queryset=Event.objects.filter(status=Status.REFUSED)
                .exclude(public_text="")
                .only("feedback_id", "status", "public_text", "at"),
                to_attr="refusals",
            ),
        )
        .order_by("-submitted_at", "-pk")[:limit]
    )
