"""DoHA's side of surveys: campaigns, quality review, comments and exports (the commune officers'
pages are in officers.py).

Every view loads its object from the URL and checks a permission on it before running (see
``permission_required``). Pages read the stored tallies, never the raw responses; only DoHA's pages
(review, comments, export) touch response rows, and none of them shows what made a response unique.
Writes are POSTs that call surveys.services and end in a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import clock
from core.permissions import (
    object_permission_required,
    province_permission_required,
)
from core.spreadsheets import CSV, XLSX, Sheet, csv_chunks, xlsx_response
from core.web import workspace_trail
from surveys.forms.staff import (
    CampaignForm,
    CommentFilterForm,
    RedactForm,
    ReviewActionForm,
    ReviewFilterForm,
)
from surveys.models import Campaign, Flag, Response
from surveys.resources import (
    CODEBOOK_WIDTHS,
    ResponseResource,
    StatisticsResource,
    codebook_rows,
    statistics_rows,
)
from surveys.rules import MANAGE_CAMPAIGNS, REVIEW_RESPONSES, VIEW_RESPONSES
from surveys.selectors import (
    campaigns_of_province,
    comments_of,
    flagged_responses,
    questionnaire_structure,
    results_for,
)
from surveys.services import (
    SurveyError,
    campaign_close,
    campaign_open,
    comment_redact,
    responses_exclude,
    responses_include,
    statistics_refresh,
)

REVIEW_PAGE_SIZE = 50
COMMENTS_PAGE_SIZE = 20
COMMUNE_CAMPAIGNS = 5  # the commune's page shows its latest campaigns
COMMUNE_COMMENTS_PAGE_SIZE = 20
RECENT_BATCHES = 10
SLIP_QR_SCALE = 3
# A workbook is built in memory before it is sent (about 2.5 s per 10,000 responses); beyond this the
# CSV, which streams, is the way.
XLSX_MAX_ROWS = 100_000

EXPORTS = {"responses": ResponseResource, "statistics": StatisticsResource}
FORMATS = {"csv": CSV, "xlsx": XLSX}
SHEET_TITLES = {"responses": gettext_lazy("Responses"), "statistics": gettext_lazy("Statistics")}


# --- Access -----------------------------------------------------------------------------------------


def _campaign(pk: int, **kwargs):
    campaign = get_object_or_404(Campaign.objects.select_related("province", "questionnaire"), pk=pk)
    return campaign, {"campaign": campaign, **kwargs}


# --- Shared pieces ----------------------------------------------------------------------------------


def _crumbs(campaign: Campaign | None = None, *, province=None) -> list[tuple[str, str]]:
    province = province or campaign.province
    crumbs = [
        *workspace_trail(province),
        (_("Surveys"), reverse("surveys:campaigns", kwargs={"pk": province.pk})),
    ]
    if campaign is not None:
        crumbs.append((str(campaign), reverse("surveys:campaign", kwargs={"pk": campaign.pk})))
    return crumbs


def _flag_labels(flags: list[str]) -> list[str]:
    labels = dict(Flag.choices)
    return [str(labels.get(flag, flag)) for flag in flags]


# --- Campaigns of a province ------------------------------------------------------------------------


@province_permission_required(MANAGE_CAMPAIGNS)
def campaigns(request, province):
    """The province's campaigns, and the form to prepare a new one (it starts as a draft)."""
    form = CampaignForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(by=request.user)
        messages.success(
            request, _("The campaign “%(name)s” is saved as a draft. Open it when it is ready.") % {"name": campaign}
        )
        return redirect("surveys:campaign", pk=campaign.pk)
    return render(
        request,
        "surveys/manage/campaigns.html",
        {
            "page_title": _("Surveys"),
            "crumbs": workspace_trail(province),
            "province": province,
            "campaigns": campaigns_of_province(province),
            "predecessors": province.predecessors.order_by("code"),
            "form": form,
        },
    )


# --- One campaign -----------------------------------------------------------------------------------


def _statistics(campaign: Campaign) -> tuple[list, list]:
    """The factors (overall last) and one row per commune from the stored tallies: three queries."""
    communes = list(campaign.communes.select_related("district").order_by("district__code", "code"))
    results = results_for(campaign, [commune.pk for commune in communes])
    rows = [(commune, results[commune.pk]) for commune in communes]
    factors = [figure.factor for figure in rows[0][1].figures] if rows else []
    return factors, rows


@object_permission_required(MANAGE_CAMPAIGNS, _campaign)
def campaign(request, campaign):
    """A campaign: its state and actions, the questionnaire, the stored statistics per commune, the
    responses waiting for review and the exports. A draft can still be changed here."""
    is_draft = campaign.status == Campaign.Status.DRAFT
    form = None
    if is_draft:
        form = CampaignForm(
            request.POST or None,
            instance=campaign,
            province=campaign.province,
        )
        if request.method == "POST" and form.is_valid():
            try:
                form.save(by=request.user)
            except ValidationError as error:  # opened meanwhile by someone else
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("The changes to the draft are saved."))
            return redirect("surveys:campaign", pk=campaign.pk)
    elif request.method == "POST":
        messages.error(request, _("Only a draft campaign can be changed."))
        return redirect("surveys:campaign", pk=campaign.pk)
    factors, rows = _statistics(campaign)
    counts = Response.objects.filter(campaign=campaign).aggregate(
        flagged=Count("pk", filter=~Q(flags="")),
        excluded=Count("pk", filter=Q(excluded=True)),
        comments=Count("pk", filter=~Q(comment="") & Q(comment_reviewed=False)),
    )
    return render(
        request,
        "surveys/manage/campaign.html",
        {
            "page_title": str(campaign),
            "crumbs": _crumbs(province=campaign.province),
            "campaign": campaign,
            "structure": questionnaire_structure(campaign.questionnaire),
            "form": form,
            "factors": factors,
            "rows": rows,
            "counts": counts,
            "can_review": request.user.has_perm(REVIEW_RESPONSES, campaign),
            "can_read": request.user.has_perm(VIEW_RESPONSES, campaign),
            "exports": [
                (what, fmt, reverse("surveys:export", kwargs={"pk": campaign.pk, "what": what, "fmt": fmt}))
                for what in EXPORTS
                for fmt in FORMATS
            ],
        },
    )


def _refresh(*, campaign: Campaign, by) -> Campaign:
    statistics_refresh(campaign=campaign)  # one aggregate query: done while DoHA waits
    return campaign


ACTIONS = {"open": campaign_open, "close": campaign_close, "refresh": _refresh}


def _done_message(action: str, campaign: Campaign) -> str:
    match action:
        case "open":
            return _("The campaign “%(name)s” is open: citizens can answer.") % {"name": campaign}
        case "close":
            return _("The campaign “%(name)s” is closed; its statistics are being brought up to date.") % {
                "name": campaign
            }
        case _:
            return _("The statistics are up to date.")


@object_permission_required(MANAGE_CAMPAIGNS, _campaign)
def campaign_act(request, campaign, action: str):
    """Open, close, or bring the statistics up to date now."""
    if action not in ACTIONS:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        ACTIONS[action](campaign=campaign, by=request.user)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _done_message(action, campaign))
    return redirect("surveys:campaign", pk=campaign.pk)


# --- Quality review ---------------------------------------------------------------------------------


@object_permission_required(REVIEW_RESPONSES, _campaign)
def review(request, campaign):
    """Responses with a quality signal; DoHA leaves them out of the statistics with a written reason,
    or counts them again. Nothing is deleted."""
    action_form = ReviewActionForm(request.POST or None)
    if request.method == "POST" and action_form.is_valid():
        data = action_form.cleaned_data
        try:
            if data["action"] == "exclude":
                count = responses_exclude(campaign=campaign, ids=data["ids"], reason=data["reason"], by=request.user)
                done = ngettext(
                    "%(count)d response is left out of the statistics, which are being brought up to date.",
                    "%(count)d responses are left out of the statistics, which are being brought up to date.",
                    count,
                )
            else:
                count = responses_include(campaign=campaign, ids=data["ids"], by=request.user)
                done = ngettext("%(count)d response counts again.", "%(count)d responses count again.", count)
            messages.success(request, done % {"count": count})
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            return redirect(request.get_full_path())
    filter_form = ReviewFilterForm(request.GET or None, campaign=campaign)
    filters = filter_form.filters() if filter_form.is_bound else {}
    page = Paginator(flagged_responses(campaign, **filters), REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    for response in page.object_list:
        response.flag_labels = _flag_labels(response.flag_list)
    chosen = set(action_form.cleaned_data.get("ids", [])) if action_form.is_bound else set()
    return render(
        request,
        "surveys/manage/review.html",
        {
            "page_title": _("Responses to review"),
            "crumbs": _crumbs(campaign),
            "campaign": campaign,
            "filter_form": filter_form,
            "filtered": bool(filters),
            "action_form": action_form,
            "chosen": chosen,
            "page": page,
        },
    )


# --- Comments ---------------------------------------------------------------------------------------


@object_permission_required(VIEW_RESPONSES, _campaign)
def comments(request, campaign):
    """The respondents' comments as written, for DoHA to read and to redact the version the commune
    may read."""
    refused = None
    if request.method == "POST":
        if not request.user.has_perm(REVIEW_RESPONSES, campaign):
            raise PermissionDenied
        form = RedactForm(request.POST)
        if form.is_valid():
            response = get_object_or_404(Response, pk=form.cleaned_data["response"], campaign=campaign)
            try:
                comment_redact(response=response, text=form.cleaned_data["text"], by=request.user)
            except SurveyError as error:
                form.add_error("text", str(error))
            else:
                messages.success(request, _("The commune's version of the comment is saved."))
                return redirect(request.get_full_path())
        refused = form
    filter_form = CommentFilterForm(request.GET or None)
    filters = filter_form.filters() if filter_form.is_bound else {}
    responses = comments_of(campaign, reviewed=filters.get("reviewed"))
    page = Paginator(responses, COMMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    for response in page.object_list:
        if refused is not None and refused.data.get("response") == str(response.pk):
            response.form = refused
        else:
            text = response.comment_redacted if response.comment_reviewed else response.comment
            response.form = RedactForm(
                initial={"response": response.pk, "text": text}, auto_id=f"id_comment_{response.pk}_%s"
            )
    return render(
        request,
        "surveys/manage/comments.html",
        {
            "page_title": _("Comments"),
            "crumbs": _crumbs(campaign),
            "campaign": campaign,
            "filter_form": filter_form,
            "filtered": bool(filters),
            "page": page,
            "can_redact": request.user.has_perm(REVIEW_RESPONSES, campaign),
        },
    )


# --- Exports ----------------------------------------------------------------------------------------


@object_permission_required(VIEW_RESPONSES, _campaign)
def export(request, campaign, what: str, fmt: str):
    """The campaign's anonymous responses or its statistics, as a spreadsheet or CSV."""
    if what not in EXPORTS or fmt not in FORMATS:
        raise Http404
    if what == "responses":
        resource = ResponseResource(campaign)
        items = resource.get_queryset()
        if fmt == "xlsx" and (count := items.count()) > XLSX_MAX_ROWS:
            messages.error(
                request,
                _("%(count)s responses are too many for one Excel file; download the CSV file instead.")
                % {"count": formats.number_format(count, force_grouping=True)},
            )
            return redirect("surveys:campaign", pk=campaign.pk)
    else:
        resource = StatisticsResource()
        items = statistics_rows(campaign)
    filename = f"survey-{campaign.pk}-{what}-{clock.today():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        # The workbook carries the codebook: what each question code and answer code means.
        return xlsx_response(
            [
                Sheet(str(SHEET_TITLES[what]), resource.rows(items)),
                Sheet(str(_("Codebook")), codebook_rows(campaign), widths=CODEBOOK_WIDTHS),
            ],
            filename=filename,
        )
    # Row by row: ten thousand responses never sit in memory as one table.
    response = StreamingHttpResponse(csv_chunks(resource.rows(items)), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
