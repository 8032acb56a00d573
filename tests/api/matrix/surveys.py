"""The surveys app's API routes in the permission matrix (see tests/api/matrix/__init__.py)."""

from __future__ import annotations

from tests.api.matrix import EVERYONE, Route
from tests.surveys.factories import answers, code_batch, codes, open_campaign


def build(places) -> dict:
    """An open campaign for the commune "here" and one visit code printed at its counter today."""
    campaign = open_campaign(places.commune, by=places.users["site_admin"])
    batch = code_batch(campaign, places.commune, size=1, by=places.users["site_admin"])
    return {"survey_campaign": campaign, "visit_code": codes(batch)[0]}


ROUTES: list[Route] = [
    Route("api:surveys:commune-survey-figures", kwargs=lambda p: {"pk": p.commune.pk}, get=EVERYONE),
    Route("api:surveys:visit-detail", kwargs=lambda p: {"code": p.objects["visit_code"]}, get=EVERYONE),
    # Each role's answer is rolled back after it: the code is fresh for the next.
    Route(
        "api:surveys:visit-responses",
        kwargs=lambda p: {"code": p.objects["visit_code"]},
        post=EVERYONE,
        body=lambda p: {"answers": answers()},
    ),
]
