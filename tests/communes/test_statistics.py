"""Monthly dossier statistics: import of .xlsx and CSV files, typed entry, the back-office pages."""

import csv
import datetime
import importlib
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Role
from communes.models import FIGURES, Commune, DossierStatistics
from communes.services import ImportReport, RowError, StatisticsError, statistics_import, statistics_save
from communes.services import statistics as rules
from communes.services.statistics import column_label
from core import clock
from core.uploads import MAX_UPLOAD_BYTES, TOO_LARGE
from tests.communes.factories import CommuneFactory
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db
# The package exports the function under the module's name.
statistics_import_module = importlib.import_module("communes.services.statistics_import")

HEADER = ["commune_code", "month", *FIGURES]
# received, early, on time, late, apology, same day, online, paid online, digitised, pending
GOOD = [40, 10, 25, 3, 2, 20, 15, 5, 30, 2]


def csv_file(rows, *, header=HEADER, bom=True, name="thong-ke.csv") -> SimpleUploadedFile:
    lines = [",".join(str(cell) for cell in row) for row in [header, *rows]]
    text = "\r\n".join(lines) + "\r\n"
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + text.encode(), content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, name="thong-ke.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def months_ago(count: int) -> datetime.date:
    month = clock.today().replace(day=1)
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def commune():
    return CommuneFactory(code="07792", name="Quảng Minh")


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


def scope_of(commune):
    return Commune.objects.filter(pk=commune.pk)


def figures(**changes) -> dict:
    return {**dict(zip(FIGURES, GOOD, strict=True)), **changes}


# --- Import --------------------------------------------------------------------------------------------


def test_statistics_import_reads_a_utf8_csv_with_a_byte_order_mark(commune, officer):
    march, april = months_ago(3), months_ago(2)
    file = csv_file([["07792", f"{march:%Y-%m}", *GOOD], ["07792", f"{april.month}/{april.year}", *GOOD]])

    report = statistics_import(commune_scope=scope_of(commune), file=file, by=officer)

    assert (report.created, report.updated) == (2, 0)
    saved = DossierStatistics.objects.get(commune=commune, month=march)
    assert [getattr(saved, name) for name in FIGURES] == GOOD
    assert saved.history.get().history_user == officer
    assert DossierStatistics.objects.filter(commune=commune, month=april).exists()


def test_statistics_import_reads_a_csv_without_a_bom_and_with_semicolons(commune, officer):
    month = months_ago(1)
    file = csv_file([["07792", f"{month:%Y-%m}", *GOOD]], bom=False)
    file = SimpleUploadedFile("x.csv", file.read().replace(b",", b";"))

    assert statistics_import(commune_scope=scope_of(commune), file=file, by=officer).created == 1


def test_statistics_import_reads_an_xlsx_with_date_cells_and_a_code_that_lost_its_leading_zero(commune, officer):
    first, second, third = months_ago(4), months_ago(3), months_ago(2)
    rows = [
        [7792, datetime.date(first.year, first.month, 15), *GOOD],  # a date cell, any day of the month
        ["07792", f"{second:%Y-%m}", *GOOD],
        ["07792", f"{third:%d/%m/%Y}", *[float(value) for value in GOOD]],  # Excel numbers are floats
    ]

    report = statistics_import(commune_scope=scope_of(commune), file=xlsx_file(rows), by=officer)

    assert report.created == 3
    assert sorted(DossierStatistics.objects.values_list("month", flat=True)) == [first, second, third]


def test_statistics_import_reads_an_excel_day_number_in_the_month_column(commune, officer):
    month = months_ago(2)
    serial = (month - datetime.date(1899, 12, 30)).days

    statistics_import(commune_scope=scope_of(commune), file=csv_file([["07792", serial, *GOOD]]), by=officer)

    assert DossierStatistics.objects.get().month == month


def test_importing_a_month_again_replaces_it_and_the_history_keeps_the_old_figures(commune, officer):
    month = months_ago(2)
    statistics_import(commune_scope=scope_of(commune), file=csv_file([["07792", f"{month:%Y-%m}", *GOOD]]), by=officer)
    corrector = user_with_role(Role.COMMUNE_OFFICER, commune)
    corrected = [45, *GOOD[1:]]

    report = statistics_import(
        commune_scope=scope_of(commune), file=csv_file([["07792", f"{month:%Y-%m}", *corrected]]), by=corrector
    )

    assert (report.created, report.updated) == (0, 1)
    saved = DossierStatistics.objects.get()
    assert saved.received == 45
    versions = list(saved.history.order_by("history_date"))
    assert [version.received for version in versions] == [40, 45]
    assert [version.history_user for version in versions] == [officer, corrector]


def test_importing_the_same_file_twice_leaves_the_same_rows_and_reports_months_updated(commune, officer):
    rows = [["07792", f"{months_ago(count):%Y-%m}", *GOOD] for count in (1, 2, 3)]
    statistics_import(commune_scope=scope_of(commune), file=csv_file(rows), by=officer)
    history_before = DossierStatistics.history.count()

    with translation.override("en"):
        report = statistics_import(commune_scope=scope_of(commune), file=csv_file(rows), by=officer)
        summary = report.summary

    assert (report.created, report.updated, report.unchanged) == (0, 3, 3)
    assert summary == "3 months updated, 0 created."
    assert DossierStatistics.objects.count() == 3
    assert DossierStatistics.history.count() == history_before  # nothing changed, nothing written


def test_a_file_with_several_bad_rows_lists_every_error_in_vietnamese_and_imports_nothing(commune, officer):
    good, future = months_ago(2), months_ago(0).replace(year=clock.today().year + 1)
    other = CommuneFactory(code="09999")  # exists, but is not the importer's
    rows = [
        ["07792", f"{good:%Y-%m}", *GOOD],  # row 2: good, yet not imported
        ["07792", f"{months_ago(3):%Y-%m}", -1, "2.5", *GOOD[2:]],  # row 3: negative; not whole
        [],  # row 4: blank, still counted as a row of the spreadsheet
        ["07792", f"{months_ago(4):%Y-%m}", 10, 5, 5, 3, 0, 0, 0, 0, 0, 0],  # row 5: 13 resolved of 10
        ["07792", f"{months_ago(5):%Y-%m}", 40, 10, 25, 3, 4, 20, 15, 5, 30, 2],  # row 6: 4 apologies, 3 late
        [other.code, f"{months_ago(6):%Y-%m}", *GOOD],  # row 7: not the importer's commune
        ["07792", f"{good:%m/%Y}", *GOOD],  # row 8: repeats row 2
        ["07792", f"{future:%Y-%m}", *GOOD],  # row 9: not begun
        ["07792", "tháng mười", "", *GOOD[1:]],  # row 10: no month; empty cell
    ]
    lines = [",".join(str(cell) for cell in row) for row in [HEADER, *rows]]
    file = SimpleUploadedFile("bad.csv", "\n".join(lines).encode())

    with translation.override("vi"):
        with pytest.raises(StatisticsError) as raised:
            statistics_import(commune_scope=scope_of(commune), file=file, by=officer)

        expected = [
            RowError(3, "received", str(rules.NEGATIVE_FIGURE)),
            RowError(3, "resolved_early", str(rules.NOT_A_WHOLE_NUMBER)),
            RowError(5, "received", str(rules.RESOLVED_OVER_RECEIVED % {"resolved": 13, "received": 10})),
            RowError(6, "late_with_apology", str(rules.APOLOGIES_OVER_LATE % {"apologies": 4, "late": 3})),
            RowError(7, "commune_code", str(rules.UNKNOWN_COMMUNE)),
            RowError(8, "month", str(rules.DUPLICATE_MONTH % {"row": 2})),
            RowError(9, "month", str(rules.FUTURE_MONTH)),
            RowError(10, "month", str(rules.BAD_MONTH)),
            RowError(10, "received", str(rules.EMPTY_FIGURE)),
        ]
        assert raised.value.errors == expected
        assert "9" in raised.value.message
    assert not DossierStatistics.objects.exists()
    assert not DossierStatistics.history.exists()


def test_statistics_import_lists_missing_columns_on_the_header_row(commune, officer):
    file = csv_file([["07792", f"{months_ago(1):%Y-%m}", *GOOD[:-2]]], header=HEADER[:-2])

    with pytest.raises(StatisticsError) as raised:
        statistics_import(commune_scope=scope_of(commune), file=file, by=officer)

    assert raised.value.errors == [
        RowError(1, "digitised", str(rules.COLUMN_MISSING)),
        RowError(1, "pending", str(rules.COLUMN_MISSING)),
    ]


def test_statistics_import_finds_the_header_below_a_title_block(commune, officer):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["BÁO CÁO THỐNG KÊ HỒ SƠ THỦ TỤC HÀNH CHÍNH"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(["07792", f"{months_ago(1):%Y-%m}", -5, *GOOD[1:]])
    output = io.BytesIO()
    workbook.save(output)

    with pytest.raises(StatisticsError) as raised:
        statistics_import(
            commune_scope=scope_of(commune), file=SimpleUploadedFile("t.xlsx", output.getvalue()), by=officer
        )

    assert raised.value.errors == [RowError(4, "received", str(rules.NEGATIVE_FIGURE))]


def test_statistics_import_reads_a_csv_with_a_title_line_and_ragged_rows(commune, officer):
    text = "\n".join(
        [
            "BÁO CÁO THỐNG KÊ HỒ SƠ",
            "",
            ",".join(HEADER),
            ",".join(["07792", f"{months_ago(1):%Y-%m}", *map(str, GOOD)]) + ",,ghi chú",
            ",".join(["07792", f"{months_ago(2):%Y-%m}", "abc", *map(str, GOOD[1:])]),
        ]
    )

    with pytest.raises(StatisticsError) as raised:
        statistics_import(commune_scope=scope_of(commune), file=SimpleUploadedFile("t.csv", text.encode()), by=officer)

    assert raised.value.errors == [RowError(5, "received", str(rules.NOT_A_WHOLE_NUMBER))]


def test_statistics_import_refuses_a_commune_of_another_province_even_if_the_code_exists(commune, officer):
    elsewhere = CommuneFactory(code="26000", name="Xã khác tỉnh")
    file = csv_file([[elsewhere.code, f"{months_ago(1):%Y-%m}", *GOOD]])

    with pytest.raises(StatisticsError) as raised:
        statistics_import(commune_scope=scope_of(commune), file=file, by=officer)

    assert raised.value.errors == [RowError(2, "commune_code", str(rules.UNKNOWN_COMMUNE))]
    assert not DossierStatistics.objects.filter(commune=elsewhere).exists()


def test_statistics_import_tells_apart_two_units_sharing_a_code_by_the_month(officer):
    # The 2025 reform reused codes: 07798 was phường Ninh Sơn until 30/6/2025 and is a ward of Bắc Ninh now.
    legacy = CommuneFactory(legacy=True, code="07798", name="Ninh Sơn")
    current = CommuneFactory(code="07798", name="Vân Hà", valid_from=datetime.date(2025, 7, 1))
    file = csv_file([["07798", "2025-06", *GOOD], ["07798", "2025-07", *GOOD]])

    statistics_import(commune_scope=Commune.objects.filter(code="07798"), file=file, by=officer)

    assert DossierStatistics.objects.get(month=datetime.date(2025, 6, 1)).commune == legacy
    assert DossierStatistics.objects.get(month=datetime.date(2025, 7, 1)).commune == current


def test_statistics_import_refuses_months_after_a_unit_ended(officer):
    legacy = CommuneFactory(legacy=True, code="07777", name="Bích Động")

    with translation.override("en"), pytest.raises(StatisticsError) as raised:
        statistics_import(commune_scope=scope_of(legacy), file=csv_file([["07777", "2025-08", *GOOD]]), by=officer)

    assert raised.value.errors == [RowError(2, "month", f"{legacy} did not exist in August 2025.")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", rules.NOT_A_SPREADSHEET),
        (b"PK\x03\x04not really a zip", rules.NOT_A_SPREADSHEET),
        ("commune_code,month\n07792,thang 3".encode("utf-16"), rules.NOT_A_SPREADSHEET),
        ("commune_code,tháng\n".encode("cp1258"), rules.NOT_UTF8),
        ((",".join(HEADER) + "\n").encode(), rules.NO_ROWS),
    ],
)
def test_statistics_import_refuses_what_is_not_a_readable_spreadsheet(commune, officer, content, message):
    with pytest.raises(StatisticsError) as raised:
        statistics_import(commune_scope=scope_of(commune), file=SimpleUploadedFile("a.xlsx", content), by=officer)

    assert raised.value.message == str(message)


# --- Typed entry -----------------------------------------------------------------------------------------


def test_statistics_save_creates_then_replaces_a_month_with_history(commune, officer):
    month = months_ago(1)

    stats, created = statistics_save(commune=commune, month=f"{month:%Y-%m}", figures=figures(), by=officer)
    again, created_again = statistics_save(commune=commune, month=month, figures=figures(pending=7), by=officer)

    assert created and not created_again and again.pk == stats.pk
    assert [version.pending for version in again.history.order_by("history_date")] == [2, 7]


def test_statistics_save_refuses_inconsistent_figures_and_a_future_month(commune, officer):
    with pytest.raises(StatisticsError) as raised:
        statistics_save(
            commune=commune, month=months_ago(1), figures=figures(received=5, late_with_apology=9), by=officer
        )
    assert {(error.column, error.message) for error in raised.value.errors} == {
        ("received", str(rules.RESOLVED_OVER_RECEIVED % {"resolved": 38, "received": 5})),
        ("late_with_apology", str(rules.APOLOGIES_OVER_LATE % {"apologies": 9, "late": 3})),
        ("submitted_online", str(rules.ONLINE_OVER_RECEIVED % {"online": 15, "received": 5})),
    }

    next_month = (clock.today().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    with pytest.raises(StatisticsError) as raised:
        statistics_save(commune=commune, month=next_month, figures=figures(), by=officer)
    assert raised.value.message == str(rules.FUTURE_MONTH)
    assert not DossierStatistics.objects.exists()


# --- Pages -------------------------------------------------------------------------------------------------


def urls(commune, month="2025-03") -> list[str]:
    return [
        reverse("communes:manage_statistics", kwargs={"pk": commune.pk}),
        reverse("communes:manage_statistics_month", kwargs={"pk": commune.pk, "month": month}),
        reverse("communes:manage_statistics_import", kwargs={"pk": commune.pk}),
    ]


def test_an_officer_of_another_commune_is_refused_on_every_statistics_page(client, commune):
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, CommuneFactory()))

    for url in urls(commune):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url


def test_a_citizen_is_refused_and_an_anonymous_visitor_is_sent_to_sign_in(client, commune):
    for url in urls(commune):
        assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    for url in urls(commune):
        assert client.get(url).status_code == 403


def test_the_statistics_list_costs_the_same_queries_for_one_month_and_for_twelve(client, commune, officer):
    client.force_login(officer)
    url = urls(commune)[0]
    statistics_save(commune=commune, month=months_ago(1), figures=figures(), by=officer)
    client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for count in range(2, 13):
        statistics_save(commune=commune, month=months_ago(count), figures=figures(), by=officer)

    with CaptureQueriesContext(connection) as twelve:
        response = client.get(url)

    assert len(twelve) == len(one)
    assert len(response.context["rows"]) == 12
    assert [row.month for row in response.context["rows"]] == [months_ago(count) for count in range(1, 13)]


def test_the_statistics_list_shows_the_figures_the_on_time_share_and_links(client, commune, officer):
    client.force_login(officer)
    month = months_ago(1)
    statistics_save(commune=commune, month=month, figures=figures(), by=officer)

    response = client.get(urls(commune)[0])

    assertContains(response, f'<th scope="row">{month:%m/%Y}</th>', html=True)
    assertContains(response, "92,1 %")  # (10 + 25) of 38, in Vietnamese notation
    assertContains(response, reverse("communes:manage_statistics_month", kwargs={"pk": commune.pk, "month": month}))
    assertContains(response, "?template=csv")
    assertContains(response, reverse("communes:manage_statistics_import", kwargs={"pk": commune.pk}))
    assertNotContains(response, "style=")


def test_the_template_csv_has_the_columns_and_reads_back_once_filled_in(client, commune, officer):
    client.force_login(officer)

    response = client.get(urls(commune)[0] + "?template=csv")

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(",") == HEADER
    filled = row.split(",")[:2] + [str(value) for value in GOOD]
    file = csv_file([filled])
    assert statistics_import(commune_scope=scope_of(commune), file=file, by=officer).created == 1


def test_the_excel_template_names_the_columns_as_the_page_does_and_reads_back_once_filled_in(client, commune, officer):
    client.force_login(officer)
    page = client.get(urls(commune)[2])

    response = client.get(urls(commune)[0] + "?template=xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"thong-ke-ho-so-{commune.code}.xlsx" in response["Content-Disposition"]
    assertContains(page, "?template=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Thống kê", "Lưu ý"]
    sheet = workbook["Thống kê"]
    header = [cell.value for cell in sheet[1]]
    # The names the import page lists beside each column, in Vietnamese.
    assert header == [label for _column, label in page.context["columns"]]
    assert header[:4] == ["Mã đơn vị", "Tháng", "Tiếp nhận", "Giải quyết trước hạn"]
    assert [cell.value for cell in sheet[2]][:2] == ["07792", f"{months_ago(1):%Y-%m}"]
    notes = list(workbook["Lưu ý"].iter_rows(values_only=True))
    assert list(notes[-2][: len(header)]) == header  # the example: the columns, then a month that follows the rules
    assert notes[-1][2:12] == (120, 30, 80, 5, 5, 20, 60, 40, 100, 5)

    for column, value in enumerate(GOOD, start=3):
        sheet.cell(row=2, column=column, value=value)
    filled = io.BytesIO()
    workbook.save(filled)
    response = client.post(urls(commune)[2], {"file": SimpleUploadedFile("thong-ke.xlsx", filled.getvalue())})

    assert response.status_code == 302
    saved = DossierStatistics.objects.get(commune=commune, month=months_ago(1))
    assert [getattr(saved, name) for name in FIGURES] == GOOD


def test_the_excel_template_sent_back_untouched_is_refused(client, commune, officer):
    client.force_login(officer)
    template = client.get(urls(commune)[0] + "?template=xlsx").content

    with pytest.raises(StatisticsError) as refused:
        statistics_import(commune_scope=scope_of(commune), file=SimpleUploadedFile("t.xlsx", template), by=officer)

    assert {error.column for error in refused.value.errors} == set(FIGURES)
    assert not DossierStatistics.objects.exists()


def test_the_excel_template_is_only_for_who_keeps_the_commune_s_statistics(client, commune):
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, CommuneFactory()))

    assert client.get(urls(commune)[0] + "?template=xlsx").status_code == 403


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_import_reads_the_column_names_the_page_shows(commune, officer, language):
    with translation.override(language):
        header = [column_label(column) for column in HEADER]
    header[3] = "  " + header[3].upper() + " "  # as typed: case and spaces do not matter
    month = months_ago(2)

    text = io.StringIO()
    csv.writer(text).writerows([header, ["07792", f"{month:%Y-%m}", *GOOD]])  # quoted: a name has a comma
    file = SimpleUploadedFile("thong-ke.csv", text.getvalue().encode(), content_type="text/csv")

    report = statistics_import(commune_scope=scope_of(commune), file=file, by=officer)

    assert report.created == 1
    assert DossierStatistics.objects.get(commune=commune, month=month).resolved_early == GOOD[1]


def test_the_month_picker_opens_the_month_or_says_why_not(client, commune, officer):
    client.force_login(officer)
    month = months_ago(1)

    response = client.get(urls(commune)[0], {"month": f"{month:%Y-%m}"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/statistics/{month:%Y-%m}/")

    response = client.get(urls(commune)[0], {"month": "03/2025x"})
    assertContains(response, escape(str(rules.BAD_MONTH)))


def test_an_officer_types_a_months_figures_and_corrects_them(client, commune, officer):
    client.force_login(officer)
    month = months_ago(1)
    url = urls(commune, f"{month:%Y-%m}")[1]

    response = client.post(url, dict(zip(FIGURES, GOOD, strict=True)))
    assert response.status_code == 302
    response = client.get(url)
    assertContains(response, 'value="40"')
    response = client.post(url, figures(received=41))

    saved = DossierStatistics.objects.get(commune=commune, month=month)
    assert saved.received == 41
    assert [v.history_user for v in saved.history.all()] == [officer, officer]


def test_typed_entry_shows_the_errors_beside_the_figures_and_keeps_nothing(client, commune, officer):
    client.force_login(officer)
    url = urls(commune, f"{months_ago(1):%Y-%m}")[1]

    response = client.post(url, figures(received=5, late_with_apology=9, pending=-1))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["pending"]
    assert form.errors["received"] == [str(rules.RESOLVED_OVER_RECEIVED % {"resolved": 38, "received": 5})]
    assert not DossierStatistics.objects.exists()


def test_a_month_not_begun_has_no_page_and_a_month_after_a_unit_ended_has_no_form(client, officer):
    legacy = CommuneFactory(legacy=True)
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, legacy))
    future = (clock.today().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)

    assert client.get(urls(legacy, f"{future:%Y-%m}")[1]).status_code == 404
    assert client.get(urls(legacy, "2025-13")[1]).status_code == 404
    response = client.get(urls(legacy, "2025-08")[1])
    assert response.context["problem"]
    assertNotContains(response, 'name="received"')
    assert client.post(urls(legacy, "2025-08")[1], figures()).status_code == 200
    assert not DossierStatistics.objects.exists()


def test_import_page_imports_a_good_file_and_says_how_many_months(client, commune, officer):
    client.force_login(officer)
    rows = [["07792", f"{months_ago(count):%Y-%m}", *GOOD] for count in (1, 2)]

    response = client.post(urls(commune)[2], {"file": xlsx_file(rows)}, follow=True)

    assert response.redirect_chain == [(urls(commune)[0], 302)]
    with translation.override("vi"):
        summary = ImportReport(created=2).summary
    assert [str(message) for message in response.context["messages"]] == [summary]
    assert DossierStatistics.objects.count() == 2


def test_import_page_lists_row_column_and_message_and_keeps_nothing(client, commune, officer):
    client.force_login(officer)
    rows = [["07792", f"{months_ago(1):%Y-%m}", *GOOD], ["07793", f"{months_ago(2):%Y-%m}", *GOOD]]

    response = client.post(urls(commune)[2], {"file": csv_file(rows)})

    assert response.status_code == 200
    assertContains(response, f"<code>commune_code</code> ({escape(column_label('commune_code'))})")
    assertContains(response, escape(str(rules.UNKNOWN_COMMUNE)))
    assert [(error.row, error.column) for error, _label in response.context["errors"]] == [(3, "commune_code")]
    assert not DossierStatistics.objects.exists()


def test_import_page_refuses_an_executable_renamed_as_a_workbook(client, commune, officer):
    client.force_login(officer)
    exe = SimpleUploadedFile(
        "thong-ke.xlsx",
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode.",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

    response = client.post(urls(commune)[2], {"file": exe})

    assert response.context["form"].errors["file"] == [str(rules.NOT_A_SPREADSHEET)]
    assert not DossierStatistics.objects.exists()


def sized_csv(size: int) -> SimpleUploadedFile:
    """A CSV file of exactly ``size`` bytes: a header, then zeros."""
    header = b"commune_code,month\n"
    return SimpleUploadedFile("big.csv", header + b"0" * (size - len(header)), content_type="text/csv")


@pytest.fixture
def reads(monkeypatch):
    """The spreadsheets the import service parsed: a file refused for its size is never parsed."""
    parsed = []
    for name in ("_read_csv", "_read_xlsx"):
        real = getattr(statistics_import_module, name)
        monkeypatch.setattr(statistics_import_module, name, lambda data, real=real: parsed.append(data) or real(data))
    return parsed


def test_import_page_refuses_a_file_over_5_mb(client, commune, officer, reads):
    client.force_login(officer)

    response = client.post(urls(commune)[2], {"file": sized_csv(MAX_UPLOAD_BYTES + 1)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [str(TOO_LARGE)]
    assert reads == []
    assert not DossierStatistics.objects.exists()


def test_import_page_reads_a_file_of_exactly_5_mb(client, commune, officer, reads):
    # The limit is on the size: one byte less than the refused file is read (and refused for what it says).
    client.force_login(officer)

    response = client.post(urls(commune)[2], {"file": sized_csv(MAX_UPLOAD_BYTES)})

    assert str(TOO_LARGE) not in response.context["form"].errors.get("file", [])
    assert len(reads) == 1
    assert not DossierStatistics.objects.exists()


def test_import_service_refuses_a_file_over_5_mb_without_reading_it(commune, officer, reads):
    # The service checks again: a caller that skips the form (a command, a future API) is held too.
    with pytest.raises(StatisticsError) as error:
        statistics_import(commune_scope=scope_of(commune), file=sized_csv(MAX_UPLOAD_BYTES + 1), by=officer)
    assert error.value.message == str(TOO_LARGE)
    assert reads == []
    assert not DossierStatistics.objects.exists()
