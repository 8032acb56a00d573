"""The back office's public disclosures of a commune: published, edited and withdrawn by its officers, and
the quarterly list of them the commune posts (Law 10/2022/QH15, art. 13(2))."""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from communes import selectors
from communes.forms.disclosure_lists import PUBLISH, REPUBLISH, DisclosureListPublishForm, QuarterForm
from communes.forms.one_stop import DisclosureForm
from communes.models import Disclosure, DisclosureCategory, DisclosureList
from communes.rules import MANAGE_COMMUNE
from communes.selectors.disclosures import quarter_days
from communes.services import (
    DisclosureListError,
    OneStopError,
    disclosure_delete,
    disclosure_list_check,
    disclosure_list_publish,
    disclosure_list_republish,
    disclosure_save,
)
from communes.views.manage import render_section, show_error
from core import clock
from core.permissions import commune_permission_required
from core.submissions import first_submission, forget_submission

DISCLOSURE_PAGE_SIZE = 50


@commune_permission_required(MANAGE_COMMUNE)
def manage_disclosures(request, commune):
    page = Paginator(Disclosure.objects.filter(commune=commune), DISCLOSURE_PAGE_SIZE).get_page(request.GET.get("page"))
    quarters = selectors.disclosure_list_quarters(commune=commune, today=clock.today())
    return render_section(
        request, commune, "communes/manage/disclosure_list.html", "disclosures", page=page, quarters=quarters
    )


def _category_asked(request) -> str:
    """A new disclosure's category given in ``?category=`` (the workspace links to a missing one), if valid."""
    category = request.GET.get("category", "")
    return category if category in DisclosureCategory.values else ""


@commune_permission_required(MANAGE_COMMUNE)
def manage_disclosure_edit(request, commune, disclosure_pk: int | None = None):
    disclosure = get_object_or_404(Disclosure, pk=disclosure_pk, commune=commune) if disclosure_pk else None
    new = Disclosure(commune=commune, category=_category_asked(request))
    form = DisclosureForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(disclosure) if disclosure else new,
    )
    if request.method == "POST" and form.is_valid():
        token = "" if disclosure else form.cleaned_data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the disclosure was published once."))
            return redirect("communes:manage_disclosures", pk=commune.pk)
        names = (
            *("title", "category", "decision_date", "due_on", "due_basis"),
            *("published_on", "posted_until", "document"),
        )
        try:
            saved = disclosure_save(
                commune=commune, disclosure=disclosure, by=request.user, **{n: form.cleaned_data[n] for n in names}
            )
        except OneStopError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect("communes:manage_disclosures", pk=commune.pk)
    title = _("Edit a disclosure") if disclosure else _("Publish a disclosure")
    return render_section(
        request,
        commune,
        "communes/manage/disclosure_form.html",
        "disclosures",
        title=title,
        parent=True,
        form=form,
        disclosure=disclosure,
    )


@commune_permission_required(MANAGE_COMMUNE)
def manage_disclosure_delete(request, commune, disclosure_pk: int):
    disclosure = get_object_or_404(Disclosure, pk=disclosure_pk, commune=commune)
    if request.method == "POST":
        disclosure_delete(disclosure=disclosure, by=request.user)
        messages.success(request, _("“%(title)s” is withdrawn.") % {"title": disclosure.title})
        return redirect("communes:manage_disclosures", pk=commune.pk)
    return render_section(
        request,
        commune,
        "communes/manage/disclosure_confirm_delete.html",
        "disclosures",
        title=_("Withdraw a disclosure"),
        parent=True,
        disclosure=disclosure,
    )


# --- The quarterly list (art. 13(2)) -------------------------------------------------------------


def _quarter_asked(request, commune) -> tuple[int, int]:
    """The quarter in ``?year=&quarter=`` (404 for one that cannot be); without them, the last ended quarter
    the back office offers."""
    if "year" not in request.GET and "quarter" not in request.GET:
        today = clock.today()
        offered = selectors.disclosure_list_quarters(commune=commune, today=today)
        # None offered (a unit too young or long ended): the current quarter, which the page says is not over.
        return (offered[0].year, offered[0].quarter) if offered else (today.year, (today.month - 1) // 3 + 1)
    form = QuarterForm(request.GET)
    if not form.is_valid():
        raise Http404
    return form.cleaned_data["year"], form.cleaned_data["quarter"]


def _preview_url(commune, year: int, quarter: int) -> str:
    url = reverse("communes:manage_disclosure_quarterly_list", kwargs={"pk": commune.pk})
    return f"{url}?{urlencode({'year': year, 'quarter': quarter})}"


@commune_permission_required(MANAGE_COMMUNE)
def manage_disclosure_quarterly_list(request, commune):
    """GET: the quarter's list as it would be posted now, beside the one posted if any. POST: post it, or
    post the corrected list in place of the one posted."""
    if request.method == "POST":
        return _publish(request, commune)
    year, quarter = _quarter_asked(request, commune)
    first_day, last_day = quarter_days(year, quarter)
    items = selectors.disclosure_list_items(commune=commune, year=year, quarter=quarter)
    try:
        published = selectors.disclosure_list_of_quarter(commune=commune, year=year, quarter=quarter)
    except DisclosureList.DoesNotExist:
        published = None
    refusal = None
    try:
        disclosure_list_check(commune=commune, year=year, quarter=quarter)
    except DisclosureListError as error:
        refusal = str(error)
    return render_section(
        request,
        commune,
        "communes/manage/disclosure_quarterly_list.html",
        "disclosures",
        title=_("Quarterly list of disclosures: quarter %(quarter)d/%(year)d") % {"quarter": quarter, "year": year},
        parent=True,
        year=year,
        quarter=quarter,
        first_day=first_day,
        last_day=last_day,
        rows=selectors.disclosure_list_rows(commune=commune, items=items),
        published=published,
        changed=published is not None and published.items != items,
        refusal=refusal,
        form=DisclosureListPublishForm(
            initial={"year": year, "quarter": quarter, "action": REPUBLISH if published else PUBLISH}
        ),
    )


def _publish(request, commune):
    form = DisclosureListPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a quarter from the list below."))
        return redirect("communes:manage_disclosures", pk=commune.pk)
    year, quarter, action = (form.cleaned_data[name] for name in ("year", "quarter", "action"))
    posted = None
    if action == REPUBLISH:
        try:
            posted = selectors.disclosure_list_of_quarter(commune=commune, year=year, quarter=quarter)
        except DisclosureList.DoesNotExist as error:
            raise Http404 from error
    token = form.cleaned_data["submission"]
    if not first_submission(request, token):
        messages.info(request, _("This form was already sent: the list was published once."))
        return redirect("communes:manage_disclosures", pk=commune.pk)
    try:
        if posted is not None:
            disclosure_list_republish(disclosure_list=posted, by=request.user)
        else:
            disclosure_list_publish(commune=commune, year=year, quarter=quarter, by=request.user)
    except DisclosureListError as error:
        forget_submission(request, token)
        messages.error(request, str(error))
        return redirect(_preview_url(commune, year, quarter))
    messages.success(
        request, _("The list of quarter %(quarter)d/%(year)d is published.") % {"quarter": quarter, "year": year}
    )
    return redirect("communes:manage_disclosures", pk=commune.pk)
