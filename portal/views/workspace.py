"""The staff workspace: a staff member's start page, with the inbox of each role they hold, and the
places they work on.

The inbox is composed here from one ``inbox_counts`` selector per app (each a few grouped queries over
the user's whole scope, never one per unit), so the page costs the same for a commune officer as for
DoHA staff over two hundred communes. Each item links to the list that shows exactly the rows it counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.models import Role, RoleAssignment
from accounts.rules import MANAGE_API_KEYS
from accounts.selectors import role_assignments_for_place, role_assignments_for_user, user_scope
from communes import selectors as unit_selectors
from communes.models import Commune, District, Province
from communes.rules import MANAGE_CATALOGUE, MANAGE_COMMUNE, VIEW_COMMUNE_HISTORY
from communes.selectors import inbox as communes_inbox
from communes.selectors.units import units_replaced
from core import clock
from democracy.rules import MANAGE_VILLAGES, PROPOSE_MATTER
from democracy.selectors import inbox as democracy_inbox
from feedback.rules import VIEW_OVERDUE
from feedback.selectors import inbox as feedback_inbox
from portal.rules import VIEW_COMMUNE_DASHBOARD, VIEW_PROVINCE_DASHBOARD, VIEW_UNIT_WORKSPACE, VIEW_WORKSPACE
from scoring.rules import MANAGE_CRITERIA, VIEW_ASSESSMENT, VIEW_BOARD, VIEW_DECISION
from scoring.selectors import inbox as scoring_inbox
from scoring.selectors.board import board_years, district_board_years
from surveys.rules import MANAGE_CAMPAIGNS, VIEW_RESULTS

# --- The inbox --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    """One thing that waits: how many (None when the label says it all), what, and where to do it."""

    count: int | None
    label: str
    url: str
    urgent: bool = False


@dataclass
class InboxPanel:
    """What waits for one role over one place."""

    assignment: RoleAssignment | BoardSeat
    items: list[InboxItem] = field(default_factory=list)


def _url(name: str, query: dict | None = None, **kwargs) -> str:
    url = reverse(name, kwargs=kwargs)
    return f"{url}?{urlencode(query)}" if query else url


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _in(label: str, unit, place) -> str:
    """An item's label, naming its unit when it is not the role's own place (a unit it replaced)."""
    if unit is None or unit == place:
        return label
    return _("%(what)s (%(unit)s)") % {"what": label, "unit": unit}


@dataclass(frozen=True)
class _Counts:
    feedback: feedback_inbox.FeedbackInbox
    scoring: scoring_inbox.ScoringInbox
    communes: communes_inbox.CommunesInbox
    villages: dict[tuple[int, str], int] = field(default_factory=dict)
    recognitions: dict[int, int] = field(default_factory=dict)
    # The boards' recommendations: (awaiting, overdue) by commune; overdue by province.
    recommendations: dict[int, tuple[int, int]] = field(default_factory=dict)
    overdue_recommendations: dict[int, int] = field(default_factory=dict)


def _officer_items(commune: Commune, covered: dict[int, Commune], counts: _Counts, today) -> list[InboxItem]:
    items = []
    queue = feedback_inbox.QueueCounts()
    for pk in covered:
        queue += counts.feedback.by_commune.get(pk, feedback_inbox.QueueCounts())
    if queue.open:
        items.append(
            InboxItem(
                queue.open,
                ngettext("feedback item to answer", "feedback items to answer", queue.open),
                _url("feedback:queue", {"status": "open"}, pk=commune.pk),
            )
        )
    if queue.overdue:
        items.append(
            InboxItem(
                queue.overdue,
                ngettext(
                    "feedback item still open after its due date",
                    "feedback items still open after their due date",
                    queue.overdue,
                ),
                _url("feedback:queue", {"status": "open", "overdue": "on"}, pk=commune.pk),
                urgent=True,
            )
        )
    for deadline in counts.scoring.deadlines:
        if deadline.commune_id in covered:
            items.append(_deadline_item(deadline, covered[deadline.commune_id], commune))
    page = counts.communes.pages.get(commune.pk)
    if page is not None:
        items.append(_page_item(page, commune, today))
    missing = counts.communes.missing_disclosures.get(commune.pk)
    if missing:
        items.append(
            InboxItem(
                len(missing),
                ngettext(
                    "disclosure to keep posted permanently not published yet: %(categories)s",
                    "disclosures to keep posted permanently not published yet: %(categories)s",
                    len(missing),
                )
                % {"categories": "; ".join(str(category.label) for category in missing)},
                _url("communes:manage_disclosure_create", {"category": missing[0].value}, pk=commune.pk),
            )
        )
    waiting = sum(counts.recognitions.get(pk, 0) for pk in covered)
    if waiting:
        items.append(
            InboxItem(
                waiting,
                ngettext(
                    "residents' decision waiting for the commune's recognition",
                    "residents' decisions waiting for the commune's recognition",
                    waiting,
                ),
                _url("democracy:manage_matters", pk=commune.pk),
                urgent=True,
            )
        )
    items += _recommendation_items(commune, covered, counts)
    return items


def _recommendation_items(commune: Commune, covered: dict[int, Commune], counts: _Counts) -> list[InboxItem]:
    """The boards' recommendations the commune has to answer within 15 days (art. 40); urgent once one is
    overdue."""
    awaiting = sum(counts.recommendations.get(pk, (0, 0))[0] for pk in covered)
    overdue = sum(counts.recommendations.get(pk, (0, 0))[1] for pk in covered)
    if not awaiting:
        return []
    label = ngettext(
        "recommendation of the People's Inspection Board or a supervision board awaiting the commune's answer",
        "recommendations of the People's Inspection Board or the supervision boards awaiting the commune's answer",
        awaiting,
    )
    url = _url("democracy:manage_recommendations", {"state": "awaiting"}, pk=commune.pk)
    return [InboxItem(awaiting, label, url, urgent=bool(overdue))]


# What a village's head and its Front work committee each have to do, by the keys of
# democracy.selectors.inbox.village_inbox_counts.
_VILLAGE_TASKS = {
    Role.VILLAGE_HEAD: {
        "to_record": lambda n: ngettext("meeting whose result is to record", "meetings whose result is to record", n),
        "to_count": lambda n: ngettext("vote closed, to count", "votes closed, to count", n),
        "to_send": lambda n: ngettext("result to send to the commune", "results to send to the commune", n),
    },
    Role.VILLAGE_FRONT: {
        "to_cosign": lambda n: ngettext("result to co-sign", "results to co-sign", n),
    },
}


def _village_items(village, role: str, counts: _Counts) -> list[InboxItem]:
    url = reverse("democracy:manage_village", kwargs={"pk": village.pk})
    items = []
    for key, label in _VILLAGE_TASKS[role].items():
        n = counts.villages.get((village.pk, key), 0)
        if n:
            items.append(InboxItem(n, label(n), url, urgent=key == "to_send"))
    return items


def _deadline_item(deadline: scoring_inbox.Deadline, unit: Commune, place: Commune) -> InboxItem:
    url = reverse("scoring:assessment", kwargs={"pk": deadline.assessment_id})
    values = {"year": deadline.year, "due": _day(deadline.due)}
    if deadline.kind == "comments":
        if deadline.days_left:
            count = deadline.days_left
            label = ngettext(
                "day left to comment on the provisional results of %(year)s (until %(due)s)",
                "days left to comment on the provisional results of %(year)s (until %(due)s)",
                count,
            )
        else:
            count, label = None, _("Last day to comment on the provisional results of %(year)s (%(due)s)")
        return InboxItem(count, _in(label % values, unit, place), url)
    if deadline.kind == "returned":
        if deadline.passed:
            label = _(
                "The self-assessment of %(year)s was returned for correction: submit it again, its due date "
                "(%(due)s) has passed"
            )
        else:
            label = _("The self-assessment of %(year)s was returned for correction: submit it again by %(due)s")
        return InboxItem(None, _in(label % values, unit, place), url, urgent=True)
    if deadline.passed:
        count = deadline.days_late
        label = ngettext(
            "day since the self-assessment of %(year)s was due (%(due)s): submit it now",
            "days since the self-assessment of %(year)s was due (%(due)s): submit it now",
            count,
        )
        return InboxItem(count, _in(label % values, unit, place), url, urgent=True)
    if not deadline.days_left:
        return InboxItem(None, _in(_("The self-assessment of %(year)s is due today") % values, unit, place), url)
    count = deadline.days_left
    label = ngettext(
        "day left to submit the self-assessment of %(year)s (due %(due)s)",
        "days left to submit the self-assessment of %(year)s (due %(due)s)",
        count,
    )
    return InboxItem(count, _in(label % values, unit, place), url)


def _page_item(page: communes_inbox.PageCheck, commune: Commune, today) -> InboxItem:
    home = reverse("communes:manage_home", kwargs={"pk": commune.pk})
    if not page.exists:
        return InboxItem(
            None,
            _("The one-stop shop has no public page yet: fill in its profile"),
            reverse("communes:manage_profile", kwargs={"pk": commune.pk}),
        )
    if page.verified_on is None:
        return InboxItem(None, _("Nobody has confirmed the one-stop page yet: check it and confirm it"), home)
    days = (today - page.verified_on).days
    label = ngettext(
        "day since the one-stop page was last confirmed (%(day)s): check it and confirm it",
        "days since the one-stop page was last confirmed (%(day)s): check it and confirm it",
        days,
    ) % {"day": _day(page.verified_on)}
    return InboxItem(days, label, home)


def _year_items(rows, covered: dict, place, label_for, url_for) -> list[InboxItem]:
    return [
        InboxItem(row.count, _in(label_for(row), covered[row.unit_id], place), url_for(row))
        for row in rows
        if row.unit_id in covered
    ]


def _doha_items(province: Province, covered: dict[int, Province], counts: _Counts) -> list[InboxItem]:
    items = _year_items(
        counts.scoring.to_appraise,
        covered,
        province,
        lambda row: (
            ngettext("submission to appraise, %(year)s", "submissions to appraise, %(year)s", row.count)
            % {"year": row.year}
        ),
        lambda row: _url("scoring:board", {"waiting": "appraisal"}, pk=row.unit_id, year=row.year),
    )
    items += _year_items(
        counts.scoring.appeals,
        covered,
        province,
        lambda row: (
            ngettext(
                "provisional result with appeals to answer, %(year)s",
                "provisional results with appeals to answer, %(year)s",
                row.count,
            )
            % {"year": row.year}
        ),
        lambda row: _url("scoring:board", {"waiting": "appeals"}, pk=row.unit_id, year=row.year),
    )
    overdue = sum(counts.feedback.overdue_by_province.get(pk, 0) for pk in covered)
    if overdue:
        items.append(
            InboxItem(
                overdue,
                ngettext(
                    "feedback item still open after its due date",
                    "feedback items still open after their due date",
                    overdue,
                ),
                _url("feedback:overdue", {"province": province.pk}),
                urgent=True,
            )
        )
    overdue = sum(counts.overdue_recommendations.get(pk, 0) for pk in covered)
    if overdue:
        items.append(
            InboxItem(
                overdue,
                ngettext(
                    "board recommendation the commune has not answered on time",
                    "board recommendations the communes have not answered on time",
                    overdue,
                ),
                _url("democracy:manage_recommendations_overdue", pk=province.pk),
                urgent=True,
            )
        )
    # Only the province's own communes: those in force belong to it, and its page lists them.
    stale = counts.communes.stale_by_province.get(province.pk, 0)
    if stale:
        items.append(
            InboxItem(
                stale,
                ngettext(
                    "one-stop page not confirmed for more than 90 days",
                    "one-stop pages not confirmed for more than 90 days",
                    stale,
                ),
                _url("portal:unit_workspace", {"stale": "1"}, kind="province", pk=province.pk),
            )
        )
    items += _decision_items(
        counts.scoring.decisions_to_issue,
        covered,
        province,
        scoring_inbox.TO_ISSUE[0],
        lambda count: ngettext("draft decision to issue", "draft decisions to issue", count),
    )
    return items


def _decision_items(by_province: dict[int, int], covered, province, status, label_for) -> list[InboxItem]:
    return [
        InboxItem(
            by_province[pk],
            _in(label_for(by_province[pk]), unit, province),
            _url("scoring:decisions", {"status": status}, pk=pk),
        )
        for pk, unit in covered.items()
        if by_province.get(pk)
    ]


def _leader_items(province: Province, covered: dict[int, Province], counts: _Counts) -> list[InboxItem]:
    return _decision_items(
        counts.scoring.decisions_to_approve,
        covered,
        province,
        scoring_inbox.TO_APPROVE[0],
        lambda count: ngettext("decision to approve", "decisions to approve", count),
    )


def _front_items(commune: Commune) -> list[InboxItem]:
    """The commune Front committee supervises everything of its commune's grassroots democracy: one page."""
    url = reverse("democracy:manage_front_overview", kwargs={"pk": commune.pk})
    return [InboxItem(None, _("Supervise the commune's consultations, matters, conferences and recommendations"), url)]


def _reviewer_items(district: District, counts: _Counts) -> list[InboxItem]:
    return _year_items(
        counts.scoring.to_review,
        {district.pk: district},
        district,
        lambda row: (
            ngettext("self-assessment to review, %(year)s", "self-assessments to review, %(year)s", row.count)
            % {"year": row.year}
        ),
        lambda row: _url("scoring:district_board", {"waiting": "review"}, pk=row.unit_id, year=row.year),
    )


def inbox(*, user, assignments: list[RoleAssignment]) -> list[InboxPanel]:
    """One panel per role the user holds, each listing what waits there. A fixed number of queries
    (about a dozen), however many places and units the roles cover."""
    if not assignments:
        return []
    scope = user_scope(user)
    today = clock.today()
    counts = _Counts(
        feedback=feedback_inbox.inbox_counts(scope=scope, today=today),
        scoring=scoring_inbox.inbox_counts(scope=scope, today=today),
        communes=communes_inbox.inbox_counts(scope=scope, today=today),
        villages=democracy_inbox.village_inbox_counts(village_ids={a.village_id for a in assignments if a.village_id}),
        recognitions=democracy_inbox.matters_awaiting_recognition(commune_ids=set(scope.officer_communes)),
        recommendations=democracy_inbox.recommendations_awaiting(commune_ids=set(scope.officer_communes), today=today),
        overdue_recommendations=democracy_inbox.recommendations_overdue_by_province(
            province_ids=set(scope.province_roles.get(Role.DOHA_STAFF, frozenset())), today=today
        ),
    )
    replaced = units_replaced(
        commune_ids=[a.commune_id for a in assignments if a.commune_id],
        province_ids=[a.province_id for a in assignments if a.province_id],
    )
    panels = []
    for assignment in assignments:
        place = assignment.place
        if assignment.village_id:
            items = _village_items(place, assignment.role, counts)
        elif assignment.role == Role.COMMUNE_OFFICER:
            covered = {place.pk: place, **{c.pk: c for c in replaced.communes.get(place.pk, [])}}
            items = _officer_items(place, covered, counts, today)
        elif assignment.role == Role.DISTRICT_REVIEWER:
            items = _reviewer_items(place, counts)
        elif assignment.role == Role.COMMUNE_FRONT:
            items = _front_items(place)
        else:
            covered = {place.pk: place, **{p.pk: p for p in replaced.provinces.get(place.pk, [])}}
            build = _doha_items if assignment.role == Role.DOHA_STAFF else _leader_items
            items = build(place, covered, counts)
        panels.append(InboxPanel(assignment=assignment, items=items))
    return panels


# --- Seats on an oversight board ------------------------------------------------------------------------


@dataclass(frozen=True)
class _BoardPlace:
    pk: int
    label: str

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class BoardSeat:
    """A seat on an oversight board (art. 36). Not a role: any resident may be elected, and the commune
    links the member's account; the workspace shows it as a role, its place being the board's queue."""

    member: object  # democracy.models.BoardMember, with its board and commune

    role = "board"

    @property
    def place(self) -> _BoardPlace:
        board = self.member.board
        return _BoardPlace(board.pk, _in(str(board), board.commune, None))

    def get_role_display(self) -> str:
        return self.member.get_position_display()

    def get_workspace_url(self) -> str:
        return reverse("democracy:manage_board_queue", kwargs={"pk": self.member.board_id})


def board_panels(*, user) -> list[InboxPanel]:
    """One panel per board the user sits on: its queue, and its recommendations awaiting the commune's
    answer. Two queries, however many seats."""
    seats = democracy_inbox.board_seats(user=user)
    if not seats:
        return []
    counts = democracy_inbox.recommendations_awaiting_by_board(
        board_ids={seat.board_id for seat in seats}, today=clock.today()
    )
    panels = []
    for member in seats:
        seat = BoardSeat(member)
        url = seat.get_workspace_url()
        items = [InboxItem(None, _("Open the board's queue: plans, reports, recommendations"), url)]
        awaiting, overdue = counts.get(member.board_id, (0, 0))
        if awaiting:
            label = ngettext(
                "recommendation of the board awaiting the commune's answer",
                "recommendations of the board awaiting the commune's answer",
                awaiting,
            )
            items.append(InboxItem(awaiting, label, url, urgent=bool(overdue)))
        panels.append(InboxPanel(assignment=seat, items=items))
    return panels


# --- Pages ------------------------------------------------------------------------------------------


class WorkspaceView(PermissionRequiredMixin, TemplateView):
    """A staff member's start page: the places they work on, by role."""

    permission_required = VIEW_WORKSPACE
    template_name = "portal/workspace.html"

    def get_context_data(self, **kwargs):
        assignments = list(role_assignments_for_user(user=self.request.user))
        return super().get_context_data(
            panels=inbox(user=self.request.user, assignments=assignments) + board_panels(user=self.request.user),
            is_site_admin=user_scope(self.request.user).is_admin,
            can_see_overdue=self.request.user.has_perm(VIEW_OVERDUE),
            **kwargs,
        )


class UnitWorkspaceView(PermissionRequiredMixin, DetailView):
    """What staff see of a place they work on: the unit, its history and who holds roles over it."""

    permission_required = VIEW_UNIT_WORKSPACE
    template_name = "portal/unit_workspace.html"
    context_object_name = "unit"
    models = {"province": Province, "district": District, "commune": Commune}
    # The links the page offers on each kind of unit: a flag per permission, asked on the unit.
    flags = {
        "commune": {
            "can_manage": MANAGE_COMMUNE,
            "can_see_history": VIEW_COMMUNE_HISTORY,
            "can_see_surveys": VIEW_RESULTS,
            "can_see_assessments": VIEW_ASSESSMENT,
            "can_manage_villages": MANAGE_VILLAGES,
            "can_see_matters": PROPOSE_MATTER,
            "can_see_dashboard": VIEW_COMMUNE_DASHBOARD,
        },
        "district": {"can_see_board": VIEW_BOARD},
        "province": {
            "can_keep_catalogue": MANAGE_CATALOGUE,
            "can_run_surveys": MANAGE_CAMPAIGNS,
            "can_see_board": VIEW_BOARD,
            "can_see_decisions": VIEW_DECISION,
            "can_keep_criteria": MANAGE_CRITERIA,
            "can_manage_api_keys": MANAGE_API_KEYS,  # issue 18: the keys of the province's systems
            "can_see_dashboard": VIEW_PROVINCE_DASHBOARD,  # issue 19: the dashboard and the annual report
        },
    }

    def get_object(self, queryset=None):
        if not hasattr(self, "_unit"):
            model = self.models.get(self.kwargs["kind"])
            if model is None:
                raise Http404
            self._unit = get_object_or_404(model, pk=self.kwargs["pk"])
        return self._unit

    def get_permission_object(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        unit = self.object
        children = []
        # ``?stale=1`` on a province: only its communes whose one-stop page waits for a check (the
        # workspace inbox of DoHA links here with that count).
        stale = isinstance(unit, Province) and bool(self.request.GET.get("stale"))
        if stale:
            children = communes_inbox.communes_with_stale_page(province=unit, today=clock.today())
        elif isinstance(unit, Province):
            children = unit_selectors.commune_list_for_province(province=unit)
        elif isinstance(unit, District):
            children = unit_selectors.commune_list_for_district(district=unit)
        kind = self.kwargs["kind"]
        flags = {flag: self.request.user.has_perm(perm, unit) for flag, perm in self.flags[kind].items()}
        return super().get_context_data(
            kind=kind,
            children=children,
            stale=stale,
            # A district has a board only in the years its communes were assessed with a district step.
            scoring_years=district_board_years(district=unit)
            if isinstance(unit, District)
            else board_years(province_id=unit.pk if isinstance(unit, Province) else unit.province_id),
            role_holders=role_assignments_for_place(place=unit),
            # The annual report of the year before, until the year's own is due in December.
            report_year=clock.today().year - (clock.today().month < 12),
            **unit_selectors.unit_history(unit=unit),
            **flags,
            **kwargs,
        )
