"""The commune's public page, composed here because it shows several apps: the one-stop shop
(communes), the feedback figures (feedback), the survey results (surveys), the stars and certificates
(scoring). Each part is read by its app's selectors, so the page's queries are all counted here."""

from __future__ import annotations

from django.http import Http404
from django.views.decorators.http import require_safe

from communes import selectors as commune_selectors
from communes.models import Commune
from core import clock, pagecache
from democracy.selectors import summary as democracy_summary
from feedback import selectors as feedback_selectors
from scoring.selectors import public as scoring_selectors
from surveys import selectors as survey_selectors


@require_safe
def commune_detail(request, pk: int):
    # Served from the page cache: anything the commune's items change bumps "commune:<pk>", anything
    # else (units, one-stop records, results, figures) bumps "site" (core/pagecache.py).
    return pagecache.cached_page(
        request,
        "portal/commune/commune_detail.html",
        lambda: _commune_page(pk),
        scopes=["site", f"commune:{pk}"],
    )


def _commune_page(pk: int) -> pagecache.Page:
    try:
        page = commune_selectors.commune_page(pk=pk)
    except Commune.DoesNotExist as error:
        raise Http404 from error
    commune = page.commune
    stars = scoring_selectors.commune_stars(commune=commune)
    # Certificates come from recognised results: without a public result there is none to look for.
    has_result = bool(stars.own or stars.taken_over)
    context = {
        "page": page,
        "commune": commune,
        "shop": page.shop,
        # Read by includes/_unit_history.html. The page names the predecessors at its top and an
        # ended unit's units of today in its banner; the panel adds a direct successor that has
        # ended in turn, so the chain between them stays visible.
        "predecessors": [],
        "successors": [] if page.successors == page.successors_today else page.successors,
        "feedback_figures": feedback_selectors.feedback_figures_for_commune(commune=commune),
        "survey_results": survey_selectors.results_panel_for_commune(commune=commune),
        "stars": stars,
        "certificates": scoring_selectors.commune_certificates(commune=commune) if has_result else [],
        "democracy": democracy_summary.commune_democracy_panel(commune=commune, now=clock.now()),
    }
    # "Open now" is true until the shop's next opening or closing time; a meeting listed as coming,
    # until it starts.
    ends = [
        moment for moment in (page.today.changes_at if page.today else None, context["democracy"].changes_at) if moment
    ]
    return pagecache.Page(context, until=min(ends, default=None))
