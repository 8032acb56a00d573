"""Feedback services: submission rules, the status workflow, ratings, disputes and the overdue sweep."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from accounts.models import Role
from core import clock
from core.workdays import add_working_days, is_working_day
from feedback.models import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    TRANSITIONS,
    Event,
    Feedback,
    Notification,
    Photo,
    RefusalReason,
    Status,
)
from feedback.rules import action_key_valid
from feedback.services import (
    CODE_ALPHABET,
    FeedbackError,
    code_new,
    feedback_accept,
    feedback_close_unresolved,
    feedback_dispute,
    feedback_extend,
    feedback_forward,
    feedback_mark_overdue,
    feedback_rate,
    feedback_redact,
    feedback_refuse,
    feedback_resolve,
    feedback_start,
    format_code,
    forwarded_in_time,
    normalise_code,
    pending_key_new,
    pending_key_read,
    pending_photo_open,
    pending_photos_keep,
    pending_photos_list,
)
from feedback.services import pending_photos as pending_module
from feedback.services import submission as submission_module
from feedback.services.pending_photos import PENDING_FOLDER
from feedback.services.submission import CATEGORY_NOT_OPEN, CONSENT_REQUIRED, RATE_LIMIT_DAY, RATE_LIMIT_HOUR
from feedback.services.workflow import CANNOT, CANNOT_DISPUTE, CANNOT_EXTEND, CANNOT_RATE, DISPUTE_WINDOW_OVER
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.conftest import cache_keys_written
from tests.feedback.factories import CategoryFactory, submitted
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def photo(name="anh.jpg", *, gps=True, colour="green") -> SimpleUploadedFile:
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "Camera maker"
        exif[GPS_IFD] = {1: "N", 2: (21.0, 17.0, 0.0), 3: "E", 4: (106.0, 11.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def commune():
    return CommuneFactory(legacy=True)


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune, email="can-bo@example.com")


@pytest.fixture
def reviewer(commune):
    return user_with_role(Role.DISTRICT_REVIEWER, commune.district, email="huyen@example.com")


def templates_to(address: str) -> list[str]:
    return list(Notification.objects.filter(to=address).values_list("template", flat=True))


# --- Submission -------------------------------------------------------------------------------------


def test_feedback_submit_records_the_item_with_a_code_a_due_date_and_an_event(commune, officer):
    category = CategoryFactory(province=commune.province, time_limit_days=10)
    feedback = submitted(commune=commune, category=category, address="Thôn Trung", latitude=21.27, longitude=106.2)
    assert feedback.status == Status.RECEIVED
    assert len(feedback.code) == 8
    assert set(feedback.code) <= set(CODE_ALPHABET)
    assert feedback.due_date == add_working_days(clock.today(), 10)
    assert len(feedback.action_key) >= 32
    assert feedback.consent is True
    assert [event.kind for event in feedback.events.all()] == [Event.Kind.SUBMITTED]
    assert templates_to("an@example.com") == ["received"]
    assert templates_to("can-bo@example.com") == ["new_item"]


def test_feedback_submit_mails_a_signed_in_citizen_at_their_account_address(commune):
    citizen = UserFactory(email="cong-dan@example.com")
    feedback = submitted(commune=commune, contact_email="", submitter=citizen)
    assert feedback.submitter == citizen
    assert templates_to("cong-dan@example.com") == ["received"]


def test_feedback_submit_tells_the_officers_of_the_commune_that_replaced_this_one(commune):
    today_ward = CommuneFactory()
    commune.successors.add(today_ward)
    ward_officer = user_with_role(Role.COMMUNE_OFFICER, today_ward, email="phuong@example.com")
    other_officer = user_with_role(Role.COMMUNE_OFFICER, CommuneFactory(), email="khac@example.com")
    submitted(commune=commune)
    assert templates_to(ward_officer.email) == ["new_item"]
    assert templates_to(other_officer.email) == []


def test_feedback_submit_requires_consent(commune):
    with pytest.raises(FeedbackError) as error:
        submitted(commune=commune, consent=False)
    assert str(error.value) == str(CONSENT_REQUIRED)
    assert not Feedback.objects.exists()


def test_feedback_submit_asks_for_consent_only_when_personal_data_are_given(commune):
    anonymous = {"contact_name": "", "contact_email": "", "consent": False}

    kept_private = submitted(commune=commune, **anonymous)

    assert kept_private.consent is False
    for given in ({"contact_phone": "0912 345 678"}, {"latitude": "21.2", "longitude": "106.1"}):
        with pytest.raises(FeedbackError) as error:
            submitted(commune=commune, **anonymous, **given)
        assert str(error.value) == str(CONSENT_REQUIRED)
    with pytest.raises(FeedbackError):
        submitted(commune=commune, **anonymous, submitter=UserFactory())  # a signed-in sender's account
    assert Feedback.objects.count() == 1


def test_feedback_submit_attaches_the_kept_photos_once_and_then_removes_them(
    commune, settings, django_capture_on_commit_callbacks
):
    pending = pending_key_new()
    pending_photos_keep(token=pending.token, photos=[photo("a.jpg", colour="red"), photo("b.jpg", colour="blue")])

    with django_capture_on_commit_callbacks(execute=True):
        # The blue one chosen again, and a new one: the blue one is attached once.
        feedback = submitted(
            commune=commune,
            photos=[photo("b.jpg", colour="blue"), photo("c.jpg", colour="white")],
            pending_token=pending.token,
        )

    colours = []
    for stored in feedback.photos.all():
        with stored.image.open("rb") as file:
            colours.append(Image.open(file).convert("RGB").getpixel((5, 5)))
    named = ["white" if min(colour) > 200 else "red" if colour[0] > 200 else "blue" for colour in colours]
    assert sorted(named) == ["blue", "red", "white"]
    assert named[2] == "white"  # the kept ones first
    assert pending_photos_list(token=pending.token) == []
    assert not (settings.MEDIA_ROOT / PENDING_FOLDER / pending.token).exists()


def test_feedback_submit_refuses_more_than_three_photos_kept_and_new_together(commune):
    pending = pending_key_new()
    pending_photos_keep(token=pending.token, photos=[photo(f"{c}.jpg", colour=c) for c in ("red", "blue")])

    with pytest.raises(FeedbackError):
        submitted(
            commune=commune,
            photos=[photo("w.jpg", colour="white"), photo("k.jpg", colour="black")],
            pending_token=pending.token,
        )
    assert not Feedback.objects.exists()
    assert len(pending_photos_list(token=pending.token)) == 2  # still kept for the corrected form


def test_keeping_photos_cleans_them_and_keeps_each_once(commune):
    pending = pending_key_new()

    names = pending_photos_keep(token=pending.token, photos=[photo("a.jpg"), photo("a-again.jpg")])
    again = pending_photos_keep(token=pending.token, photos=[photo("a.jpg")])

    assert len(names) == 1 and again == names
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", names[0])
    with pending_photo_open(token=pending.token, name=names[0]) as file:
        assert len(Image.open(file).getexif()) == 0


def test_keeping_photos_is_limited_per_connection_before_any_is_decoded(commune, monkeypatch):
    pending = pending_key_new()
    decoded = []
    monkeypatch.setattr(pending_module, "PHOTOS_PER_HOUR", 2)
    pending_photos_keep(token=pending.token, photos=[photo("a.jpg"), photo("b.jpg")], client_ip="203.0.113.30")
    monkeypatch.setattr(pending_module, "clean_image", lambda upload: decoded.append(upload))

    with pytest.raises(FeedbackError) as error:
        pending_photos_keep(token=pending.token, photos=[photo("c.jpg", colour="red")], client_ip="203.0.113.30")

    assert str(error.value) == str(pending_module.TOO_MANY_KEPT)
    assert decoded == []


def test_a_forged_or_strange_pending_key_names_nothing():
    pending = pending_key_new()

    assert pending_key_read(pending.key) == pending
    for key in ("", None, pending.key + "x", "x" * 500, "../../etc", pending.key.replace(pending.key[:5], "AAAAA")):
        assert pending_key_read(key) is None
    with pytest.raises(ValueError):
        pending_photos_list(token="../private/feedback")


def test_feedback_submit_refuses_a_category_of_another_province(commune):
    category = CategoryFactory(province=ProvinceFactory())
    with pytest.raises(FeedbackError) as error:
        submitted(commune=commune, category=category)
    assert str(error.value) == str(CATEGORY_NOT_OPEN)


def test_feedback_submit_refuses_a_closed_category(commune):
    category = CategoryFactory(province=commune.province, active=False)
    with pytest.raises(FeedbackError, match=str(CATEGORY_NOT_OPEN)):
        submitted(commune=commune, category=category)


def test_feedback_submit_accepts_a_commune_in_force_today():
    feedback = submitted(commune=CommuneFactory())
    assert feedback.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "   "),
        ("title", "x" * (TITLE_MAX + 1)),
        ("description", ""),
        ("description", "x" * (DESCRIPTION_MAX + 1)),
        ("contact_email", "not-an-address"),
        ("contact_phone", "call me"),
        ("latitude", 123),
    ],
)
def test_feedback_submit_refuses_bad_input(commune, field, value):
    with pytest.raises(FeedbackError):
        submitted(commune=commune, **{field: value})
    assert not Feedback.objects.exists()


def test_feedback_submit_refuses_a_latitude_without_a_longitude(commune):
    with pytest.raises(FeedbackError):
        submitted(commune=commune, latitude=21.2)


def test_feedback_submit_keeps_up_to_three_photos_without_their_gps_data(commune):
    feedback = submitted(commune=commune, photos=[photo("a.jpg"), photo("b.jpg"), photo("c.jpg")])
    photos = list(feedback.photos.all())
    assert len(photos) == 3
    for stored in photos:
        # A random private name (tests/feedback/test_files.py): neither the code nor the sent name.
        assert re.fullmatch(r"private/feedback/[0-9a-f]{32}\.jpg", stored.image.name)
        with stored.image.open("rb") as file:
            assert len(Image.open(file).getexif()) == 0


def test_feedback_submit_refuses_a_fourth_photo(commune):
    with pytest.raises(FeedbackError):
        submitted(commune=commune, photos=[photo() for _i in range(4)])
    assert not Photo.objects.exists()


def test_feedback_submit_refuses_a_file_that_is_no_photo(commune):
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(FeedbackError):
        submitted(commune=commune, photos=[fake])
    assert not Feedback.objects.exists()


def test_feedback_submit_with_the_same_token_twice_makes_one_item(commune):
    first = submitted(commune=commune, submission_token="tok-123")
    again = submitted(commune=commune, submission_token="tok-123", title="Bấm gửi lần hai")
    assert again.pk == first.pk
    assert again.title == first.title
    assert Feedback.objects.count() == 1
    assert Event.objects.count() == 1
    assert templates_to("an@example.com") == ["received"]


def test_feedback_submit_racing_on_the_same_token_returns_the_item_the_other_request_made(commune, monkeypatch):
    first = submitted(commune=commune, submission_token="tok-race")
    real = submission_module._by_token
    calls = []

    def not_yet_seen(token):
        # The first look finds nothing, as when both requests check before either has inserted.
        calls.append(token)
        return None if len(calls) == 1 else real(token)

    monkeypatch.setattr(submission_module, "_by_token", not_yet_seen)
    again = submitted(commune=commune, submission_token="tok-race")
    assert again.pk == first.pk
    assert Feedback.objects.count() == 1


def test_feedback_submit_limits_each_address_to_five_an_hour(commune):
    for _i in range(5):
        submitted(commune=commune, client_ip="203.0.113.7")
    with pytest.raises(FeedbackError) as error:
        submitted(commune=commune, client_ip="203.0.113.7")
    assert str(error.value) == str(RATE_LIMIT_HOUR)
    assert Feedback.objects.count() == 5
    submitted(commune=commune, client_ip="203.0.113.8")  # another address is not held back
    # The cache, whichever is configured (Redis in CI), counted the address but never holds it.
    keys = cache_keys_written()
    assert any("rate:submit:hour" in key for key in keys)
    assert not any("203.0.113.7" in key for key in keys)


def test_an_address_past_its_limit_has_no_photo_decoded(commune, monkeypatch):
    for _i in range(5):
        submitted(commune=commune, client_ip="203.0.113.20")
    decoded = []
    monkeypatch.setattr(submission_module, "clean_image", lambda upload: decoded.append(upload))
    with pytest.raises(FeedbackError) as error:
        submitted(commune=commune, client_ip="203.0.113.20", photos=[photo(), photo("b.jpg")])
    assert str(error.value) == str(RATE_LIMIT_HOUR)
    assert decoded == []


def test_a_photo_too_large_is_refused_from_its_header_and_uses_no_attempt(commune):
    buffer = io.BytesIO()
    Image.new("1", (6400, 6400), 1).save(buffer, format="PNG")  # 41 MP in about 130 KB
    huge = SimpleUploadedFile("lon.png", buffer.getvalue(), content_type="image/png")
    for _i in range(5):
        with translation.override("en"), pytest.raises(FeedbackError) as error:
            submitted(commune=commune, client_ip="203.0.113.21", photos=[huge])
        assert "too large: at most 40 megapixels" in str(error.value)
    assert Feedback.objects.count() == 0
    submitted(commune=commune, client_ip="203.0.113.21", photos=[photo()])


def test_a_retried_submission_does_not_count_against_the_limit(commune):
    for _i in range(5):
        submitted(commune=commune, client_ip="203.0.113.9", submission_token="same")
    assert Feedback.objects.count() == 1
    submitted(commune=commune, client_ip="203.0.113.9")


def test_feedback_submit_limits_each_address_to_twenty_a_day(commune, monkeypatch):
    monkeypatch.setattr(submission_module, "RATE_LIMITS", (("hour", 100, 3600), ("day", 20, 86400)))
    for _i in range(20):
        submitted(commune=commune, client_ip="2001:db8::1")
    with pytest.raises(FeedbackError) as error:
        submitted(commune=commune, client_ip="2001:db8::1")
    assert str(error.value) == str(RATE_LIMIT_DAY)


def test_tracking_codes_are_random_unambiguous_and_printed_in_two_halves(commune):
    codes = [code_new() for _i in range(300)]
    assert len(set(codes)) == 300
    assert all(len(code) == 8 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("01OILU") & set("".join(codes))
    first, second = submitted(commune=commune), submitted(commune=commune)
    # Not sequential: consecutive items share no visible pattern.
    assert sum(a != b for a, b in zip(first.code, second.code, strict=True)) >= 3
    assert format_code("ABCD2345") == "ABCD-2345"


def test_a_code_already_taken_is_drawn_again(commune, monkeypatch):
    taken = submitted(commune=commune).code
    draws = iter(taken + "ABCDEFGH")
    monkeypatch.setattr(submission_module.secrets, "choice", lambda alphabet: next(draws))
    assert code_new() == "ABCDEFGH"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("abcd-2345", "ABCD2345"), (" ABCD 2345 ", "ABCD2345"), ("abcd–2345", "ABCD2345"), ("", "")],
)
def test_normalise_code_strips_spaces_and_dashes_and_uppercases(typed, stored):
    assert normalise_code(typed) == stored


def test_the_action_key_is_checked_exactly(commune):
    feedback = submitted(commune=commune)
    assert action_key_valid(feedback, feedback.action_key)
    assert not action_key_valid(feedback, feedback.action_key[:-1])
    assert not action_key_valid(feedback, "")
    assert not action_key_valid(feedback, None)
    # Found by the API's fuzzing: a key with accents made secrets.compare_digest raise (a 500).
    assert not action_key_valid(feedback, "khóa-" + feedback.action_key[5:])


def test_the_due_date_skips_weekends_and_holidays(commune, monkeypatch):
    # Submitted on Friday 29 August 2025: 1 and 2 September are National Day, so 5 working days end on 9 September.
    monkeypatch.setattr(clock, "today", lambda *args: datetime.date(2025, 8, 29))
    category = CategoryFactory(province=commune.province, time_limit_days=5)
    feedback = submitted(commune=commune, category=category)
    assert feedback.due_date == datetime.date(2025, 9, 9)
    assert is_working_day(feedback.due_date)


# --- The workflow -----------------------------------------------------------------------------------

ACTIONS = {
    "accept": (Status.ACCEPTED, lambda f, by: feedback_accept(feedback=f, by=by)),
    "refuse": (
        Status.REFUSED,
        lambda f, by: feedback_refuse(
            feedback=f, by=by, reason=RefusalReason.NOT_FEEDBACK, public_text="Không phải phản ánh."
        ),
    ),
    "start": (Status.IN_PROGRESS, lambda f, by: feedback_start(feedback=f, by=by)),
    "forward": (
        Status.FORWARDED,
        lambda f, by: feedback_forward(feedback=f, by=by, to_unit="Công an huyện", public_text="Chuyển công an."),
    ),
    "resolve": (Status.RESOLVED, lambda f, by: feedback_resolve(feedback=f, by=by, answer="Đã sửa xong.")),
    "close": (
        Status.CLOSED_UNRESOLVED,
        lambda f, by: feedback_close_unresolved(feedback=f, by=by, reason="Chưa có kinh phí."),
    ),
}

# The issue's table, written out: from each status, the actions an officer may take.
ALLOWED = {
    Status.RECEIVED: {"accept", "refuse", "forward"},
    Status.ACCEPTED: {"start", "refuse", "forward", "resolve", "close"},
    Status.IN_PROGRESS: {"resolve", "close", "forward"},
    Status.REFUSED: set(),
    Status.FORWARDED: set(),
    Status.RESOLVED: set(),
    Status.CLOSED_UNRESOLVED: set(),
}

PATHS = {
    Status.RECEIVED: [],
    Status.ACCEPTED: ["accept"],
    Status.IN_PROGRESS: ["accept", "start"],
    Status.REFUSED: ["refuse"],
    Status.FORWARDED: ["forward"],
    Status.RESOLVED: ["accept", "resolve"],
    Status.CLOSED_UNRESOLVED: ["accept", "close"],
}


def in_status(status, commune, officer, **kwargs) -> Feedback:
    feedback = submitted(commune=commune, **kwargs)
    for action in PATHS[status]:
        ACTIONS[action][1](feedback, officer)
    assert feedback.status == status
    return feedback


def test_the_transition_table_matches_the_issue():
    assert {status: {ACTIONS_BY_STATUS[target] for target in targets} for status, targets in TRANSITIONS.items()} == {
        status: set(actions) for status, actions in ALLOWED.items()
    }


ACTIONS_BY_STATUS = {target: action for action, (target, _call) in ACTIONS.items()}


@pytest.mark.parametrize("status", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_action_is_allowed_only_from_its_statuses(commune, officer, status, action):
    feedback = in_status(status, commune, officer)
    target, call = ACTIONS[action]
    if action in ALLOWED[status]:
        call(feedback, officer)
        assert feedback.status == target
        assert Feedback.objects.get(pk=feedback.pk).status == target
        event = feedback.events.filter(kind=Event.Kind.STATUS).last()
        assert (event.status, event.by) == (target, officer)
    else:
        events = feedback.events.count()
        with pytest.raises(FeedbackError) as error:
            call(feedback, officer)
        assert str(error.value) == str(CANNOT[target])
        assert Feedback.objects.get(pk=feedback.pk).status == status
        assert feedback.events.count() == events


def test_every_status_change_tells_the_submitter_in_the_items_language(commune, officer):
    feedback = submitted(commune=commune, language="en")
    feedback_accept(feedback=feedback, by=officer)
    feedback_start(feedback=feedback, by=officer, public_text="Đội công trình đã nhận việc.")
    feedback_resolve(feedback=feedback, by=officer, answer="Đã thay bóng đèn.")
    assert templates_to("an@example.com") == ["received", "status_changed", "status_changed", "status_changed"]
    assert set(Notification.objects.filter(to="an@example.com").values_list("language", flat=True)) == {"en"}


def test_a_status_change_without_an_address_tells_nobody(commune, officer):
    feedback = submitted(commune=commune, contact_email="", contact_phone="0912 345 678")
    feedback_accept(feedback=feedback, by=officer)
    assert not Notification.objects.filter(template="status_changed").exists()


def test_the_service_acts_on_the_saved_status_not_a_stale_copy(commune, officer):
    feedback = submitted(commune=commune)
    stale = Feedback.objects.get(pk=feedback.pk)
    feedback_refuse(feedback=feedback, by=officer, reason=RefusalReason.NOT_FEEDBACK, public_text="Không phải.")
    with pytest.raises(FeedbackError):
        feedback_accept(feedback=stale, by=officer)


def test_feedback_refuse_as_duplicate_needs_the_original(commune, officer):
    original = submitted(commune=commune)
    feedback = submitted(commune=commune)
    with pytest.raises(FeedbackError):
        feedback_refuse(feedback=feedback, by=officer, reason=RefusalReason.DUPLICATE, public_text="Trùng.")
    with pytest.raises(FeedbackError):
        feedback_refuse(
            feedback=feedback, by=officer, reason=RefusalReason.DUPLICATE, public_text="Trùng.", duplicate_of=feedback
        )
    feedback_refuse(
        feedback=feedback, by=officer, reason=RefusalReason.DUPLICATE, public_text="Trùng.", duplicate_of=original
    )
    feedback.refresh_from_db()
    assert (feedback.status, feedback.refusal_reason, feedback.duplicate_of) == (
        Status.REFUSED,
        RefusalReason.DUPLICATE,
        original,
    )


def test_feedback_refuse_out_of_scope_with_a_public_explanation(commune, officer):
    feedback = submitted(commune=commune)
    feedback_refuse(
        feedback=feedback,
        by=officer,
        reason=RefusalReason.OUT_OF_SCOPE,
        public_text="Thuộc thẩm quyền của Điện lực.",
        duplicate_of=submitted(commune=commune),
    )
    assert feedback.refusal_reason == RefusalReason.OUT_OF_SCOPE
    assert feedback.duplicate_of is None
    assert feedback.events.last().public_text == "Thuộc thẩm quyền của Điện lực."


@pytest.mark.parametrize(("reason", "public_text"), [("bogus", "Lý do."), (RefusalReason.NOT_FEEDBACK, "  ")])
def test_feedback_refuse_needs_a_known_reason_and_a_public_text(commune, officer, reason, public_text):
    feedback = submitted(commune=commune)
    with pytest.raises(FeedbackError):
        feedback_refuse(feedback=feedback, by=officer, reason=reason, public_text=public_text)
    assert Feedback.objects.get(pk=feedback.pk).status == Status.RECEIVED


def test_feedback_forward_says_to_whom_and_whether_in_time(commune, officer):
    feedback = submitted(commune=commune)
    feedback_forward(feedback=feedback, by=officer, to_unit="Điện lực Việt Yên", public_text="Chuyển Điện lực.")
    assert feedback.forwarded_to == "Điện lực Việt Yên"
    forwarded = feedback.events.get(kind=Event.Kind.FORWARDED)
    assert forwarded.public_text == "Điện lực Việt Yên"
    assert forwarded.note == "in time"
    assert forwarded_in_time(feedback, forwarded.at)


def test_feedback_forward_late_is_marked_late(commune, officer):
    feedback = submitted(commune=commune)
    Feedback.objects.filter(pk=feedback.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=15))
    feedback.refresh_from_db()
    feedback_forward(feedback=feedback, by=officer, to_unit="Công an huyện", public_text="Chuyển công an.")
    assert feedback.events.get(kind=Event.Kind.FORWARDED).note == "late"


def test_feedback_forward_needs_a_unit(commune, officer):
    with pytest.raises(FeedbackError):
        feedback_forward(feedback=submitted(commune=commune), by=officer, to_unit=" ", public_text="Chuyển.")


def test_feedback_extend_moves_the_due_date_by_working_days(commune, officer):
    feedback = in_status(Status.ACCEPTED, commune, officer)
    due = feedback.due_date
    feedback_extend(feedback=feedback, by=officer, working_days=5, reason="Chờ ý kiến của huyện.")
    assert feedback.due_date == add_working_days(due, 5)
    assert feedback.extension_reason == "Chờ ý kiến của huyện."
    event = feedback.events.get(kind=Event.Kind.EXTENDED)
    assert event.public_text == "Chờ ý kiến của huyện."
    assert feedback.status == Status.ACCEPTED
    assert templates_to("an@example.com")[-1] == "status_changed"


@pytest.mark.parametrize(("days", "reason"), [(5, ""), (0, "Lý do"), (-1, "Lý do"), (91, "Lý do"), ("3", "Lý do")])
def test_feedback_extend_needs_a_reason_and_a_sensible_number_of_days(commune, officer, days, reason):
    feedback = submitted(commune=commune)
    with pytest.raises(FeedbackError):
        feedback_extend(feedback=feedback, by=officer, working_days=days, reason=reason)


def test_a_closed_feedback_cannot_be_extended(commune, officer):
    feedback = in_status(Status.RESOLVED, commune, officer)
    with pytest.raises(FeedbackError, match=str(CANNOT_EXTEND)):
        feedback_extend(feedback=feedback, by=officer, working_days=3, reason="Lý do")


def test_feedback_resolve_records_the_answer_and_when(commune, officer):
    feedback = in_status(Status.IN_PROGRESS, commune, officer)
    with pytest.raises(FeedbackError):
        feedback_resolve(feedback=feedback, by=officer, answer="")
    feedback_resolve(feedback=feedback, by=officer, answer="Đã thay bóng đèn LED.")
    assert feedback.answer == "Đã thay bóng đèn LED."
    assert feedback.answered_at is not None
    assert Notification.objects.filter(template="status_changed").last().context["answer"] == "Đã thay bóng đèn LED."


def test_feedback_close_unresolved_is_another_outcome(commune, officer):
    feedback = in_status(Status.IN_PROGRESS, commune, officer)
    with pytest.raises(FeedbackError):
        feedback_close_unresolved(feedback=feedback, by=officer, reason=" ")
    feedback_close_unresolved(feedback=feedback, by=officer, reason="Ngoài khả năng ngân sách năm nay.")
    assert feedback.status == Status.CLOSED_UNRESOLVED
    assert feedback.answered_at is not None


def test_feedback_redact_keeps_the_original_and_says_nothing_of_it(commune, officer):
    feedback = submitted(commune=commune, title="Ông Nguyễn Văn B nhận hối lộ", photos=[photo(), photo()])
    first, _second = feedback.photos.all()
    feedback_redact(
        feedback=feedback,
        by=officer,
        public_title="Phản ánh về thái độ cán bộ",
        public_description="Nội dung đã được biên tập.",
        hidden_photo_ids=[first.pk],
    )
    feedback.refresh_from_db()
    assert feedback.title == "Ông Nguyễn Văn B nhận hối lộ"
    assert feedback.shown_title == "Phản ánh về thái độ cán bộ"
    assert (feedback.redacted_by, feedback.redacted_at is not None) == (officer, True)
    event = feedback.events.get(kind=Event.Kind.REDACTED)
    assert (event.public_text, event.note, event.by) == ("", "", officer)
    assert list(feedback.photos.values_list("hidden", flat=True)) == [True, False]
    assert feedback.history.first().history_user == officer
    feedback_redact(feedback=feedback, by=officer, public_title="", public_description="", hidden_photo_ids=())
    feedback.refresh_from_db()
    assert feedback.shown_title == "Ông Nguyễn Văn B nhận hối lộ"
    assert not feedback.photos.filter(hidden=True).exists()


def test_feedback_redact_refuses_too_long_texts(commune, officer):
    with pytest.raises(FeedbackError):
        feedback_redact(
            feedback=submitted(commune=commune), by=officer, public_title="x" * (TITLE_MAX + 1), public_description=""
        )


# --- Rating and disputes ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED_UNRESOLVED])
def test_feedback_rate_after_an_answer_and_again_replaces(commune, officer, status):
    feedback = in_status(status, commune, officer)
    feedback_rate(feedback=feedback, rating=2, comment="Chậm.")
    feedback_rate(feedback=feedback, rating=5)
    feedback.refresh_from_db()
    assert feedback.rating == 5
    rated = list(feedback.events.filter(kind=Event.Kind.RATED))
    assert len(rated) == 2
    assert (rated[0].note, rated[0].public_text) == ("Chậm.", "")


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REFUSED])
def test_feedback_rate_before_an_answer_is_refused(commune, officer, status):
    with pytest.raises(FeedbackError, match=str(CANNOT_RATE)):
        feedback_rate(feedback=in_status(status, commune, officer), rating=4)


@pytest.mark.parametrize("rating", [0, 6, True, "5", None])
def test_feedback_rate_takes_one_to_five(commune, officer, rating):
    feedback = in_status(Status.RESOLVED, commune, officer)
    with pytest.raises(FeedbackError):
        feedback_rate(feedback=feedback, rating=rating)


def test_feedback_dispute_reopens_and_tells_the_district_reviewer(commune, officer, reviewer):
    feedback = in_status(Status.RESOLVED, commune, officer)
    feedback_dispute(feedback=feedback, reason="Đèn vẫn chưa sáng.")
    feedback.refresh_from_db()
    assert (feedback.status, feedback.disputes) == (Status.IN_PROGRESS, 1)
    assert feedback.due_date >= clock.today()
    event = feedback.events.get(kind=Event.Kind.DISPUTED)
    assert (event.public_text, event.status) == ("Đèn vẫn chưa sáng.", Status.IN_PROGRESS)
    assert templates_to(reviewer.email) == ["needs_review"]
    # Resolved again, it may be disputed again.
    feedback_resolve(feedback=feedback, by=officer, answer="Đã thay cả dây.")
    feedback_dispute(feedback=feedback, reason="Vẫn hỏng.")
    assert feedback.disputes == 2


def test_feedback_dispute_without_a_district_tells_the_doha_staff_of_the_province_and_its_successor():
    legacy_province, today_province = ProvinceFactory(valid_until=datetime.date(2025, 6, 30)), ProvinceFactory()
    legacy_province.successors.add(today_province)
    commune = CommuneFactory(province=legacy_province)  # no district
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    doha_old = user_with_role(Role.DOHA_STAFF, legacy_province, email="so-cu@example.com")
    doha_new = user_with_role(Role.DOHA_STAFF, today_province, email="so-moi@example.com")
    doha_elsewhere = user_with_role(Role.DOHA_STAFF, ProvinceFactory(), email="so-khac@example.com")
    feedback = in_status(Status.RESOLVED, commune, officer)
    feedback_dispute(feedback=feedback, reason="Chưa giải quyết.")
    assert templates_to(doha_old.email) == ["needs_review"]
    assert templates_to(doha_new.email) == ["needs_review"]
    assert templates_to(doha_elsewhere.email) == []


@pytest.mark.parametrize("status", [Status.IN_PROGRESS, Status.CLOSED_UNRESOLVED, Status.REFUSED])
def test_feedback_dispute_only_of_a_resolution(commune, officer, status):
    with pytest.raises(FeedbackError, match=str(CANNOT_DISPUTE)):
        feedback_dispute(feedback=in_status(status, commune, officer), reason="Không đồng ý.")


def test_feedback_dispute_after_seven_days_is_refused(commune, officer):
    feedback = in_status(Status.RESOLVED, commune, officer)
    Feedback.objects.filter(pk=feedback.pk).update(answered_at=timezone.now() - datetime.timedelta(days=7, hours=1))
    with pytest.raises(FeedbackError) as error:
        feedback_dispute(feedback=feedback, reason="Không đồng ý.")
    # The message is made in the language active when the error is raised (Vietnamese here).
    assert str(error.value) == str(DISPUTE_WINDOW_OVER % {"days": 7})
    assert Feedback.objects.get(pk=feedback.pk).status == Status.RESOLVED


def test_feedback_dispute_needs_a_reason(commune, officer):
    with pytest.raises(FeedbackError):
        feedback_dispute(feedback=in_status(Status.RESOLVED, commune, officer), reason="")


# --- Overdue ----------------------------------------------------------------------------------------


def test_feedback_mark_overdue_flags_each_late_open_item_once(commune, officer, reviewer):
    late = submitted(commune=commune)
    answered = in_status(Status.RESOLVED, commune, officer)
    on_time = submitted(commune=commune)
    Feedback.objects.filter(pk__in=[late.pk, answered.pk]).update(due_date=clock.today() - datetime.timedelta(1))
    assert feedback_mark_overdue() == 1
    assert feedback_mark_overdue() == 0
    late.refresh_from_db()
    assert late.overdue_notified_at is not None
    assert late.events.filter(kind=Event.Kind.OVERDUE).count() == 1
    assert not on_time.events.filter(kind=Event.Kind.OVERDUE).exists()
    assert templates_to(reviewer.email) == ["needs_review"]
    assert Notification.objects.get(to=reviewer.email).context["reason"] == "overdue"


def test_an_extension_after_the_overdue_alert_rearms_it(commune, officer, reviewer):
    late = submitted(commune=commune)
    Feedback.objects.filter(pk=late.pk).update(due_date=clock.today() - datetime.timedelta(1))
    feedback_mark_overdue()
    late.refresh_from_db()
    feedback_extend(feedback=late, by=officer, working_days=10, reason="Chờ vật tư.")
    assert late.overdue_notified_at is None
    assert feedback_mark_overdue(today=late.due_date + datetime.timedelta(days=1)) == 1
    assert templates_to(reviewer.email) == ["needs_review", "needs_review"]
