"""The citizens' survey on a 360 px phone: a commune's open link asks one screen at a time, refuses to
go on without a required answer, keeps the answers through a reload, sends them, and forgets them once
the portal has them."""

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from surveys.models import Channel, Response
from tests.communes.factories import CommuneFactory
from tests.surveys import factories

DRAFTS = "Object.keys(localStorage).filter(key => key.startsWith('portal.survey.draft.'))"


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def campaign(commune):
    return factories.open_campaign(commune, questionnaire=factories.questionnaire(factories.MOTCUA, version=2))


def choose(page, code: str, value: str) -> None:
    page.locator(f'input[name="{code}"][value="{value}"]').check()


def shown(page, selector: str):
    """The element ``selector`` inside the one screen showing."""
    return page.locator(f"[data-survey-screen]:not([hidden]) {selector}")


def next_screen(page, step: int) -> None:
    page.locator("[data-survey-action=next]").click()
    expect(shown(page, "[data-survey-step]")).to_have_text(f"Bước {step} / 8")
    expect(page.locator(f"#survey-screen-{step}-title")).to_be_focused()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_citizen_answers_screen_by_screen_reloads_half_way_sends_and_nothing_is_kept(
    live_server, browser_page, commune, campaign
):
    page = browser_page
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    url = live_server.url + reverse("surveys:commune_survey", kwargs={"pk": commune.pk})
    page.goto(url)

    # One screen at a time, with its progress as text and as a bar.
    expect(page.locator("[data-survey-screen]:visible")).to_have_count(1)
    expect(shown(page, "[data-survey-step]")).to_have_text("Bước 1 / 8")
    bar = shown(page, "[role=progressbar]")
    expect(bar).to_have_attribute("aria-valuenow", "1")
    expect(bar).to_have_attribute("aria-valuemax", "8")
    expect(page.locator("[data-survey-action=back]")).to_be_hidden()
    expect(page.locator("button[type=submit].survey-send")).to_be_hidden()
    next_button = page.locator("[data-survey-action=next]")
    assert next_button.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    choose(page, "P1", "individual")
    next_screen(page, 2)
    expect(page.locator("[data-survey-action=back]")).to_be_visible()
    assert shown(page, "[data-survey-progress-fill]").bounding_box()["width"] > 0
    choose(page, "F1.1", "4")
    choose(page, "F1.S", "5")
    next_screen(page, 3)
    choose(page, "F2.S", "4")
    page.locator('input[name="F2.5"]').fill("2")
    next_screen(page, 4)
    choose(page, "F3.1", "5")

    # The tab is reloaded half-way: the answers and the screen come back, with a note.
    page.reload()
    expect(page.locator("[data-survey-restored]")).to_be_visible()
    expect(shown(page, "[data-survey-step]")).to_have_text("Bước 4 / 8")
    expect(page.locator('input[name="F3.1"][value="5"]')).to_be_checked()
    expect(page.locator('input[name="P1"][value="individual"]')).to_be_checked()
    assert page.locator('input[name="F2.5"]').input_value() == "2"
    # Kept under a hashed key, the questionnaire's answers only.
    keys = page.evaluate(DRAFTS)
    assert len(keys) == 1 and re.fullmatch(r"portal\.survey\.draft\.[0-9a-f]{32}", keys[0])
    kept = json.loads(page.evaluate(f"localStorage.getItem('{keys[0]}')"))
    assert kept["answers"] == {"P1": "individual", "F1.1": "4", "F1.S": "5", "F2.5": "2", "F2.S": "4", "F3.1": "5"}

    next_screen(page, 5)
    next_screen(page, 6)
    choose(page, "F5.0", "no")
    expect(page.locator("#q-F5-1")).to_be_hidden()
    next_screen(page, 7)

    # The overall question is required: Next refuses until it is answered, and says so at the question.
    next_button.click()
    missing = page.locator("#q-OVERALL-missing")
    expect(missing).to_be_visible()
    expect(shown(page, "[data-survey-step]")).to_have_text("Bước 7 / 8")
    expect(page.locator("#q-OVERALL")).to_have_attribute("aria-describedby", re.compile(r"\bq-OVERALL-missing\b"))
    first_level = page.locator('input[name="OVERALL"]').first
    expect(first_level).to_be_focused()
    expect(first_level).to_have_attribute("aria-invalid", "true")
    choose(page, "OVERALL", "4")
    expect(missing).to_be_hidden()
    next_screen(page, 8)

    expect(next_button).to_be_hidden()
    send = page.locator("button[type=submit].survey-send")
    expect(send).to_be_visible()
    choose(page, "EXP1", "faster")
    send.click()

    expect(page.locator("#thanks")).to_be_visible()
    stored = Response.objects.get()
    assert stored.channel == Channel.LINK
    assert stored.answers["P1"] == "individual"
    assert stored.answers["F3.1"] == 5 and stored.answers["OVERALL"] == 4
    assert stored.answers["EXP1"] == ["faster"]
    assert page.evaluate(DRAFTS) == []

    # Back on the survey (another device id: this one has answered), nothing comes back.
    page.context.clear_cookies()
    page.goto(url)
    expect(shown(page, "[data-survey-step]")).to_have_text("Bước 1 / 8")
    expect(page.locator("[data-survey-restored]")).to_be_hidden()
    expect(page.locator("[data-survey-questions] input:checked")).to_have_count(0)
    assert page.locator('input[name="F2.5"]').input_value() == ""
    assert problems == []  # no script error, nothing the Content-Security-Policy refused


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_survey_is_one_long_page_that_sends(live_server, browser_page, commune, campaign):
    context = browser_page.context.browser.new_context(
        viewport={"width": 360, "height": 780}, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + reverse("surveys:commune_survey", kwargs={"pk": commune.pk}))

    expect(page.locator(".survey-screen__title:visible")).to_have_count(8)
    expect(page.locator("[data-survey-progress]:visible")).to_have_count(0)
    expect(page.locator("[data-survey-action]:visible")).to_have_count(0)
    choose(page, "F1.S", "4")
    choose(page, "OVERALL", "5")
    page.locator("button[type=submit].survey-send").click()

    expect(page.locator("#thanks")).to_be_visible()
    assert Response.objects.get().answers["OVERALL"] == 5
    context.close()
