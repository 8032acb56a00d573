"""Signed certificates in a real browser: the provincial leader approves the 2025 decision that
recognises phường Quảng Minh (Bắc Giang, before the reform); the batch page's progress bar reaches
100% as Celery renders and signs the documents; a citizen then opens the QR link of Quảng Minh's
certificate on a phone, downloads the PDF and, uploading it back, learns that it is authentic.

Tasks run eagerly (in the live server's thread, after the approval's commit): the path from approval
to a verifiable PDF is the same as with a worker, without a broker.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from communes.models import Commune
from scoring.models import Certificate, Decision
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: tasks run in the server thread
from tests.e2e.test_scoring_journey import signed_in
from tests.scoring.test_decisions import draft, final, recognisable_set


@pytest.fixture
def decision(demo_accounts) -> Decision:
    """The draft decision of pre-reform Bắc Giang recognising Quảng Minh's final 2025 result."""
    quang_minh = Commune.objects.select_related("province").get(code="07792", valid_until__isnull=False)
    criteria_set = recognisable_set(quang_minh.province)
    doha = User.objects.get(email=demo_accounts["doha_staff"].email)
    return draft(quang_minh.province, [final(quang_minh, criteria_set)], doha)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_leader_approves_the_batch_is_signed_and_a_citizen_finds_the_certificate_authentic(
    live_server, browser_page, demo_accounts, decision, tmp_path
):
    # The provincial leader approves the decision, then follows its certificates.
    leader = signed_in(browser_page, live_server, demo_accounts["provincial_leader"])
    leader.on("dialog", lambda dialog: dialog.accept())
    leader.goto(live_server.url + reverse("scoring:decision", kwargs={"pk": decision.pk}))
    leader.locator("form[action$='/approve/'] button[type=submit]").click()
    expect(leader.locator("main ul.messages")).to_be_visible()
    leader.locator("#decision-certificates").click()
    expect(leader).to_have_url(re.compile(rf"/manage/decisions/{decision.pk}/certificates/$"))
    expect(leader.locator("#certificates-progress-bar")).to_have_attribute("value", "100", timeout=60_000)
    expect(leader.locator("#certificates-zip")).to_be_visible()
    certificate = Certificate.objects.get(decision=decision, kind=Certificate.Kind.CERTIFICATE)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.unit_name == "phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang"  # as named in 2025
    assert Certificate.objects.filter(decision=decision, status=Certificate.Status.VALID).count() == 2

    # While a document is still being issued, the bar moves on its own as the page polls the progress.
    # (Its status is set back by hand: a task would issue it before the page could be looked at.)
    issued = Certificate.objects.filter(pk=certificate.pk)
    issued.update(status=Certificate.Status.PENDING)
    leader.reload()
    expect(leader.locator("#certificates-progress-bar")).to_have_attribute("value", "50")
    expect(leader.locator("#certificates-zip")).to_have_count(0)
    issued.update(status=Certificate.Status.VALID)
    expect(leader.locator("#certificates-progress-bar")).to_have_attribute("value", "100", timeout=10_000)
    expect(leader.locator("#certificates-zip")).to_be_visible(timeout=10_000)  # the page reloaded once done

    # A citizen scans the QR code of the printed certificate: its verification page, on a phone.
    citizen = browser_page
    citizen.goto(live_server.url + certificate.get_absolute_url())
    expect(citizen.locator("#certificate-status")).to_have_class(re.compile(r"certificate-status--valid"))
    expect(citizen.locator("#certificate-unit")).to_have_text(certificate.unit_name)
    expect(citizen.locator("#certificate-sha256")).to_have_text(certificate.sha256)

    # The PDF they hold, uploaded back, is that exact document with its signature intact.
    with citizen.expect_download() as download_info:
        citizen.locator(f"a[href$='/verify/{certificate.serial}/document.pdf']").click()
    copy = tmp_path / f"{certificate.serial}.pdf"
    download_info.value.save_as(copy)
    assert copy.read_bytes().startswith(b"%PDF-")
    citizen.locator("input[name=document]").set_input_files(str(copy))
    citizen.locator(".certificate-upload button[type=submit]").click()
    expect(citizen.locator("#certificate-check")).to_have_class(re.compile(r"certificate-check--authentic"))

    # A copy with one byte changed is not.
    tampered = bytearray(copy.read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(bytes(tampered))
    citizen.locator("input[name=document]").set_input_files(str(forged))
    citizen.locator(".certificate-upload button[type=submit]").click()
    expect(citizen.locator("#certificate-check")).to_have_class(re.compile(r"certificate-check--modified"))
