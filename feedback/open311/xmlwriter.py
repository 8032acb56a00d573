"""GeoReport v2's XML: the same data as its JSON, with the element names the specification gives.

A list is written as its container element holding one element per item, named by ``ITEM_NAMES``
(``<services><service>…</service></services>``); a dict as one element per key; ``None`` as an empty
element; booleans as ``true``/``false``. Text the portal holds (a citizen's description) may carry
control characters XML 1.0 cannot hold at all: they are left out, so the document always parses.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, tostring

# The element each item of a list is written as, by the list's own element (GeoReport v2).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 does not allow (tab, line feed and carriage return are allowed).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _fill(element: Element, value) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            _fill(SubElement(element, name), item)
    elif isinstance(value, list | tuple):
        item_name = ITEM_NAMES[element.tag]
        for item in value:
            _fill(SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def xml_document(root: str, value) -> bytes:
    """``value`` (lists, dicts and plain values, as for JSON) as a UTF-8 XML document under ``root``."""
    element = Element(root)
    _fill(element, value)
    return DECLARATION + tostring(element, encoding="unicode").encode()
