"""What every back-office page of a commune shares: its navigation and breadcrumbs, the profile the
shop's sections need first, a service's errors put on the forms, and create forms sent only once.

Every view takes the commune from the URL through ``commune_permission_required``; records addressed
by id are looked up inside that commune, so changing an id in the URL never reaches another commune.
Writes are POSTs that go through communes.services and end in a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import OneStopShop
from communes.rules import MANAGE_COMMUNE
from communes.services import OneStopError
from core.web import workspace_trail

SECTION_TITLES = {
    "home": gettext_lazy("One-stop shop back office"),
    "profile": gettext_lazy("Profile"),
    "hours": gettext_lazy("Opening hours"),
    "exceptions": gettext_lazy("Special days"),
    "facilities": gettext_lazy("Facilities"),
    "duty": gettext_lazy("Leaders on duty"),
    "officers": gettext_lazy("Counter officers"),
    "procedures": gettext_lazy("Procedures"),
    "disclosures": gettext_lazy("Public disclosures"),
    "history": gettext_lazy("History of changes"),
}


def render_section(request, commune, template: str, section: str, *, title=None, parent: bool = False, **context):
    """Render a back-office page with its navigation and breadcrumbs (Workspace › commune › section)."""
    section_title = SECTION_TITLES[section]
    crumbs = [
        *workspace_trail(commune),
    ]
    if parent:
        crumbs.append((section_title, reverse(f"communes:manage_{section}", kwargs={"pk": commune.pk})))
    return render(
        request,
        template,
        {
            "commune": commune,
            "section": section,
            "page_title": title or section_title,
            "crumbs": crumbs,
            "can_manage": request.user.has_perm(MANAGE_COMMUNE, commune),
            **context,
        },
    )


def shop_of(commune) -> OneStopShop | None:
    return OneStopShop.objects.filter(commune=commune).first()


def profile_first(request, commune, section: str):
    """The sections of the shop need the shop: they point to its profile until it is saved."""
    if request.method == "POST":
        messages.error(request, _("Fill in the one-stop shop's profile first."))
        return redirect("communes:manage_profile", pk=commune.pk)
    return render_section(request, commune, "communes/manage/profile_first.html", section)


def show_error(form, error: OneStopError) -> None:
    for name, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)


def row_error(rows: list, error: OneStopError, page_errors: list) -> None:
    """Put a list service's error on the form of the faulty row, or above the whole form."""
    if error.row is not None and error.row < len(rows):
        show_error(rows[error.row], error)
    else:
        page_errors.extend(str(m) for field_messages in error.errors.values() for m in field_messages)
