"""What Open311 answers, in GeoReport v2's terms: services, a service definition, requests, discovery
and errors, each as JSON or as XML (``.json`` / ``.xml`` at the end of the path, as the spec says).

A request shows what the public tracking page shows and nothing more: no name, phone or e-mail ever;
the place as the citizen wrote it (the page shows it) but never the device's coordinates (it does
not); a photo only once the page shows it (accepted items, photos the officer left visible).
"""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communes.models import Commune, Province
from core import clock
from core.clock import VIETNAM
from core.web import absolute_url
from feedback.models import OPEN_STATUSES, Category, Event, Feedback, RefusalReason, Status, photos_are_public
from feedback.open311.xmlwriter import xml_document

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint last changed in a way a client may notice (GeoReport v2 discovery).
CHANGESET = "2026-12-07T00:00:00+07:00"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DISCOVERY_FORMATS = ["text/xml", "application/json"]
COMMUNE_ATTRIBUTE = "commune"

CONTACT = _(
    "The Department of Home Affairs (Sở Nội vụ) of each province keeps its feedback categories and its "
    "communes' data; each commune answers the feedback sent to it."
)
KEY_SERVICE = _(
    "Ask the Department of Home Affairs of the province for an API key with the Open311 scope; send it as "
    "api_key when you post a request. Reading needs no key."
)
COMMUNE_DESCRIPTION = _("The commune, ward or special zone where the problem is: it receives and answers the request.")
COMMUNE_DATATYPE = _("The official code of the commune in the national list of administrative units.")


def respond(fmt: str, root: str, data, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    """``data`` as JSON, or as XML under the spec's ``root`` element."""
    body = xml_document(root, data) if fmt == "xml" else json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt], headers=headers)


def error_response(fmt: str, status: int, description, *, headers: dict | None = None) -> HttpResponse:
    """GeoReport v2's error list: ``[{"code": 404, "description": "..."}]``, in the language asked."""
    return respond(fmt, "errors", [{"code": status, "description": str(description)}], status=status, headers=headers)


def w3c(moment: datetime.datetime | None) -> str | None:
    """A moment as W3C's ISO 8601 subset, with Vietnam's offset: 2026-12-07T09:30:00+07:00."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds") if moment else None


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last second of a day in Vietnam: a due date is met when answered by then."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=VIETNAM)


# --- Discovery and services ---------------------------------------------------------------------------


def discovery(*, url: str, max_requests: int) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": str(CONTACT),
        "key_service": str(KEY_SERVICE),
        # Not in the spec's list, as FixMyStreet does: how many requests a list holds at most.
        "max_requests": max_requests,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "test" if settings.DEBUG else "production",
                "formats": DISCOVERY_FORMATS,
            }
        ],
    }


def service(category: Category, province: Province) -> dict:
    days = category.time_limit_days
    description = ngettext(
        "Feedback to a commune of %(province)s; the commune answers within %(days)d working day.",
        "Feedback to a commune of %(province)s; the commune answers within %(days)d working days.",
        days,
    ) % {"province": province.official_name, "days": days}
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": description,
        # Every service has its definition: the commune the request goes to.
        "metadata": True,
        "type": "realtime",
        "keywords": None,
        "group": None,
    }


def service_definition(category: Category, communes: list[Commune]) -> dict:
    return {
        "service_code": str(category.pk),
        "attributes": [
            {
                "variable": True,
                "code": COMMUNE_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": str(COMMUNE_DATATYPE),
                "order": 1,
                "description": str(COMMUNE_DESCRIPTION),
                "values": [{"key": commune.code, "name": commune.official_name} for commune in communes],
            }
        ],
    }


# --- Requests -----------------------------------------------------------------------------------------


def status_notes(item: Feedback, today: datetime.date) -> str:
    """The detailed state in words, then what the commune said publicly: the refusal's reason and
    explanation, the unit it was forwarded to, or its official answer."""
    first = capfirst(str(item.get_status_display()))
    if item.status in OPEN_STATUSES and item.due_date < today:
        first = f"{first} ({Event.Kind.OVERDUE.label})"
    lines = [first]
    if item.status == Status.REFUSED:
        if item.refusal_reason in RefusalReason.values:
            lines.append(capfirst(str(RefusalReason(item.refusal_reason).label)))
        if item.refusals:
            lines.append(item.refusals[-1].public_text)
    if item.status == Status.FORWARDED and item.forwarded_to:
        lines.append(item.forwarded_to)
    if item.answer:
        lines.append(item.answer)
    return "\n".join(lines)


def _photo_url(item: Feedback) -> str | None:
    if not photos_are_public(item.status) or not item.shown_photos:
        return None
    # The same address whatever language the client reads: the photo is the same.
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse("feedback:photo", kwargs={"photo_pk": item.shown_photos[0].pk}))


def service_request(item: Feedback, today: datetime.date) -> dict:
    """One item (from feedback.open311.selectors.requests_public) as GeoReport v2's request."""
    return {
        "service_request_id": item.code,
        "status": "open" if item.status in OPEN_STATUSES else "closed",
        "status_notes": status_notes(item, today),
        "service_name": item.category.name,
        "service_code": str(item.category_id),
        "description": item.shown_description,
        "agency_responsible": str(item.commune),
        "service_notice": None,
        "requested_datetime": w3c(item.submitted_at),
        "updated_datetime": w3c(item.updated_at or item.submitted_at),
        "expected_datetime": w3c(end_of_day(item.due_date)),
        "address": item.address or None,
        "address_id": None,
        "zipcode": None,
        # The tracking page never shows the device's position: neither does Open311.
        "lat": None,
        "long": None,
        "media_url": _photo_url(item),
    }


def service_requests(items: list[Feedback]) -> list[dict]:
    today = clock.today()
    return [service_request(item, today) for item in items]
