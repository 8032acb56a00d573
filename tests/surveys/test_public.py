"""The citizens' survey pages (open link, visit codes, thanks) and the results on the commune page."""

import re
import time
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.http import HttpResponse
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from surveys.forms.public import STARTED_FIELD, STARTED_SALT
from surveys.models import COMMENT_MAX, Channel, Flag, Response
from surveys.selectors import commune_results, questionnaire_structure
from surveys.services import campaign_close, response_by_code, response_by_link, statistics_refresh
from surveys.views import public
from surveys.views.public import (
    ALREADY_ANSWERED,
    DEVICE_COOKIE,
    DEVICE_COOKIE_SALT,
    TOO_MANY_ANSWERS,
    TOO_MANY_LOOKUPS,
)
from tests.communes.factories import CommuneFactory
from tests.surveys.factories import answers, code_batch, codes, open_campaign

pytestmark = pytest.mark.django_db

UNKNOWN_CODE = "We do not know this code. Please check it against your slip."
USED_CODE = "This code has already been used: each code gives one answer. Thank you!"
OUT_OF_RANGE = "“%(question)s”: the answer is out of range."
NO_SURVEY = "No satisfaction survey is running for %(commune)s at the moment. Thank you for wanting to take part."
SATISFIED = "%(share)s%% satisfied (n = %(n)s; 95%% CI %(low)s–%(high)s%%)"
NOT_ENOUGH = "Not enough answers (n = %(n)s, at least %(minimum)s needed)"
LINK_ANSWERS_NOTE = (
    "Plus %(number)s answer through the open link, counted apart: anyone can use the link, so it proves no visit."
)
COMMENT_NOTE = (
    "Comments are read by the provincial Department of Home Affairs, which removes anything that could tell who "
    "you are before the commune reads them. Please do not write your name, phone number or dossier code."
)
A_NAME_IN_A_COMMENT = "Tôi là Trần Thị Riêng Tư, số 0912 345 678"


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def campaign(commune):
    return open_campaign(commune, name="Khảo sát một cửa 2026")


def link_url(commune) -> str:
    return reverse("surveys:commune_survey", kwargs={"pk": commune.pk})


def code_url(code: str) -> str:
    return reverse("surveys:code_survey", kwargs={"code": code})


def thanks_url(commune) -> str:
    return f"{reverse('surveys:thanks')}?{urlencode({'commune': commune.pk})}"


def signed_device(value: str) -> str:
    """A device cookie as the portal signs it (what a browser that was given ``value`` sends back)."""
    response = HttpResponse()
    response.set_signed_cookie(DEVICE_COOKIE, value, salt=DEVICE_COOKIE_SALT)
    return response.cookies[DEVICE_COOKIE].value


def device_of(cookie_value: str) -> str:
    """The device id a cookie carries, if the portal signed it ("" otherwise)."""
    request = RequestFactory().get("/")
    request.COOKIES[DEVICE_COOKIE] = cookie_value
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_COOKIE_SALT)


def started_seconds_ago(seconds: int) -> str:
    return signing.TimestampSigner(salt=STARTED_SALT).sign(str(int(time.time()) - seconds))


def is_checked(html: str, code: str, value) -> bool:
    """Whether the questionnaire shows the answer ``value`` to ``code`` as chosen."""
    pattern = rf'<input[^>]*name="{re.escape(code)}"[^>]*value="{re.escape(str(value))}"[^>]*\bchecked\b'
    return re.search(pattern, html) is not None


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section[^>]*id="{section_id}".*?</section>', html, re.DOTALL)
    assert match, f"no section {section_id}"
    return match.group(0)


# --- The open link ----------------------------------------------------------------------------------


def test_the_open_link_shows_the_questionnaire_and_gives_the_browser_a_device_cookie(client, commune, campaign):
    response = client.get(link_url(commune))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" in html and "csrfmiddlewaretoken" in html
    for factor in campaign.questionnaire.factors.all():  # one screen each, its heading naming it
        assert re.search(rf'<h2 class="survey-screen__title"[^>]*>{re.escape(factor.name)}</h2>', html)
        assert f'<legend class="survey-section__legend visually-hidden">{factor.name}</legend>' in html
    assert is_checked(html, "F1.1", 4) is False
    assert 'type="radio" name="F1.1"' in html
    assert 'type="checkbox" name="EXP1"' in html
    assert 'data-max-choices="3"' in html
    assert html.count('data-shown-if="F5.0" data-shown-value="yes"') >= 5  # F5.1–F5.S and their note
    assert gettext("Not applicable") in html
    assert gettext(COMMENT_NOTE) in html
    assert f'src="{static("js/surveys.js")}"' in html
    cookie = response.cookies[DEVICE_COOKIE]
    assert len(cookie.value) >= 32
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 400 * 24 * 60 * 60
    assert cookie.value not in html


def test_an_answer_through_the_open_link_is_stored_once_as_a_link_response(client, commune, campaign):
    client.get(link_url(commune))
    device = client.cookies[DEVICE_COOKIE].value

    response = client.post(link_url(commune), answers(comment=None))

    assertRedirects(response, thanks_url(commune))
    stored = Response.objects.get()
    assert stored.channel == Channel.LINK
    assert stored.campaign == campaign
    assert stored.commune == commune
    assert stored.device and device not in stored.device  # only a keyed hash of the cookie is kept
    assert stored.answers["F1.S"] == 4


def test_a_second_answer_from_the_same_device_gets_a_message_and_no_second_row(client, commune, campaign):
    client.get(link_url(commune))
    client.post(link_url(commune), answers())

    again = client.post(link_url(commune), answers(overall=2))
    revisit = client.get(link_url(commune))

    assert again.status_code == 200
    assertContains(again, gettext(ALREADY_ANSWERED))
    assertContains(revisit, gettext(ALREADY_ANSWERED))
    assertNotContains(revisit, '<form method="post" action="' + link_url(commune))
    assert Response.objects.count() == 1


def test_another_device_makes_a_second_response(client, commune, campaign):
    client.get(link_url(commune))
    client.post(link_url(commune), answers())

    client.cookies[DEVICE_COOKIE] = signed_device("an-other-phone-with-its-own-random-id")
    response = client.post(link_url(commune), answers(overall=5))

    assertRedirects(response, thanks_url(commune))
    assert Response.objects.filter(channel=Channel.LINK).count() == 2


def test_open_link_answers_are_rate_limited_per_address(client, commune, campaign, monkeypatch):
    monkeypatch.setattr(public, "LINK_ANSWERS", 2)
    for number in range(2):
        client.cookies[DEVICE_COOKIE] = signed_device(f"phone-number-{number}-of-a-busy-address")
        assert client.post(link_url(commune), answers()).status_code == 302

    client.cookies[DEVICE_COOKIE] = signed_device("phone-number-3-of-a-busy-address")
    response = client.post(link_url(commune), answers(F3_1=2))

    assert response.status_code == 429
    assertContains(response, gettext(TOO_MANY_ANSWERS), status_code=429)
    assert is_checked(response.content.decode(), "F3.1", 2)  # what was typed is still there
    assert Response.objects.count() == 2


def test_a_bad_answer_is_refused_with_a_message_and_every_other_answer_kept(client, commune, campaign):
    client.get(link_url(commune))
    sent = answers(F1_2=9, F2_5=3, comment=None, EXP1=["faster", "attitude"])
    sent["OPEN"] = "Cần thêm ghế chờ."

    response = client.post(link_url(commune), sent)

    assert response.status_code == 200
    assert Response.objects.count() == 0
    html = response.content.decode()
    question = campaign.questionnaire.questions.get(code="F1.2")
    assertContains(response, gettext(OUT_OF_RANGE) % {"question": question.text})
    assert re.search(r'class="survey-item survey-item--scale survey-item--invalid" id="q-F1-2"', html)
    assert is_checked(html, "F1.1", 3)
    assert is_checked(html, "F3.4", 4)
    assert is_checked(html, "OVERALL", 4)
    assert is_checked(html, "P1", "individual")
    assert is_checked(html, "F5.0", "yes")
    assert is_checked(html, "EXP1", "faster") and is_checked(html, "EXP1", "attitude")
    assert not is_checked(html, "EXP1", "online")
    assert re.search(r'name="F2.5" id="q-F2-5-input" value="3"', html)
    assert "Cần thêm ghế chờ.</textarea>" in html
    assert 'name="started"' in html


def test_an_answer_without_the_device_cookie_asks_for_cookies_and_keeps_the_answers(client, commune, campaign):
    response = client.post(link_url(commune), answers(F2_1=3))

    assertContains(response, gettext("Please allow cookies for this site to answer the survey."))
    assert is_checked(response.content.decode(), "F2.1", 3)
    assert DEVICE_COOKIE in response.cookies  # the next try carries it
    assert Response.objects.count() == 0


def test_a_valid_device_cookie_is_kept_and_not_issued_again(client, commune, campaign):
    client.get(link_url(commune))

    again = client.get(link_url(commune))

    assert DEVICE_COOKIE not in again.cookies


@pytest.mark.parametrize("kind", ["made up", "other value", "tampered signature"])
def test_a_device_cookie_the_portal_did_not_sign_is_replaced_by_a_fresh_one(client, commune, campaign, kind):
    forged = {
        "made up": "made-up-by-the-client",
        "other value": signed_device("x").replace("x:", "y:", 1),
        "tampered signature": signed_device("x") + "a",
    }[kind]
    client.cookies[DEVICE_COOKIE] = forged

    response = client.get(link_url(commune))

    fresh = response.cookies[DEVICE_COOKIE].value
    assert fresh != forged
    assert device_of(fresh)


def test_an_answer_with_a_forged_device_cookie_is_not_stored_and_the_answers_are_kept(client, commune, campaign):
    client.cookies[DEVICE_COOKIE] = "made-up-by-the-client"

    response = client.post(link_url(commune), answers(F2_1=3))

    assertContains(response, gettext("Please allow cookies for this site to answer the survey."))
    assert is_checked(response.content.decode(), "F2.1", 3)
    assert response.cookies[DEVICE_COOKIE].value != "made-up-by-the-client"
    assert Response.objects.count() == 0


def test_made_up_device_ids_give_no_extra_answers(client, commune, campaign):
    client.get(link_url(commune))
    client.post(link_url(commune), answers())

    for number in range(3):
        client.cookies[DEVICE_COOKIE] = f"phone-{number}"
        client.post(link_url(commune), answers())

    assert Response.objects.count() == 1


def test_an_open_link_answer_without_the_start_time_counts_as_fast(client, commune, campaign):
    client.get(link_url(commune))

    client.post(link_url(commune), answers())

    assert Flag.FAST in Response.objects.get().flag_list


def test_an_open_link_answer_with_a_forged_start_time_counts_as_fast(client, commune, campaign):
    client.get(link_url(commune))
    forged = f"{int(time.time()) - 600}:made-up-signature"

    client.post(link_url(commune), {**answers(), STARTED_FIELD: forged})

    assert Flag.FAST in Response.objects.get().flag_list


def test_an_open_link_answer_made_in_a_minute_is_not_fast(client, commune, campaign):
    client.get(link_url(commune))

    client.post(link_url(commune), {**answers(), STARTED_FIELD: started_seconds_ago(60)})

    assert Flag.FAST not in Response.objects.get().flag_list


def test_an_open_link_answer_sent_at_once_after_the_page_is_fast(client, commune, campaign):
    html = client.get(link_url(commune)).content.decode()
    started = re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', html).group(1)

    client.post(link_url(commune), {**answers(), STARTED_FIELD: started})

    assert Flag.FAST in Response.objects.get().flag_list


def test_a_visit_code_answer_without_the_start_time_counts_as_fast(client, commune, campaign):
    code = codes(code_batch(campaign, commune, 1))[0]

    client.post(code_url(code), answers())

    assert Flag.FAST in Response.objects.get().flag_list


def test_feedback_items_are_dropped_when_the_citizen_gave_no_feedback(client, commune, campaign):
    client.get(link_url(commune))

    client.post(link_url(commune), answers(F5_0="no"))  # the F5 items are posted all the same

    stored = Response.objects.get()
    assert stored.answers["F5.0"] == "no"
    assert not {"F5.1", "F5.2", "F5.3", "F5.4", "F5.S"} & set(stored.answers)
    assert stored.score_5 is None


def test_a_comment_that_is_too_long_is_refused_and_kept(client, commune, campaign):
    client.get(link_url(commune))
    sent = answers()
    sent["OPEN"] = "x" * (COMMENT_MAX + 1)

    response = client.post(link_url(commune), sent)

    assert Response.objects.count() == 0
    assert ("x" * (COMMENT_MAX + 1)) + "</textarea>" in response.content.decode()


def test_without_an_open_campaign_the_link_says_no_survey_is_running(client, commune):
    response = client.get(link_url(commune))

    assert response.status_code == 200
    assertContains(response, gettext(NO_SURVEY) % {"commune": commune})
    assertContains(response, f'href="{commune.get_absolute_url()}"')
    assertNotContains(response, 'name="OVERALL"')


def test_a_closed_campaign_takes_no_more_answers_through_the_link(client, commune, campaign):
    client.get(link_url(commune))
    campaign_close(campaign=campaign, by=None)

    response = client.post(link_url(commune), answers())

    assertContains(response, gettext(NO_SURVEY) % {"commune": commune})
    assert Response.objects.count() == 0


def test_the_open_link_of_an_unknown_commune_is_not_found(client):
    assert client.get(reverse("surveys:commune_survey", kwargs={"pk": 999999})).status_code == 404


def test_the_questionnaire_fragment_renders_alone_with_the_answers_a_tablet_keeps(campaign):
    structure = questionnaire_structure(campaign.questionnaire)

    html = render_to_string(
        "surveys/_questionnaire.html", {"structure": structure, "answers": {"F1.1": 5, "EXP1": ["online"]}}
    )

    assert "<form" not in html
    assert is_checked(html, "F1.1", 5) and is_checked(html, "EXP1", "online")
    assert not is_checked(html, "F1.2", 5)
    assert 'id="survey-error"' not in html


# --- Visit codes ------------------------------------------------------------------------------------


@pytest.fixture
def code(commune, campaign) -> str:
    return codes(code_batch(campaign, commune, size=2))[0]


def test_the_code_page_asks_for_the_code_on_the_slip(client):
    response = client.get(reverse("surveys:code_entry"))

    assert response.status_code == 200
    assertContains(response, 'name="code"')
    assertContains(response, "csrfmiddlewaretoken")


def test_an_unknown_code_is_said_to_be_unknown(client, code):
    response = client.post(reverse("surveys:code_entry"), {"code": "ZZZZ-ZZZZ"})

    assert response.status_code == 200
    assertContains(response, gettext(UNKNOWN_CODE))


def test_a_code_typed_as_printed_leads_to_its_questionnaire(client, code, commune):
    typed = f" {code[:4].lower()}-{code[4:]} "

    response = client.post(reverse("surveys:code_entry"), {"code": typed})

    assertRedirects(response, code_url(code))


def test_a_used_code_is_said_to_be_used(client, code, commune):
    response_by_code(code=code, raw=answers())

    typed = client.post(reverse("surveys:code_entry"), {"code": code})
    opened = client.get(code_url(code))

    assertContains(typed, gettext(USED_CODE))
    assertContains(opened, gettext(USED_CODE))
    assertNotContains(opened, 'name="OVERALL"')


def test_a_code_in_another_form_redirects_to_its_own_address(client, code):
    response = client.get(code_url(f"{code[:4].lower()}-{code[4:]}"))

    assertRedirects(response, code_url(code))


def test_the_code_questionnaire_names_the_commune_and_the_day_and_takes_one_answer(client, code, commune, campaign):
    page = client.get(code_url(code))

    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(rf'id="survey-commune">{re.escape(str(commune))}<', html)
    assert 'id="survey-visit-day"' in html
    assert code not in re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)

    sent = client.post(code_url(code), answers())
    again = client.post(code_url(code), answers(overall=1))

    assertRedirects(sent, thanks_url(commune))
    assert again.status_code == 200
    assertContains(again, gettext(USED_CODE))
    stored = Response.objects.get()
    assert stored.channel == Channel.CODE
    assert stored.visit_code.code == code
    assert stored.answers["OVERALL"] == 4


def test_a_bad_answer_with_a_code_keeps_the_answers_and_the_code(client, code, campaign):
    response = client.post(code_url(code), answers(F4_1=9))

    assert response.status_code == 200
    question = campaign.questionnaire.questions.get(code="F4.1")
    assertContains(response, gettext(OUT_OF_RANGE) % {"question": question.text})
    assert is_checked(response.content.decode(), "F2.1", 4)
    assert Response.objects.count() == 0

    assertRedirects(client.post(code_url(code), answers()), thanks_url(campaign.communes.get()))


def test_code_lookups_are_rate_limited_per_address(client, code, monkeypatch):
    monkeypatch.setattr(public, "CODE_LOOKUPS", 2)
    for guess in ("AAAA2222", "BBBB3333"):
        assert client.post(reverse("surveys:code_entry"), {"code": guess}).status_code == 200

    typed = client.post(reverse("surveys:code_entry"), {"code": code})
    opened = client.get(code_url(code))

    assert typed.status_code == 429
    assertContains(typed, gettext(TOO_MANY_LOOKUPS), status_code=429)
    assert opened.status_code == 429
    assertNotContains(opened, 'name="OVERALL"', status_code=429)


# --- Thanks -----------------------------------------------------------------------------------------


def test_the_thanks_page_links_back_to_the_commune(client, commune):
    with_commune = client.get(thanks_url(commune))
    without = client.get(reverse("surveys:thanks"))
    nonsense = client.get(reverse("surveys:thanks") + "?commune=abc")

    assert with_commune.status_code == without.status_code == nonsense.status_code == 200
    assertContains(with_commune, f'href="{commune.get_absolute_url()}#satisfaction"')
    assertNotContains(without, 'id="back-to-commune"')
    assertNotContains(nonsense, 'id="back-to-commune"')


# --- Results on the commune page ------------------------------------------------------------------


def answered_with_codes(campaign, commune, count: int, **overrides) -> None:
    for number, code in enumerate(codes(code_batch(campaign, commune, size=count))):
        response_by_code(code=code, raw=answers(overall=4 + number % 2, F5_0="no", **overrides))


def test_the_commune_page_shows_the_figures_of_the_stored_tallies(client, commune):
    campaign = open_campaign(commune, min_responses=3, name="Khảo sát một cửa 2026")
    answered_with_codes(campaign, commune, 4, comment=None, OPEN=A_NAME_IN_A_COMMENT)
    response_by_link(campaign=campaign, commune=commune, device_cookie="a-phone", raw=answers(overall=2))
    statistics_refresh(campaign=campaign)
    results = commune_results(commune)

    response = client.get(commune.get_absolute_url())

    html = response.content.decode()
    panel = section(html, "satisfaction")
    assert gettext("Satisfaction of citizens") in panel
    assert campaign.name in panel
    assert re.search(r'id="survey-verified">4<', panel)
    f1 = next(figure for figure in results.figures if figure.factor.code == "F1")
    shown = {"share": f1.percent, "low": f1.low_percent, "high": f1.high_percent}
    assert gettext(SATISFIED) % {"n": 4, **{key: floatformat(value, 0) for key, value in shown.items()}} in panel
    assert gettext(NOT_ENOUGH) % {"n": 0, "minimum": 3} in panel  # F5: nobody gave feedback
    assert gettext(LINK_ANSWERS_NOTE) % {"number": 1} in panel
    assert re.search(rf'id="survey-index">{floatformat(results.index, 0)}%<', panel)
    assert '<svg class="survey-chart__svg"' in panel
    assert panel.count('class="survey-chart__bar"') == 5  # F1–F4 and overall; F5 is hatched
    assert panel.count('class="survey-chart__hatch"') == 1
    assert 'id="survey-table"' in panel and 'class="visually-hidden"' in panel
    assert A_NAME_IN_A_COMMENT not in html
    assert f'href="{link_url(commune)}"' in panel  # the campaign is open: the page invites an answer


def test_the_commune_page_says_when_there_are_no_results_yet(client, commune):
    response = client.get(commune.get_absolute_url())

    panel = section(response.content.decode(), "satisfaction")
    assert 'id="no-survey-results"' in panel
    assert 'id="answer-survey"' not in panel


def test_the_commune_page_invites_answers_as_soon_as_a_campaign_opens(client, commune, campaign):
    response = client.get(commune.get_absolute_url())

    panel = section(response.content.decode(), "satisfaction")
    assert 'id="no-survey-results"' in panel
    assert f'id="answer-survey" href="{link_url(commune)}"' in panel


def test_the_results_of_a_closed_campaign_stay_without_the_invitation(client, commune, campaign):
    answered_with_codes(campaign, commune, 2)
    campaign_close(campaign=campaign, by=None)
    statistics_refresh(campaign=campaign)

    response = client.get(commune.get_absolute_url())

    panel = section(response.content.decode(), "satisfaction")
    assert campaign.name in panel
    assert re.search(r'id="survey-verified">2<', panel)
    assert 'id="answer-survey"' not in panel


def test_the_commune_page_costs_the_same_queries_for_one_answer_as_for_fifty(
    client, commune, django_assert_max_num_queries, django_assert_num_queries, settings
):
    settings.PAGE_CACHE = False  # the cost of rendering it, each time
    campaign = open_campaign(commune, min_responses=3)
    answered_with_codes(campaign, commune, 1)
    statistics_refresh(campaign=campaign)
    client.get(commune.get_absolute_url())  # first-request caches (content types, sessions) out of the way

    with django_assert_max_num_queries(40) as one:
        client.get(commune.get_absolute_url())
    answered_with_codes(campaign, commune, 49)
    statistics_refresh(campaign=campaign)
    with django_assert_num_queries(len(one)) as fifty:
        response = client.get(commune.get_absolute_url())

    assert re.search(r'id="survey-verified">50<', response.content.decode())
    assert not any("surveys_response" in query["sql"] for query in fifty.captured_queries)
    assert sum("surveys_" in query["sql"] for query in fifty.captured_queries) == 3
