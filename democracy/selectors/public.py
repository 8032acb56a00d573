"""Reads for the public pages of grassroots democracy (what residents know, "dân biết").

Public pages receive plain rows built here, never a household, a ballot or a running count: a
village's result is copied into its row only once the village has counted, so a template cannot show
what it was not given. Every function costs a constant number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune, Village
from core import clock
from core.web import absolute_url
from democracy.models import (
    Convention,
    ConventionVersion,
    Decision,
    DecisionStatus,
    Form,
    Household,
    Matter,
    MatterStatus,
    VersionStatus,
)
from democracy.services import thresholds

# The calendar feed keeps recent events too, so a phone that synchronises late still shows them.
CALENDAR_PAST_DAYS = 90
ICS_MEETING_HOURS = 2  # a meeting's end is not recorded: calendars show it this long


@dataclass(frozen=True)
class Result:
    """A village's counted result: the totals written once when counting, with the law's threshold."""

    households_total: int
    households_present: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    quorum_met: bool | None
    rule_text: str
    passed: bool
    decided_on: datetime.date | None
    has_minutes: bool


@dataclass(frozen=True)
class DecisionRow:
    pk: int
    village: Village
    form: str
    form_label: str
    status: str
    status_label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    place: str
    without_quorum: bool
    """A meeting was held but did not gather its quorum: it decided nothing (no figures are given)."""
    result: Result | None
    """None until the village has counted."""

    @property
    def is_meeting(self) -> bool:
        return self.form == Form.MEETING


def _result(decision: Decision, category: int) -> Result | None:
    if not decision.counted:
        return None
    total = decision.households_total or 0
    return Result(
        households_total=total,
        households_present=decision.households_present or 0,
        votes_for=decision.votes_for or 0,
        votes_against=decision.votes_against or 0,
        votes_abstain=decision.votes_abstain or 0,
        quorum_met=decision.quorum_met if decision.form == Form.MEETING else None,
        rule_text=thresholds.rule_for(category, total).text,
        passed=bool(decision.passed),
        decided_on=decision.decided_on,
        has_minutes=bool(decision.minutes),
    )


def decision_row(decision: Decision, category: int) -> DecisionRow:
    return DecisionRow(
        pk=decision.pk,
        village=decision.village,
        form=decision.form,
        form_label=decision.get_form_display(),
        status=decision.status,
        status_label=decision.get_status_display(),
        starts_at=decision.starts_at,
        ends_at=decision.ends_at,
        place=decision.place,
        without_quorum=decision.status == DecisionStatus.OPEN and decision.quorum_met is False,
        result=_result(decision, category),
    )


def _public_matters():
    # A matter being prepared is not public yet: its text and its date may still change.
    return Matter.objects.exclude(status=MatterStatus.DRAFT)


def _with_decisions(queryset):
    return queryset.select_related("village").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("village").order_by("village__name"))
    )


def villages_for_commune(*, commune: Commune) -> list[Village]:
    """The villages in force, or, for an ended commune, those it had on its last day."""
    villages = Village.objects.filter(commune=commune)
    if commune.is_current:
        villages = villages.filter(valid_until__isnull=True)
    else:
        villages = villages.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=commune.valid_until))
    return list(villages.order_by("kind", "name"))


def matters_for_commune(*, commune: Commune) -> list[Matter]:
    """Every public matter of the commune, newest first, each with ``rows`` (its villages' deciding)."""
    matters = list(_with_decisions(_public_matters().filter(commune=commune)).order_by("-created_at"))
    for matter in matters:
        matter.rows = [decision_row(decision, matter.category) for decision in matter.decisions.all()]
    return matters


def matters_for_village(*, village: Village) -> list[Matter]:
    """The village's own matters and the commune-wide ones it decides, with only its own row."""
    matters = list(
        _with_decisions(
            _public_matters().filter(Q(village=village) | Q(village__isnull=True, decisions__village=village))
        )
        .distinct()
        .order_by("-created_at")
    )
    for matter in matters:
        matter.rows = [
            decision_row(decision, matter.category)
            for decision in matter.decisions.all()
            if decision.village_id == village.pk
        ]
    return matters


def calendar_for_commune(*, commune: Commune, since: datetime.datetime | None = None) -> list[Decision]:
    """Meetings and votes of the commune still to come or still open (from ``since``: for the feed)."""
    now = timezone.now()
    decisions = Decision.objects.filter(matter__commune=commune).exclude(matter__status=MatterStatus.DRAFT)
    if since is None:
        decisions = decisions.filter(status__in=[DecisionStatus.PLANNED, DecisionStatus.OPEN]).filter(
            Q(starts_at__gte=now) | Q(ends_at__gte=now)
        )
    else:
        decisions = decisions.filter(starts_at__gte=since)
    decisions = list(decisions.select_related("matter", "village").order_by("starts_at", "village__name"))
    for decision in decisions:
        decision.day = clock.date_of(decision.starts_at)  # Vietnam's day, whatever zone the data is in
    return decisions


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> list[str]:
    """RFC 5545: lines of at most 75 octets, continued with a space, never splitting a character."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not parts else 74):
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return [parts[0], *(" " + part for part in parts[1:])]


def _ics_time(moment) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_ics_for_commune(*, commune: Commune) -> str:
    """The calendar feed (iCalendar): one event per village meeting or vote, recent and to come; where,
    when and what, never who."""
    decisions = calendar_for_commune(
        commune=commune, since=timezone.now() - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    )
    host = urlsplit(settings.SITE_URL).hostname or "portal"
    stamp = _ics_time(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Friendly government portal//Democracy//VI",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_ics_text(_('Residents decide: %(commune)s') % {'commune': commune})}",
    ]
    for decision in decisions:
        end = decision.ends_at or decision.starts_at + datetime.timedelta(hours=ICS_MEETING_HOURS)
        label = decision.get_form_display()
        summary = f"{label[:1].upper()}{label[1:]}: {decision.matter.title} ({decision.village})"
        lines += [
            "BEGIN:VEVENT",
            f"UID:democracy-decision-{decision.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(decision.starts_at)}",
            f"DTEND:{_ics_time(end)}",
            f"SUMMARY:{_ics_text(summary)}",
            f"URL:{absolute_url(reverse('democracy:matter_detail', kwargs={'pk': decision.matter_id}))}",
        ]
        if decision.place:
            lines.append(f"LOCATION:{_ics_text(decision.place)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in _ics_fold(line))


def conventions_in_force(*, commune: Commune | None = None, village: Village | None = None) -> list[ConventionVersion]:
    versions = ConventionVersion.objects.filter(status=VersionStatus.IN_FORCE).select_related("convention__village")
    if village is not None:
        versions = versions.filter(convention__village=village)
    else:
        versions = versions.filter(convention__village__commune=commune)
    return list(versions.order_by("convention__village__name", "convention__kind", "convention__title"))


def village_for_public_page(*, pk: int) -> Village:
    """Raises Village.DoesNotExist."""
    return (
        Village.objects.select_related("commune__province", "commune__district")
        .prefetch_related("successors")
        .get(pk=pk)
    )


def matter_for_public_page(*, pk: int) -> Matter:
    """The matter with ``rows``; raises Matter.DoesNotExist (a matter being prepared is not public)."""
    matter = _with_decisions(_public_matters().select_related("commune__province", "commune__district")).get(pk=pk)
    matter.rows = [decision_row(decision, matter.category) for decision in matter.decisions.all()]
    return matter


def commune_result(matter: Matter) -> thresholds.Rule | None:
    """The commune-wide rule once every village has sent its result."""
    if not matter.is_commune_wide or matter.villages_total is None:
        return None
    return thresholds.commune_rule(matter.villages_total)


def minutes_of(*, pk: int) -> Decision:
    """A counted decision's minutes, for download; raises Decision.DoesNotExist otherwise."""
    decision = Decision.objects.select_related("village", "matter").get(
        pk=pk, status__in=[DecisionStatus.COUNTED, DecisionStatus.COSIGNED, DecisionStatus.SENT]
    )
    if not decision.minutes:
        raise Decision.DoesNotExist
    return decision


def _public_versions():
    # A draft is public once posted for comments; before that it is the village head's working text.
    return ConventionVersion.objects.exclude(status=VersionStatus.DRAFT, posted_on__isnull=True)


def convention_for_public_page(*, pk: int) -> tuple[Convention, ConventionVersion | None, list[ConventionVersion]]:
    """The convention, its version in force and its other public versions, newest first. Raises
    Convention.DoesNotExist."""
    convention = Convention.objects.select_related("village__commune__province", "village__commune__district").get(
        pk=pk
    )
    versions = list(_public_versions().filter(convention=convention).select_related("adopted_by").order_by("-number"))
    in_force = next((version for version in versions if version.status == VersionStatus.IN_FORCE), None)
    return convention, in_force, [version for version in versions if version is not in_force]


def version_for_download(*, pk: int) -> ConventionVersion:
    """Raises ConventionVersion.DoesNotExist (also when it has no document)."""
    version = _public_versions().select_related("convention").get(pk=pk)
    if not version.document:
        raise ConventionVersion.DoesNotExist
    return version


# --- Voting -------------------------------------------------------------------------------------------


def household_represented_by(*, user) -> Household | None:
    """The household ``user`` is the verified representative of (one account, one household)."""
    if not user.is_authenticated:
        return None
    return (
        Household.objects.filter(representative_account=user, active=True, verified_at__isnull=False)
        .select_related("village")
        .first()
    )


def decision_for_household(*, matter: Matter, household: Household) -> Decision | None:
    return next((decision for decision in matter.decisions.all() if decision.village_id == household.village_id), None)
