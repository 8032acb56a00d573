"""The home page and the health probe."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from communes import selectors as unit_selectors
from core import pagecache
from portal import health


@require_safe
def home(request):
    return pagecache.cached_page(
        request,
        "portal/home.html",
        lambda: {"provinces": unit_selectors.province_list_for_browse()},
        scopes=["site"],
    )


@never_cache
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise; for load balancers and probes."""
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{k: "ok" if v else "unavailable" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
