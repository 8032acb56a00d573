"""Open data: the catalogue page, its DCAT catalogue (JSON-LD), one dataset's page with its data
dictionary, and the downloads in CSV, JSON and XLSX. Public, anonymous, read only.

The files are the same for everyone, so shared caches may keep them a few minutes; a conditional
request answers 304 while the dataset has not changed since.
"""

from __future__ import annotations

import itertools
import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from portal.opendata.catalog import (
    CATALOG_DESCRIPTION,
    CATALOG_TITLE,
    PUBLISHER,
    Entry,
    catalog_jsonld,
    catalogue_entries,
    download_path,
)
from portal.opendata.datasets import dataset_get
from portal.opendata.formats import FORMATS, download
from portal.opendata.registry import LICENCE_NAME, LICENCE_TITLE, LICENCE_URL

# Long enough to spare the database a crowd, short enough that a correction shows within minutes.
MAX_AGE = 300
JSONLD = "application/ld+json"
PROVINCE_CODE = re.compile(r"\d{1,3}")  # official province codes are two digits

LICENCE = {"name": LICENCE_NAME, "title": LICENCE_TITLE, "url": LICENCE_URL}


def _shareable(response: HttpResponse, modified=None) -> HttpResponse:
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def _dataset_or_404(slug: str):
    dataset = dataset_get(slug)
    if dataset is None:
        raise Http404
    return dataset


@require_safe
def open_data(request):
    entries = catalogue_entries()
    themes = [
        (theme, list(group)) for theme, group in itertools.groupby(entries, key=lambda entry: str(entry.dataset.theme))
    ]
    context = {
        "themes": themes,
        "title": CATALOG_TITLE,
        "description": CATALOG_DESCRIPTION,
        "publisher": PUBLISHER,
        "licence": LICENCE,
    }
    return render(request, "portal/open_data/catalog.html", context)


@require_safe
def open_data_catalog(request):
    entries = catalogue_entries()
    body = json.dumps(catalog_jsonld(entries), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    latest = max((entry.modified for entry in entries if entry.modified), default=None)
    return _shareable(HttpResponse(body, content_type=JSONLD), latest)


@require_safe
def open_data_dataset(request, slug: str):
    dataset = _dataset_or_404(slug)
    entry = Entry(dataset, dataset.modified())
    context = {
        "entry": entry,
        "dataset": dataset,
        "downloads": [(fmt, download_path(slug, fmt)) for fmt in FORMATS],
        "licence": LICENCE,
        "example_path": download_path(slug, "csv"),
    }
    return render(request, "portal/open_data/dataset.html", context)


@require_safe
def open_data_download(request, slug: str, fmt: str):
    dataset = _dataset_or_404(slug)
    if fmt not in FORMATS:
        raise Http404
    province = request.GET.get("province", "").strip()
    if province and not PROVINCE_CODE.fullmatch(province):
        return render(request, "400.html", status=400)
    modified = dataset.modified()
    if modified is not None:
        unchanged = get_conditional_response(request, last_modified=int(modified.timestamp()))
        if unchanged is not None:
            return _shareable(unchanged, modified)
    return _shareable(download(dataset, fmt, dataset.rows(province or None), modified=modified), modified)
