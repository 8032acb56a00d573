"""The recognition decision's pages. (Stubs.)"""

from communes.views.access import province_permission_required
from scoring.views.access import decision_permission_required


@province_permission_required("scoring.view_decision")
def decisions(request, province):
    raise NotImplementedError


@province_permission_required("scoring.draft_decision")
def decision_create(request, province, year):
    raise NotImplementedError


@decision_permission_required("scoring.view_decision")
def decision(request, decision):
    raise NotImplementedError


@decision_permission_required("scoring.approve_decision")
def decision_approve(request, decision):
    raise NotImplementedError


@decision_permission_required("scoring.draft_decision")
def decision_delete(request, decision):
    raise NotImplementedError
