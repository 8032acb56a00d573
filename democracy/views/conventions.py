"""Village conventions in the back office: the village head keeps the drafts and the adopted texts, the
commune records the authority's recognition that puts a version in force."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.submissions import first_submission, forget_submission
from democracy import rules as perms
from democracy.forms.villages import AdoptForm, ConventionForm, RecogniseForm, VersionForm
from democracy.models import VersionStatus
from democracy.selectors.villages import convention_versions
from democracy.services import conventions as services
from democracy.services.conventions import adoption_matters
from democracy.services.errors import DemocracyError
from democracy.views.common import (
    convention_permission_required,
    show_error,
    version_permission_required,
    village_permission_required,
)
from democracy.views.villages import render_village


def _conventions_crumb(village) -> tuple[str, str]:
    return _("Conventions"), reverse("democracy:manage_village", kwargs={"pk": village.pk}) + "#conventions"


def _convention_url(convention) -> str:
    return reverse("democracy:manage_convention", kwargs={"pk": convention.pk})


def _render_convention(request, convention, **forms):
    village = convention.village
    user = request.user
    versions = convention_versions(convention=convention)
    can_keep = user.has_perm(perms.KEEP_CONVENTIONS, convention)
    can_recognise = user.has_perm(perms.RECOGNISE_CONVENTION, convention)
    matters = adoption_matters(convention)
    adopt_forms = {}
    recognise_forms = {}
    for version in versions:
        if can_keep and version.status == VersionStatus.DRAFT:
            adopt_forms[version.pk] = forms.get(f"adopt_{version.pk}") or AdoptForm(
                matters=matters, prefix=f"v{version.pk}"
            )
        if can_recognise and version.status == VersionStatus.ADOPTED:
            recognise_forms[version.pk] = forms.get(f"recognise_{version.pk}") or RecogniseForm(prefix=f"v{version.pk}")
    rows = [(version, adopt_forms.get(version.pk), recognise_forms.get(version.pk)) for version in versions]
    return render_village(
        request,
        "democracy/manage/convention_detail.html",
        village=village,
        section="conventions",
        title=convention.title,
        crumbs=[_conventions_crumb(village)],
        convention=convention,
        rows=rows,
        can_keep=can_keep and village.is_current,
    )


@village_permission_required(perms.KEEP_CONVENTIONS)
def convention_create(request, village):
    form = ConventionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the convention was added once."))
            return redirect(reverse("democracy:manage_village", kwargs={"pk": village.pk}) + "#conventions")
        try:
            convention = services.convention_create(
                village=village, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"], by=request.user
            )
        except DemocracyError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("The convention is recorded. Add its first draft."))
            return redirect("democracy:manage_convention_version_create", pk=convention.pk)
    return render_village(
        request,
        "democracy/manage/convention_form.html",
        village=village,
        section="conventions",
        title=_("Add a village convention"),
        crumbs=[_conventions_crumb(village)],
        form=form,
        cancel_url=reverse("democracy:manage_village", kwargs={"pk": village.pk}) + "#conventions",
    )


@convention_permission_required(perms.FOLLOW_VILLAGE)
def manage_convention(request, convention):
    return _render_convention(request, convention)


@convention_permission_required(perms.KEEP_CONVENTIONS)
def version_create(request, convention):
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission"]
        if not first_submission(request, token):
            messages.info(request, _("This form was already sent: the draft was added once."))
            return redirect(_convention_url(convention))
        data = form.cleaned_data
        try:
            version = services.version_create(
                convention=convention,
                text=data["text"],
                document=data["document"] or None,
                posted_on=data["posted_on"],
                by=request.user,
            )
        except DemocracyError as error:
            forget_submission(request, token)
            show_error(form, error)
        else:
            messages.success(request, _("Version %(number)d is saved as a draft.") % {"number": version.number})
            return redirect(_convention_url(convention))
    village = convention.village
    return render_village(
        request,
        "democracy/manage/convention_form.html",
        village=village,
        section="conventions",
        title=_("New version of %(title)s") % {"title": convention.title},
        crumbs=[_conventions_crumb(village), (convention.title, _convention_url(convention))],
        form=form,
        multipart=True,
        cancel_url=_convention_url(convention),
    )


@version_permission_required(perms.KEEP_CONVENTIONS)
@require_POST
def version_adopt(request, version):
    convention = version.convention
    form = AdoptForm(request.POST, matters=adoption_matters(convention), prefix=f"v{version.pk}")
    if form.is_valid():
        try:
            services.version_adopt(version=version, matter=form.cleaned_data["matter"], by=request.user)
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Version %(number)d is adopted.") % {"number": version.number})
            return redirect(_convention_url(convention))
    return _render_convention(request, convention, **{f"adopt_{version.pk}": form})


@version_permission_required(perms.RECOGNISE_CONVENTION)
@require_POST
def version_recognise(request, version):
    convention = version.convention
    form = RecogniseForm(request.POST, prefix=f"v{version.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.version_recognise(
                version=version,
                authority=data["authority"],
                number=data["number"],
                in_force_from=data["in_force_from"],
                by=request.user,
            )
        except DemocracyError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Version %(number)d is in force.") % {"number": version.number})
            return redirect(_convention_url(convention))
    return _render_convention(request, convention, **{f"recognise_{version.pk}": form})
