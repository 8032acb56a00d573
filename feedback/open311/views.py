"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2): discovery, services,
service definitions, requests (GET and POST), one request, and tokens; JSON or XML by the path's suffix.

Plain Django views, outside the OpenAPI schema: the formats, the error list and the parameters are the
specification's, not the portal's API's. ``jurisdiction_id`` is a province's official code; it may be left
out only while the portal holds one province in force (a POST falls back to its key's province).

Posting needs ``api_key``: a key DoHA issued for the province with the Open311 scope. The key is set as
``request.auth``, so ApiCallLogMiddleware logs the call with it, refused or not. No cookie is read for
it, hence no CSRF check. The sender is the key's system, never the browser's signed-in account.

Consent: the portal asks a citizen's consent only when they give personal data (contact details or the
device's position). An Open311 client that sends such data asserts, by sending it, that the citizen
agreed to its use for the feedback (the key's holder answers for that to DoHA); a request without any
is anonymous and needs none, as on the portal's form.

Limits: the API's per address and per key (core.api.throttling, same rates and counters), then the
site's own limit on new feedback per address, applied by feedback_submit to the caller's address.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import Http404
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.decorators import method_decorator
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from accounts.api_keys import key_lookup
from accounts.models import ApiScope
from communes.models import Province
from core import clock
from core.api.errors import MESSAGES as API_MESSAGES
from core.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from core.api.idempotency import token_of
from core.api.throttling import AddressThrottle, PrincipalThrottle
from core.clock import VIETNAM
from core.errors import ServiceError
from core.web import absolute_url
from feedback.models import TITLE_MAX
from feedback.open311 import output, selectors
from feedback.services import feedback_submit, normalise_code
from feedback.services.submission import gives_personal_data

# GeoReport v2: without dates, the last 90 days; a span longer than that is refused.
WINDOW = datetime.timedelta(days=90)
TITLE_EXCERPT = 80
MEDIA_URL_MAX = 500

UNKNOWN_FORMAT = _("This format is not supported: use .json or .xml.")
NOT_ALLOWED = _("This method is not allowed here.")
JURISDICTION_REQUIRED = _("Please give jurisdiction_id: the official code of the province.")
UNKNOWN_JURISDICTION = _("No province in force has this jurisdiction_id.")
KEY_MISSING = _("Please send a valid api_key to post a request.")
KEY_SCOPE = _("This api_key may not post Open311 requests.")
KEY_PROVINCE = _("This api_key belongs to another province.")
UNKNOWN_SERVICE = _("No open service has this service_code.")
COMMUNE_REQUIRED = _("Please choose attribute[commune]: the official code of a commune of the province in force today.")
LOCATION_REQUIRED = _("Please give the place: lat and long, or address_string.")
BAD_MEDIA_URL = _("media_url must be an http or https address.")
MEDIA_LINE = _("Media sent with the request (not checked by the portal): %(url)s")
BAD_DATE = _("%(name)s must be a date and time in ISO 8601, such as 2026-01-31T08:00:00+07:00.")
WINDOW_TOO_LONG = _("start_date and end_date may be at most 90 days apart.")
BAD_STATUS = _("status must be open, closed, or both separated by a comma.")
UNKNOWN_REQUEST = _("No request of this jurisdiction has this service_request_id.")
UNKNOWN_TOKEN = _("No request of this jurisdiction has this token.")
SERVICE_NOTICE = _("Sent to %(commune)s, which must answer by %(date)s. Tracking code: %(code)s.")


class Open311Error(Exception):
    """A request refused with an HTTP status and a description, answered in the spec's error list."""

    def __init__(self, status: int, description, *, headers: dict | None = None):
        super().__init__(str(description))
        self.status, self.description, self.headers = status, description, headers or {}


def _list(text: str | None) -> list[str]:
    """A comma-separated parameter's values, blanks dropped."""
    return [value.strip() for value in (text or "").split(",") if value.strip()]


def _moment(text: str, name: str, *, end: bool) -> datetime.datetime | None:
    """A W3C date-time (``2026-01-31T08:00:00Z``, ``…+07:00``), or a date alone (its first moment, or
    its last for ``end``); a time without an offset is Vietnam's. A "+" left unescaped in a query
    string arrives as a space, and is read as the "+" it was."""
    text = (text or "").strip()
    if not text:
        return None
    if "T" in text:
        text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", text)
    try:
        moment = parse_datetime(text)
        day = parse_date(text) if moment is None else None
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    if moment is None:
        raise Open311Error(400, BAD_DATE % {"name": name})
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)


def window(start_text: str, end_text: str, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end] as asked, at most 90 days; the missing end 90 days from the other, both missing the
    last 90 days (GeoReport v2's default)."""
    start = _moment(start_text, "start_date", end=False)
    end = _moment(end_text, "end_date", end=True)
    if start is None and end is None:
        end = now
    try:
        if start is None:
            start = end - WINDOW
        elif end is None:
            end = start + WINDOW
    except OverflowError as error:  # year 1 or 9999
        raise Open311Error(400, BAD_DATE % {"name": "start_date" if end is None else "end_date"}) from error
    if end - start > WINDOW + datetime.timedelta(days=1):  # a whole last day given as a date
        raise Open311Error(400, WINDOW_TOO_LONG)
    return start, end


def title_of(service_name: str, description: str) -> str:
    """GeoReport v2 has no title: the service's name and the start of the description's first line."""
    first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    title = f"{service_name}: {Truncator(first_line).chars(TITLE_EXCERPT)}" if first_line else service_name
    return Truncator(title).chars(TITLE_MAX)


@method_decorator(csrf_exempt, name="dispatch")
class Open311View(View):
    """Answers in the path's format, refusals in the spec's error list; counts the API's rate limits."""

    root = ""  # the XML root element of the answer

    def dispatch(self, request, *args, fmt: str, **kwargs):
        self.fmt = fmt if fmt in output.CONTENT_TYPES else "xml"  # XML is the format the spec requires
        request.auth = None
        try:
            if fmt not in output.CONTENT_TYPES:
                raise Open311Error(404, UNKNOWN_FORMAT)
            method = request.method.lower()
            handler = getattr(self, method, None) if method in self.http_method_names else None
            if handler is None or method == "options":
                allowed = [name.upper() for name in self.http_method_names if name != "options" and hasattr(self, name)]
                raise Open311Error(405, NOT_ALLOWED, headers={"Allow": ", ".join(allowed)})
            if method == "post":
                request.auth = key_lookup(self.param("api_key"))
            self._throttle(request)
            return self.respond(handler(request, *args, **kwargs))
        except Open311Error as error:
            return output.error_response(self.fmt, error.status, error.description, headers=error.headers)
        except ServiceError as error:  # feedback_submit's refusals, in the request's language
            return output.error_response(self.fmt, error.status, error)
        except Http404:
            return output.error_response(self.fmt, 404, API_MESSAGES["not-found"])

    def respond(self, data):
        return output.respond(self.fmt, self.root, data)

    def _throttle(self, request) -> None:
        for throttle in (AddressThrottle(), PrincipalThrottle()):
            if not throttle.allow_request(request, self):
                wait = throttle.wait()
                headers = {"Retry-After": str(int(wait))} if wait else {}
                raise Open311Error(429, API_MESSAGES["rate-limited"], headers=headers)

    def param(self, name: str) -> str:
        """A parameter of the query, or of the form for a POST (where the spec puts them)."""
        if self.request.method == "POST" and name in self.request.POST:
            return self.request.POST.get(name, "")
        return self.request.GET.get(name, "")

    def jurisdiction(self, *, fallback: Province | None = None) -> Province:
        code = self.param("jurisdiction_id").strip()
        if code:
            province = selectors.province_in_force(code=code)
            if province is None:
                raise Open311Error(404, UNKNOWN_JURISDICTION)
            return province
        province = fallback or selectors.province_only()
        if province is None:
            raise Open311Error(400, JURISDICTION_REQUIRED)
        return province


class Discovery(Open311View):
    root = "discovery"

    def get(self, request):
        path = reverse("open311:discovery", kwargs={"fmt": self.fmt})
        return output.discovery(url=absolute_url(path.rsplit("/", 1)[0] + "/"), max_requests=selectors.MAX_REQUESTS)


class Services(Open311View):
    root = "services"

    def get(self, request):
        province = self.jurisdiction()
        return [output.service(category, province) for category in selectors.services_of(province=province)]


class ServiceDefinition(Open311View):
    root = "service_definition"

    def get(self, request, service_code: str):
        province = self.jurisdiction()
        category = selectors.service_of(province=province, code=service_code)
        if category is None:
            raise Open311Error(404, UNKNOWN_SERVICE)
        communes = selectors.communes_in_force(province=province, today=clock.today()).only(
            "code", "name", "division_type"
        )
        return output.service_definition(category, list(communes))


class Requests(Open311View):
    root = "service_requests"

    def get(self, request):
        province = self.jurisdiction()
        codes = _list(self.param("service_request_id"))
        if codes:
            items = selectors.requests_public(
                province=province, codes=[normalise_code(code) for code in codes[: selectors.MAX_REQUESTS]]
            )
            return output.service_requests(items)
        statuses = set(_list(self.param("status")))
        if not statuses <= {"open", "closed"}:
            raise Open311Error(400, BAD_STATUS)
        service_codes = _list(self.param("service_code"))
        since, until = window(self.param("start_date"), self.param("end_date"), clock.now())
        items = selectors.requests_public(
            province=province,
            service_codes=[int(code) for code in service_codes if code.isascii() and code.isdigit() and len(code) <= 12]
            if service_codes
            else None,
            open_=("open" in statuses) if len(statuses) == 1 else None,
            since=since,
            until=until,
        )
        return output.service_requests(items)

    def post(self, request):
        key = request.auth
        if key is None:
            raise Open311Error(403, KEY_MISSING)
        if not key.allows(ApiScope.OPEN311):
            raise Open311Error(403, KEY_SCOPE)
        province = self.jurisdiction(fallback=key.province)
        if key.province_id != province.pk:
            raise Open311Error(403, KEY_PROVINCE)
        category = selectors.service_of(province=province, code=self.param("service_code").strip())
        if category is None:
            raise Open311Error(400, UNKNOWN_SERVICE)
        commune = selectors.commune_in_force(
            province=province, code=self.param(f"attribute[{output.COMMUNE_ATTRIBUTE}]").strip(), today=clock.today()
        )
        if commune is None:
            raise Open311Error(400, COMMUNE_REQUIRED)
        latitude = self.param("lat").strip() or None
        longitude = self.param("long").strip() or None
        address = self.param("address_string").strip()
        if not address and latitude is None and longitude is None:
            raise Open311Error(400, LOCATION_REQUIRED)
        description = self._description()
        name = " ".join(part for part in (self.param("last_name").strip(), self.param("first_name").strip()) if part)
        contact = {"contact_name": name, "contact_phone": self.param("phone"), "contact_email": self.param("email")}
        feedback = feedback_submit(
            commune=commune,
            category=category,
            title=title_of(category.name, description),
            description=description,
            address=address,
            latitude=latitude,
            longitude=longitude,
            **contact,
            consent=gives_personal_data(**contact, latitude=latitude, signed_in=False),
            submitter=None,
            language=get_language(),
            submission_token=token_of(request, request.headers.get(IDEMPOTENCY_HEADER)),
            # Not the citizens' per-address limit (5 an hour): a city app posts for many citizens from one
            # server. The key's own limits hold (core.api.throttling), and DoHA can revoke it.
            client_ip=None,
        )
        notice = SERVICE_NOTICE % {
            "commune": feedback.commune.official_name,
            "date": feedback.due_date.isoformat(),
            "code": feedback.code,
        }
        return [{"service_request_id": feedback.code, "service_notice": notice, "account_id": None}]

    def _description(self) -> str:
        """The description, and the media_url kept as a link under it: the portal never fetches a file
        from elsewhere, and the officer opens it (or not) as any link a citizen writes."""
        description = self.param("description").strip()
        media_url = self.param("media_url").strip()
        if not media_url:
            return description
        try:
            if len(media_url) > MEDIA_URL_MAX:
                raise ValidationError(BAD_MEDIA_URL)
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError as error:
            raise Open311Error(400, BAD_MEDIA_URL) from error
        return f"{description}\n\n{MEDIA_LINE % {'url': media_url}}" if description else ""


class Request(Open311View):
    root = "service_requests"

    def get(self, request, service_request_id: str):
        province = self.jurisdiction()
        items = selectors.requests_public(province=province, codes=[normalise_code(service_request_id)], limit=1)
        if not items:
            raise Open311Error(404, UNKNOWN_REQUEST)
        return output.service_requests(items)


class Token(Open311View):
    """The portal gives a request's id at once, so a token is the id itself (GeoReport v2 allows either)."""

    root = "service_requests"

    def get(self, request, token: str):
        province = self.jurisdiction()
        code = normalise_code(token)
        if not code or not selectors.request_exists(province=province, code=code):
            raise Open311Error(404, UNKNOWN_TOKEN)
        return [{"service_request_id": code, "token": token}]
