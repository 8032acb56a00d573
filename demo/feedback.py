"""Demo feedback for a local run: a year of items across the demo communes of Bắc Giang (pre-2025).

Idempotent: each item carries a fixed submission token (``demo-0001``…), so a second run finds it and
creates nothing; categories are looked up by name and never rewritten. Items go through the services,
with notifications muted, and their dates are moved back afterwards so the timeline reads like a year
of work. Random choices come from a fixed seed: every run builds the same items.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from communes.models import Commune, Province
from core import clock
from core.clock import VIETNAM
from core.workdays import add_working_days
from demo.data import feedback as data
from feedback.models import Category, Event, Feedback, RefusalReason
from feedback.services.common import forwarded_in_time
from feedback.services.notifications import notifications_muted
from feedback.services.submission import feedback_submit
from feedback.services.workflow import (
    feedback_accept,
    feedback_close_unresolved,
    feedback_dispute,
    feedback_extend,
    feedback_forward,
    feedback_rate,
    feedback_refuse,
    feedback_resolve,
    feedback_start,
    overdue_flag,
)

PROVINCE_CODE = "24"  # today's Bắc Ninh, which took over tỉnh Bắc Giang (the code was kept)
DEMO_ITEMS = 300
SEED = 20250701
DEMO_PREFIX = "demo-"  # the submission token of every demo item starts so

# Outcome → (weight, youngest and oldest age in days)
OUTCOMES = {
    "received": (8, 0, 3),
    "accepted": (6, 1, 6),
    "in_progress": (10, 3, 12),
    "overdue": (5, 30, 120),
    "forwarded": (6, 3, 360),
    "refused_out_of_scope": (3, 3, 360),
    "refused_duplicate": (3, 3, 360),
    "refused_not_feedback": (2, 3, 360),
    "resolved": (44, 8, 360),
    "closed_unresolved": (6, 20, 360),
    "disputed": (4, 10, 25),
    "disputed_resolved": (3, 30, 360),
}
RATINGS = [5] * 35 + [4] * 30 + [3] * 15 + [2] * 10 + [1] * 10


@dataclass
class Spec:
    index: int
    commune: Commune
    category: Category
    outcome: str
    submitted_at: datetime.datetime
    title: str
    description: str
    answer: str
    values: dict


def _province() -> Province | None:
    return Province.objects.current().filter(code=PROVINCE_CODE).first()


def _demo_communes(province: Province) -> list[Commune]:
    """Today's wards that took over the demo communes: feedback of the last year goes to units that
    existed when it was sent, not to the communes the 2025 reform ended."""
    return list(
        province.communes.current()
        .filter(predecessors__one_stop_shop__isnull=False)
        .distinct()
        .select_related("district", "province")
        .order_by("code")
    )


def _categories(province: Province) -> list[Category]:
    categories = []
    for position, (name, days) in enumerate(data.CATEGORIES, start=1):
        category = Category.objects.filter(province=province, name=name).first()
        if category is None:
            category = Category(province=province, name=name, time_limit_days=days, position=position)
            category.full_clean()
            category.save()
        categories.append(category)
    return categories


def _specs(rng: random.Random, communes: list[Commune], categories: list[Category], now) -> list[Spec]:
    names, weights = list(OUTCOMES), [weight for weight, _young, _old in OUTCOMES.values()]
    specs = []
    for index in range(1, DEMO_ITEMS + 1):
        outcome = rng.choices(names, weights)[0]
        _weight, youngest, oldest = OUTCOMES[outcome]
        category = rng.choice(categories)
        title, description, answer = rng.choice(data.CONTENT[category.name])
        place = rng.choice(data.PLACES)
        submitted_at = now - datetime.timedelta(
            days=rng.randint(youngest, oldest), hours=rng.randint(0, 10), minutes=rng.randint(0, 59)
        )
        name = rng.choice(data.NAMES)
        contact = rng.random()
        values = {
            "address": place if rng.random() < 0.7 else "",
            "contact_name": name if contact < 0.85 else "",
            "contact_email": f"nguoi-dan-{index:04d}@example.com" if contact < 0.6 else "",
            "contact_phone": f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
            if contact < 0.8
            else "",
            "language": "en" if rng.random() < 0.08 else "vi",
        }
        if rng.random() < 0.5:
            values["latitude"] = Decimal("21.2700") + Decimal(rng.randint(-400, 400)) / 10000
            values["longitude"] = Decimal("106.0800") + Decimal(rng.randint(-400, 400)) / 10000
        specs.append(
            Spec(
                index=index,
                commune=rng.choice(communes),
                category=category,
                outcome=outcome,
                submitted_at=submitted_at,
                title=title.format(place=place),
                description=description.format(place=place),
                answer=answer,
                values=values,
            )
        )
    return specs


class _Clock:
    """Backdates what a service just wrote: its events, and the answer's time."""

    def __init__(self, feedback: Feedback, now: datetime.datetime):
        self.feedback = feedback
        self.now = now
        self.last_event = 0

    def stamp(self, when: datetime.datetime, **fields) -> datetime.datetime:
        when = min(when, self.now - datetime.timedelta(minutes=5))
        Event.objects.filter(feedback=self.feedback, pk__gt=self.last_event).update(at=when)
        self.last_event = Event.objects.filter(feedback=self.feedback).order_by("-pk").values_list("pk", flat=True)[0]
        if fields:
            Feedback.objects.filter(pk=self.feedback.pk).update(**fields)
            for name, value in fields.items():
                setattr(self.feedback, name, value)
        return when


def _later(rng: random.Random, when: datetime.datetime, low_hours: int, high_hours: int) -> datetime.datetime:
    return when + datetime.timedelta(hours=rng.randint(low_hours, high_hours), minutes=rng.randint(0, 59))


def _officer(commune: Commune, fallback):
    successors = list(commune.successors.values_list("pk", flat=True))
    assignment = (
        RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, commune_id__in=[commune.pk, *successors])
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return assignment.user if assignment else fallback


def _answer_time(rng: random.Random, feedback: Feedback, start: datetime.datetime) -> datetime.datetime:
    """Most answers come by the due date; about one in six is late by a few days."""
    due = datetime.datetime.combine(feedback.due_date, datetime.time(16), tzinfo=start.tzinfo)
    if rng.random() < 0.17:
        return due + datetime.timedelta(days=rng.randint(1, 6))
    span = max((due - start).total_seconds(), 3600)
    return start + datetime.timedelta(seconds=rng.uniform(0.3, 1.0) * span)


def _build(spec: Spec, rng: random.Random, by, now: datetime.datetime, created: dict[int, Feedback]) -> Feedback:
    officer = _officer(spec.commune, by)
    feedback = feedback_submit(
        commune=spec.commune,
        category=spec.category,
        title=spec.title,
        description=spec.description,
        consent=True,
        submission_token=f"{DEMO_PREFIX}{spec.index:04d}",
        **spec.values,
    )
    stamper = _Clock(feedback, now)
    local_day = clock.date_of(spec.submitted_at)
    when = stamper.stamp(
        spec.submitted_at,
        submitted_at=spec.submitted_at,
        due_date=add_working_days(local_day, spec.category.time_limit_days),
    )
    outcome = spec.outcome
    if outcome == "received":
        return feedback

    if outcome.startswith("refused"):
        reason = outcome.removeprefix("refused_")
        duplicate_of = next((item for item in reversed(created.values()) if item.commune_id == spec.commune.pk), None)
        if reason == RefusalReason.DUPLICATE and duplicate_of is None:
            reason = RefusalReason.NOT_FEEDBACK
        if reason == RefusalReason.DUPLICATE:
            text = f"Trùng nội dung với phản ánh {duplicate_of.code}, đang được xử lý."
        elif reason == RefusalReason.OUT_OF_SCOPE:
            text = rng.choice(data.OUT_OF_SCOPE)[1]
        else:
            text = rng.choice(data.NOT_FEEDBACK_TEXTS)
        feedback_refuse(
            feedback=feedback,
            by=officer,
            reason=reason,
            public_text=text,
            duplicate_of=duplicate_of if reason == RefusalReason.DUPLICATE else None,
        )
        stamper.stamp(_later(rng, when, 4, 60))
        return feedback

    if outcome == "forwarded":
        unit, text = rng.choice(data.OUT_OF_SCOPE)
        feedback_forward(feedback=feedback, by=officer, to_unit=unit, public_text=text)
        at = stamper.stamp(_later(rng, when, 4, 24 * (3 if rng.random() < 0.8 else 9)))
        Event.objects.filter(feedback=feedback, kind=Event.Kind.FORWARDED).update(
            note="in time" if forwarded_in_time(feedback, at) else "late"
        )
        return feedback

    feedback_accept(feedback=feedback, by=officer)
    when = stamper.stamp(_later(rng, when, 2, 30))
    if outcome == "accepted" or (outcome == "overdue" and rng.random() < 0.4):
        return feedback
    feedback_start(feedback=feedback, by=officer, public_text=rng.choice(data.PROGRESS_TEXTS))
    when = stamper.stamp(_later(rng, when, 4, 48))
    if outcome in ("in_progress", "overdue"):
        if rng.random() < 0.3:
            days, reason = rng.choice([3, 5, 10]), rng.choice(data.EXTENSION_TEXTS)
            feedback_extend(feedback=feedback, by=officer, working_days=days, reason=reason)
            stamper.stamp(_later(rng, when, 24, 96))
        return feedback

    if outcome == "closed_unresolved":
        feedback_close_unresolved(feedback=feedback, by=officer, reason=rng.choice(data.UNRESOLVED_TEXTS))
        at = stamper.stamp(_answer_time(rng, feedback, when))
        stamper.stamp(at, answered_at=at)
        if rng.random() < 0.4:
            feedback_rate(feedback=feedback, rating=rng.choice([1, 2, 2, 3]), comment=rng.choice(data.RATING_COMMENTS))
            stamper.stamp(_later(rng, at, 2, 72))
        return feedback

    feedback_resolve(feedback=feedback, by=officer, answer=spec.answer)
    if outcome == "disputed":
        # Answered a few days ago and disputed since: still inside the window, now reopened.
        at = stamper.stamp(now - datetime.timedelta(days=rng.randint(2, 5), hours=rng.randint(0, 8)))
        stamper.stamp(at, answered_at=at)
        feedback_dispute(feedback=feedback, reason=rng.choice(data.DISPUTE_TEXTS))
        stamper.stamp(_later(rng, at, 6, 30))
        return feedback
    at = stamper.stamp(_answer_time(rng, feedback, when))
    if outcome == "disputed_resolved":
        # Disputed while the answer was fresh (the service checks the window against today), answered again.
        feedback_dispute(feedback=feedback, reason=rng.choice(data.DISPUTE_TEXTS))
        disputed = stamper.stamp(_later(rng, at, 12, 120))
        feedback_resolve(
            feedback=feedback, by=officer, answer=spec.answer + " Xã đã kiểm tra lại và khắc phục triệt để."
        )
        at = stamper.stamp(_later(rng, disputed, 48, 240))
        due = add_working_days(clock.date_of(disputed), spec.category.time_limit_days)
        stamper.stamp(at, due_date=due)
    stamper.stamp(at, answered_at=at)
    if rng.random() < 0.75:
        feedback_rate(feedback=feedback, rating=rng.choice(RATINGS), comment=rng.choice(data.RATING_COMMENTS))
        stamper.stamp(_later(rng, at, 1, 96))
    return feedback


@transaction.atomic
def feedback_demo_ensure(*, by=None) -> int:
    """Give today's successors of the demo communes a year of feedback in every state; the number created.

    A second call creates nothing. Without the demo communes (``communes_demo_ensure``) it does nothing."""
    province = _province()
    communes = _demo_communes(province) if province else []
    if not communes:
        return 0
    categories = _categories(province)
    now = timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - demo content, not a secret
    specs = _specs(rng, communes, categories, now)
    existing = {
        feedback.submission_token: feedback
        for feedback in Feedback.objects.filter(submission_token__startswith=DEMO_PREFIX)
    }
    created: dict[int, Feedback] = {}
    made = 0
    today = clock.date_of(now)
    with notifications_muted():
        for spec in specs:
            # Each item draws from its own generator, so one added later does not change the others.
            item_rng = random.Random(f"{SEED}-{spec.index}")  # noqa: S311
            token = f"{DEMO_PREFIX}{spec.index:04d}"
            if token in existing:
                created[spec.index] = existing[token]
                continue
            created[spec.index] = _build(spec, item_rng, by, now, created)
            made += 1
        for feedback in created.values():
            feedback.refresh_from_db()
            if feedback.is_open and feedback.due_date < today and overdue_flag(feedback_id=feedback.pk, today=today):
                # The morning after the due date, in Vietnam; never after now (just after midnight there,
                # that morning is still to come).
                late = datetime.datetime.combine(
                    feedback.due_date + datetime.timedelta(days=1), datetime.time(7), tzinfo=VIETNAM
                )
                late = min(late, now - datetime.timedelta(minutes=5))
                Event.objects.filter(feedback=feedback, kind=Event.Kind.OVERDUE).update(at=late)
                Feedback.objects.filter(pk=feedback.pk).update(overdue_notified_at=late)
    return made


def feedback_demo_summary(created: int) -> str:
    """One line for ``setup_demo``."""
    items = Feedback.objects.filter(submission_token__startswith=DEMO_PREFIX)
    return _("Demo feedback: %(items)d items in %(communes)d communes, %(open)d open (%(created)d created now).") % {
        "items": items.count(),
        "communes": items.values("commune").distinct().count(),
        "open": items.open().count(),
        "created": created,
    }
