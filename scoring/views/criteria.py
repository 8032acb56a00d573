"""DoHA's criteria-set pages. (Stubs.)"""

from communes.views.access import province_permission_required
from scoring.views.access import criteria_set_permission_required


@province_permission_required("scoring.manage_criteria")
def criteria_sets(request, province):
    raise NotImplementedError


@criteria_set_permission_required("scoring.manage_criteria")
def criteria_set(request, criteria_set):
    raise NotImplementedError


@criteria_set_permission_required("scoring.manage_criteria")
def criteria_export(request, criteria_set):
    raise NotImplementedError


@criteria_set_permission_required("scoring.manage_criteria")
def criteria_import(request, criteria_set):
    raise NotImplementedError


@criteria_set_permission_required("scoring.manage_criteria")
def criteria_act(request, criteria_set, action):
    raise NotImplementedError
