from django.urls import path

from scoring.views import assessment, board, certificates, criteria, decisions, public

app_name = "scoring"

urlpatterns = [
    # Public: a commune's result of a year explained, its stars over the years, the province's ranking.
    path("communes/<int:pk>/stars/", public.star_history, name="star_history"),
    path("communes/<int:pk>/stars/<int:year>/", public.result, name="result"),
    path("provinces/<int:pk>/rankings/<int:year>/", public.rankings, name="rankings"),
    path("provinces/<int:pk>/rankings/<int:year>/export.xlsx", public.rankings_export, name="rankings_export"),
    # DoHA: criteria sets.
    path("manage/provinces/<int:pk>/criteria/", criteria.criteria_sets, name="criteria_sets"),
    path("manage/criteria/<int:pk>/", criteria.criteria_set, name="criteria_set"),
    path("manage/criteria/<int:pk>/export.xlsx", criteria.criteria_export, name="criteria_export"),
    path("manage/criteria/<int:pk>/import/", criteria.criteria_import, name="criteria_import"),
    path("manage/criteria/<int:pk>/<slug:action>/", criteria.criteria_act, name="criteria_act"),
    # The year's cycle: the province's and a district's boards.
    path("manage/provinces/<int:pk>/scoring/<int:year>/", board.province_board, name="board"),
    path("manage/provinces/<int:pk>/scoring/<int:year>/export.xlsx", board.board_export, name="board_export"),
    path(
        "manage/provinces/<int:pk>/scoring/<int:year>/close-comments/",
        board.close_comments,
        name="board_close_comments",
    ),
    path("manage/provinces/<int:pk>/scoring/<int:year>/<slug:action>/", board.board_act, name="board_act"),
    path("manage/districts/<int:pk>/scoring/<int:year>/", board.district_board, name="district_board"),
    path("manage/communes/<int:pk>/scoring/", assessment.commune_assessments, name="commune_assessments"),
    # One assessment, step by step.
    path("manage/assessments/<int:pk>/", assessment.overview, name="assessment"),
    path("manage/assessments/<int:pk>/self/", assessment.fill, name="assessment_fill"),
    path("manage/assessments/<int:pk>/documents/", assessment.documents, name="assessment_documents"),
    path("manage/assessments/<int:pk>/sheet.pdf", assessment.sheet, name="assessment_sheet"),
    path("manage/assessments/<int:pk>/submit/", assessment.submit, name="assessment_submit"),
    path("manage/assessments/<int:pk>/review/", assessment.review, name="assessment_review"),
    path("manage/assessments/<int:pk>/return/", assessment.send_back, name="assessment_return"),
    path("manage/assessments/<int:pk>/appraise/", assessment.appraise, name="assessment_appraise"),
    path("manage/assessments/<int:pk>/adopt/", assessment.adopt, name="assessment_adopt"),
    path("manage/assessments/<int:pk>/appeal/", assessment.appeal, name="assessment_appeal"),
    path("manage/appeals/<int:pk>/answer/", assessment.appeal_answer, name="appeal_answer"),
    # The recognition decision.
    path("manage/provinces/<int:pk>/decisions/", decisions.decisions, name="decisions"),
    path("manage/provinces/<int:pk>/decisions/new/<int:year>/", decisions.decision_create, name="decision_create"),
    path("manage/decisions/<int:pk>/", decisions.decision, name="decision"),
    path("manage/decisions/<int:pk>/issue/", decisions.decision_issue_view, name="decision_issue"),
    path("manage/decisions/<int:pk>/approve/", decisions.decision_approve, name="decision_approve"),
    path("manage/decisions/<int:pk>/signed/", decisions.decision_signed, name="decision_signed"),
    path("manage/decisions/<int:pk>/decision.docx", decisions.decision_export, {"kind": "docx"}, name="decision_docx"),
    path("manage/decisions/<int:pk>/decision.pdf", decisions.decision_export, {"kind": "pdf"}, name="decision_pdf"),
    # The published decision: the signed copy uploaded back, else the copy the portal sealed.
    path("decisions/<int:pk>/document.pdf", decisions.decision_document, name="decision_document"),
    path("manage/decisions/<int:pk>/delete/", decisions.decision_delete, name="decision_delete"),
    # Signed certificates: anyone verifies; DoHA follows the batch and revokes.
    path("verify/<str:serial>/", certificates.verify, name="verify"),
    path("verify/<str:serial>/document.pdf", certificates.download, name="certificate_download"),
    path("manage/decisions/<int:pk>/certificates/", certificates.batch, name="certificates_batch"),
    path("manage/decisions/<int:pk>/certificates/progress.json", certificates.progress, name="certificates_progress"),
    path("manage/decisions/<int:pk>/certificates.zip", certificates.archive, name="certificates_zip"),
    path("manage/decisions/<int:pk>/certificates/reissue/", certificates.reissue, name="certificates_reissue"),
    path("manage/certificates/<str:serial>/revoke/", certificates.revoke, name="certificate_revoke"),
]
