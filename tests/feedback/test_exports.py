"""The queue and the overdue list as Excel workbooks: the rows the pages show, with their filters, and
nothing of the citizen's contact details. Who may download is in test_backoffice_permissions."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from feedback.services import feedback_accept, format_code
from tests.feedback.factories import CategoryFactory, submitted
from tests.feedback.test_backoffice import (  # noqa: F401 - fixtures
    category,
    day_after_limit,
    later,
    officer,
    signed_in,
)
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

# What the demo's citizens leave as contact details (demo/feedback.py): none may reach a spreadsheet.
DEMO_PHONE = re.compile(r"09\d\d \d{3} \d{3}")
DEMO_EMAIL = re.compile(r"nguoi-dan-\d{4}@example\.com")
HEADER = [
    "Mã tra cứu",
    "Tiêu đề",
    "Lĩnh vực phản ánh",
    "Trạng thái",
    "Tiếp nhận",
    "Hạn giải quyết",
    "Số ngày làm việc quá hạn",
    "Số lần không đồng ý",
    "Đơn vị",
]


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Cache-Control"] == "private, no-store"
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def text_of(rows: list[tuple]) -> str:
    return "\n".join(" ".join(str(cell) for cell in row if cell is not None) for row in rows)


def citizen(places, category, index: int, **kwargs):  # noqa: F811
    return submitted(
        commune=places.commune,
        category=category,
        contact_name=f"Người dân số {index}",
        contact_phone=f"09{10 + index} {100 + index} {200 + index}",
        contact_email=f"nguoi-dan-{index:04d}@example.com",
        address=f"Số {index} đường Trần Phú",
        latitude=f"21.28{index}456",
        longitude=f"106.19{index}321",
        **kwargs,
    )


def test_the_queue_exports_its_rows_in_vietnamese_without_contact_details(signed_in, places, category):  # noqa: F811
    items = [citizen(places, category, index) for index in range(3)]

    response = signed_in.get(reverse("feedback:queue_export", kwargs={"pk": places.commune.pk}))

    rows = rows_of(response)
    assert list(rows[0]) == HEADER
    assert {row[0] for row in rows[1:]} == {format_code(item.code) for item in items}
    first = next(row for row in rows[1:] if row[0] == format_code(items[0].code))
    assert first[2] == category.name
    assert first[3] == items[0].get_status_display()
    assert hasattr(first[4], "year") and hasattr(first[5], "year")  # dates as dates
    assert first[6] == 0 and first[7] == 0  # numbers as numbers
    assert str(places.commune) in first[8]
    text = text_of(rows)
    assert not DEMO_PHONE.search(text)
    assert not DEMO_EMAIL.search(text)
    for item in items:
        assert item.contact_name not in text
        assert item.address not in text
        assert str(item.latitude)[:6] not in text and str(item.longitude)[:6] not in text


def test_the_queue_page_links_to_its_export_with_the_filters(signed_in, places, category):  # noqa: F811
    citizen(places, category, 1)

    page = signed_in.get(reverse("feedback:queue", kwargs={"pk": places.commune.pk}), {"status": "open"})

    url = reverse("feedback:queue_export", kwargs={"pk": places.commune.pk})
    assert f'href="{url}?status=open"' in page.content.decode()


def test_the_queue_export_keeps_the_filters(signed_in, officer, places, category):  # noqa: F811
    other = CategoryFactory(province=places.province, name="Môi trường")
    road = citizen(places, category, 1)
    rubbish = citizen(places, other, 2)
    feedback_accept(feedback=road, by=officer)
    url = reverse("feedback:queue_export", kwargs={"pk": places.commune.pk})

    assert [row[0] for row in rows_of(signed_in.get(url, {"category": other.pk}))[1:]] == [format_code(rubbish.code)]
    assert [row[0] for row in rows_of(signed_in.get(url, {"status": "accepted"}))[1:]] == [format_code(road.code)]


def test_a_title_a_spreadsheet_would_run_stays_text(signed_in, places, category):  # noqa: F811
    formula = '=HYPERLINK("http://example.com","Xem")'
    citizen(places, category, 1, title=formula)

    rows = rows_of(signed_in.get(reverse("feedback:queue_export", kwargs={"pk": places.commune.pk})))

    assert rows[1][1] == "'" + formula


def test_the_overdue_list_exports_the_late_items_of_the_scope(client, places, category, later):  # noqa: F811
    late_here = citizen(places, category, 1)
    there = submitted(commune=places.other_commune, category=category, contact_phone="0987 654 321")
    later(day_after_limit(category.time_limit_days))
    client.force_login(user_with_role(Role.DISTRICT_REVIEWER, places.district))
    page = client.get(reverse("feedback:overdue")).content.decode()

    rows = rows_of(client.get(reverse("feedback:overdue_export")))

    assert reverse("feedback:overdue_export") in page
    assert list(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == [format_code(late_here.code)]
    assert rows[1][6] >= 1  # working days late, a number
    text = text_of(rows)
    assert format_code(there.code) not in text
    assert not DEMO_PHONE.search(text)
    assert not DEMO_EMAIL.search(text)


def test_the_overdue_export_costs_the_same_queries_for_two_items_as_for_twenty(client, places, category, later):  # noqa: F811
    client.force_login(user_with_role(Role.DOHA_STAFF, places.province))
    communes = [places.commune, places.other_commune]

    def add_overdue(count):
        later(-40)  # sent forty days ago
        for n in range(count):
            submitted(commune=communes[n % 2], category=category)
        later(0)

    counted = []
    for count in (2, 18):
        add_overdue(count)
        with CaptureQueriesContext(connection) as queries:
            rows_of(client.get(reverse("feedback:overdue_export")))
        counted.append(len(queries))

    assert counted[0] == counted[1]
