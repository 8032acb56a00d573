"""The page cache (core/pagecache.py) through the pages it serves: a second visit costs no query, a
change is on the next request, conditional requests get a 304, and what belongs to one visitor (the
account menu, messages, the CSRF token, a start time) is never served to another."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from communes.services import opening_hours_replace, shop_update
from core import clock, pagecache
from core.clock import VIETNAM
from feedback.services import feedback_accept, feedback_resolve
from surveys.forms.public import STARTED_FIELD, STARTED_SALT
from surveys.services import response_by_code, statistics_refresh
from tests.communes.factories import CommuneFactory
from tests.feedback.factories import submitted
from tests.portal.factories import user_with_role
from tests.surveys.factories import answers, code_batch, codes, open_campaign

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def commune():
    return CommuneFactory(name="Vân Hà")


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune, email="lan@example.vn")


@pytest.fixture
def officer_client(officer):
    client = Client()
    client.force_login(officer)
    return client


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- Served from the cache, never stale ------------------------------------------------------------


def test_a_second_visit_is_answered_without_a_query(client, commune, django_assert_num_queries):
    first = client.get(commune.get_absolute_url())

    with django_assert_num_queries(0):
        second = client.get(commune.get_absolute_url())

    assert first.status_code == second.status_code == 200
    assert "Vân Hà" in second.content.decode()
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())


def test_an_officers_change_is_on_the_next_request(client, commune, officer_client):
    shop_update(commune=commune, address="Số 1 đường Trần Phú", by=None)
    assert "Số 1 đường Trần Phú" in client.get(commune.get_absolute_url()).content.decode()

    saved = officer_client.post(
        reverse("communes:manage_profile", kwargs={"pk": commune.pk}),
        {"address": "Số 9 đường Lê Lợi", "phone": "", "email": "", "directions": ""},
    )

    assert saved.status_code == 302
    html = client.get(commune.get_absolute_url()).content.decode()
    assert "Số 9 đường Lê Lợi" in html
    assert "Số 1 đường Trần Phú" not in html


def test_an_officers_change_renders_again_only_its_communes_page(
    client, commune, officer_client, django_assert_num_queries
):
    other = CommuneFactory(province=commune.province, name="Quảng Minh")
    pages = [
        other.get_absolute_url(),
        reverse("portal:home"),
        reverse("portal:province_detail", args=[commune.province_id]),
    ]
    for url in [commune.get_absolute_url(), *pages]:
        client.get(url)

    officer_client.post(
        reverse("communes:manage_profile", kwargs={"pk": commune.pk}),
        {"address": "Số 9 đường Lê Lợi", "phone": "", "email": "", "directions": ""},
    )

    with django_assert_num_queries(0):  # still the stored pages
        for url in pages:
            client.get(url)
    assert "Số 9 đường Lê Lợi" in client.get(commune.get_absolute_url()).content.decode()


def test_an_answered_item_shows_its_answer_on_its_tracking_page_at_once(client, commune, officer):
    item = submitted(commune=commune)
    tracking = reverse("feedback:track", kwargs={"code": item.code})
    assert "Đã thay ba bóng đèn" not in client.get(tracking).content.decode()

    feedback_accept(feedback=item, by=officer)
    feedback_resolve(feedback=item, by=officer, answer="Đã thay ba bóng đèn.")

    assert "Đã thay ba bóng đèn" in client.get(tracking).content.decode()


def test_figures_refreshed_in_bulk_are_on_the_next_request(client, commune):
    campaign = open_campaign(commune, min_responses=3)
    for number, code in enumerate(codes(code_batch(campaign, commune, size=3))):
        response_by_code(code=code, raw=answers(overall=4 + number % 2, F5_0="no"))
    statistics_refresh(campaign=campaign)
    assert re.search(r'id="survey-verified">3<', client.get(commune.get_absolute_url()).content.decode())

    for code in codes(code_batch(campaign, commune, size=2)):
        response_by_code(code=code, raw=answers(overall=5, F5_0="no"))
    # The answers alone change no public page (it reads the tallies) ...
    assert re.search(r'id="survey-verified">3<', client.get(commune.get_absolute_url()).content.decode())
    statistics_refresh(campaign=campaign)  # ... and the refresh, which writes them in bulk, bumps the pages

    assert re.search(r'id="survey-verified">5<', client.get(commune.get_absolute_url()).content.decode())


def test_open_now_turns_to_closed_at_closing_time_without_any_write(client, commune, monkeypatch):
    shop = shop_update(commune=commune, address="Số 1 đường Trần Phú", by=None)
    monday = datetime.date(2026, 12, 7)
    opening_hours_replace(
        shop=shop, sessions=[{"weekday": 0, "opens": datetime.time(7, 30), "closes": datetime.time(11, 30)}], by=None
    )
    moment = {"now": datetime.datetime.combine(monday, datetime.time(11, 0), VIETNAM)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    monkeypatch.setattr(clock, "today", lambda: moment["now"].date())

    before = client.get(commune.get_absolute_url()).content.decode()
    moment["now"] = datetime.datetime.combine(monday, datetime.time(11, 45), VIETNAM)
    after = client.get(commune.get_absolute_url()).content.decode()

    assert "today-status--open" in before
    assert "today-status--closed" in after


def test_a_query_the_page_does_not_read_is_rendered_live_and_never_stored(client, commune):
    url = f"{commune.get_absolute_url()}?utm_source=zalo"
    client.get(url)

    assert queries_of(client, url) > 0
    assert queries_of(client, commune.get_absolute_url()) > 0  # nor stored under the page's own key


# --- Conditional requests ---------------------------------------------------------------------------


def test_a_matching_etag_or_date_is_answered_304_until_the_page_changes(client, commune):
    first = client.get(commune.get_absolute_url())
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    assert "private" in first["Cache-Control"]

    by_etag = client.get(commune.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    by_date = client.get(commune.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=modified)
    assert (by_etag.status_code, by_etag.content) == (304, b"")
    assert by_date.status_code == 304

    commune.name = "Vân Hà mới"
    commune.save()
    changed = client.get(commune.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Vân Hà mới" in changed.content.decode()


def test_a_page_without_a_form_sets_no_cookie(client, commune):
    response = client.get(commune.get_absolute_url())

    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_language_links_lead_to_the_same_page_in_the_other_language(client, commune):
    html = client.get(commune.get_absolute_url()).content.decode()

    assert f'href="/en{commune.get_absolute_url()}"' in html
    assert "Vân Hà" in client.get(f"/en{commune.get_absolute_url()}").content.decode()


def test_signing_in_changes_the_etag(client, commune, officer):
    etag = client.get(commune.get_absolute_url())["ETag"]
    client.force_login(officer)

    response = client.get(commune.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "lan@example.vn" in response.content.decode()


# --- What belongs to one visitor ---------------------------------------------------------------------


def test_a_signed_in_visitor_gets_their_menu_and_the_next_visitor_does_not(client, commune, officer_client):
    client.get(commune.get_absolute_url())  # stored as an anonymous visitor sees it

    mine = officer_client.get(commune.get_absolute_url()).content.decode()
    theirs = Client().get(commune.get_absolute_url()).content.decode()

    assert "lan@example.vn" in mine
    assert reverse("account_logout") in mine
    assert reverse("account_login") not in mine
    assert "lan@example.vn" not in theirs
    assert reverse("account_logout") not in theirs
    assert reverse("account_login") in theirs


def test_the_first_visitor_being_signed_in_stores_nothing_of_theirs(client, commune, officer_client):
    officer_client.get(commune.get_absolute_url())  # stored by a signed-in visitor

    theirs = client.get(commune.get_absolute_url()).content.decode()

    assert "lan@example.vn" not in theirs
    assert reverse("account_login") in theirs


def test_every_form_of_a_cached_page_carries_a_token_the_csrf_check_accepts(commune):
    open_campaign(commune)
    survey = reverse("surveys:commune_survey", kwargs={"pk": commune.pk})
    client = Client(enforce_csrf_checks=True)
    client.get(survey)
    html = client.get(survey).content.decode()

    tokens = TOKEN.findall(html)
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[0]})

    assert tokens
    assert pagecache.CSRF_PLACEHOLDER not in html
    assert switched.status_code == 302


def test_a_message_is_shown_once_on_a_cached_page(client, commune, officer_client):
    home = reverse("portal:home")
    client.get(home)  # stored

    signed_out = officer_client.post(reverse("account_logout"), follow=True)
    again = officer_client.get(home)

    assert signed_out.status_code == 200
    assert 'class="messages"' in signed_out.content.decode()
    assert 'class="messages"' not in again.content.decode()


def test_the_open_link_survey_gives_each_visitor_a_fresh_signed_start(client, commune):
    open_campaign(commune)
    survey = reverse("surveys:commune_survey", kwargs={"pk": commune.pk})
    starts = []
    for _ in range(2):
        html = Client().get(survey).content.decode()
        match = re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', html)
        starts.append(match.group(1))

    assert "placeholder" not in starts[1]
    assert all(signing.TimestampSigner(salt=STARTED_SALT).unsign(start) for start in starts)


def test_pages_are_served_live_when_the_cache_is_off(client, commune, settings):
    settings.PAGE_CACHE = False
    client.get(commune.get_absolute_url())

    assert queries_of(client, commune.get_absolute_url()) > 0


# --- First visits -------------------------------------------------------------------------------------


def test_a_cookie_less_visit_is_answered_before_the_view_and_a_visitor_with_cookies_after_it(
    client, commune, officer, monkeypatch
):
    first = client.get(commune.get_absolute_url())  # served by the view, which stores it
    views = []
    real = pagecache.cached_page
    monkeypatch.setattr(pagecache, "cached_page", lambda *args, **kwargs: views.append(1) or real(*args, **kwargs))

    again = client.get(commune.get_absolute_url())
    assert views == []  # answered by FirstVisitMiddleware
    assert again.content == first.content
    assert (again["ETag"], again["X-Frame-Options"], again["Content-Language"]) == (first["ETag"], "DENY", "vi")
    assert client.get(commune.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    client.force_login(officer)
    mine = client.get(commune.get_absolute_url())
    assert views == [1]  # a session cookie: the usual way, with the visitor's menu
    assert "lan@example.vn" in mine.content.decode()


def test_a_cookie_less_visit_after_a_change_gets_the_new_page(client, commune):
    client.get(commune.get_absolute_url())
    client.get(commune.get_absolute_url())

    commune.name = "Vân Hà mới"
    commune.save()

    assert "Vân Hà mới" in client.get(commune.get_absolute_url()).content.decode()


def test_a_form_page_answered_before_the_view_gets_its_own_token_cookies_and_start(commune, monkeypatch):
    open_campaign(commune)
    survey = reverse("surveys:commune_survey", kwargs={"pk": commune.pk})
    Client().get(survey)  # served by the view, which stores it
    views = []
    real = pagecache.cached_page
    monkeypatch.setattr(pagecache, "cached_page", lambda *args, **kwargs: views.append(1) or real(*args, **kwargs))

    visitor = Client(enforce_csrf_checks=True)
    first = visitor.get(survey)
    second = Client().get(survey)

    assert views == []  # both answered by FirstVisitMiddleware
    html = first.content.decode()
    token = TOKEN.search(html).group(1)
    assert pagecache.CSRF_PLACEHOLDER not in html
    assert {"csrftoken", "survey_device"} <= set(first.cookies)
    assert first.cookies["survey_device"].value != second.cookies["survey_device"].value
    start = re.search(rf'name="{STARTED_FIELD}" value="([^"]+)"', html).group(1)
    assert signing.TimestampSigner(salt=STARTED_SALT).unsign(start)
    # The token is one the CSRF check accepts with the cookie given beside it.
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
