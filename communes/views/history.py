"""The back office's history of a commune's records."""

from __future__ import annotations

from communes.rules import VIEW_COMMUNE_HISTORY
from communes.selectors.history import commune_history_page
from communes.views.manage import render_section
from core.permissions import commune_permission_required


@commune_permission_required(VIEW_COMMUNE_HISTORY)
def commune_history(request, commune):
    page, entries = commune_history_page(commune=commune, page_number=request.GET.get("page"))
    return render_section(request, commune, "communes/manage/history.html", "history", page=page, entries=entries)
