"""The survey kiosk in a real browser, on a tablet-sized screen: an officer opens it, visitors answer
and the page starts again by itself; while the network is down the answers wait on the tablet and go
in once, exactly once, when it returns; a reply lost on the way makes the tablet send again, harmlessly.
"""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from communes.models import Commune
from surveys.models import Channel, Response
from tests.conftest import DEMO_PASSWORD
from tests.surveys import factories

TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def van_ha(demo_accounts):
    """Today's phường Vân Hà, whose officer is the demo commune officer."""
    return Commune.objects.current().get(code="07798")


@pytest.fixture
def campaign(van_ha):
    return factories.open_campaign(van_ha)


@pytest.fixture
def kiosk(van_ha):
    return factories.kiosk(van_ha)


@pytest.fixture
def tablet(browser_page, live_server, demo_accounts, kiosk, campaign):
    """A tablet on which the commune's officer signed in and opened the kiosk."""
    page = browser_page.context.browser.new_context(viewport=TABLET, locale="vi-VN").new_page()
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill(demo_accounts["commune_officer"].email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))
    page.goto(live_server.url + reverse("surveys:kiosk", kwargs={"pk": kiosk.pk}))
    expect(page.locator("[data-screen=start]")).to_be_visible()
    return page


def choose(page, code: str, value: str) -> None:
    page.locator(f".kiosk-question[data-code='{code}'] .kiosk-choice[data-value='{value}']").click()


def answer(page, overall: str = "4") -> None:
    """One visitor: the profile, two factors' headline items, the feedback question, the overall item."""
    page.locator("[data-action=start]").click()
    expect(page.locator("[data-progress-text]")).to_contain_text("1")
    choose(page, "P1", "individual")
    chosen = {"F1.S": "5", "F3.S": "4", "F5.0": "no"}
    for _ in range(12):
        expect(page.locator("[data-screen=questions]")).to_be_visible()
        for code, value in chosen.items():
            if page.locator(f".kiosk-question[data-code='{code}']").count():
                choose(page, code, value)
        if page.locator(".kiosk-question[data-code='OVERALL']").count():
            # The overall item is required: Next is refused until it is answered.
            page.locator("[data-action=next]").click()
            expect(page.locator("[data-error]")).to_be_visible()
            choose(page, "OVERALL", overall)
            expect(page.locator("[data-error]")).to_be_hidden()
        send = page.locator("[data-action=send]")
        if send.is_visible():
            send.click()
            break
        page.locator("[data-action=next]").click()
    expect(page.locator("[data-screen=thanks]")).to_be_visible()


def wait_for_rows(count: int, seconds: float = 15) -> int:
    deadline = time.monotonic() + seconds
    while Response.objects.count() < count and time.monotonic() < deadline:
        time.sleep(0.2)
    return Response.objects.count()


def queued(page, kiosk) -> list:
    return page.evaluate(f"JSON.parse(localStorage.getItem('portal.kiosk.{kiosk.pk}.queue') || '[]')")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_kiosk_resets_itself_keeps_answers_offline_and_sends_each_once(tablet, kiosk, campaign):
    page = tablet
    queue_status = page.locator("[data-queue-status]")

    # A visitor answers; the thank-you screen gives way to the start by itself.
    answer(page, overall="5")
    assert wait_for_rows(1) == 1
    expect(page.locator("[data-screen=start]")).to_be_visible(timeout=12_000)
    expect(page.locator("[data-screen=thanks]")).to_be_hidden()

    # The next visitor finds a fresh questionnaire.
    page.locator("[data-action=start]").click()
    expect(page.locator(".kiosk-choice[aria-pressed=true]")).to_have_count(0)
    page.locator("[data-action=back]").click()
    answer(page, overall="4")
    assert wait_for_rows(2) == 2
    expect(queue_status).to_be_hidden()

    # The network goes down: the answer waits on the tablet, and says so discreetly.
    page.context.set_offline(True)
    page.locator("[data-action=restart]").click()
    answer(page, overall="3")
    expect(queue_status).to_be_visible()
    expect(queue_status).to_contain_text("1")
    assert len(queued(page, kiosk)) == 1
    time.sleep(1)
    assert Response.objects.count() == 2

    # It comes back: the answer goes in, once.
    page.context.set_offline(False)
    assert wait_for_rows(3) == 3
    expect(queue_status).to_be_hidden(timeout=10_000)
    assert queued(page, kiosk) == []

    # A reply lost on the way back: the server stored the answer, the tablet never heard. It sends
    # again, and the server answers that it already has it.
    statuses = []

    def lose_the_first_reply(route):
        reply = route.fetch()
        statuses.append(reply.status)
        if len(statuses) == 1:
            route.abort("connectionreset")
        else:
            route.fulfill(response=reply)

    page.route(re.compile(r"/kiosk/\d+/responses/$"), lose_the_first_reply)
    page.locator("[data-action=restart]").click()
    answer(page, overall="2")
    deadline = time.monotonic() + 15
    while len(statuses) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert statuses[:2] == [201, 200]
    expect(queue_status).to_be_hidden(timeout=10_000)
    assert queued(page, kiosk) == []

    responses = Response.objects.filter(campaign=campaign)
    assert responses.count() == 4
    assert set(responses.values_list("channel", flat=True)) == {Channel.KIOSK}
    assert sorted(r.answers["OVERALL"] for r in responses) == [2, 3, 4, 5]
    assert responses.values("client_id").distinct().count() == 4


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_kiosk_left_half_way_goes_back_to_the_start(tablet):
    page = tablet
    page.clock.install()
    page.locator("[data-action=start]").click()
    choose(page, "P1", "organisation")
    page.clock.fast_forward("01:00")
    page.locator("[data-action=next]").click()  # a touch: the visitor is still there
    page.clock.fast_forward("01:00")
    expect(page.locator("[data-screen=questions]")).to_be_visible()
    page.clock.fast_forward("00:31")
    expect(page.locator("[data-screen=start]")).to_be_visible()
    page.locator("[data-action=start]").click()
    expect(page.locator(".kiosk-choice[aria-pressed=true]")).to_have_count(0)
    assert not Response.objects.exists()
