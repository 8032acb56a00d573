"""The surveys API: a commune's published figures (as its page's panel shows them, with n and the
Wilson interval, nothing below the minimum), and answering with a visit code (the questionnaire it
opens, one answer per code, a replay answered from the first).

One scene for the module: a campaign with a minimum of 3 answers, 4 answers by visit code (one of them
with the feedback factor F5, and a comment no output may show), 1 through the open link, tallies stored.
"""

from __future__ import annotations

import datetime
import json
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from core import clock
from surveys.models import Channel, Response, VisitCode
from surveys.selectors import wilson_interval
from surveys.services import campaign_close, response_by_code, response_by_link, statistics_refresh
from surveys.views.public import TOO_MANY_LOOKUPS
from tests.communes.factories import CommuneFactory
from tests.surveys.factories import answers, code_batch, codes, open_campaign, site_admin

COMMENT = "Cán bộ Trần Văn Hùng, số điện thoại 0912345678, rất nhiệt tình"


def figures_url(commune) -> str:
    return reverse("api:surveys:commune-survey-figures", kwargs={"pk": commune.pk})


def visit_url(code: str) -> str:
    return reverse("api:surveys:visit-detail", kwargs={"code": code})


def responses_url(code: str) -> str:
    return reverse("api:surveys:visit-responses", kwargs={"code": code})


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        admin = site_admin()
        commune = CommuneFactory()
        campaign = open_campaign(commune, min_responses=3, by=admin)
        fresh = codes(code_batch(campaign, commune, size=10, by=admin))
        # Four answers: overall 5, 4, 4, 2; only the first gave feedback (F5.0 "yes"), so F5 has n = 1.
        for code, overall, feedback in zip(fresh[:4], (5, 4, 4, 2), ("yes", "no", "no", "no"), strict=True):
            raw = answers(overall, F5_0=feedback, OPEN=COMMENT)
            response_by_code(code=code, raw=raw, language="vi")
        response_by_link(campaign=campaign, commune=commune, device_cookie="thiet-bi-1", raw=answers(3))
        statistics_refresh(campaign=campaign)
        expired = codes(code_batch(campaign, commune, size=1, day=clock.today() - datetime.timedelta(days=31)))[0]
        other = CommuneFactory()
        closed = open_campaign(other, by=admin)
        closed_code = codes(code_batch(closed, other, size=1, by=admin))[0]
        campaign_close(campaign=closed, by=admin)
        yield SimpleNamespace(
            commune=commune,
            campaign=campaign,
            used=fresh[0],
            fresh=fresh[4:],
            expired=expired,
            closed_code=closed_code,
            quiet=CommuneFactory(),
        )
        transaction.set_rollback(True)


@pytest.fixture
def client() -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


# --- The figures ---------------------------------------------------------------------------------


def test_survey_figures_give_what_the_panel_shows(db, scene, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(figures_url(scene.commune))

    assert response.status_code == 200
    body = response.json()
    results = body["results"]
    assert body["commune"]["id"] == scene.commune.pk
    assert body["answering_open"] is True
    assert results["campaign"]["name"] == scene.campaign.name
    assert results["campaign"]["starts_on"] == scene.campaign.starts_on.isoformat()
    assert results["campaign"]["min_responses"] == 3
    assert results["responses"] == 4
    overall = results["overall"]
    low, high = wilson_interval(3, 4)  # 5, 4, 4 satisfied; 2 not
    assert overall["n"] == 4 and overall["enough"] is True
    assert overall["share_satisfied"] == 0.75
    assert overall["interval_95"] == {"low": round(low, 4), "high": round(high, 4)}
    assert overall["mean"] == 3.75
    assert [figure["code"] for figure in results["factors"]] == ["F1", "F2", "F3", "F4", "F5"]
    # The open link's answer is counted apart, without a mean, as the page gives it.
    assert results["link"]["responses"] == 1
    assert "mean" not in results["link"]["figures"][0]
    assert isinstance(results["index"], float)


def test_a_figure_below_the_minimum_gives_its_n_and_nothing_else(db, scene, client):
    factors = client.get(figures_url(scene.commune)).json()["results"]["factors"]

    feedback = next(figure for figure in factors if figure["code"] == "F5")
    assert feedback == {
        "code": "F5",
        "name": feedback["name"],
        "n": 1,
        "enough": False,
        "share_satisfied": None,
        "interval_95": None,
        "mean": None,
    }


def test_survey_figures_show_no_comment_and_no_answer(db, scene, client):
    text = client.get(figures_url(scene.commune)).content.decode()

    assert "0912345678" not in text and "Trần Văn Hùng" not in text
    assert "thiet-bi" not in text


def test_a_commune_without_figures_has_none_and_an_unknown_one_is_not_found(db, scene, client):
    quiet = client.get(figures_url(scene.quiet))
    missing = client.get(reverse("api:surveys:commune-survey-figures", kwargs={"pk": 999_999_999}))

    assert quiet.status_code == 200
    assert quiet.json()["results"] is None and quiet.json()["answering_open"] is False
    assert missing.status_code == 404 and missing.json()["code"] == "not-found"


# --- The questionnaire of a visit code -------------------------------------------------------------


def test_a_visit_code_opens_the_questionnaire_as_the_pages_ask_it(db, scene, client):
    code = scene.fresh[0]
    printed = f"{code[:4].lower()}-{code[4:]}"  # as on the slip, typed in small letters

    response = client.get(visit_url(printed))

    assert response.status_code == 200
    visit = response.json()
    assert visit["code"] == code
    assert visit["commune"]["id"] == scene.commune.pk
    assert visit["visit_day"] == clock.today().isoformat()
    questions = {question["code"]: question for question in visit["questionnaire"]["questions"]}
    assert questions["F5.1"]["shown_if"] == {"question": "F5.0", "value": "yes"}
    assert questions["OVERALL"]["required"] is True
    assert [choice["value"] for choice in questions["F1.1"]["choices"]] == ["5", "4", "3", "2", "1", "0"]
    assert questions["F1.1"]["choices"][-1]["not_applicable"] is True
    assert questions["OPEN"]["kind"] == "text" and questions["OPEN"]["max_length"] > 0
    screens = visit["questionnaire"]["screens"]
    assert [code for screen in screens for code in screen["questions"]] == list(questions)
    assert visit["started"]


def test_an_unknown_code_is_not_found_and_a_used_or_expired_one_is_gone(db, scene, client):
    unknown = client.get(visit_url("ZZZZ-ZZZZ"))
    used = client.get(visit_url(scene.used))
    expired = client.get(visit_url(scene.expired))
    closed = client.get(visit_url(scene.closed_code))

    assert unknown.status_code == 404 and unknown.json()["code"] == "not-found"
    assert unknown.json()["message"] == "We do not know this code. Please check it against your slip."
    assert (used.status_code, used.json()["code"]) == (410, "visit-code-used")
    assert used.json()["message"] == "This code has already been used: each code gives one answer. Thank you!"
    assert (expired.status_code, expired.json()["code"]) == (410, "visit-code-expired")
    assert (closed.status_code, closed.json()["code"]) == (410, "survey-not-open")


def test_code_look_ups_share_the_pages_limit_per_address(db, scene, client, monkeypatch):
    monkeypatch.setattr("surveys.views.public.CODE_LOOKUPS", 2)
    client.get(visit_url(scene.fresh[0]))
    client.post(responses_url("ZZZZ-ZZZZ"), {"answers": answers()}, format="json")

    limited = client.get(visit_url(scene.fresh[0]))

    assert limited.status_code == 429 and limited.json()["code"] == "rate-limited"
    assert limited.json()["message"] == str(TOO_MANY_LOOKUPS)


def test_the_refusal_is_in_the_language_asked(db, scene):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="vi").get(visit_url(scene.used))

    assert response.json()["code"] == "visit-code-used"
    assert response.json()["message"] != "This code has already been used: each code gives one answer. Thank you!"


# --- Answering -------------------------------------------------------------------------------------


def test_an_answer_with_a_visit_code_is_stored_once(db, scene, client):
    code = scene.fresh[1]
    started = client.get(visit_url(code)).json()["started"]

    first = client.post(responses_url(code), {"answers": answers(5), "started": started}, format="json")
    again = client.post(responses_url(code), {"answers": answers(5)}, format="json")

    assert first.status_code == 201
    assert first.json() == {
        "received": True,
        "commune": first.json()["commune"],
        "submitted_on": clock.today().isoformat(),
    }
    stored = Response.objects.get(visit_code__code=code)
    assert stored.channel == Channel.CODE and stored.answers["OVERALL"] == 5
    assert VisitCode.objects.get(code=code).used_on == clock.today()
    assert again.status_code == 410 and again.json()["code"] == "visit-code-used"
    assert Response.objects.filter(visit_code__code=code).count() == 1


def test_a_replay_with_the_same_idempotency_key_gets_the_first_answer(db, scene, client):
    code = scene.fresh[2]
    body = {"answers": answers(4)}

    first = client.post(responses_url(code), body, format="json", HTTP_IDEMPOTENCY_KEY="tra-loi-1")
    replay = client.post(responses_url(code), body, format="json", HTTP_IDEMPOTENCY_KEY="tra-loi-1")

    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert Response.objects.filter(visit_code__code=code).count() == 1


def test_answers_the_service_refuses_change_nothing(db, scene, client):
    code = scene.fresh[3]

    out_of_range = client.post(responses_url(code), {"answers": answers(4, OVERALL=9)}, format="json")
    malformed = client.post(responses_url(code), {"answers": {"OVERALL": {"x": 1}}}, format="json")
    missing = client.post(responses_url(code), {"answers": answers(4, OVERALL=None)}, format="json")

    assert out_of_range.status_code == 400 and out_of_range.json()["code"] == "refused"
    assert out_of_range.json()["message"].endswith("the answer is out of range.")
    assert malformed.status_code == 400 and malformed.json()["code"] == "invalid"
    assert "answers.OVERALL" in malformed.json()["fields"]
    assert missing.status_code == 400 and missing.json()["message"].startswith("Please answer")
    assert not VisitCode.objects.get(code=code).used_on
    # Refused, the code can still be answered.
    assert client.post(responses_url(code), {"answers": answers(4)}, format="json").status_code == 201


def test_the_answer_keeps_no_address_and_the_reply_no_answer(db, scene, client):
    code = scene.fresh[4]

    response = client.post(responses_url(code), {"answers": answers(4, OPEN=COMMENT)}, format="json")

    assert response.status_code == 201
    assert "0912345678" not in json.dumps(response.json(), ensure_ascii=False)
