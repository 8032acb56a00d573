"""The yearly recognition in a real browser: the ward's officer fills the self-assessment with its
evidence and submits it; DoHA appraises one line down with a reason, publishes the provisional results
and, once the comment period is over, makes them final, drafts the decision, exports it to Word and
issues it with the register's next number; the provincial leader approves it; a citizen then reads
the stars and their explanation on the ward's page.

The year's data are written beside the test as the portal keeps them (monthly dossier statistics,
survey tallies, the grassroots-democracy records), so that the computed criteria reach their full
points: with the self-assessed ones at full points the ward has 91 points, and the appraisal takes
one off: exactly 90.00, the lower edge of four stars.
"""

import datetime
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import expect

from accounts.models import User
from communes.models import Commune, DossierStatistics
from scoring.models import Certificate, Decision, Status, Step
from scoring.services import decision_draft, decision_issue
from surveys.models import Campaign, Tally
from surveys.services import questionnaires_load
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture: tasks run in the server thread
from tests.conftest import DEMO_PASSWORD
from tests.scoring.factories import open_assessment, pdf_bytes, published_set
from tests.scoring.test_decisions import final, recognisable_set
from tests.scoring.test_democracy_metrics import democracy_year

DESKTOP = {"width": 1200, "height": 900}


def _year_of_good_data(commune: Commune) -> None:
    for month in range(1, 11):
        DossierStatistics.objects.create(
            commune=commune,
            month=datetime.date(2025, month, 1),
            received=100,
            resolved_early=40,
            resolved_on_time=60,
            resolved_late=0,
            late_with_apology=0,
            resolved_same_day=10,
            submitted_online=80,
            paid_online=60,
            digitised=100,
            pending=0,
        )
    questionnaires_load()
    for code, slots, answered in (("pks-motcua", range(6), 120), ("pks07-than-thien", [0], 150)):
        campaign = Campaign.objects.create(
            province=commune.province,
            name=f"Khảo sát 2025 ({code})",
            questionnaire_id=Campaign.questionnaire.field.related_model.objects.get(code=code, version=1).pk,
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2025, 10, 31),
            status=Campaign.Status.CLOSED,
        )
        for slot in slots:
            Tally.objects.create(
                campaign=campaign, commune=commune, slot=slot, channel="kiosk", answered=answered, satisfied=answered
            )
    democracy_year(commune, year=2025)


@pytest.fixture
def cycle(demo_accounts):
    """Today's phường Vân Hà (the demo officer's ward) with the 2025 set published and its assessment open."""
    van_ha = Commune.objects.current().select_related("province").get(code="07798")
    _year_of_good_data(van_ha)
    return open_assessment(van_ha, published_set(van_ha.province))


def signed_in(browser_page, live_server, account):
    page = browser_page.context.browser.new_context(viewport=DESKTOP, locale="vi-VN").new_page()
    page.goto(live_server.url + reverse("account_login"))
    page.locator("#id_login").fill(account.email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))
    return page


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_officer_submits_doha_appraises_leader_approves_citizen_reads_the_stars(
    live_server, browser_page, demo_accounts, cycle, tmp_path
):
    assessment = cycle
    evidence = tmp_path / "minh-chung.pdf"
    evidence.write_bytes(pdf_bytes())
    self_lines = list(assessment.lines.select_related("criterion").filter(criterion__measure="self"))
    assert assessment.total == Decimal("62.00")  # the computed criteria, before any self-score

    # The officer fills every self-assessed line, with its evidence, then the dossier, and submits.
    officer = signed_in(browser_page, live_server, demo_accounts["commune_officer"])
    officer.goto(live_server.url + reverse("scoring:assessment_fill", kwargs={"pk": assessment.pk}))
    for line in self_lines:
        officer.locator(f"input[name='line-{line.pk}-self_score']").fill(str(int(line.criterion.max_points)))
        officer.locator(f"input[name='line-{line.pk}-evidence_index']").set_input_files(str(evidence))
        officer.locator(f"input[name='line-{line.pk}-evidence']").set_input_files(str(evidence))
    officer.locator("form.scoring-fill button[type=submit]").click()
    expect(officer.locator("main ul.messages")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.self_total == Decimal("91.00")
    officer.goto(live_server.url + reverse("scoring:assessment_documents", kwargs={"pk": assessment.pk}))
    for document in assessment.criteria_set.documents.filter(generated=False):
        officer.locator(f"input[name='document_{document.pk}']").set_input_files(str(evidence))
    officer.locator("main form button[type=submit]").click()
    expect(officer.locator("main ul.messages")).to_be_visible()
    assert assessment.documents.count() == 4
    officer.goto(live_server.url + reverse("scoring:assessment_fill", kwargs={"pk": assessment.pk}))
    officer.locator("form.scoring-submit button[type=submit]").click()
    expect(officer.locator("main ul.messages")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED

    # DoHA appraises one line down, with the reason, publishes, and later makes the result final.
    doha = signed_in(browser_page, live_server, demo_accounts["doha_staff"])
    g11 = assessment.lines.get(criterion__code="G1.1")
    doha.goto(live_server.url + reverse("scoring:assessment_appraise", kwargs={"pk": assessment.pk}))
    doha.locator(f"input[name='score_{g11.pk}']").fill("1")
    doha.locator("main form:not([action]) button[type=submit]").click()
    expect(doha.locator("main")).to_contain_text("G1.1")  # refused: a lower score needs its reason
    assessment.refresh_from_db()
    assert assessment.status == Status.SUBMITTED
    doha.locator(f"input[name='score_{g11.pk}']").fill("1")
    doha.locator(f"textarea[name='reason_{g11.pk}']").fill("Quy chế dân chủ chưa có ý kiến phối hợp của UBMTTQ.")
    doha.locator("main form:not([action]) button[type=submit]").click()
    expect(doha.locator("main ul.messages")).to_be_visible()
    assessment.refresh_from_db()
    assert (assessment.status, assessment.total, assessment.stars) == (Status.APPRAISED, Decimal("90.00"), 4)

    board = live_server.url + reverse("scoring:board", kwargs={"pk": assessment.criteria_set.province_id, "year": 2025})
    doha.goto(board)
    # A cycle of today's units, which have no district: no district column, filter, deadline or status.
    expect(doha.locator("main")).not_to_contain_text(re.compile(r"huyện|Huyện"))
    # Criteria no unit has data for (no disclosures, no one-stop page here): DoHA confirms the board's warning.
    confirm = doha.locator("form[action$='/publish/'] input[name='confirm_missing']")
    if confirm.count():
        confirm.first.check()
    doha.locator("form[action$='/publish/'] button").click()
    expect(doha.locator("main ul.messages")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == Status.PROVISIONAL
    # No appeal comes: DoHA closes the comment period early, and the step is kept like every other.
    doha.goto(board)
    expect(doha.locator("#close-comments")).to_contain_text("Mọi kiến nghị đã được trả lời")
    doha.locator("form[action$='/close-comments/'] button[type=submit]").click()
    expect(doha.locator("main ul.messages")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.comments_closed_at is not None
    assert assessment.steps.filter(action=Step.Action.CLOSE).exists()
    doha.locator("form[action$='/finalize/'] button").click()
    expect(doha.locator("main ul.messages")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == Status.FINAL

    province = assessment.criteria_set.province
    doha.goto(live_server.url + reverse("scoring:decision_create", kwargs={"pk": province.pk, "year": 2025}))
    doha.locator("input[name=signer_name]").fill("Nguyễn Văn Quyết")
    doha.locator("input[name=proposal_number]").fill("310/TTr-SNV")
    doha.locator("input[name=proposal_date]").fill("2026-01-05")
    expect(doha.locator("textarea[name=grounds]")).to_contain_text("Căn cứ Luật")  # the province's or the laws'
    expect(doha.locator("input[name=number]")).to_have_count(0)  # the number is the records office's
    expect(doha.locator(f"#assessment-{assessment.pk}")).to_be_checked()
    doha.locator("form.decision-form button[type=submit]").click()
    decision = Decision.objects.get(province=province, year=2025)
    expect(doha).to_have_url(re.compile(rf"/manage/decisions/{decision.pk}/$"))
    assert (decision.number, decision.signed_on) == ("", None)
    expect(doha.locator("form[action$='/approve/']")).to_have_count(0)  # DoHA drafts, it does not approve

    # DoHA exports the draft to finish it in Word: blanks for the number and the date.
    with doha.expect_download() as download:
        doha.locator("#decision-docx").click()
    heading = Document(download.value.path()).tables[0].rows[0].cells[0].text
    assert re.search(r"Số:\s{3,}/QĐ-UBND", heading)

    # The records office issues it with the next number of the register.
    doha.locator("form[action$='/issue/'] input[name=source][value=next]").check()
    doha.locator("form[action$='/issue/'] input[name=signed_on]").fill("2026-01-12")
    doha.locator("form[action$='/issue/'] button[type=submit]").click()
    expect(doha.locator("#decision-number")).to_have_text(re.compile(r"^\d{2,}/QĐ-UBND$"))
    decision.refresh_from_db()
    assert decision.is_issued and decision.signed_on == datetime.date(2026, 1, 12)

    # The provincial leader approves: the decision and the assessment are locked.
    leader = signed_in(browser_page, live_server, demo_accounts["provincial_leader"])
    leader.on("dialog", lambda dialog: dialog.accept())
    leader.goto(live_server.url + reverse("scoring:decision", kwargs={"pk": decision.pk}))
    leader.locator("form[action$='/approve/'] button[type=submit]").click()
    expect(leader.locator("main ul.messages")).to_be_visible()
    decision.refresh_from_db()
    assessment.refresh_from_db()
    assert decision.is_approved and assessment.is_locked

    # The portal seals the decision and the ward's certificate (its tasks run after the commit).
    leader.locator("#decision-certificates").click()
    expect(leader.locator("#certificates-progress-bar")).to_have_attribute("value", "100", timeout=60_000)
    sealed = {c.kind: c for c in Certificate.objects.filter(decision=decision, status=Certificate.Status.VALID)}
    decision_text = pdf_text(sealed[Certificate.Kind.DECISION].file.read(), tmp_path)
    for element in (
        "ỦY BAN NHÂN DÂN",
        "TỈNH BẮC NINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {decision.number}",
        "Bắc Ninh, ngày 12 tháng 01 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc công nhận",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
        "Căn cứ Luật",
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 310/TTr-SNV ngày 05 tháng 01 năm 2026",
        "Điều 1.",
        "Điều 2.",
        "Điều 3.",
        "Thủ trưởng các cơ quan, đơn vị liên quan",
        "Nơi nhận:",
        "Nguyễn Văn Quyết",
        "Đóng dấu số của Cổng",
    ):
        assert element in decision_text, element
    assert "TM." not in decision_text and "huyện" not in decision_text.lower()
    certificate_text = pdf_text(sealed[Certificate.Kind.CERTIFICATE].file.read(), tmp_path)
    certificate = sealed[Certificate.Kind.CERTIFICATE]
    for element in (
        "Bắc Ninh, ngày 12 tháng 01 năm 2026",
        f"Số vào sổ: {certificate.register_label}",
        "Phường Vân Hà",
        "4 sao",
        f"Theo Quyết định số {decision.number} ngày 12 tháng 01 năm 2026",
        f"Số hiệu: {certificate.serial}",
        f"/verify/{certificate.serial}/",
    ):
        assert element in certificate_text, element

    # A citizen opens the ward's page: four stars, and the result explained line by line.
    citizen = browser_page
    citizen.goto(live_server.url + reverse("portal:commune_detail", kwargs={"pk": assessment.commune_id}))
    expect(citizen.locator("#commune-stars .stars__on")).to_have_text("★★★★")
    citizen.locator("#commune-stars ~ p a[href$='/stars/2025/']").click()
    expect(citizen).to_have_url(re.compile(r"/stars/2025/$"))
    main = citizen.locator("main")
    expect(main).to_contain_text(decision.number)
    expect(main).to_contain_text("90")
    expect(main).to_contain_text("Quy chế dân chủ chưa có ý kiến phối hợp của UBMTTQ.")
    expect(main).not_to_contain_text(demo_accounts["commune_officer"].email)

    # Bắc Giang's 2024 certificates, issued after today's Bắc Ninh took its code, still name tỉnh Bắc Giang.
    quang_minh = Commune.objects.select_related("province").get(code="07792", valid_until__isnull=False)
    doha_user = User.objects.get(email=demo_accounts["doha_staff"].email)
    recognised = final(quang_minh, recognisable_set(quang_minh.province, 2024))
    earlier = decision_draft(
        province=quang_minh.province, year=2024, signer_name="Lê Ánh Dương", assessments=[recognised], by=doha_user
    )
    day = datetime.date(2024, 12, 27)
    earlier = decision_issue(decision=earlier, number="1234/QĐ-UBND", signed_on=day, by=doha_user)
    leader.goto(live_server.url + reverse("scoring:decision", kwargs={"pk": earlier.pk}))
    leader.locator("form[action$='/approve/'] button[type=submit]").click()
    expect(leader.locator("main ul.messages")).to_be_visible()
    leader.locator("#decision-certificates").click()
    expect(leader.locator("#certificates-progress-bar")).to_have_attribute("value", "100", timeout=60_000)
    old = Certificate.objects.get(decision=earlier, kind=Certificate.Kind.CERTIFICATE, status=Certificate.Status.VALID)
    old_text = pdf_text(old.file.read(), tmp_path)
    assert "TỈNH BẮC GIANG" in old_text and "Bắc Giang, ngày 27 tháng 12 năm 2024" in old_text
    assert "tỉnh Bắc Giang" in old_text and "Bắc Ninh" not in old_text


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())  # lines as the page breaks them, read as one text
