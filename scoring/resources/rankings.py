"""The province's rankings as an Excel workbook: the rows and columns of the public table, with the
headers in the active language."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from scoring.selectors.public import Rankings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rankings_header(rankings: Rankings) -> list[str]:
    header = [_("Rank"), _("Unit")]
    if rankings.has_districts:
        header.append(_("District"))
    header += [group.code for group in rankings.groups]
    return [*header, _("Total"), _("Stars"), _("Result")]


def rankings_rows(rankings: Rankings) -> list[list]:
    rows = []
    for row in rankings.rows:
        a = row.assessment
        cells = [row.rank, a.unit_name]
        if rankings.has_districts:
            cells.append(str(row.commune.district) if row.commune.district_id else "")
        rows.append([*cells, *row.points, a.total, a.stars or 0, a.get_status_display()])
    return rows


def rankings_xlsx(rankings: Rankings, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit on a sheet name
    sheet.append(rankings_header(rankings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells in rankings_rows(rankings):
        sheet.append(cells)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
