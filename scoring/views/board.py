"""The year's boards: the province's (DoHA, the provincial leader) with the steps of the cycle that
act on every assessment at once, and a district's (its reviewers), which only reads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.permissions import province_permission_required
from core.spreadsheets import xlsx_response
from core.web import workspace_trail
from scoring.forms.board import CloseCommentsForm, PublishForm
from scoring.resources.board import board_sheet
from scoring.rules import CLOSE_COMMENTS, MANAGE_CRITERIA, PUBLISH_RESULTS, RUN_CYCLE, VIEW_BOARD
from scoring.selectors.board import board, board_points, missing_data
from scoring.selectors.public import published_set
from scoring.services import (
    ScoringError,
    assessments_compute,
    assessments_finalize,
    assessments_open,
    assessments_publish,
    comments_close_early,
)
from scoring.views.access import district_permission_required

# Publishing and finalising results are DoHA's official acts; opening and computing run the cycle.
ACTIONS = {"open": None, "compute": None, "publish": PUBLISH_RESULTS, "finalize": PUBLISH_RESULTS}


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filtered_board(request, province, year):
    return board(
        province=province,
        year=year,
        status=request.GET.get("status", ""),
        district_pk=_int_or_none(request.GET.get("district")),
        waiting=request.GET.get("waiting", ""),
    )


@province_permission_required(VIEW_BOARD)
def province_board(request, province, year):
    data = _filtered_board(request, province, year)
    user = request.user
    return render(
        request,
        "scoring/board/province_board.html",
        {
            "province": province,
            "year": year,
            "board": data,
            "crumbs": workspace_trail(province),
            "can_manage": user.has_perm(MANAGE_CRITERIA, province),
            "can_run": user.has_perm(RUN_CYCLE, province),
            "can_publish": user.has_perm(PUBLISH_RESULTS, province),
            "can_close_comments": user.has_perm(CLOSE_COMMENTS, province),
            "close_form": CloseCommentsForm(),
            "publish_form": PublishForm(),
        },
    )


@province_permission_required(VIEW_BOARD)
def board_export(request, province, year):
    """The board's rows, with the page's filters, as an Excel workbook."""
    data = _filtered_board(request, province, year)
    if data.criteria_set is None:
        raise Http404
    sheet = board_sheet(data, board_points(data=data), year=year)
    return xlsx_response([sheet], filename=f"scoring-board-{province.code}-{year}.xlsx")


def _run(action: str, criteria_set, by) -> str:
    """Run one step of the cycle on the whole set; the message says what it did."""
    if action == "open":
        count = len(assessments_open(criteria_set=criteria_set, by=by))
        return ngettext("%(count)d assessment opened.", "%(count)d assessments opened.", count) % {"count": count}
    if action == "compute":
        report = assessments_compute(criteria_set=criteria_set, by=by)
        return _(
            "Figures computed for %(assessments)d assessments: %(snapshots)d with new figures, "
            "%(adopted)d of them used at once, %(waiting)d waiting to be adopted at the appraisal."
        ) % {
            "assessments": report.assessments,
            "snapshots": report.snapshots,
            "adopted": report.adopted,
            "waiting": report.waiting,
        }
    if action == "publish":
        count = assessments_publish(criteria_set=criteria_set, by=by)
        return ngettext(
            "%(count)d provisional result published.", "%(count)d provisional results published.", count
        ) % {"count": count}
    count = assessments_finalize(criteria_set=criteria_set, by=by)
    return ngettext(
        "%(count)d result made final; the others stay provisional until their comment period is over and "
        "their appeals are answered.",
        "%(count)d results made final; the others stay provisional until their comment period is over and "
        "their appeals are answered.",
        count,
    ) % {"count": count}


@province_permission_required(RUN_CYCLE)
@require_POST
def board_act(request, province, year, action):
    if action not in ACTIONS:
        raise Http404
    if ACTIONS[action] and not request.user.has_perm(ACTIONS[action], province):
        raise PermissionDenied
    criteria_set = published_set(province=province, year=year)
    if criteria_set is None:
        messages.error(request, _("The province has no published criteria set for this year."))
    elif action == "publish" and not _missing_data_confirmed(request, criteria_set):
        messages.error(request, MISSING_NOT_CONFIRMED)
    else:
        try:
            messages.success(request, _run(action, criteria_set, request.user))
        except ScoringError as error:
            messages.error(request, str(error))
    return redirect("scoring:board", pk=province.pk, year=year)


MISSING_NOT_CONFIRMED = gettext_lazy(
    "Some criteria have no data for the year: read the warning on the board and confirm how their points "
    "count before publishing. Nothing was published."
)


def _missing_data_confirmed(request, criteria_set) -> bool:
    """Publishing results in which criteria without data count by the set's policy needs DoHA to say
    it has read the board's warning."""
    form = PublishForm(request.POST)
    return not missing_data(criteria_set) or (form.is_valid() and form.cleaned_data["confirm_missing"])


@province_permission_required(CLOSE_COMMENTS)
@require_POST
def close_comments(request, province, year):
    """DoHA closes the comment period of the year's provisional results before its date."""
    criteria_set = published_set(province=province, year=year)
    form = CloseCommentsForm(request.POST)
    if criteria_set is None:
        messages.error(request, _("The province has no published criteria set for this year."))
    elif not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            count = comments_close_early(criteria_set=criteria_set, by=request.user, reason=form.cleaned_data["reason"])
        except ScoringError as error:
            messages.error(request, str(error))
        else:
            if count:
                messages.success(
                    request,
                    ngettext(
                        "The comment period of %(count)d provisional result is closed; it can be made final "
                        "once its appeals are answered.",
                        "The comment period of %(count)d provisional results is closed; they can be made final "
                        "once their appeals are answered.",
                        count,
                    )
                    % {"count": count},
                )
            else:
                messages.info(request, _("No comment period is running: nothing changed."))
    return redirect("scoring:board", pk=province.pk, year=year)


@district_permission_required(VIEW_BOARD)
def district_board(request, district, year):
    data = board(
        province=district.province,
        year=year,
        district=district,
        status=request.GET.get("status", ""),
        waiting=request.GET.get("waiting", ""),
    )
    return render(
        request,
        "scoring/board/district_board.html",
        {
            "district": district,
            "province": district.province,
            "year": year,
            "board": data,
            "crumbs": workspace_trail(district),
        },
    )
