"""The oversight boards and their recommendations (Law 10/2022/QH15, art. 36–40).

The commune's People's Inspection Board (one per term) and its community investment supervision boards
(one per works) are elected by the residents, a matter of item 5 of art. 15; the commune Front
committee organises the election and, with the officers, types in the board, its members and its term.
The board keeps its plans and reports and sends the commune recommendations, which the commune answers
within 15 days (art. 40); one left unanswered past its due date is escalated, once, to the province's
Department of Home Affairs. Every function checks the rule it carries and raises DemocracyError with a
message for the person who asked; nothing is written then.
"""

from __future__ import annotations

import datetime
import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from communes.models import Commune, Province, Village
from core import clock
from core.tasks import enqueue_on_commit
from core.web import absolute_url
from democracy.models import (
    Board,
    BoardDocument,
    BoardKind,
    BoardMember,
    Category,
    DocumentKind,
    Matter,
    MatterStatus,
    Position,
    Recommendation,
    RecommendationStatus,
)
from democracy.models.oversight import PlanPeriod
from democracy.services.errors import DemocracyError
from democracy.services.subscriptions import mails_are_muted

logger = logging.getLogger(__name__)

SEND_ERRORS = (SMTPException, OSError, ConnectionError)
# Art. 36: the People's Inspection Board has at least 5 members; pages warn while it has fewer.
INSPECTION_BOARD_MIN_MEMBERS = 5
# An escalation whose mail task has not run after this long is mailed by the daily sweep.
MAIL_SWEEP_DELAY = datetime.timedelta(minutes=5)


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def _day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- Boards --------------------------------------------------------------------------------------------


def _check_elected_by(commune: Commune, matter: Matter | None) -> None:
    if matter is None:
        return
    if (
        matter.commune_id != commune.pk
        or matter.category != Category.BOARDS
        or matter.status != MatterStatus.RECOGNISED
    ):
        raise DemocracyError(
            _(
                "Choose the residents' decision that elected the board: a matter of this commune on electing "
                "board members (item 5 of art. 15) that the commune has recognised."
            ),
            "elected_by",
        )


def _check_term(
    *, commune: Commune, kind: str, starts: datetime.date, ends: datetime.date, board_pk: int | None = None
) -> None:
    if ends <= starts:
        raise DemocracyError(_("The term ends after it starts."), "term_ends_on")
    if kind != BoardKind.INSPECTION:
        return
    overlapping = (
        Board.objects.filter(
            commune=commune, kind=BoardKind.INSPECTION, term_starts_on__lte=ends, term_ends_on__gte=starts
        )
        .exclude(pk=board_pk)
        .order_by("term_starts_on")
        .first()
    )
    if overlapping is not None:
        raise DemocracyError(
            _(
                "The commune already has a People's Inspection Board for %(start)s–%(end)s: one board per term, "
                "terms may not overlap."
            )
            % {"start": _day(overlapping.term_starts_on), "end": _day(overlapping.term_ends_on)},
            "term_starts_on",
        )


def _check_subject(kind: str, subject: str) -> str:
    if kind == BoardKind.INVESTMENT and not subject:
        raise DemocracyError(_("Name the works the board supervises."), "subject")
    # The inspection board oversees the commune as a whole, not one works.
    return subject if kind == BoardKind.INVESTMENT else ""


def board_create(
    *,
    commune: Commune,
    kind: str,
    term_starts_on: datetime.date,
    term_ends_on: datetime.date,
    by,
    subject: str = "",
    elected_by: Matter | None = None,
) -> Board:
    """A board elected for a term: a People's Inspection Board (one per term) or an investment
    supervision board of one works."""
    if kind not in BoardKind.values:
        raise DemocracyError(_("Choose the kind of board."), "kind")
    if not commune.is_current:
        raise DemocracyError(_("This commune has ended: its successor elects the boards now."))
    subject = _check_subject(kind, _clean(subject))
    _check_elected_by(commune, elected_by)
    with transaction.atomic():
        # Two boards typed in at once for the same commune are checked one after the other.
        Commune.objects.select_for_update().get(pk=commune.pk)
        _check_term(commune=commune, kind=kind, starts=term_starts_on, ends=term_ends_on)
        board = Board(
            commune=commune,
            kind=kind,
            subject=subject,
            term_starts_on=term_starts_on,
            term_ends_on=term_ends_on,
            elected_by=elected_by,
        )
        board._history_user = by
        board._change_reason = "created"
        board.save()
    return board


def board_update(
    *,
    board: Board,
    term_starts_on: datetime.date,
    term_ends_on: datetime.date,
    by,
    subject: str = "",
    elected_by: Matter | None = None,
) -> Board:
    """Correct a board's term, works or election (its kind and commune stay)."""
    subject = _check_subject(board.kind, _clean(subject))
    _check_elected_by(board.commune, elected_by)
    with transaction.atomic():
        Commune.objects.select_for_update().get(pk=board.commune_id)
        current = Board.objects.select_for_update().get(pk=board.pk)
        _check_term(
            commune=board.commune, kind=current.kind, starts=term_starts_on, ends=term_ends_on, board_pk=current.pk
        )
        current.term_starts_on, current.term_ends_on = term_starts_on, term_ends_on
        current.subject, current.elected_by = subject, elected_by
        current._history_user = by
        current._change_reason = "corrected"
        current.save()
    return current


# --- Members -------------------------------------------------------------------------------------------


def _account(email: str) -> User | None:
    email = (email or "").strip()
    if not email:
        return None
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise DemocracyError(
            _("No account uses this e-mail address. Ask the member to sign up on the portal first, then link it."),
            "email",
        )
    return user


def _check_member(
    *, board: Board, full_name: str, position: str, village: Village | None, member_pk: int | None = None
) -> None:
    if not full_name:
        raise DemocracyError(_("Enter the member's full name."), "full_name")
    if position not in Position.values:
        raise DemocracyError(_("Choose the member's position."), "position")
    if village is not None and village.commune_id != board.commune_id:
        raise DemocracyError(_("Choose a village of the board's commune."), "village")
    if position == Position.HEAD:
        heads = BoardMember.objects.filter(board=board, position=Position.HEAD, left_on__isnull=True)
        if heads.exclude(pk=member_pk).exists():
            raise DemocracyError(
                _("The board already has a head: record that the head left first, or choose another position."),
                "position",
            )


def _save_member(member: BoardMember, by, reason: str) -> BoardMember:
    member._history_user = by
    member._change_reason = reason
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:  # the same account twice, or two heads typed in at once
        raise DemocracyError(
            _("This account is already linked to a member of this board, or the board already has a head.")
        ) from error
    return member


def board_member_add(
    *, board: Board, full_name: str, position: str, by, village: Village | None = None, email: str = ""
) -> BoardMember:
    """A member elected from a village (art. 36); an existing account typed by its e-mail opens the
    board's queue to the member."""
    full_name = _clean(full_name)
    if village is not None and not village.is_current:
        raise DemocracyError(_("Choose a village of the board's commune that still exists."), "village")
    account = _account(email)
    with transaction.atomic():
        Board.objects.select_for_update().get(pk=board.pk)
        _check_member(board=board, full_name=full_name, position=position, village=village)
        if account is not None and BoardMember.objects.filter(board=board, account=account).exists():
            raise DemocracyError(_("This account is already linked to a member of this board."), "email")
        member = BoardMember(board=board, full_name=full_name, position=position, village=village, account=account)
        return _save_member(member, by, "elected")


def board_member_update(
    *, member: BoardMember, full_name: str, position: str, by, village: Village | None = None, email: str = ""
) -> BoardMember:
    """Correct a member's name, position, village or linked account (an empty e-mail unlinks it)."""
    full_name = _clean(full_name)
    account = _account(email)
    with transaction.atomic():
        Board.objects.select_for_update().get(pk=member.board_id)
        current = BoardMember.objects.select_for_update().select_related("board").get(pk=member.pk)
        if current.left_on is not None:
            raise DemocracyError(_("This member has left the board: the record no longer changes."))
        _check_member(
            board=current.board, full_name=full_name, position=position, village=village, member_pk=current.pk
        )
        if account is not None and (
            BoardMember.objects.filter(board_id=current.board_id, account=account).exclude(pk=current.pk).exists()
        ):
            raise DemocracyError(_("This account is already linked to a member of this board."), "email")
        current.full_name, current.position, current.village, current.account = full_name, position, village, account
        return _save_member(current, by, "corrected")


@transaction.atomic
def board_member_leave(*, member: BoardMember, on: datetime.date, by) -> BoardMember:
    """The member leaves the board (resigned, dismissed, moved away): the account no longer opens the
    board's queue; the name stays in the board's history."""
    current = BoardMember.objects.select_for_update().select_related("board").get(pk=member.pk)
    if current.left_on is not None:
        raise DemocracyError(_("This member already left the board."))
    if on > clock.today():
        raise DemocracyError(_("The date cannot be in the future."), "on")
    if on < current.board.term_starts_on:
        raise DemocracyError(_("A member leaves after the board's term started."), "on")
    current.left_on = on
    current._history_user = by
    current._change_reason = "left"
    current.save(update_fields=["left_on"])
    return current


# --- The board's documents and recommendations ------------------------------------------------------------


def board_document_add(
    *,
    board: Board,
    kind: str,
    title: str,
    dated: datetime.date,
    by,
    period: str = "",
    text: str = "",
    file=None,
) -> BoardDocument:
    """A plan (quarterly, half-yearly or yearly, art. 39) or an inspection or supervision report; public."""
    title = _clean(title)
    if kind not in DocumentKind.values:
        raise DemocracyError(_("Choose a plan or a report."), "kind")
    if kind == DocumentKind.PLAN and period not in PlanPeriod.values:
        raise DemocracyError(_("Say whether the plan is quarterly, half-yearly or yearly."), "period")
    if not title:
        raise DemocracyError(_("Enter the document's title."), "title")
    if dated > clock.today():
        raise DemocracyError(_("The date cannot be in the future."), "dated")
    text = (text or "").strip()
    if not text and not file:
        raise DemocracyError(_("Write the text or attach the document (PDF)."), "text")
    document = BoardDocument(
        board=board,
        kind=kind,
        period=period if kind == DocumentKind.PLAN else "",
        title=title,
        dated=dated,
        text=text,
        created_by=by,
    )
    if file:
        document.file = file
    document._history_user = by
    document._change_reason = "added"
    document.save()
    return document


def recommendation_create(
    *,
    board: Board,
    title: str,
    text: str,
    received_on: datetime.date,
    by,
    report: BoardDocument | None = None,
) -> Recommendation:
    """The board's recommendation, as the commune received it: the 15 days of art. 40 run from then."""
    title = _clean(title)
    text = (text or "").strip()
    if not title:
        raise DemocracyError(_("Enter the recommendation's title."), "title")
    if not text:
        raise DemocracyError(_("Write the recommendation."), "text")
    if received_on > clock.today():
        raise DemocracyError(_("The date cannot be in the future."), "received_on")
    if not board.term_starts_on <= received_on <= board.term_ends_on:
        raise DemocracyError(
            _("The board recommends during its term (%(start)s–%(end)s).")
            % {"start": _day(board.term_starts_on), "end": _day(board.term_ends_on)},
            "received_on",
        )
    if report is not None and (report.board_id != board.pk or report.kind != DocumentKind.REPORT):
        raise DemocracyError(_("Choose one of this board's reports."), "report")
    recommendation = Recommendation(
        board=board,
        title=title,
        text=text,
        report=report,
        received_on=received_on,
        due_on=Recommendation.due_for(received_on),
        created_by=by,
    )
    recommendation._history_user = by
    recommendation._change_reason = "received"
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_answer(
    *,
    recommendation: Recommendation,
    answer: str,
    by,
    answered_on: datetime.date | None = None,
    document=None,
) -> Recommendation:
    """The commune's answer (art. 40). Once answered the recommendation is frozen; an answer after the
    due date is recorded as late, as it happened."""
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if current.status != RecommendationStatus.AWAITING:
        raise DemocracyError(_("This recommendation is already answered: the answer no longer changes."))
    answer = (answer or "").strip()
    if not answer:
        raise DemocracyError(_("Write the commune's answer."), "answer")
    today = clock.today()
    answered_on = answered_on or today
    if answered_on > today:
        raise DemocracyError(_("The answer cannot be dated in the future."), "answered_on")
    if answered_on < current.received_on:
        raise DemocracyError(
            _("The commune cannot answer before it received the recommendation (%(day)s).")
            % {"day": _day(current.received_on)},
            "answered_on",
        )
    current.status, current.answer, current.answered_on, current.answered_by = (
        RecommendationStatus.ANSWERED,
        answer,
        answered_on,
        by,
    )
    if document:
        current.answer_document = document
    current._history_user = by
    current._change_reason = "answered late" if answered_on > current.due_on else "answered"
    current.save()
    return current


# --- Escalation to the Department of Home Affairs ----------------------------------------------------------


def _with_successors(ids: set[int]) -> set[int]:
    """The provinces and every province that took them over, through each reorganisation."""
    through = Province.successors.through
    found, frontier = set(ids), set(ids)
    while frontier:
        later = set(through.objects.filter(from_province_id__in=frontier).values_list("to_province_id", flat=True))
        frontier = later - found
        found |= frontier
    return found


def doha_emails(commune: Commune) -> list[str]:
    """The Department of Home Affairs staff of the commune's province (and of the province that took it
    over): who is told of an overdue recommendation."""
    provinces = _with_successors({commune.province_id})
    users = RoleAssignment.objects.filter(role=Role.DOHA_STAFF, province_id__in=provinces).values("user_id")
    emails = (
        User.objects.filter(pk__in=users, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(emails))


def recommendation_escalate(*, recommendation_id: int, today: datetime.date) -> bool:
    """Escalate one overdue recommendation, once: marked under a row lock, mailed after the commit."""
    with transaction.atomic():
        current = Recommendation.objects.select_for_update().filter(pk=recommendation_id).first()
        if (
            current is None
            or current.escalated_at is not None
            or current.status != RecommendationStatus.AWAITING
            or current.due_on >= today
        ):
            return False
        current.escalated_at = timezone.now()
        current._change_reason = "escalated"
        current.save(update_fields=["escalated_at"])
        if not mails_are_muted():
            from democracy import tasks  # the tasks module imports this one

            enqueue_on_commit(tasks.send_escalation_mail, current.pk)
    return True


def recommendations_escalate(*, today: datetime.date | None = None) -> int:
    """The daily task: every recommendation still awaiting after its due date is escalated once; mails
    whose task never ran (a broker down) go now. Returns the number escalated."""
    today = today or clock.today()
    candidates = list(
        Recommendation.objects.filter(
            status=RecommendationStatus.AWAITING, due_on__lt=today, escalated_at__isnull=True
        ).values_list("pk", flat=True)
    )
    escalated = sum(recommendation_escalate(recommendation_id=pk, today=today) for pk in candidates)
    if not mails_are_muted():
        unsent = Recommendation.objects.filter(
            escalated_at__lt=timezone.now() - MAIL_SWEEP_DELAY, escalation_mailed_at__isnull=True
        ).values_list("pk", flat=True)
        for pk in list(unsent):
            try:
                escalation_mail_send(recommendation_id=pk)
            except SEND_ERRORS as error:
                logger.warning("Escalation mail of recommendation %s not sent (%s); tried again tomorrow.", pk, error)
    return escalated


def escalation_mail_send(*, recommendation_id: int) -> bool:
    """Mail the province's Department of Home Affairs about one escalated recommendation, unless it was
    mailed already; False when there was nothing to send (or nobody to send it to yet: the sweep tries
    again once the province has staff on the portal). The row stays locked while the mail goes out, so a
    task and the sweep never both send it; a mail server error is raised again, for the task to retry."""
    with transaction.atomic():
        current = (
            Recommendation.objects.select_for_update(of=("self",))
            .select_related("board__commune__province")
            .filter(pk=recommendation_id)
            .first()
        )
        if current is None or current.escalated_at is None or current.escalation_mailed_at is not None:
            return False
        recipients = doha_emails(current.board.commune)
        if not recipients:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "recommendation": current,
                "board": current.board,
                "commune": current.board.commune,
                "overdue_url": absolute_url(
                    reverse(
                        "democracy:manage_recommendations_overdue", kwargs={"pk": current.board.commune.province_id}
                    )
                ),
                "board_url": absolute_url(current.board.get_absolute_url()),
            }
            subject = " ".join(render_to_string("democracy/email/recommendation_overdue_subject.txt", context).split())
            body = render_to_string("democracy/email/recommendation_overdue_body.txt", context)
        EmailMessage(subject, body, None, recipients).send()
        current.escalation_mailed_at = timezone.now()
        current._change_reason = "mailed"
        current.save(update_fields=["escalation_mailed_at"])
    return True
