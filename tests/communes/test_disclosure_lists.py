"""The quarterly list of disclosures (Law 10/2022/QH15, art. 13(2)): generated from the quarter's
disclosures, posted once the quarter has ended, kept as posted, and shown on a printable public page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import Role
from communes.models import DisclosureCategory, DisclosureList
from communes.services import (
    DisclosureListError,
    disclosure_delete,
    disclosure_list_publish,
    disclosure_list_republish,
    disclosure_save,
)
from communes.services.disclosure_lists import (
    LIST_EXISTS,
    LIST_UNCHANGED,
    OUTSIDE_UNIT_LIFE,
    QUARTER_NOT_ENDED,
    UNKNOWN_QUARTER,
)
from core import clock
from tests.communes.factories import CommuneFactory
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
APRIL_FIRST = datetime.date(2026, 4, 1)  # the first day the list of 2026's first quarter can be posted


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def today(monkeypatch):
    """Vietnam's today, set by the test (``today.set(day)``); 1 April 2026 until then."""

    class Today:
        day = APRIL_FIRST

        def set(self, day: datetime.date) -> None:
            self.day = day

    current = Today()
    monkeypatch.setattr(clock, "today", lambda: current.day)
    return current


def disclose(commune, title: str, published_on: datetime.date, *, by, decision_date=None, permanent=False):
    return disclosure_save(
        commune=commune,
        title=title,
        category=DisclosureCategory.PROCEDURES if permanent else DisclosureCategory.BUDGET,
        decision_date=decision_date or published_on,
        published_on=published_on,
        posted_until=None if permanent else published_on + datetime.timedelta(days=30),
        document=ContentFile(PDF, name="cong-khai.pdf"),
        by=by,
    )


def test_publish_lists_the_quarters_disclosures_of_that_commune_only_in_the_order_published(today):
    commune, other = CommuneFactory(), CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    disclose(commune, "Quyết toán quý IV", datetime.date(2025, 12, 31), by=officer)
    late = disclose(
        commune,
        "Danh mục thủ tục",
        datetime.date(2026, 2, 2),
        decision_date=datetime.date(2026, 1, 5),
        by=officer,
        permanent=True,
    )
    first = disclose(commune, "Dự toán ngân sách 2026", datetime.date(2026, 1, 2), by=officer)
    last = disclose(commune, "Kế hoạch quý II", datetime.date(2026, 3, 31), by=officer)
    disclose(commune, "Công khai quý II", datetime.date(2026, 4, 1), by=officer)
    disclose(other, "Của xã khác", datetime.date(2026, 2, 1), by=officer)

    posted = disclosure_list_publish(commune=commune, year=2026, quarter=1, by=officer)

    assert [item["disclosure"] for item in posted.items] == [first.pk, late.pk, last.pk]
    assert posted.items[1] == {
        "disclosure": late.pk,
        "title": "Danh mục thủ tục",
        "category": DisclosureCategory.PROCEDURES,
        "decision_date": "2026-01-05",
        "published_on": "2026-02-02",
        "deadline": "2026-01-12",
        "late": True,
        "posted_until": None,
        "permanent": True,
        "forms": ["office", "portal"],
    }
    assert (posted.items[0]["late"], posted.items[0]["posted_until"]) == (False, "2026-02-01")
    assert (posted.published_on, posted.published_by) == (APRIL_FIRST, officer)
    assert posted.history.get().history_user == officer


def test_publish_refuses_a_quarter_not_over_one_outside_the_units_life_and_a_quarter_that_is_none(today):
    legacy = CommuneFactory(legacy=True)  # ended on 30 June 2025
    officer = UserFactory(is_superuser=True)
    today.set(datetime.date(2026, 3, 31))

    refusals = {}
    for commune, year, quarter in [(legacy, 2026, 1), (legacy, 2025, 3), (legacy, 2025, 5), (legacy, 99999, 1)]:
        with pytest.raises(DisclosureListError) as refused:
            disclosure_list_publish(commune=commune, year=year, quarter=quarter, by=officer)
        refusals[year, quarter] = str(refused.value)

    assert refusals == {
        (2026, 1): QUARTER_NOT_ENDED,
        (2025, 3): OUTSIDE_UNIT_LIFE,
        (2025, 5): UNKNOWN_QUARTER,
        (99999, 1): UNKNOWN_QUARTER,
    }
    assert not DisclosureList.objects.exists()
    # Its last quarter is fine, and an empty list is a list: the commune made nothing public then.
    assert disclosure_list_publish(commune=legacy, year=2025, quarter=2, by=officer).items == []


def publish_form(client, commune) -> dict:
    """The preview page's publish form, as the browser would send it."""
    url = reverse("communes:manage_disclosure_quarterly_list", kwargs={"pk": commune.pk})
    html = client.get(url, {"year": 2026, "quarter": 1}).content.decode()
    form = re.search(r'<form method="post" class="panel" id="publish-list">(.*?)</form>', html, re.DOTALL).group(1)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def test_double_submit_posts_one_list_and_a_second_publication_is_refused(client, today):
    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    disclose(commune, "Dự toán ngân sách 2026", datetime.date(2026, 1, 2), by=officer)
    client.force_login(officer)
    url = reverse("communes:manage_disclosure_quarterly_list", kwargs={"pk": commune.pk})
    data = publish_form(client, commune)
    assert {name: data[name] for name in ("year", "quarter", "action")} == {
        "year": "2026",
        "quarter": "1",
        "action": "publish",
    }

    answers = [client.post(url, data) for _ in range(2)]
    again = client.post(url, {**data, "submission": "another-form"}, follow=True)

    assert [answer.status_code for answer in answers] == [302, 302]
    assert DisclosureList.objects.filter(commune=commune).count() == 1
    assert [str(message) for message in again.context["messages"]][-1] == str(LIST_EXISTS)
    with pytest.raises(DisclosureListError, match=str(LIST_EXISTS)):
        disclosure_list_publish(commune=commune, year=2026, quarter=1, by=officer)
    # Bad input changes nothing.
    assert client.post(url, {"year": "2026", "quarter": "7", "action": "publish"}).status_code == 302
    assert client.get(url, {"year": "2026", "quarter": "7"}).status_code == 404
    assert DisclosureList.objects.count() == 1


def test_a_posted_list_stays_as_posted_until_the_corrected_list_replaces_it_with_history(client, today):
    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    disclosure = disclose(commune, "Dự toán ngân sách 2026", datetime.date(2026, 1, 2), by=officer)
    posted = disclosure_list_publish(commune=commune, year=2026, quarter=1, by=officer)

    disclosure_save(
        commune=commune,
        disclosure=disclosure,
        title="Dự toán ngân sách 2026 (đã sửa)",
        category=disclosure.category,
        decision_date=disclosure.decision_date,
        published_on=disclosure.published_on,
        posted_until=disclosure.posted_until,
        by=officer,
    )
    posted.refresh_from_db()
    assert posted.items[0]["title"] == "Dự toán ngân sách 2026"
    client.force_login(officer)
    preview = client.get(
        reverse("communes:manage_disclosure_quarterly_list", kwargs={"pk": commune.pk}), {"year": 2026, "quarter": 1}
    )
    assert preview.context["changed"] is True

    today.set(datetime.date(2026, 4, 10))
    form = publish_form(client, commune)
    assert form["action"] == "republish"
    client.post(reverse("communes:manage_disclosure_quarterly_list", kwargs={"pk": commune.pk}), form)
    corrected = DisclosureList.objects.get(pk=posted.pk)

    assert (corrected.items[0]["title"], corrected.published_on) == ("Dự toán ngân sách 2026 (đã sửa)", today.day)
    assert [record.items[0]["title"] for record in posted.history.order_by("history_date")] == [
        "Dự toán ngân sách 2026",
        "Dự toán ngân sách 2026 (đã sửa)",
    ]
    with pytest.raises(DisclosureListError, match=re.escape(str(LIST_UNCHANGED))):
        disclosure_list_republish(disclosure_list=posted, by=officer)
    assert posted.history.count() == 2


def public_url(commune, year=2026, quarter=1) -> str:
    return reverse("communes:disclosure_quarterly_list", kwargs={"pk": commune.pk, "year": year, "quarter": quarter})


def test_public_page_shows_the_list_with_form_and_time_and_no_one_who_posted_it(client, today):
    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, full_name="Nguyễn Văn Cán Bộ", email="canbo@example.vn")
    kept = disclose(commune, "Dự toán ngân sách 2026", datetime.date(2026, 1, 2), by=officer)
    withdrawn = disclose(commune, "Danh mục thủ tục", datetime.date(2026, 2, 2), by=officer, permanent=True)
    withdrawn_pk = withdrawn.pk
    disclosure_list_publish(commune=commune, year=2026, quarter=1, by=officer)
    disclosure_delete(disclosure=withdrawn, by=officer)

    response = client.get(public_url(commune))

    html = response.content.decode()
    rows = re.findall(r'<tr id="quarterly-list-item-(\d+)" data-disclosure="(\d+)">(.*?)</tr>', html, re.DOTALL)
    assert [(number, int(pk)) for number, pk, _ in rows] == [("1", kept.pk), ("2", withdrawn_pk)]
    document = reverse("communes:disclosure_document", kwargs={"pk": commune.pk, "disclosure_pk": kept.pk})
    assert document in rows[0][2]
    assert "/document/" not in rows[1][2]  # withdrawn: listed as posted, no longer linked
    assert 'data-form="office"' in rows[0][2] and 'data-form="portal"' in rows[0][2]
    assert "01/02/2026" in rows[0][2]  # posted at the office until
    assert "Nguyễn Văn Cán Bộ" not in html and "canbo@example.vn" not in html
    index = client.get(reverse("communes:disclosure_list", kwargs={"pk": commune.pk})).content.decode()
    assert f'href="{public_url(commune)}"' in index and 'id="quarterly-list-2026-1"' in index
    assert client.get(public_url(commune, quarter=2)).status_code == 404
    assert client.get(public_url(CommuneFactory())).status_code == 404
    assert client.get(public_url(commune, year=99999)).status_code == 404


def test_public_list_page_costs_the_same_queries_for_two_items_as_for_ten(
    client, today, django_assert_max_num_queries, django_assert_num_queries
):
    by = UserFactory(is_superuser=True)
    small, large = CommuneFactory(), CommuneFactory()
    for commune, count in ((small, 2), (large, 10)):
        for n in range(count):
            disclose(commune, f"Công khai số {n}", datetime.date(2026, 1, 1 + n), by=by)
        disclosure_list_publish(commune=commune, year=2026, quarter=1, by=by)

    with django_assert_max_num_queries(3) as few:
        client.get(public_url(small))
    with django_assert_num_queries(len(few)):
        response = client.get(public_url(large))

    assert len(response.context["rows"]) == 10


def test_back_office_offers_the_ended_quarters_of_this_year_and_the_last_with_their_state(client, today):
    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    disclose(commune, "Dự toán ngân sách 2026", datetime.date(2026, 1, 2), by=officer)
    disclose(commune, "Quyết toán 2025", datetime.date(2025, 11, 3), by=officer)
    disclosure_list_publish(commune=commune, year=2025, quarter=4, by=officer)
    client.force_login(officer)

    page = client.get(reverse("communes:manage_disclosures", kwargs={"pk": commune.pk}))
    preview = client.get(reverse("communes:manage_disclosure_quarterly_list", kwargs={"pk": commune.pk}))
    not_over = client.get(
        reverse("communes:manage_disclosure_quarterly_list", kwargs={"pk": commune.pk}), {"year": 2026, "quarter": 2}
    )

    offered = [(row.year, row.quarter, row.disclosures, bool(row.published)) for row in page.context["quarters"]]
    assert offered == [
        (2026, 1, 1, False),
        (2025, 4, 1, True),
        (2025, 3, 0, False),
        (2025, 2, 0, False),
        (2025, 1, 0, False),
    ]
    html = page.content.decode()
    assert "data-publish" in re.search(r'id="quarter-2026-1"(.*?)</tr>', html, re.DOTALL).group(1)
    assert "data-published" in re.search(r'id="quarter-2025-4"(.*?)</tr>', html, re.DOTALL).group(1)
    # Without a quarter the preview is the last ended one's.
    assert (preview.context["year"], preview.context["quarter"], len(preview.context["rows"])) == (2026, 1, 1)
    assert 'id="publish-list"' in preview.content.decode()
    assert not_over.context["refusal"] == str(QUARTER_NOT_ENDED)
    assert 'id="publish-list"' not in not_over.content.decode()
