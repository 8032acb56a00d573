"""The public pages of grassroots democracy: what residents know, and nothing personal."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from democracy.models import Category, Convention, ConventionKind, ConventionVersion, Decision, Form, Proposer
from democracy.services import matters as services
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture for every test here
from tests.democracy.factories import HouseholdFactory, VillageFactory, village_with_households
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def officer_of(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


def online_matter(village, *, by=None, secret=True, opens=-1, closes=24, title="Sửa đường ngõ 3"):
    """An online vote of ``village`` (item 6), open from ``opens`` to ``closes`` hours from now."""
    by = by or officer_of(village.commune)
    matter = services.matter_propose(
        commune=village.commune,
        village=village,
        title=title,
        summary="Nhân dân bàn và quyết định việc sửa đường.",
        category=Category.SELF_MANAGED,
        form=Form.ONLINE,
        proposer=Proposer.VILLAGE_HEAD,
        secret=secret,
        by=by,
    )
    now = timezone.now()
    return services.matter_open(
        matter=matter,
        starts_at=now + datetime.timedelta(hours=opens),
        ends_at=now + datetime.timedelta(hours=closes),
        by=by,
    )


def meeting_matter(village, *, hours=48):
    by = officer_of(village.commune)
    matter = services.matter_propose(
        commune=village.commune,
        village=village,
        title="Bầu Trưởng thôn",
        summary="Bầu Trưởng thôn nhiệm kỳ mới.",
        category=Category.VILLAGE_HEAD,
        form=Form.MEETING,
        proposer=Proposer.CHAIRMAN,
        by=by,
    )
    return services.matter_open(
        matter=matter, starts_at=timezone.now() + datetime.timedelta(hours=hours), place="Nhà văn hoá thôn", by=by
    )


def verified(household, user=None):
    user = user or UserFactory()
    household.representative_account = user
    household.verified_at = timezone.now()
    household.save()
    return user


def close_and_count(decision: Decision) -> Decision:
    Decision.objects.filter(pk=decision.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    decision.refresh_from_db()
    return services.decision_count(decision=decision)


def household_names(village) -> list[str]:
    return [name for household in village.household_list.all() for name in (household.head_name, household.address)]


def assert_no_personal_data(content: str, village) -> None:
    for name in household_names(village):
        if name:
            assert name not in content


# --- Pages render for anyone, with nothing personal ------------------------------------------------------


def test_commune_page_lists_villages_matters_calendar_and_conventions(client, django_assert_max_num_queries):
    village = village_with_households(6)
    matter = online_matter(village)
    meeting = meeting_matter(VillageFactory(commune=village.commune))
    convention = Convention.objects.create(village=village, kind=ConventionKind.HUONG_UOC, title="Hương ước thôn")
    ConventionVersion.objects.create(
        convention=convention, number=1, text="Điều 1.", status="in_force", created_by=UserFactory()
    )
    url = reverse("democracy:commune_democracy", kwargs={"pk": village.commune.pk})
    # 8, and up to two each for the consultations, the conferences and the boards panels (each panel's own
    # test shows it constant in its rows).
    with django_assert_max_num_queries(14):
        response = client.get(url)
    content = response.content.decode()
    assert response.status_code == 200
    assert matter.title in content and meeting.title in content
    assert village.get_absolute_url() in content
    assert "Hương ước thôn" in content
    assert "Nhà văn hoá thôn" in content  # the meeting in the calendar
    assert_no_personal_data(content, village)


def test_commune_page_costs_the_same_with_more_matters(client, django_assert_max_num_queries):
    village = village_with_households(3)
    for number in range(4):
        online_matter(village, title=f"Việc số {number}")
        meeting_matter(VillageFactory(commune=village.commune))
    # 8, and up to two each for the consultations, the conferences and the boards panels (each panel's own
    # test shows it constant in its rows).
    with django_assert_max_num_queries(14):
        assert client.get(reverse("democracy:commune_democracy", kwargs={"pk": village.commune.pk})).status_code == 200


def test_an_ended_commune_says_so(client):
    from tests.communes.factories import CommuneFactory

    village = VillageFactory(commune=CommuneFactory(legacy=True))
    response = client.get(reverse("democracy:commune_democracy", kwargs={"pk": village.commune.pk}))
    assert 'id="unit-ended"' in response.content.decode()


def test_calendar_feed_has_one_event_per_meeting_or_vote_and_no_names(client):
    village = village_with_households(4)
    online_matter(village)
    meeting_matter(VillageFactory(commune=village.commune))
    response = client.get(reverse("democracy:commune_calendar_ics", kwargs={"pk": village.commune.pk}))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 2
    assert "\r\n" in body and "LOCATION:Nhà văn hoá thôn" in body
    assert_no_personal_data(body, village)
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_village_page_shows_public_roles_and_no_household(client, django_assert_max_num_queries):
    village = village_with_households(5)
    HouseholdFactory(village=village, head_name="Lê Văn Riêng Tư", address="Số 9 ngõ Kín")
    online_matter(village)
    online_matter(village, title="Việc thứ hai")
    # 8, and up to two each for the consultations, the conferences and the boards panels (each panel's own
    # test shows it constant in its rows).
    with django_assert_max_num_queries(14):
        response = client.get(village.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert village.head_name in content and village.front_head_name in content
    assert "Việc thứ hai" in content
    assert 'id="subscribe"' in content
    assert "Lê Văn Riêng Tư" not in content and "Số 9 ngõ Kín" not in content


def test_matter_page_hides_the_running_count_until_counted(client):
    village = village_with_households(5)
    matter = online_matter(village)
    decision = matter.decisions.get()
    for household in village.household_list.all()[:3]:
        user = verified(household)
        services.vote_online(decision=decision, user=user, choice="for")
    content = client.get(matter.get_absolute_url()).content.decode()
    assert "result-box" not in content
    assert "Households taking part" not in content
    assert "Kết quả được công bố khi thôn, tổ dân phố đã kiểm phiếu." in content
    assert_no_personal_data(content, village)

    close_and_count(decision)
    content = client.get(matter.get_absolute_url()).content.decode()
    assert "result-box--passed" in content
    assert "trên 50% tổng số 5 hộ gia đình: cần 3 hộ tán thành" in content
    assert_no_personal_data(content, village)


def test_a_draft_matter_is_not_public(client):
    village = village_with_households(2)
    matter = services.matter_propose(
        commune=village.commune,
        village=village,
        title="Chưa công bố",
        summary="…",
        category=Category.SELF_MANAGED,
        form=Form.MEETING,
        proposer=Proposer.VILLAGE_HEAD,
        by=officer_of(village.commune),
    )
    assert client.get(matter.get_absolute_url()).status_code == 404
    assert client.get(reverse("democracy:matter_document", kwargs={"pk": matter.pk})).status_code == 404


def test_documents_and_minutes_are_served_as_pdf_or_404(client):
    village = village_with_households(4)
    matter = meeting_matter(village, hours=-2)
    matter.document = SimpleUploadedFile("to-trinh.pdf", PDF, content_type="application/pdf")
    matter.save()
    response = client.get(reverse("democracy:matter_document", kwargs={"pk": matter.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    decision = matter.decisions.get()
    assert client.get(reverse("democracy:decision_minutes", kwargs={"pk": decision.pk})).status_code == 404
    services.meeting_record(
        decision=decision,
        present=4,
        votes_for=3,
        votes_against=1,
        votes_abstain=0,
        by=officer_of(village.commune),
        minutes=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
    )
    assert client.get(reverse("democracy:decision_minutes", kwargs={"pk": decision.pk})).status_code == 200
    content = client.get(matter.get_absolute_url()).content.decode()
    assert "Số hộ tham dự (quá một nửa)" in content


def test_convention_page_shows_the_version_in_force_and_earlier_ones(client):
    village = VillageFactory()
    convention = Convention.objects.create(village=village, kind=ConventionKind.QUY_UOC, title="Quy ước tổ dân phố")
    author = UserFactory()
    ConventionVersion.objects.create(
        convention=convention, number=1, text="Bản cũ.", status="superseded", created_by=author
    )
    current = ConventionVersion.objects.create(
        convention=convention,
        number=2,
        text="Bản đang có hiệu lực.",
        status="in_force",
        recognition_number="12/QĐ-UBND",
        in_force_from=datetime.date(2025, 9, 1),
        created_by=author,
    )
    ConventionVersion.objects.create(convention=convention, number=3, text="Nháp riêng.", created_by=author)
    content = client.get(reverse("democracy:convention_detail", kwargs={"pk": convention.pk})).content.decode()
    assert "Bản đang có hiệu lực." in content and "12/QĐ-UBND" in content
    assert "Bản cũ." in content
    assert "Nháp riêng." not in content  # a draft not yet posted for comments
    assert client.get(reverse("democracy:convention_document", kwargs={"pk": current.pk})).status_code == 404
