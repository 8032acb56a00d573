"""The back office's public disclosures of a commune: published, edited and withdrawn by its officers."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from communes.forms.one_stop import DisclosureForm
from communes.models import Disclosure, DisclosureCategory
from communes.rules import MANAGE_COMMUNE
from communes.services import OneStopError, disclosure_delete, disclosure_save
from communes.views.manage import render_section, show_error
from core.permissions import commune_permission_required
from core.submissions import first_submission, forget_submission

DISCLOSURE_PAGE_SIZE = 50


@commune_permission_required(MANAGE_COMMUNE)
def manage_disclosures(request, commune):
    page = Paginator(Disclosure.objects.filter(commune=commune), DISCLOSURE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render_section(request, commune, "communes/manage/disclosure_list.html", "disclosures", page=page)


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
