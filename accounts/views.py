"""DoHA's page of its province's API keys: the keys with their use, issuing one (its secret shown once),
revoking one, and each key's call log.

Every view takes the province from the URL through ``province_permission_required``; a key addressed
by id is looked up inside that province, so changing an id never reaches another province's keys.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.api_keys import KEYWORD, ApiKeyError, api_key_issue, api_key_revoke
from accounts.forms import ApiKeyIssueForm
from accounts.models import ApiKey
from accounts.rules import MANAGE_API_KEYS
from core.permissions import province_permission_required
from core.submissions import first_submission, forget_submission
from core.web import workspace_trail

API_KEYS_TITLE = gettext_lazy("API keys")
CALLS_PER_PAGE = 50


def _render(request, province, template: str, *, page_title, parent: bool = False, **context):
    """Render a page with its breadcrumbs: Workspace › province (› API keys) › page."""
    crumbs = workspace_trail(province)
    if parent:
        crumbs.append((API_KEYS_TITLE, reverse("accounts:api_keys", kwargs={"pk": province.pk})))
    return render(request, template, {"province": province, "page_title": page_title, "crumbs": crumbs, **context})


def _key_of(province, key_pk: int) -> ApiKey:
    return get_object_or_404(ApiKey.objects.select_related("issued_by", "revoked_by"), pk=key_pk, province=province)


@province_permission_required(MANAGE_API_KEYS)
def api_keys(request, province):
    """The province's keys, active first, and the form that issues a new one."""
    form = ApiKeyIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["submission"]
        if not first_submission(request, token):
            messages.info(
                request,
                _(
                    "This form was already sent: the key was issued once. Its secret was shown then and is not "
                    "shown again."
                ),
            )
            return redirect("accounts:api_keys", pk=province.pk)
        try:
            key, secret = api_key_issue(
                province=province, name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], by=request.user
            )
        except ApiKeyError as error:
            forget_submission(request, token)
            form.add_error(None, str(error))
        else:
            # Answered here rather than after a redirect: the secret is never stored, not even in the
            # session for the next page. No cache may keep the page either.
            response = _render(
                request,
                province,
                "accounts/api_keys_issued.html",
                page_title=_("Key issued"),
                parent=True,
                key=key,
                secret=secret,
                header=f"Authorization: {KEYWORD} {secret}",
            )
            add_never_cache_headers(response)
            return response
    keys = ApiKey.objects.filter(province=province).select_related("issued_by", "revoked_by")
    keys = keys.order_by(F("revoked_at").desc(nulls_first=True), "-issued_at", "-pk")
    return _render(request, province, "accounts/api_keys.html", page_title=API_KEYS_TITLE, keys=keys, form=form)


@province_permission_required(MANAGE_API_KEYS)
def api_key_revoke_confirm(request, province, key_pk: int):
    """Revoking asks first: the system that holds the key stops working at once."""
    key = _key_of(province, key_pk)
    if request.method == "POST":
        was_active = key.is_active
        api_key_revoke(key=key, by=request.user)
        if was_active:
            messages.success(request, _("The key of “%(name)s” is revoked.") % {"name": key.name})
        return redirect("accounts:api_keys", pk=province.pk)
    return _render(
        request,
        province,
        "accounts/api_keys_revoke.html",
        page_title=_("Revoke the key of “%(name)s”") % {"name": key.name},
        parent=True,
        key=key,
    )


@province_permission_required(MANAGE_API_KEYS)
def api_key_calls(request, province, key_pk: int):
    """The key's calls, newest first, a page at a time (two queries a page, whatever the log's size)."""
    key = _key_of(province, key_pk)
    page = Paginator(key.calls.order_by("-at", "-pk"), CALLS_PER_PAGE).get_page(request.GET.get("page"))
    return _render(
        request,
        province,
        "accounts/api_keys_calls.html",
        page_title=_("Calls made with the key of “%(name)s”") % {"name": key.name},
        parent=True,
        key=key,
        page=page,
    )
