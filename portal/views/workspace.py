"""The staff workspace: a staff member's start page and the places they work on."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from accounts.selectors import role_assignments_for_place, role_assignments_for_user, user_scope
from communes import selectors as unit_selectors
from communes.models import Commune, District, Province
from communes.rules import MANAGE_CATALOGUE, MANAGE_COMMUNE, VIEW_COMMUNE_HISTORY
from portal.rules import VIEW_UNIT_WORKSPACE, VIEW_WORKSPACE
from scoring.rules import MANAGE_CRITERIA, VIEW_ASSESSMENT, VIEW_BOARD, VIEW_DECISION
from scoring.selectors.board import board_years, district_board_years
from surveys.rules import MANAGE_CAMPAIGNS, VIEW_RESULTS


class WorkspaceView(PermissionRequiredMixin, TemplateView):
    """A staff member's start page: the places they work on, by role."""

    permission_required = VIEW_WORKSPACE
    template_name = "portal/workspace.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assignments=role_assignments_for_user(user=self.request.user),
            is_site_admin=user_scope(self.request.user).is_admin,
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
        },
        "district": {"can_see_board": VIEW_BOARD},
        "province": {
            "can_keep_catalogue": MANAGE_CATALOGUE,
            "can_run_surveys": MANAGE_CAMPAIGNS,
            "can_see_board": VIEW_BOARD,
            "can_see_decisions": VIEW_DECISION,
            "can_keep_criteria": MANAGE_CRITERIA,
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
        if isinstance(unit, Province):
            children = unit_selectors.commune_list_for_province(province=unit)
        elif isinstance(unit, District):
            children = unit_selectors.commune_list_for_district(district=unit)
        kind = self.kwargs["kind"]
        flags = {flag: self.request.user.has_perm(perm, unit) for flag, perm in self.flags[kind].items()}
        return super().get_context_data(
            kind=kind,
            children=children,
            # A district has a board only in the years its communes were assessed with a district step.
            scoring_years=district_board_years(district=unit)
            if isinstance(unit, District)
            else board_years(province_id=unit.pk if isinstance(unit, Province) else unit.province_id),
            role_holders=role_assignments_for_place(place=unit),
            **unit_selectors.unit_history(unit=unit),
            **flags,
            **kwargs,
        )
