"""Consulting residents before the commune decides (Law 10/2022/QH15, art. 25–29): the plan, the draft
in sections, residents' comments and those received through the other channels of art. 26, moderation,
closing, the answer to every comment (taken in or explained) and the published synthesis.

Every function checks the rule it carries and raises DemocracyError with a message for the person who
asked; nothing is written then. State changes lock the consultation's row and read its state inside the
transaction, so two officers (or an officer and the nightly close) cannot both act on the same state.
Each step is kept in the models' history with who did it and why.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communes.models import Commune
from core import clock
from democracy.models.consultations import (
    MIN_CONSULTATION_DAYS,
    Comment,
    CommentResponse,
    CommentStatus,
    Consultation,
    ConsultationChannel,
    ConsultationStatus,
    Section,
    Topic,
)
from democracy.services.errors import DemocracyError

MIN_COMMENT_LENGTH = 10
MAX_COMMENT_LENGTH = 5000
MIN_REASON_LENGTH = 10
ONE_DAY = datetime.timedelta(days=1)

# "Điều 3. Heading" (or "Article 3. Heading") at the start of a line opens a section of a pasted draft;
# "Chương II. ..." lines group articles and belong to none.
_ARTICLE = re.compile(r"^\s*(?:Điều|Article)\s+(\d{1,4})\s*[.:]?\s*(.*)$", re.IGNORECASE)
_CHAPTER = re.compile(r"^\s*(?:Chương|Chapter|Mục)\s+[IVXLC\d]+\b", re.IGNORECASE)


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _lock(pk: int) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=pk)


def _save(obj, by, reason: str, **kwargs) -> None:
    obj._history_user = by
    obj._change_reason = reason
    obj.save(**kwargs)


def _refuse_unless_draft(consultation: Consultation) -> None:
    if consultation.status != ConsultationStatus.DRAFT:
        raise DemocracyError(_("The plan and the draft change only while the consultation is being prepared."))


# --- The plan (art. 28) ---------------------------------------------------------------------------------


def _clean_plan(
    *,
    topic: int,
    title: str,
    summary: str,
    channels: list[str],
    opens_on: datetime.date,
    closes_on: datetime.date,
    organiser: str,
    sent_to_council_on: datetime.date | None,
    sent_to_front_on: datetime.date | None,
) -> dict:
    title, summary, organiser = " ".join(title.split()), summary.strip(), " ".join(organiser.split())
    if topic not in Topic.values:
        raise DemocracyError(_("Choose the kind of content residents are consulted on (art. 25)."), "topic")
    if not title:
        raise DemocracyError(_("Give the consultation's title."), "title")
    if not summary:
        raise DemocracyError(_("Say what residents are consulted on."), "summary")
    chosen = [value for value in ConsultationChannel.values if value in set(channels)]
    if not chosen or len(chosen) != len(set(channels)):
        raise DemocracyError(_("Choose at least one form of consultation (art. 26)."), "channels")
    if (closes_on - opens_on).days < MIN_CONSULTATION_DAYS:
        raise DemocracyError(
            _(
                "Residents have at least %(days)d days to give their views (art. 28): opening on %(opens)s, close"
                " on %(earliest)s or later."
            )
            % {
                "days": MIN_CONSULTATION_DAYS,
                "opens": _day(opens_on),
                "earliest": _day(opens_on + datetime.timedelta(days=MIN_CONSULTATION_DAYS)),
            },
            "closes_on",
        )
    if not organiser:
        raise DemocracyError(_("Say who organises the consultation."), "organiser")
    today = clock.today()
    for field, value in (("sent_to_council_on", sent_to_council_on), ("sent_to_front_on", sent_to_front_on)):
        if value is not None and value > today:
            raise DemocracyError(_("This date is in the future: give the day the plan was sent."), field)
    return {
        "topic": topic,
        "title": title,
        "summary": summary,
        "channels": chosen,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "organiser": organiser,
        "sent_to_council_on": sent_to_council_on,
        "sent_to_front_on": sent_to_front_on,
    }


def consultation_plan(*, commune: Commune, by, draft=None, **plan) -> Consultation:
    """A new consultation, being prepared: the plan of art. 28 and, if already written, the draft (PDF)."""
    if not commune.is_current:
        raise DemocracyError(_("This commune has ended: it plans no new consultation."))
    consultation = Consultation(commune=commune, created_by=by, **_clean_plan(**plan))
    if draft:
        consultation.draft = draft
    _save(consultation, by, "planned")
    return consultation


@transaction.atomic
def consultation_update(*, consultation: Consultation, by, draft=None, **plan) -> Consultation:
    """The plan changed while it is still being prepared; a new draft (PDF) replaces the old one."""
    consultation = _lock(consultation.pk)
    _refuse_unless_draft(consultation)
    for name, value in _clean_plan(**plan).items():
        setattr(consultation, name, value)
    if draft:
        consultation.draft = draft
    _save(consultation, by, "plan changed")
    return consultation


# --- The draft's sections -----------------------------------------------------------------------------------


def _clean_section(number: int, heading: str, text: str) -> tuple[int, str, str]:
    heading, text = " ".join(heading.split()), text.strip()
    if number < 1:
        raise DemocracyError(_("Number the sections from 1."), "number")
    if not heading:
        raise DemocracyError(_("Give the section's heading."), "heading")
    if not text:
        raise DemocracyError(_("Give the section's text."), "text")
    return number, heading, text


@transaction.atomic
def section_save(
    *, consultation: Consultation, number: int, heading: str, text: str, by, section: Section | None = None
) -> Section:
    """A section added to the draft, or changed, while the consultation is being prepared."""
    consultation = _lock(consultation.pk)
    _refuse_unless_draft(consultation)
    number, heading, text = _clean_section(number, heading, text)
    taken = consultation.sections.filter(number=number)
    if section is not None:
        if section.consultation_id != consultation.pk:
            raise DemocracyError(_("This section belongs to another consultation."))
        taken = taken.exclude(pk=section.pk)
    if taken.exists():
        raise DemocracyError(
            _("The draft already has a section %(number)d: give another number.") % {"number": number}, "number"
        )
    section = section or Section(consultation=consultation)
    section.number, section.heading, section.text = number, heading, text
    section.save()
    # The consultation's history says when its draft changed.
    _save(consultation, by, "draft changed")
    return section


@transaction.atomic
def section_delete(*, section: Section, by) -> None:
    consultation = _lock(section.consultation_id)
    _refuse_unless_draft(consultation)
    Section.objects.filter(pk=section.pk).delete()
    _save(consultation, by, "draft changed")


def sections_parse(text: str) -> list[tuple[int, str, str]]:
    """(number, heading, text) of each "Điều N." of a pasted draft, in order. Lines before the first
    article (the title, the preamble) and chapter headings belong to no section."""
    found: list[tuple[int, str, list[str]]] = []
    for line in text.splitlines():
        match = _ARTICLE.match(line)
        if match:
            found.append((int(match.group(1)), match.group(2).strip(), []))
        elif found and not _CHAPTER.match(line):
            found[-1][2].append(line)
    sections = []
    seen = set()
    for number, heading, lines in found:
        body = "\n".join(lines).strip()
        if number in seen:
            raise DemocracyError(
                _("Article %(number)d appears twice in the text: each article is one section.") % {"number": number},
                "text",
            )
        seen.add(number)
        # "Điều 5. The whole article on one line": the line is the text, the heading says which article.
        if not body:
            heading, body = _("Article %(number)d") % {"number": number}, heading
        if not body:
            raise DemocracyError(_("Article %(number)d has no text.") % {"number": number}, "text")
        sections.append((number, heading[:255], body))
    return sections


@transaction.atomic
def sections_paste(*, consultation: Consultation, text: str, by) -> list[Section]:
    """The draft's text pasted whole: one section per article, replacing the sections typed before."""
    consultation = _lock(consultation.pk)
    _refuse_unless_draft(consultation)
    parsed = sections_parse(text)
    if not parsed:
        raise DemocracyError(
            _("No article was found: each section starts on its own line with “Điều 1.”, “Điều 2.”…"), "text"
        )
    consultation.sections.all().delete()
    sections = Section.objects.bulk_create(
        [Section(consultation=consultation, number=n, heading=h, text=t) for n, h, t in parsed]
    )
    _save(consultation, by, "draft changed")
    return sections


# --- Opening --------------------------------------------------------------------------------------------------


def opening_missing(consultation: Consultation, *, has_sections: bool) -> list[str]:
    """What the plan still lacks before it is published (empty: it can open)."""
    missing = []
    if not consultation.draft and not has_sections:
        missing.append(_("Attach the draft (PDF) or type it in sections."))
    if consultation.sent_to_council_on is None:
        missing.append(_("Give the day the plan was sent to the commune People's Council (art. 28)."))
    if consultation.sent_to_front_on is None:
        missing.append(_("Give the day the plan was sent to the commune Fatherland Front committee (art. 28)."))
    if clock.today() > consultation.closes_on:
        missing.append(
            _("The planned period ended on %(day)s: change the dates of the plan.")
            % {"day": _day(consultation.closes_on)}
        )
    return missing


@transaction.atomic
def consultation_open(*, consultation: Consultation, by) -> Consultation:
    """Publish the plan and the draft: residents read them at once and comment from the planned day."""
    consultation = _lock(consultation.pk)
    if consultation.status != ConsultationStatus.DRAFT:
        raise DemocracyError(_("This consultation is already open."))
    missing = opening_missing(consultation, has_sections=consultation.sections.exists())
    if missing:
        raise DemocracyError(" ".join(missing))
    consultation.status = ConsultationStatus.OPEN
    _save(consultation, by, "opened")
    return consultation


# --- Comments ---------------------------------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = text.strip()
    if len(text) < MIN_COMMENT_LENGTH:
        raise DemocracyError(
            _("Write your comment in at least %(count)d characters.") % {"count": MIN_COMMENT_LENGTH}, "text"
        )
    if len(text) > MAX_COMMENT_LENGTH:
        raise DemocracyError(_("A comment has at most %(count)d characters.") % {"count": MAX_COMMENT_LENGTH}, "text")
    return text


def _check_section(consultation: Consultation, section: Section | None) -> None:
    if section is not None and section.consultation_id != consultation.pk:
        raise DemocracyError(_("Choose a section of this draft."), "section")


def _not_open_message(consultation: Consultation, today: datetime.date) -> str:
    if consultation.status == ConsultationStatus.OPEN and today < consultation.opens_on:
        return _("Comments are received from %(day)s.") % {"day": _day(consultation.opens_on)}
    return _("This consultation is closed: comments are no longer received.")


def comment_submit(*, consultation: Consultation, user, text: str, section: Section | None = None) -> Comment:
    """A signed-in resident's comment on the draft, or on one section; published once moderated."""
    if not user.is_authenticated:
        raise DemocracyError(_("Sign in to comment."))
    text = _clean_text(text)
    _check_section(consultation, section)
    with transaction.atomic():
        # Locked as consultation_close locks it: a comment sent while the consultation closes waits,
        # then finds it closed.
        consultation = _lock(consultation.pk)
        today = clock.today()
        if not consultation.is_open_on(today):
            raise DemocracyError(_not_open_message(consultation, today))
        if not consultation.comments_online:
            raise DemocracyError(
                _("This consultation takes no comments on the portal: its plan says how to give them.")
            )
        comment = Comment(
            consultation=consultation, section=section, text=text, author=user, channel=ConsultationChannel.PORTAL
        )
        _save(comment, user, "sent")
    return comment


def comment_enter(
    *, consultation: Consultation, text: str, channel: str, source: str, by, section: Section | None = None
) -> Comment:
    """A comment received through another channel of art. 26 (a meeting, the village Front work committee,
    the suggestion box...), typed in by an officer with its source; published at once, with no author."""
    source = " ".join(source.split())
    if channel not in ConsultationChannel.values or channel == ConsultationChannel.PORTAL:
        raise DemocracyError(_("Choose the channel the comment came through."), "channel")
    if not source:
        raise DemocracyError(_("Say where the comment came from: which committee, meeting or box."), "source")
    text = _clean_text(text)
    _check_section(consultation, section)
    with transaction.atomic():
        consultation = _lock(consultation.pk)
        if consultation.status not in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED):
            raise DemocracyError(
                _("Comments are typed in once the consultation is open, until its synthesis is published.")
            )
        comment = Comment(
            consultation=consultation,
            section=section,
            text=text,
            channel=channel,
            source=source,
            entered_by=by,
            status=CommentStatus.PUBLISHED,
        )
        _save(comment, by, "typed in")
    return comment


def _lock_comment(comment: Comment) -> tuple[Comment, Consultation]:
    consultation = _lock(comment.consultation_id)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if consultation.is_frozen:
        raise DemocracyError(_("The synthesis is published: nothing of this consultation changes any more."))
    return comment, consultation


@transaction.atomic
def comment_moderate(*, comment: Comment, publish: bool, by, reason: str = "") -> Comment:
    """A resident's comment published, or not with the reason (its author sees it)."""
    comment, _consultation = _lock_comment(comment)
    if comment.status != CommentStatus.PENDING:
        raise DemocracyError(_("This comment was already moderated."))
    if publish:
        comment.status = CommentStatus.PUBLISHED
        _save(comment, by, "published")
    else:
        reason = " ".join(reason.split())[:255]
        if not reason:
            raise DemocracyError(_("Say why the comment is not published."), "reason")
        comment.status, comment.moderation_reason = CommentStatus.REJECTED, reason
        _save(comment, by, "not published")
    return comment


@transaction.atomic
def comment_answer(*, comment: Comment, response: str, answer: str, by) -> Comment:
    """The commune's answer to one published comment: taken in, partly, or explained (art. 28(3)). It may
    be changed until the synthesis is published."""
    comment, consultation = _lock_comment(comment)
    if consultation.status == ConsultationStatus.DRAFT or comment.status != CommentStatus.PUBLISHED:
        raise DemocracyError(_("Only a published comment is answered."))
    if response not in CommentResponse.values:
        raise DemocracyError(_("Say whether the comment is taken in or explained."), "response")
    answer = answer.strip()
    if not answer:
        raise DemocracyError(_("Write how the comment was taken in, or why not."), "answer")
    comment.response, comment.answer, comment.answered_by, comment.answered_at = response, answer, by, timezone.now()
    _save(comment, by, "answered")
    return comment


# --- Closing and the synthesis -------------------------------------------------------------------------------------


@transaction.atomic
def consultation_close(*, consultation: Consultation, by, reason: str = "") -> Consultation:
    """Comments end. After the planned last day it closes on the day after it (the nightly task does it);
    closing before the last day needs the reason, and the consultation did not run its full period."""
    consultation = _lock(consultation.pk)
    if consultation.status != ConsultationStatus.OPEN:
        raise DemocracyError(_("Only an open consultation is closed."))
    closed_on = min(clock.today(), consultation.closes_on + ONE_DAY)
    reason = reason.strip()
    if closed_on < consultation.closes_on:
        if len(reason) < MIN_REASON_LENGTH:
            raise DemocracyError(
                _(
                    "The consultation was planned until %(day)s: closing it earlier cuts residents' time short."
                    " Give the reason, residents will read it."
                )
                % {"day": _day(consultation.closes_on)},
                "reason",
            )
        consultation.closing_reason = reason
    consultation.status, consultation.closed_on, consultation.closed_by = ConsultationStatus.CLOSED, closed_on, by
    _save(consultation, by, "closed early" if consultation.closed_early else "closed")
    return consultation


def consultations_close_due() -> int:
    """The periodic task: every open consultation whose last day is over is closed. Safe to run twice."""
    due = Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_on__lt=clock.today())
    closed = 0
    for pk in due.values_list("pk", flat=True):
        try:
            consultation_close(consultation=Consultation(pk=pk), by=None)
        except DemocracyError:
            continue  # closed meanwhile by an officer
        closed += 1
    return closed


def synthesis_missing(*, pending: int, unanswered: int) -> list[str]:
    """What stands between a closed consultation and its synthesis (empty: it can be published)."""
    missing = []
    if pending:
        missing.append(
            ngettext(
                "%(count)d comment still awaits moderation.", "%(count)d comments still await moderation.", pending
            )
            % {"count": pending}
        )
    if unanswered:
        missing.append(
            ngettext(
                "%(count)d published comment is not answered yet.",
                "%(count)d published comments are not answered yet.",
                unanswered,
            )
            % {"count": unanswered}
        )
    return missing


@transaction.atomic
def consultation_synthesise(
    *, consultation: Consultation, synthesis: str, changes: str, by, final_document=None
) -> Consultation:
    """Publish the synthesis (art. 28(3)): every published comment answered, the changes made to the final
    text, optionally the final text. After it nothing of the consultation changes."""
    consultation = _lock(consultation.pk)
    if consultation.status == ConsultationStatus.SYNTHESISED:
        raise DemocracyError(_("The synthesis is published: nothing of this consultation changes any more."))
    if consultation.status != ConsultationStatus.CLOSED:
        raise DemocracyError(_("The synthesis is published once the consultation is closed."))
    comments = Comment.objects.filter(consultation=consultation)
    missing = synthesis_missing(
        pending=comments.filter(status=CommentStatus.PENDING).count(),
        unanswered=comments.filter(status=CommentStatus.PUBLISHED, response="").count(),
    )
    if missing:
        raise DemocracyError(" ".join(missing))
    synthesis, changes = synthesis.strip(), changes.strip()
    if not synthesis:
        raise DemocracyError(_("Write the synthesis of the comments."), "synthesis")
    if not changes:
        raise DemocracyError(_("Say what changed in the final text, or that nothing did."), "changes")
    consultation.synthesis, consultation.changes = synthesis, changes
    if final_document:
        consultation.final_document = final_document
    consultation.status, consultation.synthesis_published_on = ConsultationStatus.SYNTHESISED, clock.today()
    _save(consultation, by, "synthesis published")
    return consultation
