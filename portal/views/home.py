"""The home page and the health probe."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from communes import selectors as unit_selectors
from portal import health


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(provinces=unit_selectors.province_list_for_browse(), **kwargs)


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
