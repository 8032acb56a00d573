"""The portal as an installable app, on a 360 px phone: the manifest is linked and complete, the
service worker takes the page over; with the network off, a commune page seen once opens from the
device, a page never seen shows the offline page (with the pages saved), and feedback typed offline
is still there after a reload, is kept when sent, and goes in with its tracking code shown once the
network is back. A page made for a signed-in account is never kept on the device."""

import io
import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils.translation import gettext
from PIL import Image
from playwright.sync_api import expect

from communes.models import DivisionType
from feedback.models import Feedback
from feedback.services import format_code
from tests.communes.factories import CommuneFactory
from tests.feedback.factories import CategoryFactory
from tests.portal.factories import UserFactory

CATEGORY = "Cơ sở hạ tầng, giao thông"
PERSONAL_MARK = '<meta name="portal-page" content="personal">'

# Run with evaluate(), never wait_for_function(): its polling compiles the predicate in the page, which
# the portal's CSP (no 'unsafe-eval') refuses.
CONTROLLED = """() => new Promise((resolve) => {
  if (navigator.serviceWorker.controller) resolve(true);
  navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
})"""
# Whether any of the worker's caches holds this address, asked for `seconds` (the worker keeps a page
# after answering it).
KEPT = """async ([url, seconds]) => {
  for (const end = Date.now() + seconds * 1000; ; ) {
    for (const name of await caches.keys()) {
      if (await (await caches.open(name)).match(url, { ignoreVary: true })) return true;
    }
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}"""


def session_cookie(user, url: str) -> dict:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": url}


@pytest.mark.django_db
def test_a_page_for_a_signed_in_account_carries_the_personal_mark_even_from_the_page_cache(client):
    commune = CommuneFactory()
    url = commune.get_absolute_url()
    first = client.get(url)  # rendered for a visitor and stored in the page cache
    assert first.status_code == 200 and PERSONAL_MARK not in first.content.decode()
    client.force_login(UserFactory())
    assert PERSONAL_MARK in client.get(url).content.decode()  # the stored body, its holes filled again
    offline_page = client.get("/offline/")
    assert offline_page.status_code == 200
    assert gettext("You are offline") in offline_page.content.decode()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_app_installs_opens_offline_and_keeps_feedback_written_offline(live_server, browser_page):
    commune = CommuneFactory(name="Vân Hà", division_type=DivisionType.WARD)
    CategoryFactory(province=commune.province, name=CATEGORY)
    page = browser_page
    base = live_server.url

    # Installable: the manifest is linked, names the app, starts at the root; its icons are there.
    page.goto(base + "/")
    manifest_url = base + page.locator("link[rel=manifest]").get_attribute("href")
    manifest = json.loads(page.request.get(manifest_url).body())
    assert manifest["name"] == "Chính quyền thân thiện"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert {icon.get("purpose") for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        answer = page.request.get(base + icon["src"])
        assert answer.status == 200 and answer.headers["content-type"] == "image/png"
        width, height = Image.open(io.BytesIO(answer.body())).size
        assert f"{width}x{height}" == icon["sizes"]
    assert {192, 512} <= {int(icon["sizes"].split("x")[0]) for icon in manifest["icons"]}
    expect(page.locator("meta[name=theme-color]")).to_have_attribute("content", manifest["theme_color"])

    # The service worker registers and controls the page.
    assert page.evaluate(CONTROLLED)

    # Chromium reads the manifest without an error and finds nothing missing to install the app (but
    # the private window Playwright's contexts are).
    browser = page.context.new_cdp_session(page)
    read = browser.send("Page.getAppManifest")
    assert read["errors"] == [] and read["manifest"]["name"] == manifest["name"]
    assert read["manifest"]["startUrl"] == base + "/"
    refusals = browser.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [refusal["errorId"] for refusal in refusals if refusal["errorId"] != "in-incognito"] == []
    browser.detach()  # while attached, the page's navigator.onLine no longer follows set_offline()

    # A commune page and its feedback form, seen once while online, are kept on the device.
    commune_url = base + commune.get_absolute_url()
    form_url = base + f"/communes/{commune.pk}/feedback/new/"
    for url in (commune_url, form_url):
        page.goto(url)
        assert page.evaluate(KEPT, [url, 10])

    page.context.set_offline(True)

    # Offline: the commune page opens, with its name.
    page.goto(commune_url)
    expect(page.locator("h1")).to_contain_text("Vân Hà")

    # A page never seen: the offline page, in Vietnamese, listing the pages that open offline.
    page.goto(base + f"/communes/{commune.pk}/procedures/")
    expect(page.locator("h1")).to_have_text(gettext("You are offline"))  # "Bạn đang ngoại tuyến"
    saved = page.locator("[data-saved-pages-list] a")
    expect(saved.filter(has_text="Vân Hà").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll

    # Feedback typed offline is still there after a reload.
    page.goto(form_url)
    page.locator("select[name=category]").select_option(label=CATEGORY)
    page.locator("input[name=title]").fill("Cống thoát nước bị tắc")
    page.locator("#id_description").fill("Nước tràn ra đường mỗi khi mưa lớn.")
    page.reload()
    expect(page.locator("input[name=title]")).to_have_value("Cống thoát nước bị tắc")
    expect(page.locator("#id_description")).to_have_value("Nước tràn ra đường mỗi khi mưa lớn.")
    expect(page.locator("[data-draft-restored]")).to_be_visible()

    # Sent offline: kept on the device, and the page says so.
    page.locator("main form button[type=submit]").last.click()
    status = page.locator("[data-offline-status]")
    expect(status.locator("[data-offline-notice=waiting]")).to_be_visible()
    expect(page.locator("input[name=title]")).to_have_value("")
    queued = page.evaluate("JSON.parse(localStorage.getItem('portal.feedback.queue'))")
    assert [item["body"]["title"] for item in queued] == ["Cống thoát nước bị tắc"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not Feedback.objects.exists()

    # The network comes back: the feedback goes in, once, and its tracking code is shown.
    page.context.set_offline(False)
    expect(status.locator("[data-offline-notice=done]")).to_be_visible(timeout=10_000)
    feedback = Feedback.objects.get()
    assert feedback.title == "Cống thoát nước bị tắc"
    expect(status).to_contain_text(format_code(feedback.code))
    assert page.evaluate("localStorage.getItem('portal.feedback.queue')") is None

    # Signed in: the pages are the account's, and none is kept on the device.
    page.context.add_cookies([session_cookie(UserFactory(), base)])
    list_url = base + f"/communes/{commune.pk}/feedback/"
    page.goto(list_url)
    expect(page.locator("meta[name=portal-page]")).to_have_attribute("content", "personal")
    assert page.evaluate(KEPT, [list_url, 0.5]) is False  # given the time the worker takes to keep a page
