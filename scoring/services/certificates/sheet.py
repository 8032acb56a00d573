"""The self-scoring sheet (HS3, "Bảng tự chấm điểm") of an assessment: the dossier document the portal
prints from the commune's self-scores instead of asking for an upload.

It is an official document addressed to Vietnamese authorities, so it is printed in Vietnamese
whatever the reader's language: the template's words come through the Vietnamese catalogue and the
criteria's Vietnamese names are used.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from scoring.models import Assessment
from scoring.selectors.assessment import line_groups

TEMPLATE = "scoring/assessment/sheet.html"


def self_scoring_sheet_pdf(assessment: Assessment) -> bytes:
    """The sheet as a PDF (WeasyPrint). ``assessment`` comes with its set, commune and snapshot."""
    from weasyprint import HTML  # imported here: it loads system libraries

    with translation.override("vi"):
        groups = line_groups(assessment)
        sheet = assessment.criteria_set.documents.filter(generated=True).first()
        context = {
            "assessment": assessment,
            "title": sheet.name_vi if sheet else _("Self-scoring sheet"),
            "unit": assessment.unit_name.split(",")[0].strip(),
            "place": assessment.commune.name,
            "today": clock.today(),
            "groups": groups,
            "max_total": sum(group.group.max_points for group in groups),
        }
        html = render_to_string(TEMPLATE, context)
    return HTML(string=html).write_pdf()
