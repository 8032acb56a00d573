"""Residents decide (Law 10/2022/QH15) in a real browser, on a phone's 360 px.

A household ballot from printing the ballots to the chairman's recognition: the village head proposes
a contribution (item 1 of art. 15, two thirds of the households), opens the ballots, prints one per
household with its code and QR, answers nothing himself; one household answers online with its code,
the others on paper typed in by the head; once the time is over the head counts, the Front co-signs,
the head sends, the commune's officer recognises; the public page shows the figures and the threshold
and no household.

An online vote from opening to the public result: other self-managed work (item 6, more than half),
secret; two of three verified representatives vote, the public page shows nothing while it is open,
and the periodic count (democracy.services.decisions_count_due, called from the test) publishes the
turnout, the threshold and the verdict.

The votes close a few seconds after they open: the open form takes the time with its seconds (the
browser's datetime-local input, read as ISO by Django), and the test waits for it; the server's clock
is never touched.
"""

from __future__ import annotations

import datetime
import io
import re
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from pypdf import PdfWriter

from accounts.models import Role
from core import clock
from democracy.models import Ballot, Category, Decision, DecisionStatus, Matter, MatterStatus, Tally
from democracy.services import decisions_count_due, thresholds
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: tasks run in the server thread
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import village_with_households
from tests.portal.factories import PASSWORD, UserFactory, user_with_role

PHONE = {"width": 360, "height": 780}
# How long the ballots stay open: enough for the steps that need them open, short enough to wait for.
BALLOTS_OPEN_SECONDS = 20
VOTE_OPEN_SECONDS = 15


def signed_in(browser, live_server, user):
    """A fresh browser context of ``user``, signed in by a session cookie (the login form is exercised
    once, by the village head of the first journey)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def anonymous(browser):
    return browser.new_context(viewport=PHONE, locale="vi-VN").new_page()


def facts(dl) -> dict[str, str]:
    """A <dl class="facts"> as {term: description}, whitespace collapsed."""
    return dl.evaluate(
        """dl => Object.fromEntries([...dl.querySelectorAll(':scope > dt')].map(dt => [
            dt.textContent.replace(/\\s+/g, ' ').trim(),
            dt.nextElementSibling.textContent.replace(/\\s+/g, ' ').trim(),
        ]))"""
    )


def fits_the_phone(page) -> None:
    """Nothing scrolls sideways, once the page has settled (its web fonts may come after the load)."""
    try:
        page.wait_for_function(f"document.documentElement.scrollWidth <= {PHONE['width']}", timeout=5_000)
    except PlaywrightTimeoutError:
        culprits = page.evaluate(
            f"""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > {PHONE["width"]} + 1 && !e.closest('.table-scroll'))
            .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))"""
        )
        pytest.fail(f"{page.url} scrolls sideways on a phone: {culprits}")


def local_input(moment: datetime.datetime, *, seconds: bool = False) -> str:
    """As the browser's datetime-local input holds it, in Vietnam's time."""
    return timezone.localtime(moment, clock.VIETNAM).strftime("%Y-%m-%dT%H:%M:%S" if seconds else "%Y-%m-%dT%H:%M")


def pdf_file(path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def wait_until(moment: datetime.datetime) -> None:
    time.sleep(max(0.0, (moment - clock.now()).total_seconds()) + 0.5)


def propose(page, live_server, village, *, title: str, category: Category, form: str) -> Matter:
    page.goto(live_server.url + reverse("democracy:manage_village_matter_create", kwargs={"pk": village.pk}))
    page.locator("input[name=title]").fill(title)
    page.locator("textarea[name=summary]").fill("Nhân dân bàn và quyết định: mỗi hộ góp 500.000 đồng làm đường.")
    page.locator("select[name=category]").select_option(str(category.value))
    # The page offers only the ways of deciding the law allows (art. 17(2)): online for item 6 only.
    online = page.locator("select[name=form] option[value=online]")
    if category == Category.SELF_MANAGED:
        expect(online).to_be_enabled()
    else:
        expect(online).to_be_disabled()
    page.locator("select[name=form]").select_option(form)
    page.locator("select[name=proposer]").select_option("village_head")
    expect(page.locator("input[name=secret]")).to_be_checked()
    page.get_by_role("button", name=_("Propose the matter")).click()
    expect(page).to_have_url(re.compile(r"/manage/matters/\d+/$"))
    matter = Matter.objects.get(title=title)
    assert (matter.category, matter.form, matter.secret, matter.status) == (category, form, True, MatterStatus.DRAFT)
    return matter


def open_deciding(page, *, seconds: int) -> datetime.datetime:
    """Fill the matter page's open form: from a minute ago to ``seconds`` from now. Returns the end."""
    now = clock.now()
    ends = (now + datetime.timedelta(seconds=seconds)).replace(microsecond=0)
    page.locator("input[name=open-starts_at]").fill(local_input(now - datetime.timedelta(minutes=1)))
    page.locator("input[name=open-ends_at]").fill(local_input(ends, seconds=True))
    page.get_by_role("button", name=_("Open the deciding")).click()
    expect(page.locator("main ul.messages")).to_contain_text(_("The deciding is open."))
    return ends


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_household_ballot_from_printing_to_recognition(live_server, browser_page, tmp_path):
    commune = CommuneFactory()
    village = village_with_households(6, commune=commune)
    names = [household.head_name for household in village.household_list.all()]
    head = user_with_role(Role.VILLAGE_HEAD, village)
    front = user_with_role(Role.VILLAGE_FRONT, village)
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    rule = thresholds.rule_for(Category.CONTRIBUTIONS, 6)
    assert (rule.needed, rule.of) == (4, 6)  # at least two thirds of 6: ceil(12/3)
    browser = browser_page.context.browser

    # The village head signs in with the login form and proposes the contribution.
    page = browser_page
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill(head.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    matter = propose(
        page, live_server, village, title="Bê tông hoá đường trục thôn", category=Category.CONTRIBUTIONS, form="ballot"
    )
    ends = open_deciding(page, seconds=BALLOTS_OPEN_SECONDS)
    decision = Decision.objects.get(matter=matter)
    assert decision.status == DecisionStatus.OPEN and decision.households_total == 6
    assert decision.ends_at == ends

    # The printable ballots: one per household, each with its code and a QR code (inline SVG).
    page.get_by_role("link", name=_("Print the ballots")).click()
    expect(page).to_have_url(re.compile(r"/ballots/print/$"))
    sheets = page.locator("article.ballot-sheet")
    expect(sheets).to_have_count(6)
    expect(page.locator("article.ballot-sheet .ballot-sheet__qr svg")).to_have_count(6)
    codes = [text.strip() for text in page.locator(".ballot-sheet__code").all_inner_texts()]
    assert all(re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code) for code in codes), codes
    assert {code.replace("-", "") for code in codes} == set(
        Ballot.objects.filter(decision=decision).values_list("code", flat=True)
    )
    for name in names:  # the paper goes to the household: its head is printed on it
        expect(page.locator("main")).to_contain_text(name)

    # A household answers online with the code of its paper, typed as people type it. The same code,
    # opened in a second tab before, is refused once the first answer is in. (The ballot page's own
    # "Referrer-Policy: no-referrer" makes Chromium send "Origin: null" with the form, which Django's
    # CSRF check refuses with a 403: the answer below needs that header dropped, the site's
    # SECURE_REFERRER_POLICY = "same-origin" already keeps the code from other sites.)
    citizen = anonymous(browser)
    other_tab = citizen.context.new_page()
    online_code = codes[0]
    citizen.goto(live_server.url + reverse("democracy:ballot_lookup"))
    citizen.locator("input[name=code]").fill(online_code.lower().replace("-", " "))
    citizen.get_by_role("button", name=_("Find")).click()
    ballot_url = live_server.url + reverse("democracy:ballot", kwargs={"code": online_code.replace("-", "")})
    expect(citizen).to_have_url(ballot_url)
    other_tab.goto(ballot_url)
    citizen.get_by_label(capfirst(_("for")), exact=True).check()
    citizen.get_by_role("button", name=_("Send my household's answer")).click()
    expect(citizen.locator("#returned")).to_be_visible()
    other_tab.get_by_label(capfirst(_("against")), exact=True).check()
    with other_tab.expect_response(ballot_url) as refused:
        other_tab.get_by_role("button", name=_("Send my household's answer")).click()
    assert refused.value.status == 400
    returned = _("This ballot was returned on %(day)s: one household, one ballot.")
    expect(other_tab.locator("#returned")).to_have_text(
        returned % {"day": date_format(clock.today(), "SHORT_DATE_FORMAT")}
    )
    content = other_tab.content()
    assert not any(name in content for name in names)
    assert Tally.objects.values_list("votes_for", "votes_against").get(decision=decision) == (1, 0)

    # The head types in four paper ballots (3 for, 1 against); the sixth household never answers.
    page.goto(live_server.url + reverse("democracy:manage_ballot_enter", kwargs={"pk": decision.pk}))
    for code, choice in zip(codes[1:5], ["for", "for", "against", "for"], strict=True):
        page.locator("input[name=code]").fill(code)
        page.locator(f"input[name=choice][value={choice}]").check()
        page.get_by_role("button", name=_("Enter the ballot")).click()
        expect(page.locator("main ul.messages")).to_contain_text(code)
    expect(page.locator(".democracy-returned strong")).to_have_text("5")
    # A paper entered twice is refused on its field, and nothing is counted twice.
    page.locator("input[name=code]").fill(codes[1])
    page.locator("input[name=choice][value=against]").check()
    page.get_by_role("button", name=_("Enter the ballot")).click()
    expect(page.locator("main")).to_contain_text(
        _("This household's ballot was already returned: one household, one ballot.")
    )
    assert Tally.objects.values_list("votes_for", "votes_against").get(decision=decision) == (4, 1)

    # Once the time is over, the head counts: 4 of 6 for, exactly the two thirds needed.
    wait_until(ends)
    page.goto(live_server.url + reverse("democracy:manage_matter", kwargs={"pk": matter.pk}))
    page.get_by_role("button", name=_("Count the ballots")).click()
    expect(page.locator("main ul.messages")).to_contain_text(_("The ballots are counted."))
    panel = facts(page.locator(f"#decision-{decision.pk} dl.facts"))
    assert panel[_("Households taking part")] == "5"
    assert panel[_("Result")] == _("passed")
    assert panel[_("Passes with")] == rule.text

    # The head of the village Front work committee co-signs.
    front_page = signed_in(browser, live_server, front)
    front_page.goto(live_server.url + reverse("democracy:manage_matter", kwargs={"pk": matter.pk}))
    front_page.get_by_role("button", name=_("Co-sign the result")).click()
    expect(front_page.locator("main ul.messages")).to_contain_text(_("The result is co-signed."))

    # The head sends it to the commune with the signed minutes of the count.
    page.reload()
    page.locator(f"input[name=d{decision.pk}-send-minutes]").set_input_files(str(pdf_file(tmp_path / "bien-ban.pdf")))
    page.get_by_role("button", name=_("Send the result to the commune")).click()
    expect(page.locator("main ul.messages")).to_contain_text(_("The result is sent to the commune."))
    matter.refresh_from_db()
    assert (matter.status, matter.passed) == (MatterStatus.DECIDED, True)

    # The commune's officer recognises it with the chairman's decision number.
    officer_page = signed_in(browser, live_server, officer)
    officer_page.goto(live_server.url + reverse("democracy:manage_matter", kwargs={"pk": matter.pk}))
    officer_page.locator("input[name=recognise-number]").fill("125/QĐ-UBND")
    officer_page.locator("input[name=recognise-on]").fill(clock.today().isoformat())
    officer_page.get_by_role("button", name=_("Recognise the result")).click()
    expect(officer_page.locator("main ul.messages")).to_contain_text(_("The result is recognised."))

    # What residents read: the recognition, the figures, the threshold, and no household.
    citizen.goto(live_server.url + reverse("democracy:matter_detail", kwargs={"pk": matter.pk}))
    expect(citizen.locator("#recognition")).to_contain_text("125/QĐ-UBND")
    expect(citizen.locator("#matter-result")).to_have_text(_("Passed"))
    result = citizen.locator(f"#decision-{decision.pk} .result-box")
    expect(result.locator(".result-box__verdict")).to_contain_text(_("Passed"))
    assert facts(result.locator("dl.facts")) == {
        _("Households in the village"): "6",
        _("Households taking part"): "5",
        _("For"): "4",
        _("Against"): "1",
        _("Abstaining"): "0",
        _("Needed"): rule.text,
    }
    expect(result.get_by_role("link", name=_("Minutes"))).to_be_visible()
    content = citizen.content()
    assert not any(name in content for name in names)
    fits_the_phone(citizen)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_online_vote_from_opening_to_public_result(live_server, browser_page):
    commune = CommuneFactory()
    village = village_with_households(3, commune=commune)
    head = user_with_role(Role.VILLAGE_HEAD, village)
    households = list(village.household_list.order_by("pk"))
    names = [household.head_name for household in households]
    representatives = []
    for household in households:
        representative = UserFactory()
        household.representative_account = representative
        household.verified_at, household.verified_by = clock.now(), head
        household.save()
        representatives.append(representative)
    rule = thresholds.rule_for(Category.SELF_MANAGED, 3)
    assert (rule.needed, rule.of) == (2, 3)  # more than half of 3
    browser = browser_page.context.browser

    # The head proposes the self-managed work, secret, by online vote, and opens it.
    page = signed_in(browser, live_server, head)
    matter = propose(
        page, live_server, village, title="Lắp đèn đường ngõ 5", category=Category.SELF_MANAGED, form="online"
    )
    ends = open_deciding(page, seconds=VOTE_OPEN_SECONDS)
    decision = Decision.objects.get(matter=matter)
    vote_url = live_server.url + reverse("democracy:matter_vote", kwargs={"pk": matter.pk})

    # The first representative votes for; a second vote, from a tab opened before, is refused.
    first = signed_in(browser, live_server, representatives[0])
    first_again = first.context.new_page()
    first.goto(vote_url)
    first_again.goto(vote_url)
    first.get_by_label(capfirst(_("for")), exact=True).check()
    first.get_by_role("button", name=_("Send my household's answer")).click()
    expect(first.locator("#voted")).to_be_visible()
    first_again.get_by_label(capfirst(_("against")), exact=True).check()
    with first_again.expect_response(vote_url) as refused:
        first_again.get_by_role("button", name=_("Send my household's answer")).click()
    assert refused.value.status == 400
    expect(first_again.locator("#voted")).to_contain_text(
        _("This household's ballot was already returned: one household, one ballot.")
    )

    # The second votes against; the third household does not vote.
    second = signed_in(browser, live_server, representatives[1])
    second.goto(vote_url)
    second.get_by_label(capfirst(_("against")), exact=True).check()
    second.get_by_role("button", name=_("Send my household's answer")).click()
    expect(second.locator("#voted")).to_be_visible()
    assert Tally.objects.values_list("votes_for", "votes_against").get(decision=decision) == (1, 1)
    assert set(Ballot.objects.filter(decision=decision).values_list("choice", flat=True)) == {""}  # secret

    # While the vote is open, the public page shows how to vote and no figure.
    public = anonymous(browser)
    matter_url = live_server.url + reverse("democracy:matter_detail", kwargs={"pk": matter.pk})
    public.goto(matter_url)
    expect(public.get_by_role("link", name=_("Vote online for your household"))).to_be_visible()
    expect(public.locator(f"#decision-{decision.pk}")).to_contain_text(
        _("The result is published once the village has counted.")
    )
    expect(public.locator(".result-box")).to_have_count(0)
    row = facts(public.locator(f"#decision-{decision.pk} dl.facts"))
    assert _("For") not in row and _("Households taking part") not in row

    # After the end, the periodic task counts (called here, as Celery beat calls it every minute).
    wait_until(ends)
    assert decisions_count_due() == 1
    public.goto(matter_url)
    result = public.locator(f"#decision-{decision.pk} .result-box")
    expect(result.locator(".result-box__verdict")).to_contain_text(_("Not passed"))
    assert facts(result.locator("dl.facts")) == {
        _("Households in the village"): "3",
        _("Households taking part"): "2",
        _("For"): "1",
        _("Against"): "1",
        _("Abstaining"): "0",
        _("Needed"): rule.text,
    }
    expect(public.get_by_role("link", name=_("Vote online for your household"))).to_have_count(0)
    content = public.content()
    assert not any(name in content for name in names)
    assert not any(representative.email in content for representative in representatives)
    fits_the_phone(public)
