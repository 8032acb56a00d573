"""The commune officers' side of surveys: their commune's results and redacted comments, visit codes
to print, and the kiosks at the counter."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from communes.models import Commune
from communes.rules import MANAGE_COMMUNE
from core.permissions import commune_permission_required, object_permission_required
from core.qr import qr_svg
from core.web import absolute_url, workspace_trail
from surveys.forms.staff import CodesForm, KioskForm
from surveys.models import CodeBatch, Kiosk, VisitCode
from surveys.rules import ISSUE_CODES, MANAGE_KIOSKS, VIEW_RESULTS
from surveys.selectors import campaigns_of_commune, recent_batches, redacted_comments_of, results_for
from surveys.services import SurveyError, campaign_current, codes_issue, kiosk_register
from surveys.services import kiosk_retire as retire_kiosk
from surveys.views.kiosk import load_kiosk

COMMUNE_CAMPAIGNS = 5  # the commune's page shows its latest campaigns
COMMUNE_COMMENTS_PAGE_SIZE = 20
RECENT_BATCHES = 10
SLIP_QR_SCALE = 3


def _batch(pk: int, **kwargs):
    batch = get_object_or_404(CodeBatch.objects.select_related("commune", "campaign"), pk=pk)
    return batch, {"batch": batch, **kwargs}


# --- A commune's surveys ----------------------------------------------------------------------------


def _commune_post(request, commune: Commune):
    """The officer's forms: a batch of codes, a new kiosk. Returns a redirect, or the bound forms."""
    action = request.POST.get("action")
    if action == "codes":
        if not request.user.has_perm(ISSUE_CODES, commune):
            raise PermissionDenied
        form = CodesForm(request.POST)
        if form.is_valid():
            current = campaign_current(commune)
            if current is None:
                form.add_error(None, _("No open survey covers the commune today."))
            else:
                try:
                    batch = codes_issue(
                        campaign=current,
                        commune=commune,
                        day=form.cleaned_data["day"],
                        size=form.cleaned_data["size"],
                        by=request.user,
                    )
                except SurveyError as error:
                    form.add_error(None, str(error))
                else:
                    return redirect("surveys:codes_print", pk=batch.pk)
        return {"codes_form": form}
    if action == "kiosk":
        if not request.user.has_perm(MANAGE_KIOSKS, commune):
            raise PermissionDenied
        form = KioskForm(request.POST)
        if form.is_valid():
            try:
                kiosk = kiosk_register(commune=commune, name=form.cleaned_data["name"], by=request.user)
            except SurveyError as error:
                form.add_error("name", str(error))
            else:
                messages.success(
                    request,
                    _("The kiosk “%(name)s” is registered. Open it on the tablet at the counter.") % {"name": kiosk},
                )
                return redirect("surveys:commune_surveys", pk=commune.pk)
        return {"kiosk_form": form}
    raise Http404


@commune_permission_required(VIEW_RESULTS)
def commune_surveys(request, commune):
    """The commune's survey results from the stored figures, the comments DoHA has redacted and, for
    its officers, visit codes to print and the kiosks at the counter."""
    can_issue = request.user.has_perm(ISSUE_CODES, commune)
    can_kiosks = request.user.has_perm(MANAGE_KIOSKS, commune)
    bound = {}
    if request.method == "POST":
        outcome = _commune_post(request, commune)
        if not isinstance(outcome, dict):
            return outcome
        bound = outcome
    campaigns_here = campaigns_of_commune(commune, COMMUNE_CAMPAIGNS)
    results = []
    for item in campaigns_here:
        result = results_for(item, [commune.pk])[commune.pk]
        results.append((item, result, list(zip(result.figures, result.link_figures, strict=True))))
    # Only DoHA's redacted version, and only the month: the officers served these people.
    comments_page = Paginator(
        redacted_comments_of(commune),
        COMMUNE_COMMENTS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {
        "page_title": _("Surveys"),
        "crumbs": workspace_trail(commune),
        "commune": commune,
        "section": "surveys",
        "can_manage": request.user.has_perm(MANAGE_COMMUNE, commune),
        "results": results,
        "comments_page": comments_page,
        "can_issue": can_issue,
        "can_kiosks": can_kiosks,
    }
    if can_issue:
        context["current"] = campaign_current(commune)
        context["codes_form"] = bound.get("codes_form") or CodesForm()
        context["batches"] = recent_batches(commune, RECENT_BATCHES)
    if can_kiosks:
        context["kiosk_form"] = bound.get("kiosk_form") or KioskForm()
        context["kiosks"] = Kiosk.objects.filter(commune=commune).order_by("retired_at", "name")
    return render(request, "surveys/manage/commune_surveys.html", context)


# --- Printed slips ----------------------------------------------------------------------------------


@object_permission_required(ISSUE_CODES, _batch)
@never_cache  # unused codes are as good as answers: no cache keeps the page
def codes_print(request, batch):
    """A batch's slips, eight to an A4 page: the code, its QR to the survey, and how to type it."""
    with translation.override(settings.LANGUAGE_CODE):  # the slip's links open in Vietnamese
        entry_url = absolute_url(reverse("surveys:code_entry"))
        slips = []
        for code in VisitCode.objects.filter(batch=batch).order_by("pk"):
            url = absolute_url(reverse("surveys:code_survey", kwargs={"code": code.code}))
            # segno's own markup from our own address: nothing a user typed goes into it.
            qr = mark_safe(qr_svg(url, scale=SLIP_QR_SCALE))  # noqa: S308
            slips.append({"code": str(code), "used": code.used_on is not None, "url": url, "qr": qr})
    return render(
        request,
        "surveys/manage/codes_print.html",
        {"batch": batch, "commune": batch.commune, "slips": slips, "entry_url": entry_url},
    )


# --- Kiosks -----------------------------------------------------------------------------------------


@object_permission_required(MANAGE_KIOSKS, load_kiosk)
def kiosk_retire(request, kiosk):
    """A tablet no longer at the counter (lost, replaced): its answers are refused from now on."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    retire_kiosk(kiosk=kiosk, by=request.user)
    messages.success(request, _("The kiosk “%(name)s” is retired; it can no longer send answers.") % {"name": kiosk})
    return redirect("surveys:commune_surveys", pk=kiosk.commune_id)
