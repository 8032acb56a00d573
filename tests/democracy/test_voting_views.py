"""Voting online: by a household's verified representative, or with the code on a paper ballot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from democracy.models import Ballot, Tally
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture for every test here
from tests.democracy.factories import village_with_households
from tests.democracy.test_public import close_and_count, online_matter, verified
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db


def vote_url(matter) -> str:
    return reverse("democracy:matter_vote", kwargs={"pk": matter.pk})


def test_anonymous_voters_are_sent_to_sign_in(client):
    matter = online_matter(village_with_households(3))
    response = client.get(vote_url(matter))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_verified_representative_votes_once_and_the_choice_is_not_shown(client):
    village = village_with_households(4)
    matter = online_matter(village)
    household = village.household_list.first()
    client.force_login(verified(household))
    page = client.get(vote_url(matter)).content.decode()
    assert 'name="choice"' in page and 'id="vote-times"' in page

    response = client.post(vote_url(matter), {"choice": "against"})
    assert response.status_code == 302
    ballot = Ballot.objects.get(household=household)
    assert ballot.cast_on is not None and ballot.channel == "account" and ballot.choice == ""
    page = client.get(vote_url(matter)).content.decode()
    assert 'id="voted"' in page and 'name="choice"' not in page
    assert "Against" not in page and "against" not in page.lower().split('id="voted"')[1].split("</div>")[0]

    second = client.post(vote_url(matter), {"choice": "for"})
    assert second.status_code == 400
    assert "mỗi hộ gia đình một phiếu" in second.content.decode()
    tally = Tally.objects.get(decision__matter=matter)
    assert (tally.votes_for, tally.votes_against) == (0, 1)


def test_someone_not_verified_is_told_how_to_be(client):
    village = village_with_households(3)
    matter = online_matter(village)
    household = village.household_list.first()
    household.representative_account = UserFactory()  # not verified yet
    household.save()
    client.force_login(household.representative_account)
    response = client.get(vote_url(matter))
    assert response.status_code == 403
    assert 'id="not-representative"' in response.content.decode()
    assert client.post(vote_url(matter), {"choice": "for"}).status_code == 403
    assert not Ballot.objects.filter(cast_on__isnull=False).exists()


def test_a_representative_of_another_village_cannot_vote(client):
    matter = online_matter(village_with_households(3))
    other = village_with_households(2, commune=matter.commune)
    client.force_login(verified(other.household_list.first()))
    response = client.post(vote_url(matter), {"choice": "for"})
    assert response.status_code == 403
    assert not Ballot.objects.filter(cast_on__isnull=False).exists()


def test_a_vote_not_yet_open_shows_its_times_and_no_form(client):
    village = village_with_households(3)
    matter = online_matter(village, opens=5, closes=30)
    client.force_login(verified(village.household_list.first()))
    page = client.get(vote_url(matter)).content.decode()
    assert 'name="choice"' not in page and 'id="vote-times"' in page


def test_a_ballot_is_answered_once_with_its_code_and_names_nobody(client):
    village = village_with_households(3)
    matter = online_matter(village, secret=False)
    ballot = Ballot.objects.filter(decision__matter=matter).select_related("household").first()
    lookup = client.get(reverse("democracy:ballot_lookup"), {"code": f"{ballot.code[:4].lower()}-{ballot.code[4:]}"})
    assert lookup.status_code == 302 and lookup["Location"].endswith(f"/ballots/{ballot.code}/")
    url = reverse("democracy:ballot", kwargs={"code": ballot.code})
    page = client.get(url).content.decode()
    assert 'name="choice"' in page and ballot.household.head_name not in page

    assert client.post(url, {"choice": "for"}).status_code == 302
    ballot.refresh_from_db()
    assert ballot.channel == "code" and ballot.choice == "for"
    page = client.get(url).content.decode()
    assert 'id="returned"' in page and 'name="choice"' not in page
    again = client.post(url, {"choice": "against"})
    assert again.status_code == 400 and "mỗi hộ gia đình một phiếu" in again.content.decode()
    ballot.refresh_from_db()
    assert ballot.choice == "for"


def test_an_unknown_code_is_a_friendly_404_and_guessing_is_limited(client):
    lookup = client.get(reverse("democracy:ballot_lookup"), {"code": "ZZZZ-ZZZZ"})
    assert lookup.status_code == 404 and "Không có phiếu nào mang mã này" in lookup.content.decode()
    page = client.get(reverse("democracy:ballot", kwargs={"code": "ZZZZZZZZ"}))
    assert page.status_code == 404 and "Không có phiếu nào mang mã này" in page.content.decode()
    statuses = [client.get(reverse("democracy:ballot", kwargs={"code": "YYYYYYYY"})).status_code for _ in range(35)]
    assert statuses[-1] == 429


def test_results_of_a_vote_appear_after_counting_only(client):
    village = village_with_households(3)
    matter = online_matter(village)
    decision = matter.decisions.get()
    client.force_login(verified(village.household_list.first()))
    client.post(vote_url(matter), {"choice": "for"})
    page = client.get(vote_url(matter)).content.decode()
    assert "Xem kết quả" not in page
    close_and_count(decision)
    page = client.get(vote_url(matter)).content.decode()
    assert "Xem kết quả" in page


def test_a_meeting_has_no_online_vote(client):
    from tests.democracy.test_public import meeting_matter

    village = village_with_households(3)
    matter = meeting_matter(village)
    client.force_login(verified(village.household_list.first()))
    page = client.get(vote_url(matter)).content.decode()
    assert 'name="choice"' not in page and "không có biểu quyết trực tuyến" in page
