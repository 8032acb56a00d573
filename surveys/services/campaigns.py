"""DoHA's side and the officers' side of a campaign: opening and closing it, visit codes, kiosks,
quality review, comments and the stored statistics."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune
from core import clock, pagecache
from core.codes import paper_code
from core.tasks import enqueue_on_commit
from surveys.models import (
    BATCH_MAX,
    CODE_LENGTH,
    COMMENT_MAX,
    Campaign,
    CodeBatch,
    Flag,
    Kiosk,
    Response,
    Tally,
    VisitCode,
)
from surveys.selectors import tallies_compute
from surveys.services.common import SurveyError

logger = logging.getLogger(__name__)

IDENTICAL_MIN = 5  # this many responses of one commune with exactly the same answers are flagged
REASON_MAX = 2000


# --- Campaigns -----------------------------------------------------------------------------------


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _sync(target: Campaign, source: Campaign) -> Campaign:
    """Copy the saved state back to the caller's instance, so it does not hold a stale status."""
    for name in ("status", "opened_at", "closed_at"):
        setattr(target, name, getattr(source, name))
    return target


EDITABLE = ["name", "questionnaire", "starts_on", "ends_on", "min_responses"]


@transaction.atomic
def campaign_save(*, campaign: Campaign, communes, by) -> Campaign:
    """Create a draft campaign or store changes to one. A campaign someone opened meanwhile is left as
    it is (ValidationError): its questionnaire and communes are fixed once citizens can answer."""
    campaign._history_user = by
    if campaign.pk is None:
        campaign.created_by = by
        campaign.save()
    else:
        current = Campaign.objects.select_for_update().only("status").get(pk=campaign.pk)
        if current.status != Campaign.Status.DRAFT:
            raise ValidationError(_("Only a draft campaign can be changed."))
        campaign.save(update_fields=EDITABLE)
    campaign.communes.set(communes)
    return campaign


@transaction.atomic
def campaign_open(*, campaign: Campaign, by) -> Campaign:
    current = _lock(campaign)
    if current.status == Campaign.Status.OPEN:
        return _sync(campaign, current)  # a double click
    if not current.communes.exists():
        raise SurveyError(_("Choose the communes the campaign covers before opening it."))
    if current.ends_on < clock.today():
        raise SurveyError(_("The campaign's last day has passed; change its period before opening it."))
    current.status = Campaign.Status.OPEN
    current.opened_at = current.opened_at or timezone.now()
    current._history_user = by
    current.save()
    return _sync(campaign, current)


@transaction.atomic
def campaign_close(*, campaign: Campaign, by) -> Campaign:
    current = _lock(campaign)
    if current.status == Campaign.Status.CLOSED:
        return _sync(campaign, current)
    current.status = Campaign.Status.CLOSED
    current.closed_at = timezone.now()
    current._history_user = by
    current.save()
    _refresh_on_commit(current.pk)
    return _sync(campaign, current)


def _refresh_on_commit(campaign_id: int) -> None:
    from surveys.tasks import refresh_campaign_statistics

    enqueue_on_commit(refresh_campaign_statistics, campaign_id)  # broker down: the periodic refresh catches up


# --- Visit codes and kiosks ----------------------------------------------------------------------


def _new_code() -> str:
    return paper_code(CODE_LENGTH)


@transaction.atomic
def codes_issue(*, campaign: Campaign, commune: Commune, day: datetime.date, size: int, by) -> CodeBatch:
    """A batch of one-time codes for the visits of one day, to print as slips. The codes say nothing
    about whom they will be handed to."""
    if not 1 <= size <= BATCH_MAX:
        raise SurveyError(_("A batch has between 1 and %(max)d codes.") % {"max": BATCH_MAX})
    if campaign.status != Campaign.Status.OPEN:
        raise SurveyError(_("Codes can only be printed for an open campaign."))
    if not campaign.communes.filter(pk=commune.pk).exists():
        raise SurveyError(_("This survey does not cover %(commune)s.") % {"commune": commune})
    if day > clock.today() + datetime.timedelta(days=7):
        raise SurveyError(_("Codes can be printed at most a week ahead."))
    batch = CodeBatch.objects.create(campaign=campaign, commune=commune, issued_on=day, size=size, created_by=by)
    made = 0
    while made < size:
        try:
            with transaction.atomic():  # 32⁸ codes: a collision is rare, but the database has the last word
                VisitCode.objects.create(batch=batch, code=_new_code())
            made += 1
        except IntegrityError:
            continue
    return batch


def kiosk_register(*, commune: Commune, name: str, by) -> Kiosk:
    name = (name or "").strip()
    if not name:
        raise SurveyError(_("Give the kiosk a name, such as where it stands."))
    if len(name) > 100:
        raise SurveyError(_("The name is too long (at most 100 characters)."))
    kiosk = Kiosk(commune=commune, name=name, token=secrets.token_urlsafe(32), registered_by=by)
    kiosk._history_user = by
    kiosk.save()
    return kiosk


def kiosk_retire(*, kiosk: Kiosk, by) -> Kiosk:
    if kiosk.retired_at is None:
        kiosk.retired_at = timezone.now()
        kiosk._history_user = by
        kiosk.save(update_fields=["retired_at"])
    return kiosk


# --- Quality review and comments -----------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise SurveyError(_("Write the reason for excluding these responses."))
    if len(reason) > REASON_MAX:
        raise SurveyError(_("The reason is too long (at most %(limit)d characters).") % {"limit": REASON_MAX})
    return reason


@transaction.atomic
def responses_exclude(*, campaign: Campaign, ids, reason: str, by) -> int:
    """Leave flagged responses out of the statistics, with a written reason. Nothing is deleted;
    responses without a flag cannot be excluded."""
    reason = _reason(reason)
    chosen = Response.objects.filter(campaign=campaign, pk__in=list(ids), excluded=False).exclude(flags="")
    count = chosen.update(excluded=True, exclusion_reason=reason, excluded_by=by)
    if count:
        _refresh_on_commit(campaign.pk)
    return count


@transaction.atomic
def responses_include(*, campaign: Campaign, ids, by) -> int:
    """Undo an exclusion: the response counts again (the reason of the earlier exclusion is cleared)."""
    count = Response.objects.filter(campaign=campaign, pk__in=list(ids), excluded=True).update(
        excluded=False, exclusion_reason="", excluded_by=by
    )
    if count:
        _refresh_on_commit(campaign.pk)
    return count


def comment_redact(*, response: Response, text: str, by) -> Response:
    """DoHA's version of a comment that the commune may read (names, phone numbers removed). An empty
    text keeps the comment from the commune altogether."""
    text = (text or "").strip()
    if len(text) > COMMENT_MAX:
        raise SurveyError(_("The comment is too long (at most %(limit)d characters).") % {"limit": COMMENT_MAX})
    Response.objects.filter(pk=response.pk).update(comment_redacted=text, comment_reviewed=True)
    response.comment_redacted, response.comment_reviewed = text, True
    return response


# --- Statistics ----------------------------------------------------------------------------------


def identical_flag(campaign: Campaign) -> int:
    """Flag responses whose answers are exactly those of at least IDENTICAL_MIN others of the commune."""
    # One set-based statement: the groups of twins are found by the database's own GROUP BY and every
    # member is flagged in the same UPDATE (no round trip per group, no row through Python). A row
    # value IN is understood by PostgreSQL and SQLite (3.15 and later) alike.
    table = connection.ops.quote_name(Response._meta.db_table)
    identical = Flag.IDENTICAL.value
    sql = f"""
        UPDATE {table} SET flags = CASE WHEN flags = '' THEN %s ELSE flags || %s END
        WHERE campaign_id = %s AND NOT (flags LIKE %s)
          AND (commune_id, content_hash) IN (
            SELECT commune_id, content_hash FROM {table} WHERE campaign_id = %s
            GROUP BY commune_id, content_hash HAVING COUNT(*) >= %s
          )
    """  # noqa: S608 - the table name is the model's own; every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [identical, "," + identical, campaign.pk, f"%{identical}%", campaign.pk, IDENTICAL_MIN])
        return cursor.rowcount


@transaction.atomic
def statistics_refresh(*, campaign: Campaign) -> int:
    """Recompute and store every figure of the campaign (quality flags first); returns the row count."""
    identical_flag(campaign)
    tallies = tallies_compute(campaign)
    Tally.objects.filter(campaign=campaign).delete()
    Tally.objects.bulk_create(tallies, batch_size=2000)
    Campaign.objects.filter(pk=campaign.pk).update(statistics_at=timezone.now())
    pagecache.bump("site")  # the tallies came in bulk, past the models' signals
    return len(tallies)


def statistics_refresh_open() -> int:
    """The periodic job: every open campaign, and those closed in the last day."""
    since = timezone.now() - datetime.timedelta(days=1)
    campaigns = Campaign.objects.filter(status=Campaign.Status.OPEN) | Campaign.objects.filter(
        status=Campaign.Status.CLOSED, closed_at__gte=since
    )
    return sum(statistics_refresh(campaign=campaign) for campaign in campaigns.distinct())
