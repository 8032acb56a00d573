"""One assessment's pages. (Stubs.)"""

from communes.views.access import commune_permission_required
from scoring.views.access import appeal_permission_required, assessment_permission_required


@commune_permission_required("scoring.view_assessment")
def commune_assessments(request, commune):
    raise NotImplementedError


@assessment_permission_required("scoring.view_assessment")
def overview(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.fill_assessment")
def fill(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.fill_assessment")
def documents(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.view_assessment")
def sheet(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.fill_assessment")
def submit(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.review_assessment")
def review(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.return_assessment")
def send_back(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.appraise_assessment")
def appraise(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.appraise_assessment")
def adopt(request, assessment):
    raise NotImplementedError


@assessment_permission_required("scoring.appeal_line")
def appeal(request, assessment):
    raise NotImplementedError


@appeal_permission_required("scoring.answer_appeal")
def appeal_answer(request, appeal):
    raise NotImplementedError
