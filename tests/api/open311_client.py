"""A GeoReport v2 client written from the specification (http://wiki.open311.org/GeoReport_v2) alone.

It knows the paths, the parameters and the two formats of the spec, nothing of the server behind them:
a transport carries each HTTP request (Django's test client, or ``http_transport`` for a live server),
and answers are read into plain Python: JSON as it is, XML by the spec's element names into the same
shapes, so that a test can compare both formats. An error answer raises GeoReportError with the
spec's error list.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode
from xml.etree import ElementTree

# (method, path, query, form, headers) → (status, content type, body)
Transport = Callable[[str, str, dict, dict | None, dict], tuple[int, str, bytes]]

# The spec's XML: each list's element and its items' element.
LISTS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
BOOLEANS = {"metadata", "variable", "required"}
# An error's "code" is a number too (see _value); max_requests is FixMyStreet's addition to discovery.
INTEGERS = {"order", "max_requests"}
NUMBERS = {"lat", "long"}
CONTENT_TYPES = {"json": "application/json", "xml": "text/xml"}


class GeoReportError(Exception):
    def __init__(self, status: int, errors: list[dict]):
        super().__init__(f"{status}: {errors}")
        self.status, self.errors = status, errors

    @property
    def description(self) -> str:
        return self.errors[0]["description"] if self.errors else ""


def _value(element: ElementTree.Element, parent: str):
    name, text = element.tag, (element.text or "").strip()
    if name in LISTS:
        return [_value(child, name) for child in element]
    if len(element):
        return {child.tag: _value(child, name) for child in element}
    if not text:
        return None
    if name in BOOLEANS:
        return text == "true"
    if name in INTEGERS or (name == "code" and parent == "error"):
        return int(text)
    if name in NUMBERS:
        return float(text)
    return text


def parse_xml(body: bytes):
    """A GeoReport v2 XML document as the JSON of the same answer would read."""
    root = ElementTree.fromstring(body)  # noqa: S314 - the server under test is ours
    if root.tag in LISTS:
        return [_value(child, root.tag) for child in root]
    return {child.tag: _value(child, root.tag) for child in root}


def http_transport(base_url: str) -> Transport:
    """Real HTTP to ``base_url`` (a live server), with the standard library only."""

    def send(method, path, query, form, headers):
        url = base_url.rstrip("/") + path + (f"?{urlencode(query)}" if query else "")
        data = urlencode(form).encode() if form is not None else None
        if data is not None:
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()

    return send


@dataclass
class GeoReportClient:
    transport: Transport
    base_path: str = "/open311/v2/"
    format: str = "json"
    jurisdiction_id: str | None = None
    api_key: str | None = None
    language: str | None = None
    last_status: int = 0
    last_content_type: str = ""
    last_body: bytes = field(default=b"", repr=False)

    # --- HTTP ---

    def _call(self, method: str, resource: str, query: dict | None = None, form: dict | None = None, headers=None):
        query = {name: value for name, value in (query or {}).items() if value is not None}
        if self.jurisdiction_id is not None:
            (form if form is not None else query).setdefault("jurisdiction_id", self.jurisdiction_id)
        headers = dict(headers or {})
        if self.language:
            headers["Accept-Language"] = self.language
        path = f"{self.base_path}{resource}.{self.format}"
        status, content_type, body = self.transport(method, path, query, form, headers)
        self.last_status, self.last_content_type, self.last_body = status, content_type, body
        assert content_type.startswith(CONTENT_TYPES[self.format]), content_type
        data = parse_xml(body) if self.format == "xml" else json.loads(body)
        if status >= 400:
            raise GeoReportError(status, data)
        return data

    # --- The spec's methods ---

    def discovery(self) -> dict:
        return self._call("GET", "discovery")

    def services(self) -> list[dict]:
        return self._call("GET", "services")

    def service_definition(self, service_code: str) -> dict:
        return self._call("GET", f"services/{service_code}")

    def post_request(
        self,
        service_code: str,
        *,
        lat: float | None = None,
        long: float | None = None,
        address_string: str | None = None,
        attributes: dict[str, str] | None = None,
        description: str | None = None,
        media_url: str | None = None,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        device_id: str | None = None,
        account_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> list[dict]:
        form = {"service_code": service_code}
        if self.api_key is not None:
            form["api_key"] = self.api_key
        optional = {
            "lat": lat,
            "long": long,
            "address_string": address_string,
            "description": description,
            "media_url": media_url,
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "phone": phone,
            "device_id": device_id,
            "account_id": account_id,
        }
        form.update({name: str(value) for name, value in optional.items() if value is not None})
        form.update({f"attribute[{code}]": value for code, value in (attributes or {}).items()})
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._call("POST", "requests", form=form, headers=headers)

    def requests(
        self,
        *,
        service_request_id: list[str] | None = None,
        service_code: list[str] | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
        status: list[str] | None = None,
    ) -> list[dict]:
        query = {
            "service_request_id": ",".join(service_request_id) if service_request_id else None,
            "service_code": ",".join(service_code) if service_code else None,
            "start_date": start_date,
            "end_date": end_date,
            "status": ",".join(status) if status else None,
        }
        return self._call("GET", "requests", query=query)

    def request(self, service_request_id: str) -> list[dict]:
        return self._call("GET", f"requests/{service_request_id}")

    def token(self, token: str) -> list[dict]:
        return self._call("GET", f"tokens/{token}")
