"""What the workspace and the commune page show of grassroots democracy: each village role its own tasks,
the commune's officers the results waiting for recognition, the public the next meetings and votes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from democracy.models import Category, Choice, Form, Proposer
from democracy.services import ballot_enter, decision_cosign, decision_count, matter_open, matter_propose
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import village_with_households
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _ballots_closed(village, by):
    """A matter of ``village`` whose ballots are all returned and whose time is over."""
    matter = matter_propose(
        commune=village.commune,
        village=village,
        title="Lắp đèn đường ngõ 2",
        summary="Mỗi hộ góp 100.000 đồng.",
        category=Category.SELF_MANAGED,
        form=Form.BALLOT,
        proposer=Proposer.VILLAGE_HEAD,
        by=by,
    )
    now = timezone.now()
    matter_open(
        matter=matter, starts_at=now - datetime.timedelta(days=2), ends_at=now + datetime.timedelta(days=1), by=by
    )
    decision = matter.decisions.get()
    for ballot in decision.ballots.all():
        ballot_enter(ballot=ballot, choice=Choice.FOR, by=by)
    type(decision).objects.filter(pk=decision.pk).update(ends_at=now - datetime.timedelta(minutes=1))
    return matter, decision


def _inbox_text(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("portal:workspace"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_village_head_is_told_to_count_then_the_front_to_cosign(client):
    village = village_with_households(3, commune=CommuneFactory())
    head = user_with_role(Role.VILLAGE_HEAD, village)
    front = user_with_role(Role.VILLAGE_FRONT, village)
    _matter, decision = _ballots_closed(village, head)

    assert "cần kiểm phiếu" in _inbox_text(client, head)
    assert "cần ký xác nhận" not in _inbox_text(client, front)

    decision_count(decision=decision, by=head)
    assert "cần ký xác nhận" in _inbox_text(client, front)
    decision_cosign(decision=decision, by=front)
    head_page = _inbox_text(client, head)
    assert "cần gửi UBND cấp xã" in head_page
    # A village role is not the administration: the province's overdue feedback is not offered.
    assert reverse("feedback:overdue") not in head_page


def test_the_officer_is_told_what_waits_for_recognition(client):
    from democracy.services import decision_send

    village = village_with_households(3, commune=CommuneFactory())
    officer = user_with_role(Role.COMMUNE_OFFICER, village.commune)
    _matter, decision = _ballots_closed(village, officer)
    decision_count(decision=decision, by=officer)
    decision_cosign(decision=decision, by=UserFactory(is_superuser=True))
    decision_send(decision=decision, by=officer)

    page = _inbox_text(client, officer)
    assert "chờ UBND cấp xã công nhận" in page
    assert reverse("democracy:manage_matters", kwargs={"pk": village.commune.pk}) in page


def test_the_commune_page_shows_the_next_meeting_and_links_to_the_democracy_page(client):
    village = village_with_households(4, commune=CommuneFactory())
    officer = user_with_role(Role.COMMUNE_OFFICER, village.commune)
    matter = matter_propose(
        commune=village.commune,
        village=village,
        title="Bầu Tổ trưởng tổ dân phố nhiệm kỳ mới",
        summary="Bầu Tổ trưởng tổ dân phố.",
        category=Category.VILLAGE_HEAD,
        form=Form.MEETING,
        proposer=Proposer.CHAIRMAN,
        by=officer,
    )
    matter_open(matter=matter, starts_at=timezone.now() + datetime.timedelta(days=3), place="Nhà văn hoá", by=officer)

    page = client.get(village.commune.get_absolute_url()).content.decode()

    assert "Bầu Tổ trưởng tổ dân phố nhiệm kỳ mới" in page
    assert reverse("democracy:commune_democracy", kwargs={"pk": village.commune.pk}) in page
