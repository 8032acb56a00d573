"""HTML to print-ready PDF: the one place WeasyPrint is called (certificates, decisions, sheets), and
the small pieces of an official document's form the templates print (Decree 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.template.loader import render_to_string

from scoring.services.decisions.document import body_name_on, vn_date

MM = 72 / 25.4  # PDF points per millimetre

# Where the signature stamp goes on the last page, in millimetres from the page's lower left corner
# (x0, y0, x1, y1). The templates leave exactly this place empty; signing fills it.
STAMP_BOXES_MM = {
    "certificate": (197.0, 27.0, 277.0, 49.0),  # A4 landscape: between the signer's title and name
    "decision": (120.0, 2.0, 195.0, 18.0),  # A4 portrait: the 20 mm bottom margin, right-aligned with the text
}


def stamp_box(kind: str) -> tuple[float, float, float, float]:
    """The stamp's rectangle for ``kind`` in PDF points, as pyHanko takes it."""
    return tuple(value * MM for value in STAMP_BOXES_MM[kind])


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` with ``context`` and lay it out as PDF bytes, fonts embedded."""
    from weasyprint import HTML  # imported here: it loads system libraries
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    # Relative addresses are files of the project's static folder; nothing is fetched from a network,
    # so a document never depends on (or leaks to) another server.
    base_url = (settings.BASE_DIR / "static").as_uri() + "/"
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    # WeasyPrint reports each step of a document at INFO; a batch of two hundred would flood the log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    # Fonts are embedded (as subsets) by WeasyPrint; pdf_variant stays plain PDF for pyHanko's incremental
    # signature.
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


# --- The form of an official document -----------------------------------------------------------


def place_and_date(unit, day: datetime.date) -> str:
    """``Bắc Ninh, ngày 05 tháng 3 năm 2025``: the issuing province as it was named on ``day``."""
    return f"{body_name_on(unit, day).place}, {vn_date(day)}"
