"""No personal data of a citizen leaves through open data: every dataset, in every format, is scanned
for the personal data the portal holds.

Two kinds are scanned for. Personal data given here through the apps' own services: a feedback item
sent with a name, phone, e-mail and place (and the phone in its description, its original title
moderated away), a rating comment, a survey answer with a comment, a consultation comment from a
signed-in citizen. And the demo's own citizens, built by the demo's builders (tests/portal/open_data_scene.py):
the names, phones and e-mails its feedback was sent with, the households' heads, the survey comments,
the comments awaiting moderation, the e-mail of every account.

A demo name that is also a public official's (the demo's feedback names include "Nguyễn Thị Ngọc Ánh",
who is also a counter officer on a demo one-stop page) is not scanned for: the official's name is
public on the page, so it may be in the data.
"""

from __future__ import annotations

import io
import json
import uuid

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from communes.models import Commune, CounterOfficer, DutyLeader, Village
from demo.data import feedback as demo_feedback
from democracy.models import (
    BoardMember,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    Household,
    Report,
)
from democracy.services.consultations import comment_submit
from feedback.models import Category, Feedback
from feedback.services import feedback_submit
from feedback.services.workflow import feedback_accept, feedback_rate, feedback_redact, feedback_resolve
from portal.opendata.datasets import DATASETS
from portal.opendata.formats import FORMATS
from surveys.models import Campaign, Kiosk, Response
from surveys.services import response_by_kiosk, statistics_refresh
from tests.portal.factories import UserFactory
from tests.portal.open_data_scene import demo_scene_build
from tests.surveys.factories import answers

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Văn Bí Mật"
PHONE = "0912345678"
EMAIL = "bimat@example.vn"
PLACE = "Số 12 ngõ 34 phố Bí Mật"
ACCOUNT_EMAIL = "bimat.taikhoan@example.vn"
ORIGINAL_TITLE = "Ông Nguyễn Văn Bí Mật ở ngõ 34 bị hàng xóm lấn đất"
DESCRIPTION = f"Nhà tôi ở {PLACE}; xin gọi lại cho tôi theo số {PHONE}."
RATING_COMMENT = f"Cảm ơn xã. {NAME}"
SURVEY_COMMENT = f"Cán bộ tiếp tôi rất chu đáo. Tôi là {NAME}, điện thoại {PHONE}."
CONSULTATION_COMMENT = f"Đề nghị giữ lối đi chung trước nhà số 12 ngõ 34. {NAME}, {EMAIL}"
GIVEN = [
    NAME,
    PHONE,
    "091 234 5678",
    EMAIL,
    PLACE,
    ACCOUNT_EMAIL,
    ORIGINAL_TITLE,
    DESCRIPTION,
    RATING_COMMENT,
    SURVEY_COMMENT,
    CONSULTATION_COMMENT,
]


def _personal_data_given(admin) -> dict:
    """The records a citizen makes, through the services a citizen's requests go through."""
    van_ha = Commune.objects.current().get(code="07798")
    citizen = UserFactory(email=ACCOUNT_EMAIL, full_name=NAME)
    officer = User.objects.get(email="can-bo-xa@example.com")
    category = Category.objects.filter(province=van_ha.province, active=True).order_by("pk").first()
    answered = feedback_submit(
        commune=van_ha,
        category=category,
        title="Đường ngõ 34 bị lấn chiếm",
        description=DESCRIPTION,
        address=PLACE,
        contact_name=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
        consent=True,
        submitter=citizen,
    )
    feedback_accept(feedback=answered, by=officer)
    feedback_resolve(feedback=answered, by=officer, answer="Xã đã kiểm tra và yêu cầu tháo dỡ phần lấn chiếm.")
    feedback_rate(feedback=answered, rating=5, comment=RATING_COMMENT)
    moderated = feedback_submit(
        commune=van_ha,
        category=category,
        title=ORIGINAL_TITLE,
        description=DESCRIPTION,
        contact_name=NAME,
        contact_phone="091 234 5678",
        consent=True,
    )
    feedback_redact(feedback=moderated, by=officer, public_title="Tranh chấp lối đi trong ngõ", public_description="")

    campaign = Campaign.objects.filter(status=Campaign.Status.OPEN, communes=van_ha).get()
    kiosk = Kiosk.objects.filter(commune=van_ha, retired_at__isnull=True).first()
    response_by_kiosk(kiosk=kiosk, campaign=campaign, client_id=uuid.uuid4(), raw=answers(5) | {"OPEN": SURVEY_COMMENT})
    statistics_refresh(campaign=campaign)

    consultation = Consultation.objects.get(commune=van_ha, status=ConsultationStatus.OPEN)
    comment_submit(consultation=consultation, user=citizen, text=CONSULTATION_COMMENT)
    return {"feedback": [answered, moderated], "citizen": citizen}


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        built = demo_scene_build(patch)
        yield _personal_data_given(built.admin)
        transaction.set_rollback(True)


def _public_officials() -> set[str]:
    """Names the public pages print as holders of a public office."""
    names = set(CounterOfficer.objects.values_list("full_name", flat=True))
    names |= set(DutyLeader.objects.values_list("full_name", flat=True))
    names |= set(BoardMember.objects.values_list("full_name", flat=True))
    for head, front_head in Village.objects.values_list("head_name", "front_head_name"):
        names |= {head, front_head}
    return {name for name in names if name}


def demo_personal_data() -> list[str]:
    """What the demo holds about its citizens, read from the records its builders made."""
    found = set(demo_feedback.NAMES)
    for name, phone, email in Feedback.objects.values_list("contact_name", "contact_phone", "contact_email"):
        found |= {name, phone, email, phone.replace(" ", "")}
    found |= set(Household.objects.values_list("head_name", flat=True))
    found |= set(Response.objects.exclude(comment="").values_list("comment", flat=True))
    found |= set(Comment.objects.exclude(status=CommentStatus.PUBLISHED).values_list("text", flat=True))
    found |= set(Report.objects.values_list("text", flat=True))
    found |= set(User.objects.values_list("email", flat=True))
    found |= {user.full_name for user in User.objects.filter(role_assignments__isnull=True) if user.full_name}
    return sorted(value for value in found - _public_officials() if value and len(value) >= 6)


def text_of(response, fmt: str) -> str:
    """Everything a reader of the file can see, as text."""
    content = b"".join(response.streaming_content)
    if fmt != "xlsx":
        return content.decode("utf-8")
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    properties = workbook.properties
    return "\n".join([*cells, str(properties.title), str(properties.creator), str(properties.description)])


def files(client):
    for dataset in DATASETS:
        for fmt in FORMATS:
            url = reverse("portal:open_data_download", kwargs={"slug": dataset.slug, "fmt": fmt})
            response = client.get(url)
            assert response.status_code == 200
            yield f"{dataset.slug}.{fmt}", text_of(response, fmt)


def test_the_personal_data_given_is_in_the_database_for_the_scan_to_find(scene):
    answered, moderated = scene["feedback"]
    assert (answered.contact_name, answered.contact_phone, answered.contact_email) == (NAME, PHONE, EMAIL)
    assert moderated.title == ORIGINAL_TITLE
    assert Response.objects.filter(comment=SURVEY_COMMENT).exists()
    assert Comment.objects.filter(text=CONSULTATION_COMMENT, author=scene["citizen"]).exists()


def test_the_feedback_given_is_in_the_open_data_without_its_personal_data(client, scene):
    answered, moderated = scene["feedback"]
    response = client.get(reverse("portal:open_data_download", kwargs={"slug": "feedback", "fmt": "json"}))
    rows = {row["code"]: row for row in json.loads(b"".join(response.streaming_content))["rows"]}

    assert rows[answered.code]["title"] == "Đường ngõ 34 bị lấn chiếm"
    assert rows[answered.code]["rating"] == 5
    assert rows[moderated.code]["title"] == "Tranh chấp lối đi trong ngõ"


def test_no_dataset_in_any_format_holds_the_personal_data_given(client, scene):
    leaks = [(name, value) for name, text in files(client) for value in GIVEN if value in text]

    assert leaks == []


def test_no_dataset_in_any_format_holds_the_demo_citizens_names_phones_or_e_mails(client, scene):
    personal = demo_personal_data()
    assert len(personal) > 50  # the demo's feedback contacts, households, comments and accounts

    leaks = [(name, value) for name, text in files(client) for value in personal if value in text]

    assert leaks == []
