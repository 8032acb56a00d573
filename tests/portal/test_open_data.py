"""Open data: the catalogue page, the DCAT catalogue, each dataset's page, and every dataset in CSV, JSON
and XLSX with its data dictionary, read back and checked against its declaration, on a small portal
built by the demo's own builders (tests/portal/open_data_scene.py)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import re

import openpyxl
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date

from communes.models import Commune, District, Province
from feedback.models import Category
from feedback.services.workflow import feedback_redact
from portal.opendata.datasets import BY_SLUG, DATASETS, common
from portal.opendata.formats import FORMATS, MEDIA_TYPES
from portal.opendata.registry import BOOLEAN, DATE, DATETIME, INTEGER, NUMBER, STRING, TYPES
from scoring.models import Assessment
from scoring.models.assessments import PUBLIC_STATUSES
from surveys.models import Campaign
from tests.feedback.factories import submitted
from tests.portal.open_data_scene import demo_scene_build

pytestmark = pytest.mark.django_db

SLUGS = [dataset.slug for dataset in DATASETS]
# Every download reads its table in chunks: a few queries, however many rows (hundreds here for the
# units and the survey figures).
FEW_QUERIES = 8


def query_budget(slug: str) -> int:
    """The survey figures are read a campaign at a time, the rankings a province's year at a time (by the
    public ranking page's own selector): a fixed number of queries for each."""
    if slug == "survey-figures":
        return FEW_QUERIES + 3 * Campaign.objects.exclude(status=Campaign.Status.DRAFT).count()
    if slug == "rankings":
        rankings = Assessment.objects.filter(status__in=PUBLIC_STATUSES).values("year", "criteria_set__province")
        return FEW_QUERIES + 5 * rankings.distinct().count()
    return FEW_QUERIES


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        built = demo_scene_build(patch)
        yield built
        transaction.set_rollback(True)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, slug: str, fmt: str, **query):
    return client.get(reverse("portal:open_data_download", kwargs={"slug": slug, "fmt": fmt}), query)


def read(content: bytes, fmt: str) -> tuple[list[str], list[dict]]:
    """The file's column names and its rows as dicts, as a reader of each format gets them."""
    if fmt == "csv":
        text = content.decode("utf-8")
        assert text.startswith("\ufeff"), "Excel needs the byte-order mark to read UTF-8"
        lines = list(csv.reader(io.StringIO(text[1:])))
        return lines[0], [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]
    if fmt == "json":
        data = json.loads(content)
        names = [field["name"] for field in data["fields"]]
        return names, data["rows"]
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook["data"].iter_rows(values_only=True))
    names = list(rows[0])
    return names, [dict(zip(names, row, strict=False)) for row in rows[1:]]


ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00")


def assert_typed(value, kind: str, fmt: str, column: str) -> None:
    """A cell as its declared type reads in each format; an empty cell is always allowed."""
    if value in ("", None):
        return
    if fmt == "csv":
        checks = {
            INTEGER: lambda v: str(int(v)) == v,
            NUMBER: lambda v: float(v) is not None,
            DATE: lambda v: datetime.date.fromisoformat(v) is not None,
            DATETIME: lambda v: ISO_MOMENT.fullmatch(v) is not None,
            BOOLEAN: lambda v: v in ("0", "1"),
            STRING: lambda v: not v.startswith(("=", "+", "-", "@")),
        }
    elif fmt == "json":
        checks = {
            INTEGER: lambda v: isinstance(v, int) and not isinstance(v, bool),
            NUMBER: lambda v: isinstance(v, int | float) and not isinstance(v, bool),
            DATE: lambda v: datetime.date.fromisoformat(v) is not None,
            DATETIME: lambda v: ISO_MOMENT.fullmatch(v) is not None,
            BOOLEAN: lambda v: isinstance(v, bool),
            STRING: lambda v: isinstance(v, str),
        }
    else:
        checks = {
            INTEGER: lambda v: isinstance(v, int),
            NUMBER: lambda v: isinstance(v, int | float),
            # Excel keeps a date as a day number; openpyxl reads it back as midnight of that day.
            DATE: lambda v: isinstance(v, datetime.datetime) and v.time() == datetime.time.min,
            DATETIME: lambda v: ISO_MOMENT.fullmatch(v) is not None,
            BOOLEAN: lambda v: v in (0, 1),
            STRING: lambda v: isinstance(v, str) and not v.startswith(("=", "+", "-", "@")),
        }
    assert checks[kind](value), f"{column} ({kind}) holds {value!r} in {fmt}"


# --- Declarations --------------------------------------------------------------------------------


def test_every_dataset_has_a_stable_slug_and_a_dictionary_of_typed_snake_case_columns():
    assert len(set(SLUGS)) == len(SLUGS)
    for dataset in DATASETS:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", dataset.slug)
        names = dataset.field_names
        assert len(set(names)) == len(names), dataset.slug
        for field in dataset.fields:
            assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", field.name), field.name
            assert field.type in TYPES
            assert str(field.description)
    assert {"units", "one-stop-pages", "procedures", "disclosures", "feedback", "survey-figures"} <= set(SLUGS)
    assert {"results", "rankings", "certificates", "democracy-matters", "democracy-consultations"} <= set(SLUGS)
    assert "democracy-recommendations" in SLUGS


# --- Downloads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("slug", SLUGS)
def test_each_dataset_downloads_in_each_format_with_its_dictionary_as_header_and_typed_rows(
    client, scene, slug, fmt, django_assert_max_num_queries
):
    dataset = BY_SLUG[slug]
    with django_assert_max_num_queries(query_budget(slug)):
        response = download(client, slug, fmt)
        content = body(response)

    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.{fmt}"'
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert ("Last-Modified" in response) is (dataset.modified() is not None)
    names, rows = read(content, fmt)
    assert names == dataset.field_names
    assert rows, f"{slug} has no row in the scene"
    types = {field.name: field.type for field in dataset.fields}
    for row in rows:
        assert list(row) == names
        for name, value in row.items():
            assert_typed(value, types[name], fmt, name)


def test_a_download_reads_its_table_chunk_by_chunk_with_one_query_per_chunk_for_what_it_prefetches(
    client, scene, monkeypatch
):
    monkeypatch.setattr(common, "CHUNK_SIZE", 50)
    counts = [model.objects.count() for model in (Province, District, Commune)]

    with CaptureQueriesContext(connection) as queries:
        _names, rows = read(body(download(client, "units", "csv")), "csv")

    assert len(rows) == sum(counts)
    # The update time; then for each level its rows, and the successors of each chunk of 50.
    assert len(queries) == 1 + sum(1 + math.ceil(count / 50) for count in counts)


def test_the_json_file_names_the_dataset_and_describes_its_columns(client, scene):
    data = json.loads(body(download(client, "units", "json")))

    assert data["dataset"] == "units"
    assert data["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    level = BY_SLUG["units"].fields[0]
    assert data["fields"][0] == {"name": "level", "type": "string", "description": str(level.description)}
    assert [field["type"] for field in data["fields"]] == [field.type for field in BY_SLUG["units"].fields]


def test_the_workbook_has_the_data_and_the_dictionary_with_the_licence(client, scene):
    workbook = openpyxl.load_workbook(io.BytesIO(body(download(client, "disclosures", "xlsx"))), read_only=True)

    assert workbook.sheetnames == ["data", "dictionary"]
    dictionary = list(workbook["dictionary"].iter_rows(values_only=True))
    fields = BY_SLUG["disclosures"].fields
    assert dictionary[0][:4] == ("name", "type", "description", "example")
    assert [row[:2] for row in dictionary[1 : len(fields) + 1]] == [(f.name, f.type) for f in fields]
    assert ("licence", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/") in [row[:3] for row in dictionary]


def test_the_units_keep_the_ended_ones_with_the_codes_of_their_successors(client, scene):
    _names, rows = read(body(download(client, "units", "json")), "json")

    quang_minh = next(r for r in rows if r["level"] == "commune" and r["code"] == "07792" and r["valid_until"])
    assert quang_minh["valid_until"] == "2025-06-30"
    assert quang_minh["official_name"] == "phường Quảng Minh"
    assert quang_minh["successor_codes"] == "07798"
    van_ha = next(r for r in rows if r["level"] == "commune" and r["code"] == "07798" and not r["valid_until"])
    assert van_ha["successor_codes"] == ""


def test_a_title_typed_as_a_formula_stays_text_in_the_csv_and_the_workbook(client, scene):
    commune = Commune.objects.current().get(code="07798")
    item = submitted(
        commune=commune,
        category=Category.objects.filter(province=commune.province).first(),
        title='=HYPERLINK("http://evil.example","Bấm vào")',
    )

    rows = {fmt: read(body(download(client, "feedback", fmt)), fmt)[1] for fmt in FORMATS}

    by_code = {fmt: next(r for r in found if r["code"] == item.code) for fmt, found in rows.items()}
    assert by_code["csv"]["title"] == '\'=HYPERLINK("http://evil.example","Bấm vào")'
    assert by_code["xlsx"]["title"] == '\'=HYPERLINK("http://evil.example","Bấm vào")'
    assert by_code["json"]["title"] == '=HYPERLINK("http://evil.example","Bấm vào")'


def test_feedback_shows_the_title_the_officer_moderated_not_the_original(client, scene):
    commune = Commune.objects.current().get(code="07798")
    item = submitted(
        commune=commune,
        category=Category.objects.filter(province=commune.province).first(),
        title="Ông Trần Văn Hàng xóm đổ rác ra đường",
    )
    feedback_redact(feedback=item, by=scene.admin, public_title="Rác thải đổ ra đường", public_description="")

    content = body(download(client, "feedback", "csv")).decode()

    assert "Rác thải đổ ra đường" in content
    assert "Trần Văn Hàng xóm" not in content


def test_the_results_and_rankings_hold_only_the_results_the_public_sees(client, scene):
    public = set(Assessment.objects.filter(status__in=PUBLIC_STATUSES).values_list("commune__code", "year", "status"))
    assert Assessment.objects.exclude(status__in=PUBLIC_STATUSES).exists()

    for slug in ("results", "rankings"):
        _names, rows = read(body(download(client, slug, "json")), "json")
        assert {(r["commune_code"], r["year"], r["status"]) for r in rows} == public


def test_a_survey_figure_below_the_campaigns_minimum_gives_only_its_number_of_answers(client, scene):
    _names, rows = read(body(download(client, "survey-figures", "json")), "json")

    assert any(row["enough"] for row in rows)
    for row in rows:
        assert row["enough"] is (row["answered"] >= row["min_responses"])
        figures = [row[name] for name in ("satisfied", "share_satisfied", "ci_low", "ci_high", "mean_score")]
        if row["enough"]:
            assert None not in figures
            assert row["ci_low"] <= row["share_satisfied"] <= row["ci_high"]
        else:
            assert figures == [None] * 5


def test_a_province_code_keeps_only_that_provinces_rows(client, scene):
    _names, rows = read(body(download(client, "units", "json", province="24")), "json")
    assert rows
    assert all(row["province_code"] == "24" or (row["level"] == "province" and row["code"] == "24") for row in rows)

    _names, none = read(body(download(client, "feedback", "csv", province="99")), "csv")
    assert none == []
    assert download(client, "units", "csv", province="24; DROP").status_code == 400


def test_an_unknown_dataset_or_format_is_not_found(client, scene):
    assert download(client, "nothing", "csv").status_code == 404
    assert download(client, "units", "pdf").status_code == 404
    assert client.get(reverse("portal:open_data_dataset", kwargs={"slug": "nothing"})).status_code == 404


def test_the_open_data_pages_and_files_answer_reads_only(client, scene):
    for url in (
        reverse("portal:open_data"),
        reverse("portal:open_data_catalog"),
        reverse("portal:open_data_dataset", kwargs={"slug": "units"}),
        reverse("portal:open_data_download", kwargs={"slug": "units", "fmt": "csv"}),
    ):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code == 200


def test_a_download_not_changed_since_the_readers_copy_answers_not_modified(client, scene):
    modified = BY_SLUG["feedback"].modified()
    url = reverse("portal:open_data_download", kwargs={"slug": "feedback", "fmt": "json"})

    unchanged = client.get(url, headers={"if-modified-since": http_date(modified.timestamp())})
    older = client.get(url, headers={"if-modified-since": http_date(modified.timestamp() - 3600)})

    assert unchanged.status_code == 304
    assert older.status_code == 200


# --- Pages ----------------------------------------------------------------------------------------


def test_the_catalogue_page_lists_every_dataset_with_its_three_files_and_the_licence(client, scene):
    page = client.get(reverse("portal:open_data")).content.decode()

    for slug in SLUGS:
        assert reverse("portal:open_data_dataset", kwargs={"slug": slug}) in page
        for fmt in FORMATS:
            assert reverse("portal:open_data_download", kwargs={"slug": slug, "fmt": fmt}) in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert reverse("portal:open_data_catalog") in page


def test_the_catalogue_page_costs_the_same_queries_however_much_data_there_is(client, scene):
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("portal:open_data")).status_code == 200
    commune = Commune.objects.current().get(code="07798")
    category = Category.objects.filter(province=commune.province).first()
    for number in range(5):
        submitted(commune=commune, category=category, title=f"Ổ gà số {number} trên đường làng")

    with CaptureQueriesContext(connection) as second:
        client.get(reverse("portal:open_data"))

    assert len(second) == len(first)
    assert len(first) <= len(DATASETS) + 2  # one update time per dataset


def test_a_datasets_page_shows_its_dictionary_licence_update_time_and_files(client, scene):
    dataset = BY_SLUG["disclosures"]

    page = client.get(reverse("portal:open_data_dataset", kwargs={"slug": dataset.slug})).content.decode()

    for field in dataset.fields:
        assert f"<code>{field.name}</code>" in page
    for fmt in FORMATS:
        assert reverse("portal:open_data_download", kwargs={"slug": dataset.slug, "fmt": fmt}) in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert '<dd id="dataset-modified"><time datetime="' in page


def test_the_pages_are_in_english_under_the_english_prefix(client, scene):
    with translation.override("en"):
        url = reverse("portal:open_data_dataset", kwargs={"slug": "units"})
    page = client.get(url).content.decode()

    assert url.startswith("/en/")
    assert "Administrative units and their successors" in page
    assert "Data dictionary" in page


# --- The DCAT catalogue ---------------------------------------------------------------------------


def test_the_dcat_catalogue_lists_every_dataset_with_three_absolute_distributions(client, scene, settings):
    response = client.get(reverse("portal:open_data_catalog"))
    catalog = json.loads(response.content)

    assert response["Content-Type"] == "application/ld+json"
    assert {"dcat", "dct", "foaf", "xsd"} <= set(catalog["@context"])
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["dct:license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert catalog["dct:publisher"]["foaf:name"]
    datasets = {entry["dct:identifier"]: entry for entry in catalog["dcat:dataset"]}
    assert list(datasets) == SLUGS
    site = settings.SITE_URL.rstrip("/")
    for slug, entry in datasets.items():
        assert entry["@type"] == "dcat:Dataset"
        assert entry["dct:title"] == str(BY_SLUG[slug].title)
        distributions = entry["dcat:distribution"]
        assert [d["dcat:downloadURL"] for d in distributions] == [
            site + reverse("portal:open_data_download", kwargs={"slug": slug, "fmt": fmt}) for fmt in FORMATS
        ]
        assert [d["dcat:mediaType"].rsplit("/", 2)[-2:] for d in distributions] == [
            ["text", "csv"],
            ["application", "json"],
            ["application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        ]
        columns = entry["csvw:tableSchema"]["csvw:column"]
        assert [column["csvw:name"] for column in columns] == BY_SLUG[slug].field_names
    assert datasets["feedback"]["dct:modified"]


def test_the_dcat_catalogue_speaks_the_readers_language(client, scene):
    with translation.override("en"):
        url = reverse("portal:open_data_catalog")
    catalog = json.loads(client.get(url).content)

    assert catalog["dct:title"] == "Open data of the friendly-government portal"
    units = next(entry for entry in catalog["dcat:dataset"] if entry["dct:identifier"] == "units")
    assert units["dct:title"] == "Administrative units and their successors"
