"""The mail outbox and the periodic jobs: a mail is sent once, a broker outage loses nothing, and a real
worker sends a row through the configured broker."""

import datetime
import io
import os
import smtplib
import time
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from kombu.exceptions import OperationalError
from PIL import Image

from accounts.models import Role
from core import clock
from feedback import tasks
from feedback.models import Feedback, Notification, RefusalReason, Status
from feedback.services import (
    feedback_accept,
    feedback_close_unresolved,
    feedback_dispute,
    feedback_extend,
    feedback_forward,
    feedback_refuse,
    feedback_resolve,
    notification_send,
    notifications_muted,
    notifications_send_pending,
    pending_key_new,
    pending_photos_keep,
    pending_photos_list,
)
from feedback.services import notifications as notifications_module
from feedback.services.pending_photos import PENDING_FOLDER
from portal.health import broker_ok
from tests.celery_worker import running_worker
from tests.communes.factories import CommuneFactory
from tests.conftest import require
from tests.feedback.factories import submitted
from tests.portal.factories import user_with_role

pytestmark = pytest.mark.django_db


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), "gray").save(buffer, format="JPEG")
    return SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")


def age(minutes: int = 2) -> None:
    """Make every outbox row older, as the sweep only takes rows it can tell were not queued."""
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_a_submission_mails_the_submitter_and_the_officers_after_commit(django_capture_on_commit_callbacks):
    commune = CommuneFactory(legacy=True)
    user_with_role(Role.COMMUNE_OFFICER, commune, email="can-bo@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        feedback = submitted(commune=commune)
    assert sorted(message.to[0] for message in mail.outbox) == ["an@example.com", "can-bo@example.com"]
    received = next(message for message in mail.outbox if message.to == ["an@example.com"])
    code = f"{feedback.code[:4]}-{feedback.code[4:]}"
    assert code in received.subject
    assert f"https://portal.example.vn/feedback/{feedback.code}/" in received.body
    assert f"?key={feedback.action_key}" in received.body
    new_item = next(message for message in mail.outbox if message.to == ["can-bo@example.com"])
    assert f"https://portal.example.vn/manage/feedback/{feedback.code}/" in new_item.body
    assert feedback.action_key not in new_item.body
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_sending_a_row_twice_sends_one_mail():
    submitted(contact_email="an@example.com")
    row = Notification.objects.get(to="an@example.com")
    assert notification_send(notification_id=row.pk) is True
    assert notification_send(notification_id=row.pk) is False
    tasks.send_notification.apply(args=[row.pk])
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None


def test_a_mail_goes_out_in_the_items_language(django_capture_on_commit_callbacks):
    commune = CommuneFactory(legacy=True)
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    with django_capture_on_commit_callbacks(execute=True):
        feedback = submitted(commune=commune, language="en", contact_email="en@example.com")
        feedback_accept(feedback=feedback, by=officer)
        feedback_resolve(feedback=feedback, by=officer, answer="Đã sửa.")
    mine = [message for message in mail.outbox if message.to == ["en@example.com"]]
    assert "has been received" in mine[0].subject
    assert mine[1].subject.endswith(": accepted")
    assert "dispute the answer within 7 days" in mine[2].body
    # Officers read the site's language, whatever the citizen wrote in.
    assert Notification.objects.get(to=officer.email).language == settings.LANGUAGE_CODE


def test_with_the_broker_down_the_request_succeeds_and_the_sweep_sends_later(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broker_down(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(tasks.send_notification, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        feedback = submitted(contact_email="an@example.com")
    assert Feedback.objects.filter(pk=feedback.pk).exists()
    row = Notification.objects.get(to="an@example.com")
    assert row.sent_at is None
    assert mail.outbox == []
    assert "its periodic sweep will do it" in caplog.text

    monkeypatch.undo()  # the broker is back
    assert notifications_send_pending() == 0  # too fresh: its task may still be on its way
    age()
    assert tasks.sweep_notifications.apply().get() == 1
    assert notifications_send_pending() == 0
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None


def test_a_mail_server_error_is_recorded_and_raised_so_the_task_retries(monkeypatch):
    submitted(contact_email="an@example.com")
    row = Notification.objects.get(to="an@example.com")

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("feedback.services.notifications.send_mail", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        notification_send(notification_id=row.pk)
    age()
    assert notifications_send_pending() == 0  # the sweep logs and carries on
    row.refresh_from_db()
    assert (row.sent_at, row.attempts) == (None, 2)
    assert "SMTPServerDisconnected" in row.last_error
    monkeypatch.undo()
    assert notifications_send_pending() == 1
    assert len(mail.outbox) == 1


def failing_mail(monkeypatch, errors: list[Exception]) -> list[int]:
    """The mail server raises each of ``errors`` in turn, then delivers; the attempts it saw."""
    real, attempts = notifications_module.send_mail, []

    def flaky(*args, **kwargs):
        attempts.append(len(attempts) + 1)
        if errors:
            raise errors.pop(0)
        return real(*args, **kwargs)

    monkeypatch.setattr(notifications_module, "send_mail", flaky)
    return attempts


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        ConnectionResetError(104, "reset"),
        OSError(113),
    ],
    ids=["mail-server", "connection", "network"],
)
def test_the_send_task_retries_mail_and_network_errors_until_the_mail_goes(monkeypatch, error):
    # apply() runs the task eagerly, and Celery runs its retries eagerly too (without the backoff's wait).
    submitted(contact_email="an@example.com")
    row = Notification.objects.get(to="an@example.com")
    attempts = failing_mail(monkeypatch, [error, error])

    result = tasks.send_notification.apply(args=[row.pk])

    assert result.successful() and result.get() is True
    assert attempts == [1, 2, 3]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2


def test_the_send_task_gives_up_after_eight_retries_and_leaves_the_row_to_the_sweep(monkeypatch):
    submitted(contact_email="an@example.com")
    row = Notification.objects.get(to="an@example.com")
    attempts = failing_mail(monkeypatch, [smtplib.SMTPServerDisconnected("down")] * 20)

    result = tasks.send_notification.apply(args=[row.pk])

    assert result.failed() and isinstance(result.result, smtplib.SMTPServerDisconnected)
    assert len(attempts) == 1 + 8
    row.refresh_from_db()
    assert row.sent_at is None and mail.outbox == []


def test_the_send_task_does_not_retry_a_broken_template(monkeypatch):
    # A bug is not cured by trying again: only mail and network errors are retried.
    submitted(contact_email="an@example.com")
    row = Notification.objects.get(to="an@example.com")
    attempts = failing_mail(monkeypatch, [ValueError("bad template"), ValueError("bad template")])

    result = tasks.send_notification.apply(args=[row.pk])

    assert result.failed() and isinstance(result.result, ValueError)
    assert attempts == [1]


def test_the_periodic_jobs_are_scheduled():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["feedback-send-pending"] == {"task": "feedback.tasks.sweep_notifications", "schedule": 300}
    assert schedule["feedback-mark-overdue"] == {"task": "feedback.tasks.mark_overdue_feedback", "schedule": 3600}
    assert schedule["feedback-expire-pending-photos"] == {
        "task": "feedback.tasks.expire_pending_photos",
        "schedule": 3600,
    }


def test_the_expiry_task_removes_photos_kept_a_day_ago_and_leaves_younger_ones(settings):
    old, young = pending_key_new(), pending_key_new()
    for pending in (old, young):
        pending_photos_keep(token=pending.token, photos=[jpeg()])
    day_ago = time.time() - 24 * 3600 - 60
    for path in (settings.MEDIA_ROOT / PENDING_FOLDER / old.token).iterdir():
        os.utime(path, (day_ago, day_ago))

    assert tasks.expire_pending_photos.apply().get() == 1
    assert tasks.expire_pending_photos.apply().get() == 0  # run twice, no harm
    assert not (settings.MEDIA_ROOT / PENDING_FOLDER / old.token).exists()
    assert len(pending_photos_list(token=young.token)) == 1


def test_mark_overdue_tells_the_district_reviewer_once(django_capture_on_commit_callbacks):
    commune = CommuneFactory(legacy=True)
    reviewer = user_with_role(Role.DISTRICT_REVIEWER, commune.district, email="huyen@example.com")
    feedback = submitted(commune=commune)
    Feedback.objects.filter(pk=feedback.pk).update(due_date=clock.today() - datetime.timedelta(days=3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.mark_overdue_feedback.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.mark_overdue_feedback.apply().get() == 0
    assert [message.to for message in mail.outbox] == [[reviewer.email]]
    assert "quá hạn" in mail.outbox[0].subject or "overdue" in mail.outbox[0].subject
    assert f"/manage/feedback/{feedback.code}/" in mail.outbox[0].body


def test_muted_notifications_write_no_rows():
    with notifications_muted():
        submitted(contact_email="an@example.com")
    assert not Notification.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_an_outbox_row(tmp_path):
    # The worker must read the row this test writes: SQLite's test database lives in this process only.
    if connection.vendor != "postgresql":
        pytest.skip("the worker can reach the test database only on PostgreSQL")
    require(broker_ok(), f"the broker at {settings.CELERY_BROKER_URL}")
    tasks.send_notification.app.conf.task_always_eager = False  # the eager_tasks fixture restores it
    with notifications_muted():
        feedback = submitted(contact_email="worker@example.com")
    row = Notification.objects.create(
        key=f"test-worker-{uuid.uuid4().hex}",
        feedback=feedback,
        to="worker@example.com",
        language="vi",
        template="status_changed",
        context={
            "code": feedback.code,
            "title": feedback.title,
            "status": Status.ACCEPTED,
            "due_date": feedback.due_date.isoformat(),
            "tracking_url": "https://portal.example.vn/",
        },
    )
    with running_worker(tmp_path / "worker.log") as queue:
        result = tasks.send_notification.apply_async(args=[row.pk], queue=queue, ignore_result=False)
        assert result.get(timeout=90) is True
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 0
    assert "feedback.tasks.send_notification" in (tmp_path / "worker.log").read_text()


def test_a_broken_row_does_not_hold_back_the_sweep():
    submitted(contact_email="an@example.com")
    good = Notification.objects.get(to="an@example.com")
    Notification.objects.create(
        key="broken", feedback=good.feedback, to="x@example.com", language="vi", template="no_such_template"
    )
    age()
    assert notifications_send_pending() == 1
    assert [message.to for message in mail.outbox] == [["an@example.com"]]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_mail_renders_with_its_links(django_capture_on_commit_callbacks, language):
    commune = CommuneFactory(legacy=True)
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, email="can-bo@example.com")
    user_with_role(Role.DISTRICT_REVIEWER, commune.district, email="huyen@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        refused = submitted(commune=commune, language=language, contact_email="a@example.com")
        feedback_refuse(
            feedback=refused,
            by=officer,
            reason=RefusalReason.DUPLICATE,
            public_text="Trùng.",
            duplicate_of=submitted(commune=commune, contact_email=""),
        )
        forwarded = submitted(commune=commune, language=language, contact_email="b@example.com")
        feedback_forward(feedback=forwarded, by=officer, to_unit="Điện lực", public_text="Chuyển.")
        closed = submitted(commune=commune, language=language, contact_email="c@example.com")
        feedback_accept(feedback=closed, by=officer)
        feedback_extend(feedback=closed, by=officer, working_days=3, reason="Chờ vật tư.")
        feedback_close_unresolved(feedback=closed, by=officer, reason="Chưa có kinh phí.")
        disputed = submitted(commune=commune, language=language, contact_email="d@example.com")
        feedback_accept(feedback=disputed, by=officer)
        feedback_resolve(feedback=disputed, by=officer, answer="Đã sửa.")
        feedback_dispute(feedback=disputed, reason="Chưa sửa.")
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0
    for message in mail.outbox:
        assert message.subject and "\n" not in message.subject
        assert "{%" not in message.body and "&quot;" not in message.body and "&amp;" not in message.body
        assert "https://portal.example.vn/" in message.body
    bodies = {message.to[0]: "\n".join(m.body for m in mail.outbox if m.to == message.to) for message in mail.outbox}
    assert refused.code in bodies["a@example.com"]
    assert "Điện lực" in bodies["b@example.com"]
    assert "Chưa có kinh phí." in bodies["c@example.com"]
    assert "Chưa sửa." in bodies["huyen@example.com"]
