"""Planning, issuing, re-running, revoking and checking the certificates of an approved decision."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Role
from scoring import tasks
from scoring.models import Certificate
from scoring.services import ScoringError, decision_approve
from scoring.services.certificates import (
    batch_progress,
    certificate_check,
    certificate_issue,
    certificate_revoke,
    certificates_plan,
    certificates_queue,
)
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import places  # noqa: F401 - a fixture
from tests.scoring.test_decisions import draft, final, recognisable_set
from tests.scoring.test_documents import approved, media  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_the_plan_has_one_row_per_commune_and_one_for_the_decision_and_can_run_twice(approved):  # noqa: F811
    first = certificates_plan(approved)
    again = certificates_plan(approved)

    assert [c.pk for c in first] == [c.pk for c in again]
    assert Certificate.objects.filter(decision=approved).count() == approved.entries.count() + 1
    assert Certificate.objects.filter(decision=approved, kind="decision").count() == 1
    for certificate, entry in zip(first, approved.entries.order_by("position", "pk"), strict=False):
        assert (certificate.entry, certificate.unit_name, certificate.stars) == (entry, entry.unit_name, entry.stars)
        assert certificate.commune == entry.assessment.commune
    serials = [c.serial for c in first]
    assert len(set(serials)) == len(serials)
    assert all(s.startswith("2025-") and len(s) == 13 and s[5:].isalnum() and s[5:].isupper() for s in serials)


def test_only_an_approved_decision_produces_certificates(places):  # noqa: F811
    criteria_set = recognisable_set(places.province)
    decision = draft(
        places.province, [final(places.commune, criteria_set)], user_with_role(Role.DOHA_STAFF, places.province)
    )

    with pytest.raises(ScoringError):
        certificates_plan(decision)
    with pytest.raises(ScoringError):
        certificates_queue(decision)
    assert not Certificate.objects.exists()


def test_approval_queues_every_document_after_commit_and_the_tasks_issue_them(
    places,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    criteria_set = recognisable_set(places.province)
    decision = draft(
        places.province,
        [final(places.commune, criteria_set), final(places.other_commune, criteria_set)],
        user_with_role(Role.DOHA_STAFF, places.province),
    )

    with django_capture_on_commit_callbacks(execute=True):
        decision_approve(decision=decision, by=user_with_role(Role.PROVINCIAL_LEADER, places.province))

    certificates = Certificate.objects.filter(decision=decision)
    assert certificates.count() == 3
    assert set(certificates.values_list("status", flat=True)) == {"valid"}
    for certificate in certificates:
        assert Path(certificate.file.path).read_bytes()[:5] == b"%PDF-"
        assert certificate.signer_fingerprint and certificate.development_key and certificate.issued_at
        assert certificate.signer_name == "Ủy ban nhân dân tỉnh (khóa phát triển)"
    progress = batch_progress(decision)
    assert (progress.total, progress.valid, progress.percent, progress.done) == (3, 3, 100, True)


def test_issuing_twice_leaves_a_valid_document_alone_unless_forced(approved):  # noqa: F811
    certificate = certificates_plan(approved)[0]
    certificate = certificate_issue(certificate.pk)
    path = Path(certificate.file.path)
    before = (path.stat().st_mtime_ns, certificate.sha256, certificate.issued_at)

    again = certificate_issue(certificate.pk)
    assert (path.stat().st_mtime_ns, again.sha256, again.issued_at) == before

    forced = certificate_issue(certificate.pk, force=True)
    assert forced.sha256 != before[1] and forced.issued_at > before[2]
    assert path.read_bytes() and len(os.listdir(path.parent)) == 1  # the same file, replaced


def test_a_valid_document_whose_file_changed_is_issued_again(approved):  # noqa: F811
    certificate = certificate_issue(certificates_plan(approved)[0].pk)
    Path(certificate.file.path).write_bytes(b"%PDF-1.7 damaged")

    again = certificate_issue(certificate.pk)

    assert again.sha256 != certificate.sha256
    assert certificate_check(certificate=again, data=Path(again.file.path).read_bytes()).code == "authentic"


def test_queue_sends_only_what_is_not_valid_yet_unless_forced(
    approved,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    sent = []
    monkeypatch.setattr(tasks.issue_certificate, "delay", lambda pk, force: sent.append((pk, force)))
    planned = certificates_plan(approved)
    certificate_issue(planned[0].pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_queue(approved) == len(planned) - 1
    assert sorted(sent) == sorted((c.pk, False) for c in planned[1:])
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert certificates_queue(approved, force=True) == len(planned)
    assert sorted(sent) == sorted((c.pk, True) for c in planned)


def test_a_failed_issue_is_recorded_and_raised_for_the_task_to_retry(approved, monkeypatch):  # noqa: F811
    certificate = certificates_plan(approved)[0]

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts today")

    monkeypatch.setattr("scoring.services.certificates.issue.render_pdf", broken)
    with pytest.raises(RuntimeError):
        certificate_issue(certificate.pk)

    certificate.refresh_from_db()
    assert (certificate.status, certificate.attempts) == ("failed", 1)
    assert "no fonts today" in certificate.error
    assert batch_progress(approved).failed == 1


def test_the_task_retries_failures_but_not_a_missing_certificate():
    options = tasks.issue_certificate
    assert options.acks_late and options.max_retries == 5 and options.retry_backoff
    assert Exception in options.autoretry_for
    assert tasks.issue_certificate.delay(0).get() is None


def test_revoking_needs_a_reason_keeps_the_first_revocation_and_is_never_reissued(approved):  # noqa: F811
    certificate = certificate_issue(certificates_plan(approved)[0].pk)
    doha = user_with_role(Role.DOHA_STAFF, approved.province)

    with pytest.raises(ScoringError):
        certificate_revoke(certificate=certificate, by=doha, reason="  ")
    revoked = certificate_revoke(certificate=certificate, by=doha, reason="Cấp nhầm đơn vị")
    again = certificate_revoke(certificate=certificate, by=None, reason="Lần hai")
    certificate_issue(certificate.pk, force=True)

    revoked.refresh_from_db()
    assert (revoked.status, revoked.revoked_by, revoked.revoked_reason) == ("revoked", doha, "Cấp nhầm đơn vị")
    assert again.revoked_at == revoked.revoked_at
    data = Path(revoked.file.path).read_bytes()
    verdict = certificate_check(certificate=revoked, data=data)
    assert (verdict.code, verdict.document) == ("revoked", revoked)  # revoked, whatever the file
    assert batch_progress(approved).total == approved.entries.count()  # out of the batch


def test_a_document_never_issued_matches_no_upload(approved):  # noqa: F811
    certificate = certificates_plan(approved)[0]

    assert certificate_check(certificate=certificate, data=b"%PDF-1.7").code == "modified"


def test_documents_whose_issue_stalled_are_queued_again_by_the_periodic_task(approved):  # noqa: F811
    planned = certificates_plan(approved)
    Certificate.objects.filter(pk=planned[0].pk).update(created_at=timezone.now() - datetime.timedelta(minutes=30))

    assert tasks.issue_pending_certificates() == 1  # the others were planned a moment ago: their task may run yet

    assert Certificate.objects.get(pk=planned[0].pk).status == Certificate.Status.VALID
    assert tasks.issue_pending_certificates() == 0
