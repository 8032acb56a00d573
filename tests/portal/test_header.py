"""Every citizen's task one tap from the top of every page, and the reader's tools in the header."""

import re

import pytest
from django.urls import reverse

from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("communes:commune_search")
TASKS = {
    "Tìm xã, phường": SEARCH,
    "Gửi phản ánh, kiến nghị": f"{SEARCH}?task=feedback",
    "Tra cứu phản ánh, kiến nghị": reverse("feedback:lookup"),
    "Đánh giá sự hài lòng": reverse("surveys:code_entry"),
}


def header(page: str) -> str:
    return re.search(r'<header class="site-header">.*?</header>', page, re.DOTALL).group(0)


@pytest.mark.parametrize("url", ["/", "/feedback/", "/survey/", "/khong-co-trang-nay/"])
def test_every_page_offers_the_four_tasks_in_its_header(client, url):
    page = header(client.get(url).content.decode())

    for label, href in TASKS.items():
        assert f'<a href="{href}"' in page and f">{label}</a>" in page, (url, label)


def test_the_header_marks_the_task_the_visitor_is_on(client):
    page = header(client.get(reverse("feedback:lookup")).content.decode())

    assert f'<a href="{reverse("feedback:lookup")}" aria-current="page">' in page
    assert page.count('aria-current="page"') == 1


def test_an_anonymous_visitor_is_offered_sign_in_and_a_signed_in_one_their_feedback(client):
    anonymous = header(client.get("/").content.decode())
    client.force_login(UserFactory())
    signed_in = header(client.get("/").content.decode())

    assert reverse("account_login") in anonymous and reverse("feedback:mine") not in anonymous
    assert reverse("feedback:mine") in signed_in and reverse("account_login") not in signed_in
    # The page cache keeps one copy for everyone: the account menu is re-rendered for each visitor.
    again = header(client.get("/").content.decode())
    assert reverse("feedback:mine") in again and reverse("account_login") not in again


def test_the_home_page_leads_to_each_task_with_its_form(client):
    page = client.get("/").content.decode()

    assert 'id="task-find"' in page and 'id="home-commune-search"' in page
    assert f'action="{reverse("feedback:lookup")}"' in page and 'name="code"' in page
    assert f'href="{SEARCH}?task=feedback"' in page
    assert f'href="{reverse("surveys:code_entry")}"' in page and f'href="{SEARCH}?task=survey"' in page


def test_the_text_size_control_is_hidden_until_its_script_runs(client):
    page = client.get("/").content.decode()

    assert re.search(r'<div class="text-size" data-text-size-control [^>]*hidden>', page)
    assert "/static/js/text-size" in page


def test_the_favicon_is_served_at_the_root_where_browsers_ask_for_it(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert 'rel="apple-touch-icon"' in client.get("/").content.decode()
