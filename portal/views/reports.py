"""The annual report DoHA sends upward: a page with its summary and a year picker, the workbook and the
official PDF, for DoHA of the province, its leader and the site administrator."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from core.permissions import province_permission_required
from core.spreadsheets import xlsx_response
from portal.reports import annual, pdf, xlsx
from portal.rules import VIEW_PROVINCE_DASHBOARD


def _check_year(year: int) -> None:
    if year not in annual.years():
        raise Http404


def _pdf(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Staff figures (results not yet public, satisfaction on few answers), as the workbook: no shared
    # cache keeps them.
    response["Cache-Control"] = "private, no-store"
    return response


@province_permission_required(VIEW_PROVINCE_DASHBOARD)
@require_safe
def annual_report(request, province, year: int):
    _check_year(year)
    # The year picker is a plain GET form: without JavaScript, the chosen year comes as ?year=.
    wanted = request.GET.get("year", "")
    if wanted.isdigit() and int(wanted) != year and int(wanted) in annual.years():
        return redirect("portal:annual_report", province.pk, int(wanted))
    report = annual.annual_report(province=province, year=year)
    return render(
        request,
        "portal/reports/annual_report.html",
        {"province": province, "report": report, "years": annual.years()},
    )


@province_permission_required(VIEW_PROVINCE_DASHBOARD)
@require_safe
def annual_report_xlsx(request, province, year: int):
    _check_year(year)
    report = annual.annual_report(province=province, year=year)
    return xlsx_response(xlsx.annual_report_sheets(report), filename=annual.file_name(province, year, "xlsx"))


@province_permission_required(VIEW_PROVINCE_DASHBOARD)
@require_safe
def annual_report_pdf(request, province, year: int):
    _check_year(year)
    content = pdf.annual_report_pdf(province=province, year=year)
    return _pdf(content, filename=annual.file_name(province, year, "pdf"))
