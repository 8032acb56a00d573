"""The staff pages of feedback: a commune's queue, an item and its actions, the overdue list, the
province's categories, and what each costs in queries."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from PIL import Image

from accounts.models import Role
from core import clock
from core.workdays import add_working_days
from feedback.forms.staff import DUPLICATE_CODE_MISSING, DUPLICATE_UNKNOWN
from feedback.models import Category, Event, Feedback, RefusalReason, Status
from feedback.services import (
    feedback_accept,
    feedback_dispute,
    feedback_extend,
    feedback_redact,
    feedback_resolve,
    feedback_start,
    format_code,
)
from feedback.services.categories import UNKNOWN_CATEGORY
from feedback.services.workflow import CANNOT
from feedback.views.backoffice import QUEUE_PAGE_SIZE
from tests.communes.factories import ProvinceFactory
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import UserFactory, user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

PHONE = "0912 345 678"
ORIGINAL_TITLE = "Ông chủ tịch xã Nguyễn Văn Tám ăn hối lộ"
ORIGINAL_DESCRIPTION = "Số nhà 12, điện thoại 0987 654 321: đường trước nhà bị ngập."


def image(name: str = "anh.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def category(places):  # noqa: F811 - the fixture imported above
    return CategoryFactory(province=places.province, name="Giao thông", time_limit_days=10)


@pytest.fixture
def officer(places):  # noqa: F811
    return user_with_role(Role.COMMUNE_OFFICER, places.commune)


@pytest.fixture
def item(places, category) -> Feedback:  # noqa: F811
    return submitted(
        commune=places.commune,
        category=category,
        title=ORIGINAL_TITLE,
        description=ORIGINAL_DESCRIPTION,
        photos=[image("mot.jpg"), image("hai.jpg")],
        contact_phone=PHONE,
    )


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def later(monkeypatch):
    """Move the portal's clock ``days`` days ahead: items come due without touching them."""
    real = clock.today

    def move(days: int) -> datetime.date:
        monkeypatch.setattr(clock, "today", lambda: real() + datetime.timedelta(days=days))
        return clock.today()

    return move


def act_url(item: Feedback, action: str) -> str:
    return reverse("feedback:act", kwargs={"code": item.code, "action": action})


def detail_url(item: Feedback) -> str:
    return reverse("feedback:detail", kwargs={"code": item.code})


def messages_of(response, level: int) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == level]


def snapshot(item: Feedback) -> dict:
    stored = Feedback.objects.get(pk=item.pk)
    return {
        "row": {
            name: getattr(stored, name)
            for name in (
                "status",
                "due_date",
                "public_title",
                "public_description",
                "answer",
                "forwarded_to",
                "refusal_reason",
                "duplicate_of_id",
                "extension_reason",
            )
        },
        "events": list(Event.objects.filter(feedback=item).values_list("kind", "status")),
        "hidden": list(stored.photos.filter(hidden=True).values_list("pk", flat=True)),
        "history": stored.history.count(),
    }


def accepted(item, by):
    feedback_accept(feedback=item, by=by)


# --- Each action's happy path -------------------------------------------------------------------

HAPPY = [
    # action, what happened before, the form, the status after, the event written
    ("accept", None, {}, Status.ACCEPTED, Event.Kind.STATUS),
    (
        "refuse",
        None,
        {"reason": RefusalReason.NOT_FEEDBACK, "public_text": "Đây là đơn khiếu nại, xin gửi Thanh tra huyện."},
        Status.REFUSED,
        Event.Kind.STATUS,
    ),
    ("start", accepted, {"public_text": "Đã giao cán bộ địa chính."}, Status.IN_PROGRESS, Event.Kind.STATUS),
    (
        "forward",
        None,
        {"to_unit": "Công ty Điện lực Bắc Giang", "public_text": "Việc của ngành điện."},
        Status.FORWARDED,
        Event.Kind.FORWARDED,
    ),
    (
        "extend",
        None,
        {"working_days": "5", "reason": "Cần khảo sát hiện trường."},
        Status.RECEIVED,
        Event.Kind.EXTENDED,
    ),
    ("resolve", accepted, {"answer": "Đã vá ổ gà ngày 3/11."}, Status.RESOLVED, Event.Kind.STATUS),
    ("close", accepted, {"reason": "Cần vốn của tỉnh; đã đề xuất."}, Status.CLOSED_UNRESOLVED, Event.Kind.STATUS),
    (
        "redact",
        None,
        {"public_title": "Đường trước nhà bị ngập", "public_description": "Đường bị ngập khi mưa."},
        Status.RECEIVED,
        Event.Kind.REDACTED,
    ),
]


@pytest.mark.parametrize(("action", "before", "fields", "status", "kind"), HAPPY, ids=[case[0] for case in HAPPY])
def test_officer_carries_out_each_action_and_returns_to_the_item(
    signed_in, officer, item, action, before, fields, status, kind
):
    if before:
        before(item, officer)

    response = signed_in.post(act_url(item, action), fields)

    assert response.status_code == 302
    assert response.headers["Location"] == detail_url(item)
    item.refresh_from_db()
    assert item.status == status
    last = Event.objects.filter(feedback=item).latest("pk")
    assert (last.kind, last.by) == (kind, officer)
    (message,) = messages_of(response, message_levels.SUCCESS)
    assert format_code(item.code) in message


def test_extending_moves_the_due_date_by_working_days(signed_in, item):
    due = item.due_date

    response = signed_in.post(act_url(item, "extend"), {"working_days": "7", "reason": "Chờ ý kiến huyện."})

    item.refresh_from_db()
    assert item.due_date == add_working_days(due, 7)
    assert item.extension_reason == "Chờ ý kiến huyện."
    (message,) = messages_of(response, message_levels.SUCCESS)
    assert item.due_date.strftime("%d/%m/%Y") in message


def test_refusing_as_a_duplicate_takes_the_code_as_citizens_write_it(signed_in, places, category, item):  # noqa: F811
    earlier = submitted(commune=places.commune, category=category)

    response = signed_in.post(
        act_url(item, "refuse"),
        {
            "reason": RefusalReason.DUPLICATE,
            "duplicate_code": f" {format_code(earlier.code).lower()} ",
            "public_text": "Đã có phản ánh trước.",
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.refusal_reason, item.duplicate_of) == (Status.REFUSED, RefusalReason.DUPLICATE, earlier)


def test_forwarding_records_the_unit(signed_in, item):
    signed_in.post(act_url(item, "forward"), {"to_unit": "UBND huyện", "public_text": "Thẩm quyền huyện."})

    item.refresh_from_db()
    assert item.forwarded_to == "UBND huyện"


def test_redacting_hides_the_chosen_photos(signed_in, item):
    _first, second = item.photos.all()

    signed_in.post(
        act_url(item, "redact"),
        {
            "public_title": "Đường ngập",
            "public_description": "Đường ngập.",
            "hidden_photos": [second.pk],
        },
    )

    assert list(item.photos.filter(hidden=True)) == [second]
    item.refresh_from_db()
    assert (item.title, item.public_title) == (ORIGINAL_TITLE, "Đường ngập")


def test_redacting_with_the_original_text_left_as_it_is_keeps_no_public_copy(signed_in, item):
    first, _second = item.photos.all()

    signed_in.post(
        act_url(item, "redact"),
        {
            "public_title": ORIGINAL_TITLE,
            "public_description": ORIGINAL_DESCRIPTION,
            "hidden_photos": [first.pk],
        },
    )

    item.refresh_from_db()
    assert (item.public_title, item.public_description) == ("", "")
    assert list(item.photos.filter(hidden=True)) == [first]


# --- Bad input changes nothing ------------------------------------------------------------------

BAD = [
    # action, what happened before, the form, the field with the error (None: the service refused)
    ("accept", accepted, {}, None),
    ("refuse", None, {"reason": RefusalReason.DUPLICATE, "public_text": "Trùng."}, "duplicate_code"),
    (
        "refuse",
        None,
        {"reason": RefusalReason.DUPLICATE, "duplicate_code": "ZZZZ-9999", "public_text": "Trùng."},
        "duplicate_code",
    ),
    ("refuse", None, {"reason": "because", "public_text": "Không."}, "reason"),
    ("start", None, {"public_text": "Bắt đầu."}, None),
    ("forward", None, {"to_unit": "  ", "public_text": "Chuyển."}, "to_unit"),
    ("extend", None, {"working_days": "0", "reason": "Lâu."}, "working_days"),
    ("extend", None, {"working_days": "31", "reason": "Lâu."}, "working_days"),
    ("extend", None, {"working_days": "5", "reason": ""}, "reason"),
    ("resolve", accepted, {"answer": ""}, "answer"),
    ("resolve", None, {"answer": "Xong."}, None),
    ("close", accepted, {"reason": ""}, "reason"),
    ("redact", None, {"public_title": "x" * 201, "public_description": "Ngắn."}, "public_title"),
]


@pytest.mark.parametrize(
    ("action", "before", "fields", "field"), BAD, ids=[f"{case[0]}-{case[3] or 'refused'}" for case in BAD]
)
def test_bad_input_shows_the_item_again_with_the_error_and_changes_nothing(
    signed_in, officer, item, action, before, fields, field
):
    if before:
        before(item, officer)
    unchanged = snapshot(item)

    response = signed_in.post(act_url(item, action), fields)

    assert response.status_code == 200
    assert snapshot(item) == unchanged
    (form,) = [panel["form"] for panel in response.context["actions"] if panel["action"] == action]
    assert form.is_bound
    if field is None:
        (message,) = messages_of(response, message_levels.ERROR)
        assert form.non_field_errors() == [message]
    else:
        assert form.errors[field]
        assert not messages_of(response, message_levels.SUCCESS)


def test_accepting_twice_says_why_in_the_service_s_words(signed_in, officer, item):
    feedback_accept(feedback=item, by=officer)

    response = signed_in.post(act_url(item, "accept"))

    assert messages_of(response, message_levels.ERROR) == [str(CANNOT[Status.ACCEPTED])]


def test_duplicate_errors_name_the_problem(signed_in, item):
    missing = signed_in.post(act_url(item, "refuse"), {"reason": RefusalReason.DUPLICATE, "public_text": "Trùng."})
    unknown = signed_in.post(
        act_url(item, "refuse"),
        {"reason": RefusalReason.DUPLICATE, "duplicate_code": item.code, "public_text": "Trùng."},
    )

    def errors(response):
        (form,) = [p["form"] for p in response.context["actions"] if p["action"] == "refuse"]
        return form.errors["duplicate_code"]

    assert errors(missing) == [str(DUPLICATE_CODE_MISSING)]
    # An item is no duplicate of itself: its own code is not "another feedback".
    assert errors(unknown) == [str(DUPLICATE_UNKNOWN)]


# --- The item's page ----------------------------------------------------------------------------


def test_item_page_shows_the_forms_of_its_status_only(signed_in, officer, item):
    def actions():
        return [panel["action"] for panel in signed_in.get(detail_url(item)).context["actions"]]

    assert actions() == ["accept", "forward", "refuse", "extend", "redact"]
    feedback_accept(feedback=item, by=officer)
    assert actions() == ["start", "resolve", "forward", "refuse", "close", "extend", "redact"]
    feedback_start(feedback=item, by=officer)
    assert actions() == ["resolve", "forward", "close", "extend", "redact"]
    feedback_resolve(feedback=item, by=officer, answer="Xong.")
    assert actions() == ["redact"]


def test_item_page_shows_working_days_left_and_the_timeline_with_staff_notes(signed_in, officer, item, later):
    feedback_accept(feedback=item, by=officer)
    item.refresh_from_db()
    today = clock.today()

    response = signed_in.get(detail_url(item))

    due = response.context["due"]
    assert due.due_date == item.due_date
    assert add_working_days(today, due.days_left) == item.due_date
    assert not due.late
    page = response.content.decode()
    assert item.due_date.strftime("%d/%m/%Y") in page
    assert officer.full_name in page
    assert [event.kind for event in response.context["events"]] == [Event.Kind.SUBMITTED, Event.Kind.STATUS]

    later(40)
    response = signed_in.get(detail_url(item))
    assert response.context["due"].late
    assert response.context["due"].days_late > 0


def test_item_page_opens_with_the_code_as_printed(signed_in, item):
    printed = reverse("feedback:detail", kwargs={"code": format_code(item.code).lower()})

    response = signed_in.get(printed)

    assert response.status_code == 200
    assert response.context["feedback"] == item


def test_redaction_keeps_the_original_for_doha_and_officers_only(client, signed_in, places, item):  # noqa: F811
    signed_in.post(
        act_url(item, "redact"),
        {"public_title": "Phản ánh về đường ngập", "public_description": "Đường trước nhà bị ngập."},
    )
    doha = user_with_role(Role.DOHA_STAFF, places.province)
    reviewer = user_with_role(Role.DISTRICT_REVIEWER, places.district)

    officer_page = signed_in.get(detail_url(item)).content.decode()
    client.force_login(doha)
    doha_page = client.get(detail_url(item)).content.decode()
    client.force_login(reviewer)
    reviewer_page = client.get(detail_url(item)).content.decode()
    client.logout()
    public = client.get(reverse("feedback:track", kwargs={"code": item.code}))

    for page in (officer_page, doha_page):
        assert ORIGINAL_TITLE in page
        assert "Phản ánh về đường ngập" in page
    assert ORIGINAL_TITLE not in reviewer_page
    assert "Phản ánh về đường ngập" in reviewer_page
    assert public.status_code == 200
    assert ORIGINAL_TITLE not in public.content.decode()
    assert "Phản ánh về đường ngập" in public.content.decode()


def test_photo_hidden_from_the_public_is_still_served_to_staff(signed_in, officer, item):
    photo = item.photos.first()
    signed_in.post(
        act_url(item, "redact"),
        {"public_title": "", "public_description": "", "hidden_photos": [photo.pk]},
    )

    response = signed_in.get(detail_url(item), {"photo": photo.pk})

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    assert signed_in.get(detail_url(item), {"photo": "x"}).status_code == 404


# --- The queue ----------------------------------------------------------------------------------


def queue_url(commune) -> str:
    return reverse("feedback:queue", kwargs={"pk": commune.pk})


def day_after_limit(working_days: int) -> int:
    """How many days from today until an item with this time limit, sent today, is one day late."""
    today = clock.today()
    return (add_working_days(today, working_days) - today).days + 1


def test_queue_lists_late_items_first_then_open_ones_by_due_date(signed_in, officer, places, category, later):  # noqa: F811
    short = CategoryFactory(province=places.province, name="Khẩn", time_limit_days=2)
    done = submitted(commune=places.commune, category=short, title="Xong")
    feedback_accept(feedback=done, by=officer)
    feedback_resolve(feedback=done, by=officer, answer="Đã xong.")
    slow = submitted(commune=places.commune, category=category, title="Chậm")
    quick = submitted(commune=places.commune, category=short, title="Gấp")
    later(day_after_limit(2))  # the two working days are over, the ten are not

    response = signed_in.get(queue_url(places.commune))

    rows = list(response.context["page"].object_list)
    assert rows == [quick, slow, done]
    assert [row.late for row in rows] == [True, False, False]
    assert "Chậm" in response.content.decode()


def test_queue_filters_by_status_category_lateness_and_text(signed_in, officer, places, category, later):  # noqa: F811
    other_category = CategoryFactory(province=places.province, name="Môi trường", time_limit_days=2)
    road = submitted(commune=places.commune, category=category, title="Ổ gà đường thôn Đông")
    rubbish = submitted(commune=places.commune, category=other_category, title="Rác ở bờ sông")
    feedback_accept(feedback=road, by=officer)
    later(day_after_limit(2))

    def codes(**params):
        response = signed_in.get(queue_url(places.commune), params)
        assert response.status_code == 200
        return {row.code for row in response.context["page"].object_list}

    assert codes() == {road.code, rubbish.code}
    assert codes(status="accepted") == {road.code}
    assert codes(status="open") == {road.code, rubbish.code}
    assert codes(category=other_category.pk) == {rubbish.code}
    assert codes(overdue="on") == {rubbish.code}
    assert codes(q="gà đường") == {road.code}
    assert codes(q=format_code(rubbish.code).lower()) == {rubbish.code}
    # A filter that makes no sense is ignored and shown with its error.
    assert codes(status="lost") == {road.code, rubbish.code}


def test_queue_search_reads_the_original_title_only_for_who_may_see_it(client, officer, places, item):  # noqa: F811
    feedback_redact(feedback=item, by=officer, public_title="Đường ngập", public_description="Đường ngập.")
    reviewer = user_with_role(Role.DISTRICT_REVIEWER, places.district)

    def found(user, text):
        client.force_login(user)
        return list(client.get(queue_url(places.commune), {"q": text}).context["page"].object_list)

    assert found(officer, "hối lộ") == [item]
    assert found(officer, "ngập") == [item]
    assert found(reviewer, "hối lộ") == []
    assert found(reviewer, "ngập") == [item]


def test_queue_of_today_s_ward_lists_the_feedback_of_the_communes_it_replaced(client, places, category):  # noqa: F811
    old = submitted(commune=places.commune, category=category)
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, places.new_commune))

    response = client.get(queue_url(places.new_commune))

    assert list(response.context["page"].object_list) == [old]
    assert response.context["can_work"]


def test_queue_is_read_only_for_a_district_reviewer(client, places, item):  # noqa: F811
    client.force_login(user_with_role(Role.DISTRICT_REVIEWER, places.district))

    response = client.get(queue_url(places.commune))

    assert response.status_code == 200
    assert not response.context["can_work"]
    assert f"{detail_url(item)}#actions" not in response.content.decode()


def test_queue_pages_by_25(signed_in, places, category):  # noqa: F811
    for n in range(QUEUE_PAGE_SIZE + 1):
        submitted(commune=places.commune, category=category, title=f"Phản ánh {n}")

    first = signed_in.get(queue_url(places.commune), {"status": "open"})
    second = signed_in.get(queue_url(places.commune), {"status": "open", "page": 2})

    assert len(first.context["page"].object_list) == QUEUE_PAGE_SIZE
    assert len(second.context["page"].object_list) == 1
    assert "status=open&amp;page=2" in first.content.decode()


# --- Overdue and disputed items -----------------------------------------------------------------


def overdue_codes(client, user) -> set[str]:
    client.force_login(user)
    response = client.get(reverse("feedback:overdue"))
    assert response.status_code == 200
    return {row.code for row in response.context["page"].object_list}


def test_overdue_page_shows_an_item_to_the_reviewer_of_its_district_only(client, places, category, later):  # noqa: F811
    here = submitted(commune=places.commune, category=category)
    there = submitted(commune=places.other_commune, category=category)
    later(30)

    assert overdue_codes(client, user_with_role(Role.DISTRICT_REVIEWER, places.district)) == {here.code}
    assert overdue_codes(client, user_with_role(Role.DISTRICT_REVIEWER, places.other_district)) == {there.code}
    assert overdue_codes(client, user_with_role(Role.COMMUNE_OFFICER, places.new_commune)) == {here.code}
    assert overdue_codes(client, user_with_role(Role.DOHA_STAFF, places.new_province)) == {here.code, there.code}
    assert overdue_codes(client, user_with_role(Role.PROVINCIAL_LEADER, places.elsewhere)) == set()


def test_overdue_page_leaves_out_items_not_yet_due_or_finished(client, officer, places, category, later):  # noqa: F811
    finished = submitted(commune=places.commune, category=category)
    feedback_accept(feedback=finished, by=officer)
    feedback_resolve(feedback=finished, by=officer, answer="Xong.")
    submitted(commune=places.commune, category=category)

    assert overdue_codes(client, officer) == set()
    assert gettext("No feedback is overdue. Well done.") in client.get(reverse("feedback:overdue")).content.decode()
    later(30)
    assert len(overdue_codes(client, officer)) == 1


def test_overdue_page_lists_disputed_items_until_someone_answers_again(client, officer, places, item):  # noqa: F811
    feedback_accept(feedback=item, by=officer)
    feedback_resolve(feedback=item, by=officer, answer="Đã xử lý.")
    feedback_dispute(feedback=item, reason="Vẫn còn ngập.")
    reviewer = user_with_role(Role.DISTRICT_REVIEWER, places.district)
    client.force_login(reviewer)

    assert client.get(reverse("feedback:overdue")).context["disputed"] == [item]
    client.force_login(user_with_role(Role.DISTRICT_REVIEWER, places.other_district))
    assert client.get(reverse("feedback:overdue")).context["disputed"] == []

    feedback_extend(feedback=item, by=officer, working_days=2, reason="Chờ khảo sát.")
    client.force_login(reviewer)
    assert client.get(reverse("feedback:overdue")).context["disputed"] == [item]
    feedback_resolve(feedback=item, by=officer, answer="Đã hút nước và nạo vét.")
    assert client.get(reverse("feedback:overdue")).context["disputed"] == []


# --- Categories ---------------------------------------------------------------------------------


def categories_url(province) -> str:
    return reverse("feedback:categories", kwargs={"pk": province.pk})


def category_post(rows: list[dict], *, initial: int) -> dict:
    data = {"categories-TOTAL_FORMS": str(len(rows)), "categories-INITIAL_FORMS": str(initial)}
    for n, row in enumerate(rows):
        for name, value in row.items():
            if value is True:
                data[f"categories-{n}-{name}"] = "on"
            elif value is not False and value is not None:
                data[f"categories-{n}-{name}"] = str(value)
    return data


def row(category=None, **values) -> dict:
    """A row as the browser sends it; an empty new row keeps the form's initial values."""
    base = {"id": "", "name": "", "time_limit_days": 10, "position": 0, "active": True}
    if category is not None:
        base |= {
            "id": category.pk,
            "name": category.name,
            "time_limit_days": category.time_limit_days,
            "position": category.position,
            "active": category.active,
        }
    return base | values


@pytest.fixture
def doha(client, places):  # noqa: F811
    user = user_with_role(Role.DOHA_STAFF, places.province)
    client.force_login(user)
    return user


def test_doha_changes_a_category_and_adds_one(client, doha, places, category):  # noqa: F811
    response = client.get(categories_url(places.province))
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 1 + 3

    response = client.post(
        categories_url(places.province),
        category_post(
            [
                row(category, time_limit_days=15, active=False),
                row(name="Môi trường", time_limit_days=7, position=2, active=True),
                row(),
            ],
            initial=1,
        ),
    )

    assert response.status_code == 302
    stored = {
        c.name: (c.time_limit_days, c.position, c.active) for c in Category.objects.filter(province=places.province)
    }
    assert stored == {"Giao thông": (15, category.position, False), "Môi trường": (7, 2, True)}
    assert category.history.latest().history_user == doha
    (message,) = messages_of(response, message_levels.SUCCESS)
    assert str(places.province) in message


def test_categories_refuse_a_zero_day_limit_and_save_nothing(client, doha, places, category):  # noqa: F811
    response = client.post(
        categories_url(places.province),
        category_post(
            [row(category, name="Đổi tên"), row(name="Mới", time_limit_days=0, position=1, active=True)], initial=1
        ),
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["time_limit_days"]
    assert list(Category.objects.filter(province=places.province)) == [category]
    assert Category.objects.get(pk=category.pk).name == "Giao thông"


def test_categories_refuse_a_name_twice_and_save_nothing(client, doha, places, category):  # noqa: F811
    response = client.post(
        categories_url(places.province),
        category_post(
            [row(category, time_limit_days=20), row(name="Giao thông", time_limit_days=5, position=1, active=True)],
            initial=1,
        ),
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[1].non_field_errors()
    assert Category.objects.get(pk=category.pk).time_limit_days == 10
    assert Category.objects.filter(province=places.province).count() == 1


def test_categories_of_another_province_cannot_be_changed_through_a_posted_id(client, doha, places, category):  # noqa: F811
    foreign = CategoryFactory(province=ProvinceFactory(), name="Của tỉnh khác", time_limit_days=10)

    response = client.post(categories_url(places.province), category_post([row(foreign, time_limit_days=1)], initial=1))

    assert response.status_code == 200
    assert response.context["formset"].forms[0].non_field_errors() == [str(UNKNOWN_CATEGORY)]
    assert Category.objects.get(pk=foreign.pk).time_limit_days == 10


# --- Constant query counts ----------------------------------------------------------------------


def queries_for(client, path, django_assert_max_num_queries, **params) -> int:
    with django_assert_max_num_queries(60) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_queue_costs_the_same_queries_for_two_items_as_for_twenty(
    signed_in,
    places,  # noqa: F811
    category,
    later,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    def add(count):
        for n in range(count):
            submitted(commune=places.commune, category=category, title=f"Phản ánh {n}")

    add(2)
    later(30)
    params = {"status": "open", "category": category.pk, "q": "phản"}
    two = queries_for(signed_in, queue_url(places.commune), django_assert_max_num_queries, **params)
    add(18)

    with django_assert_num_queries(two):
        response = signed_in.get(queue_url(places.commune), params)
    assert len(response.context["page"].object_list) == 20


def test_overdue_page_costs_the_same_queries_for_two_items_as_for_twenty(
    client,
    places,  # noqa: F811
    category,
    later,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    client.force_login(user_with_role(Role.DOHA_STAFF, places.province))
    communes = [places.commune, places.other_commune]

    def add_overdue(count):
        later(-40)  # sent forty days ago
        for n in range(count):
            submitted(commune=communes[n % 2], category=category)
        later(0)

    add_overdue(2)
    two = queries_for(client, reverse("feedback:overdue"), django_assert_max_num_queries)
    add_overdue(18)

    with django_assert_num_queries(two):
        response = client.get(reverse("feedback:overdue"))
    assert response.context["page"].paginator.count == 20


def test_item_page_costs_the_same_queries_for_one_event_as_for_ten(
    signed_in, officer, item, django_assert_num_queries, django_assert_max_num_queries
):
    one = queries_for(signed_in, detail_url(item), django_assert_max_num_queries)
    for _n in range(9):
        feedback_extend(feedback=item, by=officer, working_days=1, reason="Thêm một ngày.")

    with django_assert_num_queries(one):
        response = signed_in.get(detail_url(item))
    assert len(response.context["events"]) == 10


def test_the_submitters_account_is_named_only_to_who_may_see_the_contact_details(client, places, category):  # noqa: F811
    citizen = UserFactory(full_name="Đinh Thị Thu Hà")
    item = submitted(commune=places.commune, category=category, submitter=citizen, contact_name="")
    officer = user_with_role(Role.COMMUNE_OFFICER, places.commune)
    reviewer = user_with_role(Role.DISTRICT_REVIEWER, places.district)

    client.force_login(officer)
    officer_page = client.get(detail_url(item)).content.decode()
    client.force_login(reviewer)
    reviewer_page = client.get(detail_url(item)).content.decode()

    assert "Đinh Thị Thu Hà" in officer_page  # VIEW_CONTACT: the commune's officers
    assert "Đinh Thị Thu Hà" not in reviewer_page and citizen.email not in reviewer_page
