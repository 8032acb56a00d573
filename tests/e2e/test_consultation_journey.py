"""Residents are consulted (Law 10/2022/QH15, art. 25–29) in a real browser, on a phone's 360 px.

The commune's officer records the plan (the commune's democracy regulation, 20 days, sent to the
People's Council and the Front committee) with the draft as a PDF, pastes its text into sections and
publishes it. A resident, signed in, comments on one article; the officer publishes the comment and types
in one received from a village Front work committee. The public page shows both, without the resident's
name. Once the planned last day is over (the clock moved past it, then the hourly closing task run), the
officer answers each comment (taken in; explained) and publishes the synthesis. The public page then
ties each comment to its answer, counts them, and says the consultation ran on time.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from playwright.sync_api import expect

from accounts.models import Role
from core import clock
from democracy.models import Comment, Consultation, ConsultationStatus
from democracy.services.consultations import consultations_close_due
from tests.communes.factories import CommuneFactory
from tests.e2e.test_democracy_journey import anonymous, fits_the_phone, pdf_file, signed_in
from tests.portal.factories import UserFactory, user_with_role

DRAFT_TEXT = """QUY CHẾ THỰC HIỆN DÂN CHỦ Ở CƠ SỞ
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc thực hiện dân chủ ở phường.
Điều 2. Công khai thông tin
Ủy ban nhân dân phường công khai các nội dung tại Điều 11 Luật Thực hiện dân chủ ở cơ sở trên cổng thông tin.
"""
CITIZEN_COMMENT = (
    "Đề nghị công khai thêm trên loa truyền thanh của từng tổ dân phố, vì nhiều người cao tuổi ít dùng mạng."
)

FRONT_COMMENT = "Ban công tác Mặt trận đề nghị ghi rõ thời hạn niêm yết tại nhà văn hóa."


def submit(page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_consultation_from_its_plan_to_the_published_synthesis(live_server, browser_page, tmp_path, monkeypatch):
    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    resident = UserFactory(full_name="Đinh Thị Nguyệt", email="nguyet.dinh@example.com")
    browser = browser_page.context.browser
    today = clock.today()
    closes = today + datetime.timedelta(days=20)

    # The plan of art. 28, and the draft as a PDF.
    page = signed_in(browser, live_server, officer)
    page.goto(live_server.url + reverse("democracy:manage_consultation_create", kwargs={"pk": commune.pk}))
    page.locator("select[name=topic]").select_option("7")
    page.locator("input[name=title]").fill("Dự thảo Quy chế thực hiện dân chủ ở phường")
    page.locator("textarea[name=summary]").fill("Lấy ý kiến Nhân dân về dự thảo Quy chế thực hiện dân chủ ở cơ sở.")
    page.locator("input[name=channels][value=portal]").check()
    page.locator("input[name=channels][value=front]").check()
    page.locator("input[name=opens_on]").fill(today.isoformat())
    page.locator("input[name=closes_on]").fill((today + datetime.timedelta(days=10)).isoformat())
    page.locator("input[name=organiser]").fill("Ủy ban nhân dân phường, phối hợp với Ủy ban Mặt trận Tổ quốc phường")
    page.locator("input[name=sent_to_council_on]").fill(today.isoformat())
    page.locator("input[name=sent_to_front_on]").fill(today.isoformat())
    page.locator("input[name=draft]").set_input_files(pdf_file(tmp_path / "du-thao.pdf"))
    submit(page, _("Record the plan"))
    # Ten days are too few (art. 28): refused on the field, nothing recorded, the rest kept.
    expect(page.locator("main")).to_contain_text("20")
    assert not Consultation.objects.exists()
    expect(page.locator("input[name=title]")).to_have_value("Dự thảo Quy chế thực hiện dân chủ ở phường")
    page.locator("input[name=closes_on]").fill(closes.isoformat())
    page.locator("input[name=draft]").set_input_files(pdf_file(tmp_path / "du-thao.pdf"))
    submit(page, _("Record the plan"))
    expect(page).to_have_url(re.compile(r"/manage/consultations/\d+/$"))
    consultation = Consultation.objects.get()
    assert (consultation.planned_days, consultation.status, bool(consultation.draft)) == (
        20,
        ConsultationStatus.DRAFT,
        True,
    )

    # The text in sections, then published.
    page.get_by_role("link", name=_("Paste the whole text")).click()
    page.locator("textarea[name=text]").fill(DRAFT_TEXT)
    submit(page, _("Make the sections"))
    expect(page.locator("#sections ol > li")).to_have_count(2)
    submit(page, _("Publish and open for comments"))
    expect(page.locator("#consultation-status")).to_have_attribute("data-status", ConsultationStatus.OPEN)
    fits_the_phone(page)
    second = consultation.sections.get(number=2)

    # A resident comments on article 2, signed in; the comment waits for moderation.
    citizen = signed_in(browser, live_server, resident)
    citizen.goto(live_server.url + consultation.get_absolute_url())
    expect(citizen.locator("#days-left")).to_have_attribute("data-days", "20")
    fits_the_phone(citizen)
    citizen.locator("select[name=section]").select_option(str(second.pk))
    citizen.locator("textarea[name=text]").fill(CITIZEN_COMMENT)
    submit(citizen, _("Send my comment"))
    own = citizen.locator("#own-comments li")
    expect(own).to_have_count(1)
    expect(own.first).to_have_attribute("data-status", "pending")
    comment = Comment.objects.get(author=resident)
    assert comment.section == second

    # The officer publishes it, and types in the Front committee's comment on the whole draft.
    page.reload()
    expect(page.locator(f"#pending-{comment.pk}")).to_contain_text(CITIZEN_COMMENT)
    page.locator(f"#pending-{comment.pk}").get_by_role("button", name=_("Publish the comment")).click()
    expect(page.locator("#nothing-to-moderate")).to_be_visible()
    page.locator("#type-in-comment").click()
    page.locator("select[name=channel]").select_option("front")
    page.locator("input[name=source]").fill("Ban công tác Mặt trận tổ dân phố số 3")
    page.locator("textarea[name=text]").fill(FRONT_COMMENT)
    submit(page, _("Publish the comment"))
    front = Comment.objects.get(entered_by=officer)

    # Everyone reads both, and never the resident's name or address.
    visitor = anonymous(browser)
    visitor.goto(live_server.url + consultation.get_absolute_url())
    expect(visitor.locator(f"#comment-{comment.pk}")).to_contain_text(CITIZEN_COMMENT)
    expect(visitor.locator(f"#comment-{front.pk}")).to_contain_text("Ban công tác Mặt trận tổ dân phố số 3")
    expect(visitor.locator("#sign-in-to-comment")).to_be_visible()
    body = visitor.locator("body").inner_text()
    assert resident.full_name not in body and resident.email not in body

    # The planned last day is over: the hourly task closes it. From here the clock stays on that day.
    after = closes + datetime.timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda: after)
    assert consultations_close_due() == 1
    consultation.refresh_from_db()
    assert (consultation.status, consultation.closed_on) == (ConsultationStatus.CLOSED, after)

    # Each comment answered, then the synthesis: refused while one is unanswered.
    page.reload()
    expect(page.locator("#synthesis-missing")).to_be_visible()
    for pk, response, answer in [
        (comment.pk, "accepted", "Tiếp thu: bổ sung hình thức loa truyền thanh của tổ dân phố vào Điều 2."),
        (front.pk, "explained", "Giải trình: thời hạn niêm yết đã quy định tại Điều 13 của Luật, không nhắc lại."),
    ]:
        fold = page.locator(f"#answer-{pk}")
        fold.locator("summary").click()
        fold.locator(f"input[name$=response][value={response}]").check()
        fold.locator("textarea[name$=answer]").fill(answer)
        fold.get_by_role("button", name=_("Save the answer")).click()
        expect(page.locator(f"#comment-{pk} [data-response={response}]")).to_be_visible()
    page.locator("#publish-synthesis").click()
    page.locator("textarea[name=synthesis]").fill("Nhận được 2 ý kiến; tiếp thu 1 ý kiến, giải trình 1 ý kiến.")
    page.locator("textarea[name=changes]").fill("Điều 2 bổ sung hình thức công khai qua loa truyền thanh tổ dân phố.")
    submit(page, _("Publish the synthesis"))
    expect(page.locator("#consultation-status")).to_have_attribute("data-status", ConsultationStatus.SYNTHESISED)

    # The public page ties each comment to its answer, counts them, and says it ran on time.
    visitor.reload()
    expect(visitor.locator(f"#answer-{comment.pk}")).to_have_attribute("data-response", "accepted")
    expect(visitor.locator(f"#answer-{comment.pk}")).to_contain_text("bổ sung hình thức loa truyền thanh")
    expect(visitor.locator(f"#answer-{front.pk}")).to_have_attribute("data-response", "explained")
    counts = visitor.locator("#comment-counts")
    expect(counts).to_have_attribute("data-comments", "2")
    expect(counts).to_have_attribute("data-accepted", "1")
    expect(counts).to_have_attribute("data-explained", "1")
    expect(visitor.locator("#on-time")).to_have_attribute("data-on-time", "yes")
    expect(visitor.locator("#synthesis")).to_contain_text("Điều 2 bổ sung hình thức công khai")
    expect(visitor.locator("#comment-form form")).to_have_count(0)
    fits_the_phone(visitor)
    body = visitor.locator("body").inner_text()
    assert resident.full_name not in body and resident.email not in body
    consultation.refresh_from_db()
    assert consultation.on_time and consultation.synthesis_published_on == after
