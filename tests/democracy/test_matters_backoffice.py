"""The matters back office: proposing, opening, each village's meeting or ballots, counting,
co-signing, sending and the commune's ruling, each step by its own role only."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import Role
from core import clock
from democracy.models import Ballot, Decision, DecisionStatus, Form, Matter, MatterStatus, Proposer
from democracy.services import matters as services
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import VillageFactory, village_with_households
from tests.portal.factories import user_with_role

pytestmark = pytest.mark.django_db


def pdf(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/pdf")


def local(moment: datetime.datetime) -> str:
    """As the browser's date and time picker sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def village(commune):
    return village_with_households(4, commune=commune)


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


@pytest.fixture
def head(village):
    return user_with_role(Role.VILLAGE_HEAD, village)


@pytest.fixture
def front(village):
    return user_with_role(Role.VILLAGE_FRONT, village)


def propose(village, by, *, form=Form.BALLOT, category=6, **kwargs) -> Matter:
    return services.matter_propose(
        commune=village.commune,
        village=village,
        title="Làm đường bê tông",
        summary="Đóng góp làm đường liên thôn.",
        category=category,
        form=form,
        proposer=Proposer.VILLAGE_HEAD,
        by=by,
        **kwargs,
    )


def open_ballots(matter, by) -> Decision:
    now = timezone.now()
    services.matter_open(
        matter=matter, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=2), by=by
    )
    return matter.decisions.get()


def open_meeting(matter, by) -> Decision:
    services.matter_open(matter=matter, starts_at=timezone.now(), place="Nhà văn hoá thôn", by=by)
    return matter.decisions.get()


def close(decision: Decision) -> None:
    """The ballots' time is over (set in the database: the tests do not wait two days)."""
    now = timezone.now()
    Decision.objects.filter(pk=decision.pk).update(
        starts_at=now - datetime.timedelta(days=3), ends_at=now - datetime.timedelta(minutes=1)
    )


def matter_url(matter) -> str:
    return reverse("democracy:manage_matter", kwargs={"pk": matter.pk})


# --- The list and the proposals ---------------------------------------------------------------------------


def test_the_commune_list_shows_its_matters_in_a_constant_number_of_queries(
    client, commune, village, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    for number in range(3):
        other = village_with_households(3, commune=commune)
        matter = propose(other, officer)
        if number:
            open_ballots(matter, officer)
    propose(village, officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("democracy:manage_matters", kwargs={"pk": commune.pk}))
    assert response.status_code == 200
    assert response.content.decode().count("Làm đường bê tông") == 4


def test_a_village_head_cannot_see_the_commune_list(client, commune, head):
    client.force_login(head)
    assert client.get(reverse("democracy:manage_matters", kwargs={"pk": commune.pk})).status_code == 403


def matter_post(**overrides) -> dict:
    data = {
        "title": "Quỹ khuyến học",
        "summary": "Lập quỹ khuyến học của thôn.",
        "category": "2",
        "form": Form.MEETING,
        "proposer": Proposer.VILLAGE_HEAD,
        "submission": "token-1",
    }
    return data | overrides


def test_the_head_proposes_a_matter_for_the_village(client, village, head):
    client.force_login(head)
    response = client.post(reverse("democracy:manage_village_matter_create", kwargs={"pk": village.pk}), matter_post())
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert response.url == matter_url(matter)
    assert (matter.village, matter.created_by, matter.status) == (village, head, MatterStatus.DRAFT)


def test_sending_the_proposal_twice_creates_one_matter(client, village, head):
    client.force_login(head)
    url = reverse("democracy:manage_village_matter_create", kwargs={"pk": village.pk})
    client.post(url, matter_post())
    response = client.post(url, matter_post())
    assert response.status_code == 302
    assert Matter.objects.count() == 1


def test_a_form_the_law_does_not_allow_is_refused_on_its_field(client, village, head):
    client.force_login(head)
    url = reverse("democracy:manage_village_matter_create", kwargs={"pk": village.pk})
    response = client.post(url, matter_post(category="4", form=Form.BALLOT))
    assert response.status_code == 200
    assert "phải được bàn, quyết định tại cuộc họp cộng đồng dân cư" in str(response.context["form"].errors["form"])
    assert not Matter.objects.exists()
    # The same displayed form sent again, corrected, is taken: the refusal forgot its token.
    client.post(url, matter_post(category="4", form=Form.MEETING))
    assert Matter.objects.count() == 1


def test_a_residents_initiative_without_enough_support_is_refused(client, village, head):
    client.force_login(head)
    data = matter_post(
        proposer=Proposer.RESIDENTS, initiative_households="0", initiative_collected_on=clock.today().isoformat()
    )
    response = client.post(reverse("democracy:manage_village_matter_create", kwargs={"pk": village.pk}), data)
    assert response.status_code == 200
    assert not Matter.objects.exists()


def test_the_officers_propose_a_commune_wide_matter_with_a_document(client, commune, village, officer):
    client.force_login(officer)
    data = matter_post(proposer=Proposer.CHAIRMAN, category="1", document=pdf("de-an.pdf"))
    response = client.post(reverse("democracy:manage_matter_create", kwargs={"pk": commune.pk}), data)
    matter = Matter.objects.get()
    assert response.status_code == 302
    assert matter.is_commune_wide and matter.document


def test_a_commune_wide_convention_is_refused_on_the_village_field(client, commune, village, officer):
    client.force_login(officer)
    data = matter_post(proposer=Proposer.CHAIRMAN, category="3")
    response = client.post(reverse("democracy:manage_matter_create", kwargs={"pk": commune.pk}), data)
    assert "village" in response.context["form"].errors
    assert not Matter.objects.exists()


def test_the_head_of_another_village_cannot_propose_here(client, commune, village):
    other_head = user_with_role(Role.VILLAGE_HEAD, VillageFactory(commune=commune))
    client.force_login(other_head)
    url = reverse("democracy:manage_village_matter_create", kwargs={"pk": village.pk})
    assert client.post(url, matter_post()).status_code == 403
    assert not Matter.objects.exists()


# --- The matter's page ----------------------------------------------------------------------------------------


def test_the_matter_page_shows_its_actions_and_history(client, village, head):
    matter = propose(village, head)
    client.force_login(head)
    response = client.get(matter_url(matter))
    assert response.status_code == 200
    assert reverse("democracy:manage_matter_open", kwargs={"pk": matter.pk}) in response.content.decode()
    assert len(response.context["history"]) == 1


def test_the_head_of_another_village_cannot_run_this_matter(client, commune, village, head):
    matter = propose(village, head)
    other_head = user_with_role(Role.VILLAGE_HEAD, VillageFactory(commune=commune))
    client.force_login(other_head)
    assert client.get(matter_url(matter)).status_code == 403
    response = client.post(reverse("democracy:manage_matter_open", kwargs={"pk": matter.pk}), {})
    assert response.status_code == 403


def test_a_village_head_follows_a_commune_wide_matter_through_the_village_decision(client, commune, village, head):
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    matter = services.matter_propose(
        commune=commune,
        village=None,
        title="Đóng góp làm đường",
        summary="Toàn xã",
        category=1,
        form=Form.BALLOT,
        proposer=Proposer.CHAIRMAN,
        by=officer,
    )
    client.force_login(head)
    assert client.get(matter_url(matter)).status_code == 403  # nothing of the village's yet
    decision = open_ballots(matter, officer)
    response = client.get(matter_url(matter))
    assert response.status_code == 200
    assert reverse("democracy:manage_ballot_enter", kwargs={"pk": decision.pk}) in response.content.decode()
    assert "open" not in response.context["matter_actions"]


def test_opening_a_meeting_needs_its_place_and_says_so_on_the_field(client, village, head):
    matter = propose(village, head, form=Form.MEETING)
    client.force_login(head)
    url = reverse("democracy:manage_matter_open", kwargs={"pk": matter.pk})
    response = client.post(url, {"open-starts_at": local(timezone.now())})
    assert response.status_code == 400
    assert "Hãy nhập địa điểm họp." in str(response.context["matter_actions"]["open"].errors["place"])
    assert not Decision.objects.exists()
    response = client.post(url, {"open-starts_at": local(timezone.now()), "open-place": "Nhà văn hoá"})
    assert response.status_code == 302
    assert Decision.objects.get().status == DecisionStatus.OPEN


# --- A meeting -------------------------------------------------------------------------------------------------


def test_the_head_records_a_meeting_with_its_minutes(client, village, head):
    decision = open_meeting(propose(village, head, form=Form.MEETING), head)
    client.force_login(head)
    prefix = f"d{decision.pk}-record"
    data = {f"{prefix}-present": 3, f"{prefix}-votes_for": 3, f"{prefix}-votes_against": 0}
    data |= {f"{prefix}-votes_abstain": 0, f"{prefix}-minutes": pdf()}
    response = client.post(reverse("democracy:manage_meeting_record", kwargs={"pk": decision.pk}), data)
    decision.refresh_from_db()
    assert response.status_code == 302
    assert (decision.status, decision.quorum_met, decision.passed) == (DecisionStatus.COUNTED, True, True)
    page = client.get(matter_url(decision.matter)).content.decode()
    assert "trên 50% tổng số 4 hộ gia đình: cần 3 hộ tán thành" in page


def test_a_meeting_without_quorum_offers_ballots_instead(client, village, head):
    decision = open_meeting(propose(village, head, form=Form.MEETING), head)
    client.force_login(head)
    prefix = f"d{decision.pk}-record"
    data = {f"{prefix}-{name}": 0 for name in ("votes_for", "votes_against", "votes_abstain")}
    client.post(reverse("democracy:manage_meeting_record", kwargs={"pk": decision.pk}), data | {f"{prefix}-present": 2})
    decision.refresh_from_db()
    assert decision.quorum_met is False and decision.status == DecisionStatus.OPEN
    response = client.get(matter_url(decision.matter))
    assert "switch" in response.context["panels"][0]["actions"]
    ends = local(timezone.now() + datetime.timedelta(days=3))
    url = reverse("democracy:manage_decision_ballots", kwargs={"pk": decision.pk})
    assert client.post(url, {f"d{decision.pk}-switch-ends_at": ends}).status_code == 302
    assert Ballot.objects.filter(decision=decision).count() == 4


def test_more_households_than_live_there_are_refused_on_the_field(client, village, head):
    decision = open_meeting(propose(village, head, form=Form.MEETING), head)
    client.force_login(head)
    prefix = f"d{decision.pk}-record"
    data = {f"{prefix}-{name}": 0 for name in ("votes_for", "votes_against", "votes_abstain")}
    response = client.post(
        reverse("democracy:manage_meeting_record", kwargs={"pk": decision.pk}), data | {f"{prefix}-present": 9}
    )
    assert response.status_code == 400
    assert "present" in response.context["panels"][0]["actions"]["record"].errors
    decision.refresh_from_db()
    assert decision.households_present is None


def test_the_head_calls_the_meeting_again(client, village, head):
    decision = open_meeting(propose(village, head, form=Form.MEETING), head)
    client.force_login(head)
    later = local(timezone.now() + datetime.timedelta(days=7))
    url = reverse("democracy:manage_meeting_reschedule", kwargs={"pk": decision.pk})
    assert client.post(url, {f"d{decision.pk}-reschedule-starts_at": later}).status_code == 302
    decision.refresh_from_db()
    assert decision.starts_at > timezone.now() + datetime.timedelta(days=6)


def test_the_front_cannot_record_the_meeting(client, village, head, front):
    decision = open_meeting(propose(village, head, form=Form.MEETING), head)
    client.force_login(front)
    assert client.post(reverse("democracy:manage_meeting_record", kwargs={"pk": decision.pk}), {}).status_code == 403
    assert (
        client.post(reverse("democracy:manage_meeting_reschedule", kwargs={"pk": decision.pk}), {}).status_code == 403
    )


# --- Ballots -----------------------------------------------------------------------------------------------------


def test_the_ballots_print_one_per_household_with_their_codes(client, village, head):
    decision = open_ballots(propose(village, head), head)
    client.force_login(head)
    response = client.get(reverse("democracy:manage_ballots_print", kwargs={"pk": decision.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="ballot-sheet"') == 4
    for ballot in Ballot.objects.filter(decision=decision):
        assert str(ballot) in page
        assert ballot.get_absolute_url().split("/ballots/")[1] in page  # the QR's address, as text for readers
    assert "<script>" not in page and "style=" not in page


def test_a_meeting_has_no_ballots_to_print(client, village, head):
    decision = open_meeting(propose(village, head, form=Form.MEETING), head)
    client.force_login(head)
    response = client.get(reverse("democracy:manage_ballots_print", kwargs={"pk": decision.pk}))
    assert response.status_code == 302


def test_the_head_enters_a_paper_ballot_once_and_sees_only_how_many_came_back(client, village, head):
    decision = open_ballots(propose(village, head), head)
    ballot = Ballot.objects.filter(decision=decision).first()
    client.force_login(head)
    url = reverse("democracy:manage_ballot_enter", kwargs={"pk": decision.pk})
    assert client.post(url, {"code": ballot.code.lower(), "choice": "for"}).status_code == 302
    response = client.post(url, {"code": str(ballot), "choice": "against"})
    assert response.status_code == 400
    assert "mỗi hộ gia đình một phiếu" in str(response.context["form"].errors["code"])
    assert (response.context["returned"], response.context["issued"]) == (1, 4)
    ballot.refresh_from_db()
    assert ballot.cast_on is not None and ballot.choice == ""  # secret: the choice is not kept


def test_a_code_of_another_village_is_refused(client, commune, village, head):
    decision = open_ballots(propose(village, head), head)
    other = village_with_households(2, commune=commune)
    other_ballot = Ballot.objects.filter(decision=open_ballots(propose(other, head), head)).first()
    client.force_login(head)
    response = client.post(
        reverse("democracy:manage_ballot_enter", kwargs={"pk": decision.pk}),
        {"code": other_ballot.code, "choice": "for"},
    )
    assert response.status_code == 400
    other_ballot.refresh_from_db()
    assert other_ballot.cast_on is None


def test_the_front_cannot_enter_ballots(client, village, head, front):
    decision = open_ballots(propose(village, head), head)
    ballot = Ballot.objects.filter(decision=decision).first()
    client.force_login(front)
    url = reverse("democracy:manage_ballot_enter", kwargs={"pk": decision.pk})
    assert client.post(url, {"code": ballot.code, "choice": "for"}).status_code == 403
    ballot.refresh_from_db()
    assert ballot.cast_on is None


# --- Counting, co-signing, sending, the commune's ruling ---------------------------------------------------------


def test_from_the_count_to_the_commune_recognition(client, village, head, front, officer):
    matter = propose(village, head)
    decision = open_ballots(matter, head)
    for ballot in Ballot.objects.filter(decision=decision)[:3]:
        services.ballot_enter(ballot=ballot, choice="for", by=head)

    client.force_login(head)
    count_url = reverse("democracy:manage_decision_count", kwargs={"pk": decision.pk})
    response = client.post(count_url)
    assert response.status_code == 302  # too early: a message, nothing counted
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.OPEN
    close(decision)
    client.post(count_url)
    decision.refresh_from_db()
    assert (decision.status, decision.votes_for, decision.passed) == (DecisionStatus.COUNTED, 3, True)

    cosign_url = reverse("democracy:manage_decision_cosign", kwargs={"pk": decision.pk})
    assert client.post(cosign_url).status_code == 403  # the head does not co-sign his own result
    client.force_login(front)
    assert client.post(cosign_url).status_code == 302
    send_url = reverse("democracy:manage_decision_send", kwargs={"pk": decision.pk})
    assert client.post(send_url).status_code == 403  # the Front does not send it

    client.force_login(head)
    assert client.post(send_url, {f"d{decision.pk}-send-minutes": pdf()}).status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DECIDED

    recognise_url = reverse("democracy:manage_matter_recognise", kwargs={"pk": matter.pk})
    data = {"recognise-number": "12/QĐ-UBND", "recognise-on": clock.today().isoformat()}
    assert client.post(recognise_url, data).status_code == 403  # the commune recognises, not the head
    client.force_login(officer)
    assert client.post(recognise_url, data).status_code == 302
    matter.refresh_from_db()
    assert (matter.status, matter.recognition_number) == (MatterStatus.RECOGNISED, "12/QĐ-UBND")

    response = client.get(matter_url(matter))
    assert response.context["matter_actions"] == {}
    assert all(panel["actions"] == {} for panel in response.context["panels"])
    assert len(response.context["history"]) >= 6


def test_the_commune_refuses_with_reasons(client, village, head, front, officer):
    matter = propose(village, head)
    decision = open_ballots(matter, head)
    close(decision)
    services.decision_count(decision=decision)
    services.decision_cosign(decision=decision, by=front)
    services.decision_send(decision=decision, by=head)
    client.force_login(officer)
    url = reverse("democracy:manage_matter_refuse", kwargs={"pk": matter.pk})
    response = client.post(url, {"refuse-reason": "ngắn", "refuse-on": clock.today().isoformat()})
    assert response.status_code == 400
    assert "reason" in response.context["matter_actions"]["refuse"].errors
    reason = "Trái với quy định của pháp luật về phí."
    assert client.post(url, {"refuse-reason": reason, "refuse-on": clock.today().isoformat()}).status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.REFUSED


def test_a_late_sending_is_marked(client, village, head, front):
    matter = propose(village, head)
    decision = open_ballots(matter, head)
    close(decision)
    services.decision_count(decision=decision)
    Decision.objects.filter(pk=decision.pk).update(decided_on=clock.today() - datetime.timedelta(days=30))
    client.force_login(head)
    response = client.get(matter_url(matter))
    assert response.context["panels"][0]["overdue"] is True


def test_a_get_on_a_step_changes_nothing(client, village, head):
    matter = propose(village, head)
    client.force_login(head)
    assert client.get(reverse("democracy:manage_matter_open", kwargs={"pk": matter.pk})).status_code == 405
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DRAFT


def test_the_matter_page_of_a_commune_wide_matter_costs_the_same_for_more_villages(
    client, commune, officer, django_assert_max_num_queries
):
    for _number in range(5):
        village_with_households(2, commune=commune)
    matter = services.matter_propose(
        commune=commune,
        village=None,
        title="Quỹ đường giao thông",
        summary="Toàn xã",
        category=2,
        form=Form.BALLOT,
        proposer=Proposer.CHAIRMAN,
        by=officer,
    )
    open_ballots_everywhere = timezone.now()
    services.matter_open(
        matter=matter,
        starts_at=open_ballots_everywhere,
        ends_at=open_ballots_everywhere + datetime.timedelta(days=2),
        by=officer,
    )
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        response = client.get(matter_url(matter))
    assert len(response.context["panels"]) == 5
