"""What the feedback side puts in the workspace inboxes (feedback.selectors.inbox), and the overdue
list's province filter that the DoHA inbox links to."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.selectors import user_scope
from accounts.services import role_assign
from core import clock
from feedback.selectors.inbox import FeedbackInbox, QueueCounts, inbox_counts
from feedback.selectors.staff import queue_units
from feedback.services import feedback_accept, feedback_resolve, format_code
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.feedback.factories import submitted
from tests.feedback.test_exports import rows_of
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(monkeypatch):
    """Move the portal's clock ``days`` days ahead: items come due without touching them."""
    real = clock.today

    def move(days: int) -> datetime.date:
        monkeypatch.setattr(clock, "today", lambda: real() + datetime.timedelta(days=days))
        return clock.today()

    return move


def test_officer_counts_open_and_overdue_items_of_the_commune_and_those_it_replaced(places, later):  # noqa: F811
    officer = user_with_role(Role.COMMUNE_OFFICER, places.new_commune)
    early = submitted(commune=places.commune)  # the pre-2025 commune the ward replaced
    answered = submitted(commune=places.new_commune)
    today = later(60)
    submitted(commune=places.new_commune)
    feedback_resolve(feedback=feedback_accept(feedback=answered, by=officer), by=officer, answer="Đã sửa xong đèn.")
    found = inbox_counts(scope=user_scope(officer), today=today)
    assert found.by_commune == {places.commune.pk: QueueCounts(1, 1), places.new_commune.pk: QueueCounts(1, 0)}
    assert found.overdue_by_province == {}
    # The ward's queue, where the officer's inbox links, shows the item of the commune it replaced.
    assert early.commune_id in scope_queue(places.new_commune)


def scope_queue(commune) -> tuple[int, ...]:
    return queue_units(commune=commune).commune_ids


def test_doha_counts_overdue_items_by_province_and_a_leader_none(places, later):  # noqa: F811
    doha = user_with_role(Role.DOHA_STAFF, places.new_province)
    submitted(commune=places.commune)
    submitted(commune=places.other_commune)
    submitted(commune=CommuneFactory(province=places.elsewhere))
    today = later(60)
    submitted(commune=places.new_commune)  # not due yet
    found = inbox_counts(scope=user_scope(doha), today=today)
    assert found.overdue_by_province == {places.province.pk: 2}
    assert found.by_commune == {}
    leader = user_with_role(Role.PROVINCIAL_LEADER, places.province)
    assert inbox_counts(scope=user_scope(leader), today=today) == FeedbackInbox()


def test_overdue_list_keeps_one_province_and_those_it_replaced(client, places, later):  # noqa: F811
    doha = user_with_role(Role.DOHA_STAFF, places.new_province)
    role_assign(user=doha, role=Role.DOHA_STAFF, place=places.elsewhere)
    here = submitted(commune=places.commune)
    submitted(commune=CommuneFactory(province=places.elsewhere))
    later(60)
    client.force_login(doha)
    url = reverse("feedback:overdue")
    assert client.get(url).context["page"].paginator.count == 2
    page = client.get(f"{url}?province={places.new_province.pk}").context["page"]
    assert [item.code for item in page.object_list] == [here.code]
    page = client.get(f"{url}?province={places.new_province.pk}").content.decode()
    export = reverse("feedback:overdue_export") + f"?province={places.new_province.pk}"
    assert export in page
    assert [row[0] for row in rows_of(client.get(export))[1:]] == [format_code(here.code)]
    assert client.get(f"{url}?province=abc").status_code == 404
    assert client.get(f"{url}?province={ProvinceFactory().pk + 1000}").status_code == 404
