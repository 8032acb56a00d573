"""Issue 15's journey: a citizen on a 390 px phone, from the home page, finds "xã quảng minh", reaches
today's phường Vân Hà, sends feedback with a photo after one mistake without choosing the photo again,
tracks it from the header, answers the survey screen by screen and opens a certificate's verification
page; axe finds nothing serious on any page passed, and no page scrolls sideways."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from feedback.models import Feedback
from scoring.models import Certificate
from surveys.models import Response
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: tasks run in the test process
from tests.e2e.test_accessibility import page_without_csp, violations  # noqa: F401 - the fixture
from tests.e2e.test_feedback_form import photo_file  # noqa: F401 - the fixture
from tests.e2e.test_phone_layout import OVERFLOW

PHONE = {"width": 390, "height": 844}

# On the survey's visible screen, "4" (satisfied) for every question not answered yet, else its first
# choice: never "not applicable", the last, which counts as no answer.
ANSWER_SCREEN = """() => {
  const screen = document.querySelector('[data-survey-screen]:not([hidden])');
  const names = new Set([...screen.querySelectorAll('input[type=radio]')]
    .filter((input) => input.offsetParent !== null).map((input) => input.name));
  for (const name of names) {
    const choices = [...screen.querySelectorAll(`input[type=radio][name="${name}"]`)];
    if (!choices.some((input) => input.checked)) {
      (choices.find((input) => input.value === '4') || choices[0]).click();
    }
  }
}"""


def checked(page, passed: list[str]) -> None:
    """The page in view: no serious accessibility violation, no sideways scroll; noted as passed."""
    expect(page.locator("main")).to_be_visible()
    problems = violations(page)
    overflow = page.evaluate(OVERFLOW)
    assert problems == [], (page.url, problems)
    assert overflow["scrollWidth"] <= overflow["innerWidth"], (page.url, overflow)
    passed.append(page.url)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_citizen_on_a_phone_finds_the_ward_sends_feedback_tracks_it_rates_the_visit_and_checks_a_certificate(
    demo,
    live_server,
    page_without_csp,  # noqa: F811
    photo_file,  # noqa: F811
):
    page, passed = page_without_csp, []
    page.set_viewport_size(PHONE)

    # Home → "xã quảng minh" → today's phường Vân Hà.
    page.goto(live_server.url + "/")
    checked(page, passed)
    search = page.get_by_label("Tìm xã, phường, thị trấn theo tên")
    search.fill("xã quảng minh")
    search.press("Enter")
    checked(page, passed)
    page.locator(".result__name").get_by_role("link", name="Phường Vân Hà", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phường Vân Hà")
    checked(page, passed)

    # Feedback with a photo and one mistake; the photo is not chosen again.
    page.locator("#summary #task-feedback").click()
    checked(page, passed)
    page.locator("select[name=category]").select_option(index=1)
    page.locator("input[name=title]").fill("Ổ gà lớn trước cổng chợ")
    page.locator("input[name=address]").fill("Gần cổng chợ Vân Hà")
    page.locator("input[type=file][name=photos]").set_input_files(str(photo_file))
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator(".feedback-kept img")).to_have_count(1)
    checked(page, passed)
    page.locator("#id_description").fill("Ổ gà sâu khoảng 20 cm, xe máy dễ ngã khi trời tối.")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/feedback/[A-Z0-9]+/receipt/"))
    checked(page, passed)
    item = Feedback.objects.get(title="Ổ gà lớn trước cổng chợ")
    assert item.photos.count() == 1

    # Tracked from the header, by its code.
    page.locator(".site-nav").get_by_role("link", name="Tra cứu phản ánh, kiến nghị").click()
    checked(page, passed)
    page.locator("main input[name=code]").fill(item.code)
    page.locator("main input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(rf"/feedback/{item.code}/$"))
    checked(page, passed)

    # The survey of the ward's one-stop shop, screen by screen.
    answers = Response.objects.count()
    page.goto(live_server.url + item.commune.get_absolute_url())
    page.locator("#summary #task-survey").click()
    checked(page, passed)
    send = page.locator("button[type=submit].survey-send")
    screens = 0
    while not send.is_visible():
        page.evaluate(ANSWER_SCREEN)
        page.locator("[data-survey-action=next]").click()
        screens += 1
    page.evaluate(ANSWER_SCREEN)
    checked(page, passed)
    send.click()
    expect(page.locator("#thanks")).to_be_visible()
    checked(page, passed)
    assert screens >= 5
    assert Response.objects.count() == answers + 1

    # A certificate's verification page.
    certificate = Certificate.objects.filter(kind=Certificate.Kind.CERTIFICATE, status=Certificate.Status.VALID).first()
    page.goto(live_server.url + certificate.get_absolute_url())
    checked(page, passed)

    assert len(passed) == 12


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_resident_reads_what_van_ha_was_consulted_on_and_how_g1_3_to_g1_5_of_2026_were_computed(
    demo,
    live_server,
    page_without_csp,  # noqa: F811
):
    """The demo's records of phường Vân Hà (its consultations, its dialogue conference, its People's
    Inspection Board) are what the 2026 provisional result counts: the figures behind G1.3–G1.5 on the
    public result page are those records, counted here from the database."""
    from core import clock
    from democracy.models import Conference, ConferenceStatus, Consultation, Decision, Recommendation
    from scoring.models import Assessment

    page, passed = page_without_csp, []
    page.set_viewport_size(PHONE)
    van_ha = Assessment.objects.get(year=2026, commune__code="07798", commune__valid_until__isnull=True)
    commune = van_ha.commune

    # The ward's democracy page leads to its closed consultation, which answers every comment.
    page.goto(live_server.url + reverse("democracy:commune_democracy", kwargs={"pk": commune.pk}))
    checked(page, passed)
    synthesised = Consultation.objects.get(commune=commune, status="synthesised")
    page.locator(f"#consultation-{synthesised.pk} a").click()
    checked(page, passed)
    comments = synthesised.comments.filter(status="published")
    expect(page.locator("#comment-counts")).to_have_attribute("data-comments", str(comments.count()))
    for comment in comments:
        expect(page.locator(f"#answer-{comment.pk}")).to_have_attribute("data-response", comment.response)
    expect(page.locator("#on-time")).to_have_attribute("data-on-time", "yes")

    # The 2026 result, provisional: G1.3–G1.5 computed, each with the figures behind it.
    page.goto(live_server.url + reverse("scoring:result", kwargs={"pk": commune.pk, "year": 2026}))
    checked(page, passed)
    # The figures are those of the records up to the day the snapshot was computed ("data until").
    snapshot = van_ha.snapshot
    year = (snapshot.period_start, snapshot.period_end)
    computed = clock.date_of(snapshot.computed_at)
    decided = Decision.objects.filter(village__commune=commune, decided_on__range=year)
    on_time = sum(1 for d in decided if d.sent_on and d.sent_on <= d.send_due)
    consultations = Consultation.objects.filter(commune=commune, closes_on__range=year).exclude(status="draft")
    held = Conference.objects.filter(
        commune=commune, status__in=[ConferenceStatus.HELD, ConferenceStatus.PUBLISHED], held_on__range=year
    )
    received = Recommendation.objects.filter(board__commune=commune, received_on__range=year)
    answered_on_time = sum(1 for r in received if r.answered_on and r.answered_on <= r.due_on)
    expected = {
        "g13": {"decided": decided.count(), "sent_on_time": on_time},
        "g14": {
            "consultations": consultations.count(),
            "on_time": sum(1 for c in consultations if c.on_time),
            "not_yet_due": sum(1 for c in consultations if not c.on_time and c.closes_on >= computed),
        },
        "g15": {"conferences": held.count(), "recommendations": received.count(), "answered_on_time": answered_on_time},
    }
    assert expected["g14"]["on_time"] >= 1 and expected["g15"]["conferences"] >= 1 and received.exists()
    for code, figures in expected.items():
        detail = page.locator(f"#detail-{code}")
        expect(detail).to_be_visible()
        for key, value in figures.items():
            expect(detail.locator(f"[data-key={key}]")).to_have_attribute("data-value", str(value))
