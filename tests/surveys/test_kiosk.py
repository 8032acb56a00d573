"""The kiosk at the counter: who may open its page, and how its answers are taken exactly once.

The answers are posted with the kiosk's token, not a session, so these tests post without signing in
and with CSRF checks on, as the tablet does after the officer's session has ended.
"""

from __future__ import annotations

import datetime
import json
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from accounts.models import Role
from core import clock
from surveys.models import Channel, Question, Response
from surveys.services import kiosk_retire
from surveys.views.kiosk import BAD_TOKEN, BODY_MAX, RETIRED, UNKNOWN_CAMPAIGN
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.conftest import require
from tests.portal.factories import UserFactory, user_with_role
from tests.surveys import factories


@pytest.fixture
def commune(db):
    return CommuneFactory(province=ProvinceFactory())


@pytest.fixture
def campaign(commune):
    return factories.open_campaign(commune)


@pytest.fixture
def kiosk(commune):
    return factories.kiosk(commune)


@pytest.fixture
def tablet():
    """The tablet's browser: no session, and CSRF checks as in production."""
    return Client(enforce_csrf_checks=True)


def page_url(kiosk) -> str:
    return reverse("surveys:kiosk", kwargs={"pk": kiosk.pk})


def submit_url(kiosk) -> str:
    return reverse("surveys:kiosk_submit", kwargs={"pk": kiosk.pk})


def body(campaign, client_id=None, **changes) -> dict:
    data = {
        "client_id": str(client_id or uuid.uuid4()),
        "campaign": campaign.pk,
        "answers": factories.answers(),
        "answered_on": clock.today().isoformat(),
        "elapsed": 95,
        "language": "vi",
    }
    data.update(changes)
    return data


def post(client, kiosk, data, token=None):
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(
        submit_url(kiosk),
        data=raw,
        content_type="application/json",
        headers={"X-Kiosk-Token": kiosk.token if token is None else token},
    )


# --- The page -------------------------------------------------------------------------------------


def _user(role: str, commune):
    other = CommuneFactory(province=commune.province)
    return {
        "anonymous": lambda: None,
        "citizen": lambda: UserFactory(),
        "officer_here": lambda: user_with_role(Role.COMMUNE_OFFICER, commune),
        "officer_elsewhere": lambda: user_with_role(Role.COMMUNE_OFFICER, other),
        # manage_kiosks is the commune's own business: DoHA runs campaigns but does not hold the tablet.
        "doha_of_the_province": lambda: user_with_role(Role.DOHA_STAFF, commune.province),
        "site_admin": lambda: UserFactory(is_superuser=True),
    }[role]()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("officer_here", 200),
        ("officer_elsewhere", 403),
        ("doha_of_the_province", 403),
        ("site_admin", 200),
    ],
)
def test_kiosk_page_opens_only_for_the_communes_officers(client, commune, kiosk, campaign, role, status):
    user = _user(role, commune)
    if user:
        client.force_login(user)
    response = client.get(page_url(kiosk))
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("account_login"))


def test_kiosk_page_of_an_unknown_kiosk_is_not_found(client, commune):
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, commune))
    assert client.get(reverse("surveys:kiosk", kwargs={"pk": 987654})).status_code == 404


def test_kiosk_page_holds_the_questionnaire_the_token_and_the_submit_address(client, commune, kiosk, campaign):
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, commune))
    response = client.get(page_url(kiosk))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]  # the page carries the kiosk's token
    html = response.content.decode()
    assert f'data-token="{kiosk.token}"' in html
    assert f'data-submit-url="{submit_url(kiosk)}"' in html
    assert str(commune) in html
    assert 'class="site-nav"' not in html  # a page of its own, without the portal's menu

    data = response.context["kiosk_data"]
    assert data["campaign"] == campaign.pk
    questions = {question["code"]: question for question in data["questions"]}
    assert questions["F1.S"]["kind"] == "scale"
    assert questions["F1.S"]["scale"] == "satisfaction"
    assert [choice["value"] for choice in questions["F1.S"]["choices"]] == ["5", "4", "3", "2", "1", "0"]
    assert questions["F5.1"]["shown_if"] == {"question": "F5.0", "value": "yes"}
    assert questions["EXP1"]["max_choices"] == 3
    assert questions["OVERALL"]["required"] is True
    f1 = Question.objects.get(questionnaire=campaign.questionnaire, code="F1.1")
    assert questions["F1.1"]["text"] == f1.text
    assert questions["F1.1"]["factor"] == f1.factor.name
    # One screen per factor, the profile first and the suggestions last; every question on one screen.
    screens = data["screens"]
    assert screens[0]["key"] == "profile"
    assert screens[0]["questions"] == ["P1", "P3", "P4", "P5", "P6"]
    assert screens[1]["title"] == f1.factor.name
    assert screens[-1]["questions"] == ["EXP1", "OPEN"]
    assert sorted(code for screen in screens for code in screen["questions"]) == sorted(questions)
    # The same data reaches the script, as JSON inside the page.
    assert 'id="kiosk-questionnaire" type="application/json"' in html


def test_kiosk_page_in_english_shows_the_english_texts(client, commune, kiosk, campaign):
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, commune))
    response = client.get("/en" + page_url(kiosk))
    questions = {question["code"]: question for question in response.context["kiosk_data"]["questions"]}
    assert questions["F1.1"]["text"] == Question.objects.get(questionnaire=campaign.questionnaire, code="F1.1").text_en


def test_kiosk_page_without_a_running_campaign_says_so_calmly(client, commune, kiosk):
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, commune))
    response = client.get(page_url(kiosk))
    assert response.status_code == 200
    assert response.context["campaign"] is None
    assert gettext("No survey is running at the moment") in response.content.decode()
    assert b"kiosk-questionnaire" not in response.content


def test_kiosk_page_of_a_retired_kiosk_says_it_is_retired(client, commune, kiosk, campaign):
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    kiosk_retire(kiosk=kiosk, by=officer)
    client.force_login(officer)
    response = client.get(page_url(kiosk))
    assert response.status_code == 200
    assert response.templates[0].name == "surveys/kiosk/retired.html"
    assert kiosk.token not in response.content.decode()


# --- The answers ----------------------------------------------------------------------------------


def test_kiosk_submit_stores_a_new_answer_once(tablet, kiosk, campaign):
    client_id = uuid.uuid4()
    response = post(tablet, kiosk, body(campaign, client_id))
    assert response.status_code == 201
    assert response.json() == {"status": "stored"}
    stored = Response.objects.get()
    assert stored.channel == Channel.KIOSK
    assert stored.kiosk == kiosk
    assert stored.commune == kiosk.commune
    assert stored.campaign == campaign
    assert stored.client_id == client_id
    assert stored.submitted_on == clock.today()
    assert stored.answers["OVERALL"] == 4


def test_kiosk_submit_answers_a_replay_as_already_received(tablet, kiosk, campaign):
    data = body(campaign)
    assert post(tablet, kiosk, data).status_code == 201
    response = post(tablet, kiosk, data)
    assert response.status_code == 200
    assert response.json() == {"status": "already-received"}
    assert Response.objects.count() == 1


def test_kiosk_submit_refuses_the_same_id_with_other_answers(tablet, kiosk, campaign):
    client_id = uuid.uuid4()
    assert post(tablet, kiosk, body(campaign, client_id)).status_code == 201
    response = post(tablet, kiosk, body(campaign, client_id, answers=factories.answers(overall=2)))
    assert response.status_code == 409
    assert response.json()["status"] == "conflict"
    assert response.json()["message"] == gettext(
        "Another answer with this id was already received; this one was not stored."
    )
    stored = Response.objects.get()
    assert stored.answers["OVERALL"] == 4


@pytest.mark.parametrize("token", ["", "not-the-token"])
def test_kiosk_submit_refuses_a_wrong_or_missing_token(tablet, kiosk, campaign, token):
    response = post(tablet, kiosk, body(campaign), token=token)
    assert response.status_code == 403
    assert response.json()["message"] == str(BAD_TOKEN)
    assert not Response.objects.exists()


def test_kiosk_submit_refuses_the_token_of_another_kiosk(tablet, commune, kiosk, campaign):
    other = factories.kiosk(commune, name="Bàn tiếp nhận")
    assert post(tablet, kiosk, body(campaign), token=other.token).status_code == 403
    assert not Response.objects.exists()


def test_kiosk_submit_refuses_a_retired_kiosk(tablet, kiosk, campaign):
    kiosk_retire(kiosk=kiosk, by=factories.site_admin())
    response = post(tablet, kiosk, body(campaign))
    assert response.status_code == 403
    assert response.json() == {"status": "retired", "message": str(RETIRED)}
    assert not Response.objects.exists()


def test_kiosk_submit_of_an_unknown_kiosk_is_not_found(tablet, kiosk, campaign):
    response = tablet.post(
        reverse("surveys:kiosk_submit", kwargs={"pk": kiosk.pk + 1000}),
        data=json.dumps(body(campaign)),
        content_type="application/json",
        headers={"X-Kiosk-Token": kiosk.token},
    )
    assert response.status_code == 404


def test_kiosk_submit_takes_only_posts(tablet, kiosk):
    assert tablet.get(submit_url(kiosk), headers={"X-Kiosk-Token": kiosk.token}).status_code == 405


def test_kiosk_submit_explains_invalid_answers(tablet, kiosk, campaign):
    response = post(tablet, kiosk, body(campaign, answers=factories.answers(OVERALL=None)))
    assert response.status_code == 400
    overall = Question.objects.get(questionnaire=campaign.questionnaire, code="OVERALL")
    assert response.json() == {
        "status": "invalid",
        "message": gettext("Please answer “%(question)s”.") % {"question": overall.text},
    }
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "raw",
    ["{not json", json.dumps(["a", "list"]), json.dumps({"campaign": 1, "answers": "no"}), b"\xff\xfe"],
)
def test_kiosk_submit_refuses_what_it_cannot_read(tablet, kiosk, campaign, raw):
    response = post(tablet, kiosk, raw)
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert not Response.objects.exists()


def test_kiosk_submit_refuses_an_answer_without_a_valid_id(tablet, kiosk, campaign):
    data = body(campaign)
    data["client_id"] = "not-a-uuid"
    response = post(tablet, kiosk, data)
    assert response.status_code == 400
    assert response.json()["message"] == gettext("The tablet sent an answer without a valid id.")


def test_kiosk_submit_refuses_a_large_body(tablet, kiosk, campaign):
    data = body(campaign)
    data["padding"] = "x" * BODY_MAX
    assert post(tablet, kiosk, data).status_code == 413
    assert not Response.objects.exists()


@pytest.mark.parametrize("nested", ["[" * 30_000 + "]" * 30_000, '{"a":' * 10_000 + "1" + "}" * 10_000])
def test_kiosk_submit_refuses_json_nested_too_deep(tablet, kiosk, campaign, nested):
    response = post(tablet, kiosk, f'{{"campaign": {campaign.pk}, "answers": {{}}, "x": {nested}}}')
    assert response.status_code == 400
    assert response.json()["status"] == "invalid"
    assert not Response.objects.exists()


def test_kiosk_submit_counts_no_bracket_inside_a_text_as_nesting(tablet, kiosk, campaign):
    data = body(campaign)
    data["note"] = '[[[[[[[[[[[[{{{{{{{{{{ \\" [['
    assert post(tablet, kiosk, data).status_code == 201


def test_kiosk_submit_keeps_the_tablets_day_within_a_week(tablet, kiosk, campaign):
    three_days_ago = clock.today() - datetime.timedelta(days=3)
    assert post(tablet, kiosk, body(campaign, answered_on=three_days_ago.isoformat())).status_code == 201
    assert Response.objects.get().submitted_on == three_days_ago


@pytest.mark.parametrize("answered_on", [-30, 2, "yesterday", None])
def test_kiosk_submit_takes_today_for_an_unbelievable_day(tablet, kiosk, campaign, answered_on):
    if isinstance(answered_on, int):
        answered_on = (clock.today() + datetime.timedelta(days=answered_on)).isoformat()
    assert post(tablet, kiosk, body(campaign, answered_on=answered_on)).status_code == 201
    assert Response.objects.get().submitted_on == clock.today()


def test_kiosk_submit_refuses_a_campaign_that_does_not_cover_the_commune(tablet, commune, kiosk, campaign):
    elsewhere = factories.open_campaign(CommuneFactory(province=commune.province), name="Khảo sát khác")
    response = post(tablet, kiosk, body(elsewhere))
    assert response.status_code == 400
    assert response.json()["message"] == gettext("This survey does not cover %(commune)s.") % {"commune": commune}
    assert not Response.objects.exists()


@pytest.mark.parametrize("campaign_id", [0, "1", None, True])
def test_kiosk_submit_refuses_an_unknown_campaign(tablet, kiosk, campaign, campaign_id):
    data = body(campaign)
    data["campaign"] = campaign_id
    response = post(tablet, kiosk, data)
    assert response.status_code == 400
    assert response.json()["message"] == str(UNKNOWN_CAMPAIGN)


def test_kiosk_submit_does_not_need_the_officers_session(tablet, commune, kiosk, campaign):
    # The same answer posted by a signed-in officer's browser and by a bare tablet is the same answer.
    officer = Client(enforce_csrf_checks=True)
    officer.force_login(user_with_role(Role.COMMUNE_OFFICER, commune))
    data = body(campaign)
    assert post(officer, kiosk, data).status_code == 201
    assert post(tablet, kiosk, data).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_kiosk_submit_two_requests_racing_with_the_same_id_store_one_answer():
    require(connection.vendor == "postgresql", "PostgreSQL")
    commune = CommuneFactory(province=ProvinceFactory())
    campaign = factories.open_campaign(commune)
    kiosk = factories.kiosk(commune)
    data = body(campaign)
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send():
        try:
            client = Client(enforce_csrf_checks=True)
            barrier.wait(timeout=10)
            statuses.append(post(client, kiosk, data).status_code)
        except BaseException as error:  # noqa: BLE001 (reported by the main thread)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(statuses) == [200, 201]
    assert Response.objects.filter(client_id=data["client_id"]).count() == 1
