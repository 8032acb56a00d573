"""The catalogue of the open datasets: what the catalogue page lists, and the same in DCAT (JSON-LD),
each dataset with its three distributions and its columns as a CSVW table schema."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.web import absolute_url
from portal.opendata.datasets import DATASETS
from portal.opendata.datasets.common import local
from portal.opendata.formats import FORMATS, MEDIA_TYPES
from portal.opendata.registry import LICENCE_NAME, LICENCE_URL, Dataset

CATALOG_TITLE = _("Open data of the friendly-government portal")
CATALOG_DESCRIPTION = _(
    "The public data of the communes' one-stop shops, citizens' feedback, satisfaction surveys, the annual "
    "friendly-government recognition and grassroots democracy, free to reuse under the licence below. No "
    "personal data of citizens is part of it."
)
PUBLISHER = _("Department of Home Affairs, through the friendly-government portal")
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "csvw": "http://www.w3.org/ns/csvw#",
    # Addresses are links, and times typed, so that the values below can stay plain strings.
    "dct:license": {"@type": "@id"},
    "dct:modified": {"@type": "xsd:dateTime"},
    "dcat:downloadURL": {"@type": "@id"},
    "dcat:accessURL": {"@type": "@id"},
    "dcat:landingPage": {"@type": "@id"},
    "dcat:mediaType": {"@type": "@id"},
    "foaf:homepage": {"@type": "@id"},
}
FORMAT_NAMES = {"csv": "CSV", "json": "JSON", "xlsx": "XLSX"}


@dataclass(frozen=True)
class Entry:
    """A dataset with when its data last changed."""

    dataset: Dataset
    modified: datetime.datetime | None

    @property
    def slug(self) -> str:
        return self.dataset.slug


def catalogue_entries() -> list[Entry]:
    """Every dataset with its update time: one query per dataset, whatever the size of its table."""
    return [Entry(dataset, dataset.modified()) for dataset in DATASETS]


def download_path(slug: str, fmt: str) -> str:
    return reverse("portal:open_data_download", kwargs={"slug": slug, "fmt": fmt})


def _time(moment: datetime.datetime | None) -> str | None:
    return local(moment).isoformat(timespec="seconds") if moment else None


def _dataset(entry: Entry) -> dict:
    dataset = entry.dataset
    page = absolute_url(reverse("portal:open_data_dataset", kwargs={"slug": dataset.slug}))
    described = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": str(dataset.title),
        "dct:description": str(dataset.description),
        "dcat:keyword": [str(dataset.theme)],
        "dct:license": LICENCE_URL,
        "dcat:landingPage": page,
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{dataset.slug}.{fmt}",
                "dct:format": FORMAT_NAMES[fmt],
                "dcat:mediaType": "https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[fmt].split(";")[0],
                "dcat:downloadURL": absolute_url(download_path(dataset.slug, fmt)),
                "dcat:accessURL": page,
                "dct:license": LICENCE_URL,
            }
            for fmt in FORMATS
        ],
        "csvw:tableSchema": {
            "csvw:column": [
                {
                    "csvw:name": field.name,
                    "csvw:datatype": field.xsd_type,
                    "dct:description": str(field.description),
                }
                for field in dataset.fields
            ]
        },
    }
    if entry.modified is not None:
        described["dct:modified"] = _time(entry.modified)
    return described


def catalog_jsonld(entries: list[Entry]) -> dict:
    """The DCAT catalogue, its titles and descriptions in the active language, every address absolute
    (the portal's SITE_URL, never the host a request names)."""
    latest = max((entry.modified for entry in entries if entry.modified), default=None)
    catalog = {
        "@context": CONTEXT,
        "@id": absolute_url(reverse("portal:open_data_catalog")),
        "@type": "dcat:Catalog",
        "dct:title": str(CATALOG_TITLE),
        "dct:description": str(CATALOG_DESCRIPTION),
        "dct:language": get_language(),
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": str(PUBLISHER),
            "foaf:homepage": absolute_url(reverse("portal:home")),
        },
        "dct:license": LICENCE_URL,
        "dct:rights": LICENCE_NAME,
        "foaf:homepage": absolute_url(reverse("portal:open_data")),
        "dcat:dataset": [_dataset(entry) for entry in entries],
    }
    if latest is not None:
        catalog["dct:modified"] = _time(latest)
    return catalog
