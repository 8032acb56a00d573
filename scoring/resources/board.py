"""The province's scoring board as a spreadsheet: the rows the board shows, with its filters, each
unit as it was named that year, its status, its points per criteria group, total and stars."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.spreadsheets import Sheet, cell_value
from scoring.models import CriteriaGroup
from scoring.selectors.board import Board, BoardPoints
from scoring.services.computation.stars import points_text


def _group_header(group: CriteriaGroup) -> str:
    return _("%(code)s (of %(max)s points)") % {"code": group.code, "max": points_text(group.max_points)}


def board_sheet(data: Board, points: BoardPoints, *, year: int) -> Sheet:
    """One row per assessment in the board's order; numbers stay numbers (points, stars), dates stay
    dates. The district column only while the units had districts, as on the page."""
    has_districts = bool(data.districts) or any(row.assessment.commune.district_id for row in data.rows)
    header = [_("Unit"), _("Unit code")]
    if has_districts:
        header.append(_("District"))
    header += [_("Status"), _("Submitted"), _("Self-assessed")]
    header += [_group_header(group) for group in points.groups]
    header += [_("Points"), _("Stars"), _("Knock-outs")]
    rows = [header]
    for row in data.rows:
        a = row.assessment
        cells = [a.unit_name, a.commune.code]
        if has_districts:
            cells.append(str(a.commune.district) if a.commune.district_id else "")
        cells += [a.get_status_display(), a.submitted_at, a.self_total]
        cells += points.points.get(a.pk, [])
        cells += [a.total, a.stars, "; ".join(row.knockouts)]
        rows.append([cell_value(value) for value in cells])
    return Sheet(
        _("Assessments %(year)s") % {"year": year},
        rows,
        widths=[45, 10, *([30] if has_districts else []), 22, 12, 12],
    )
