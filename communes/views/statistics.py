"""A commune's monthly dossier statistics in the back office: the months, typed entry of one month,
and import of a spreadsheet."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import FIGURES, Commune, DossierStatistics
from communes.resources import TEMPLATE_WRAPPED, statistics_template_csv, statistics_template_sheets
from communes.rules import MANAGE_COMMUNE
from communes.selectors.statistics import statistics_changes, statistics_for_month, statistics_list_for_commune
from communes.services import StatisticsError, statistics_import, statistics_save
from communes.services.statistics import (
    BAD_MONTH,
    COLUMNS,
    MAX_FIGURE,
    column_label,
    figures_problems,
    last_complete_month,
    month_label,
    month_problem,
    month_start,
    parse_month,
)
from core import clock
from core.permissions import commune_permission_required
from core.spreadsheets import xlsx_response
from core.uploads import MAX_UPLOAD_BYTES, TOO_LARGE
from core.web import workspace_trail

SPREADSHEET_TYPES = ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatisticsMonthForm(forms.Form):
    """The ten figures of one month, labelled as the model names them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FIGURES:
            self.fields[name] = forms.IntegerField(
                label=capfirst(DossierStatistics._meta.get_field(name).verbose_name),
                min_value=0,
                max_value=MAX_FIGURE,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            )

    def clean(self):
        # The service checks again; here the contradictions show beside the other errors at once.
        cleaned = super().clean()
        for name, message in figures_problems({name: cleaned[name] for name in FIGURES if name in cleaned}):
            self.add_error(name, message)
        return cleaned


class StatisticsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a CSV file in UTF-8, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": SPREADSHEET_TYPES}),
    )

    def clean_file(self):
        # What the file is, the service decides by reading it; its name and type claim prove nothing.
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        return upload


def _render(request, commune: Commune, template: str, *, title, parents=(), status: int = 200, **context):
    """A page of the back office's statistics section: Workspace › commune › Statistics (› …)."""
    crumbs = [
        *workspace_trail(commune),
        *parents,
    ]
    return render(
        request,
        template,
        {
            "commune": commune,
            "section": "statistics",
            "page_title": title,
            "crumbs": crumbs,
            "can_manage": True,  # the decorator let only managers in
            "statistics_url": reverse("communes:manage_statistics", kwargs={"pk": commune.pk}),
            **context,
        },
        status=status,
    )


def _statistics_crumb(commune: Commune) -> tuple[str, str]:
    return (_("Statistics"), reverse("communes:manage_statistics", kwargs={"pk": commune.pk}))


def _template_download(commune: Commune, kind: str) -> HttpResponse:
    if kind == "xlsx":
        return xlsx_response(
            statistics_template_sheets(commune=commune),
            filename=f"thong-ke-ho-so-{commune.code}.xlsx",
            wrapped=TEMPLATE_WRAPPED,
        )
    # The byte-order mark makes Excel read the file as UTF-8.
    response = HttpResponse("\ufeff" + statistics_template_csv(commune=commune), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thong-ke-ho-so-{commune.code}.csv"'
    return response


@commune_permission_required(MANAGE_COMMUNE)
def manage_statistics(request, commune: Commune):
    """The commune's months, newest first; ``?template=xlsx`` (or ``csv``) downloads a file to fill in,
    ``?month=`` opens a month."""
    if request.GET.get("template") in ("xlsx", "csv"):
        return _template_download(commune, request.GET["template"])
    month_error = None
    if "month" in request.GET:
        try:
            month = parse_month(request.GET["month"].strip())
        except ValueError:
            month_error = str(BAD_MONTH)
        else:
            month_error = month_problem(commune=commune, month=month)
            if month_error is None:
                return redirect("communes:manage_statistics_month", pk=commune.pk, month=month)
    return _render(
        request,
        commune,
        "communes/manage/statistics_list.html",
        title=_("Statistics"),
        rows=statistics_list_for_commune(commune=commune),
        figure_labels=[capfirst(DossierStatistics._meta.get_field(name).verbose_name) for name in FIGURES],
        suggested_month=last_complete_month(commune=commune),
        month_error=month_error,
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_statistics_month(request, commune: Commune, month: str):
    """Typed entry of one month's figures; a month not yet begun does not exist here."""
    try:
        month = parse_month(month)
    except ValueError as error:
        raise Http404 from error
    if month > month_start(clock.today()):
        raise Http404
    problem = month_problem(commune=commune, month=month)
    existing = statistics_for_month(commune=commune, month=month)
    initial = {name: getattr(existing, name) for name in FIGURES} if existing else None
    form = StatisticsMonthForm(request.POST or None, initial=initial)
    if request.method == "POST" and problem is None and form.is_valid():
        try:
            statistics_save(commune=commune, month=month, figures=form.cleaned_data, by=request.user)
        except StatisticsError as error:
            for item in error.errors:
                form.add_error(item.column if item.column in form.fields else None, item.message)
            if not error.errors:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("The figures of %(month)s are saved.") % {"month": month_label(month)})
            return redirect("communes:manage_statistics", pk=commune.pk)
    return _render(
        request,
        commune,
        "communes/manage/statistics_month.html",
        title=_("Figures of %(month)s") % {"month": month_label(month)},
        parents=[_statistics_crumb(commune)],
        month=month,
        form=form,
        problem=problem,
        existing=existing,
        changes=statistics_changes(statistics=existing) if existing else [],
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_statistics_import(request, commune: Commune):
    """Upload a spreadsheet of months for this commune: every error listed and nothing kept, or all kept."""
    form = StatisticsImportForm(request.POST or None, request.FILES or None)
    errors, error_message = [], None
    if request.method == "POST" and form.is_valid():
        try:
            report = statistics_import(
                # From a commune's page an officer imports for that commune only.
                commune_scope=Commune.objects.filter(pk=commune.pk),
                file=form.cleaned_data["file"],
                by=request.user,
            )
        except StatisticsError as error:
            if error.errors:
                errors, error_message = error.errors, error.message
            else:
                form.add_error("file", error.message)
        else:
            messages.success(request, report.summary)
            return redirect("communes:manage_statistics", pk=commune.pk)
    return _render(
        request,
        commune,
        "communes/manage/statistics_import.html",
        title=_("Import statistics"),
        parents=[_statistics_crumb(commune)],
        form=form,
        errors=[(error, column_label(error.column)) for error in errors],
        error_message=error_message,
        columns=[(column, column_label(column)) for column in COLUMNS],
        example_code=commune.code,
        example_month=last_complete_month(commune=commune),
    )
