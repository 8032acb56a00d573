"""Public pages of a commune's one-stop shop: what a citizen needs before leaving home. The commune's
own page shows other apps too, so portal composes it (portal.views.commune)."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from communes import selectors
from communes.models import (
    CodeOfConduct,
    Commune,
    CommuneProcedure,
    Disclosure,
    DisclosureCategory,
    DisclosureList,
    Province,
)
from communes.search_tasks import search_task, task_targets
from core import clock
from core.files import pdf_response
from core.qr import qr_svg

DISCLOSURES_PER_PAGE = 20
SEARCH_QUERY_LENGTH = 100
# Suggestions start at the second character typed; the browser keeps each answer this many seconds.
SUGGEST_MIN_LENGTH = 2
SUGGEST_MAX_AGE = 300
# Characters that file systems or the Content-Disposition header do not take in a file name.
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _search_query(request) -> str:
    return request.GET.get("q", "").strip()[:SEARCH_QUERY_LENGTH]


@require_safe
def commune_search(request):
    query = _search_query(request)
    task = search_task(request.GET.get("task"))
    result = selectors.commune_search(query=query) if query else None
    if result and task:
        for commune in result.communes:
            commune.task_targets = task_targets(task, commune)
    return render(request, "communes/public/commune_search.html", {"query": query, "result": result, "task": task})


def _suggestion(commune: Commune, task=None) -> dict:
    """What the search box shows of a unit: public facts only, never a person's. With a task, the
    unit's link is the task's page (of the one unit of today that took an ended unit over)."""
    targets = task_targets(task, commune) if task else []
    return {
        "name": str(commune),
        "type": commune.get_division_type_display(),
        "district": str(commune.district) if commune.district_id else None,
        "province": str(commune.province),
        "url": targets[0][1] if len(targets) == 1 else commune.get_absolute_url(),
        "ended": not commune.is_current,
        "successors_today": [
            {"name": other.official_name, "url": other.get_absolute_url()} for other in commune.successors_today
        ],
        "formerly": commune.search_formerly,
        "formed_from": [_formed_from(found) for found in commune.search_formed_from],
    }


def _formed_from(found: selectors.FormedFrom) -> str:
    """'xã Sơn Thịnh (huyện Hiệp Hòa, formerly xã Quang Minh)': the unit, its district and the former
    names the search found it by, as the results page writes them."""
    details = [found.unit.district.official_name] if found.unit.district_id else []
    if found.formerly:
        details.append(_("formerly %(names)s") % {"names": "; ".join(found.formerly)})
    return f"{found.unit.official_name} ({', '.join(details)})" if details else found.unit.official_name


def _suggest_status(result: selectors.CommuneSearchResult) -> str:
    """The sentence a screen reader hears when the suggestions change."""
    if result.has_more:
        return _("More than %(count)d communes match. Type more of the name, or press Enter to see them all.") % {
            "count": result.limit
        }
    if not result.communes:
        return _("No commune matches.")
    count = len(result.communes)
    return ngettext(
        "%(count)d commune matches. Use the up and down arrow keys to choose.",
        "%(count)d communes match. Use the up and down arrow keys to choose.",
        count,
    ) % {"count": count}


@require_safe
@cache_control(max_age=SUGGEST_MAX_AGE, public=True)
def commune_suggest(request):
    """The search box's suggestions as JSON, at most SUGGEST_LIMIT of them; any query answers, an odd
    one with none."""
    query = _search_query(request)
    if len(query) < SUGGEST_MIN_LENGTH:
        return JsonResponse({"query": query, "results": [], "more": False, "status": ""})
    result = selectors.commune_search(query=query, limit=selectors.SUGGEST_LIMIT)
    task = search_task(request.GET.get("task"))
    return JsonResponse(
        {
            "query": query,
            "results": [_suggestion(commune, task) for commune in result.communes],
            "more": result.has_more,
            "status": _suggest_status(result),
        }
    )


def _commune_or_404(pk: int) -> Commune:
    try:
        return selectors.commune_for_public_page(pk=pk)
    except Commune.DoesNotExist as error:
        raise Http404 from error


def _commune_procedure_or_404(pk: int, code: str) -> CommuneProcedure:
    try:
        return selectors.commune_procedure(commune_pk=pk, code=code)
    except CommuneProcedure.DoesNotExist as error:
        raise Http404 from error


def _successors_if_ended(commune: Commune) -> list | None:
    """Today's units that took an ended unit over (its pages lead there first); None while it serves.
    No query for a unit in force."""
    if commune.is_current:
        return None
    return selectors.successors_today(units=[commune])[commune.pk]


def _procedure_url(request, pk: int, code: str) -> str:
    """The absolute address of the procedure's page: what its QR code opens."""
    return request.build_absolute_uri(reverse("communes:procedure_detail", kwargs={"pk": pk, "code": code}))


@require_safe
def procedure_list(request, pk: int):
    commune = _commune_or_404(pk)
    fields = selectors.procedure_fields_for_commune(commune=commune)
    field = request.GET.get("field", "")
    if field not in {row.field for row in fields}:
        field = ""
    return render(
        request,
        "communes/public/procedure_list.html",
        {
            "commune": commune,
            "ended": _successors_if_ended(commune),
            "fields": sorted(fields, key=lambda row: row.field),
            "field": field,
            "procedures": selectors.procedure_list_for_commune(commune=commune, field=field),
        },
    )


@require_safe
def procedure_detail(request, pk: int, code: str):
    handled = _commune_procedure_or_404(pk, code)
    return render(
        request,
        "communes/public/procedure_detail.html",
        {
            "commune": handled.commune,
            "ended": _successors_if_ended(handled.commune),
            "handled": handled,
            "procedure": handled.procedure,
            "page_url": _procedure_url(request, pk, code),
        },
    )


@require_safe
@cache_control(max_age=3600, public=True)
def procedure_qr(request, pk: int, code: str):
    if not selectors.commune_handles_procedure(commune_pk=pk, code=code):
        raise Http404
    return HttpResponse(qr_svg(_procedure_url(request, pk, code)), content_type="image/svg+xml")


@require_safe
def procedure_poster(request, pk: int, code: str):
    handled = _commune_procedure_or_404(pk, code)
    page_url = _procedure_url(request, pk, code)
    return render(
        request,
        "communes/public/procedure_poster.html",
        {
            "commune": handled.commune,
            "ended": _successors_if_ended(handled.commune),
            "handled": handled,
            "procedure": handled.procedure,
            "page_url": page_url,
            # segno's own markup from our own address: nothing a user typed goes into it.
            "qr": mark_safe(qr_svg(page_url, scalable=True)),  # noqa: S308  (the poster's CSS sizes it)
        },
    )


@require_safe
def code_of_conduct(request, pk: int, version: int | None = None):
    try:
        page = selectors.code_of_conduct_page(province_pk=pk, version=version, today=clock.today())
    except (Province.DoesNotExist, CodeOfConduct.DoesNotExist) as error:
        raise Http404 from error
    return render(request, "communes/public/code_of_conduct.html", {"page": page, "province": page.province})


@require_safe
def disclosure_list(request, pk: int):
    commune = _commune_or_404(pk)
    category = request.GET.get("category", "")
    if category not in DisclosureCategory.values:
        category = ""
    paginator = Paginator(
        selectors.disclosure_list_for_commune(commune=commune, category=category), DISCLOSURES_PER_PAGE
    )
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "communes/public/disclosure_list.html",
        {
            "commune": commune,
            "ended": _successors_if_ended(commune),
            "categories": DisclosureCategory.choices,
            "category": category,
            "page_obj": page_obj,
            "disclosures": page_obj.object_list,
            "quarterly_lists": selectors.disclosure_lists_published(commune=commune),
        },
    )


@require_safe
def disclosure_quarterly_list(request, pk: int, year: int, quarter: int):
    """The list of what the commune disclosed in a quarter, as it posted it (art. 13(2)); printable."""
    commune = _commune_or_404(pk)
    try:
        posted = selectors.disclosure_list_of_quarter(commune=commune, year=year, quarter=quarter)
    except DisclosureList.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "communes/public/disclosure_quarterly_list.html",
        {
            "commune": commune,
            "ended": _successors_if_ended(commune),
            "posted": posted,
            "rows": selectors.disclosure_list_rows(commune=commune, items=posted.items),
        },
    )


@require_safe
def disclosure_document(request, pk: int, disclosure_pk: int):
    try:
        disclosure = selectors.commune_disclosure(commune_pk=pk, pk=disclosure_pk)
        document = disclosure.document.open("rb")
    except (Disclosure.DoesNotExist, FileNotFoundError, ValueError) as error:
        # ValueError: the row has no file attached.
        raise Http404 from error
    filename = _UNSAFE_FILENAME.sub(" ", disclosure.title).strip()[:150] or "document"
    return pdf_response(document, filename=f"{filename}.pdf")
