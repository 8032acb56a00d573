"""The scoring app's API routes in the permission matrix (see tests/api/matrix/__init__.py)."""

from __future__ import annotations

from scoring.models import Certificate
from scoring.services import decision_approve
from scoring.services.certificates import certificates_plan
from tests.api.matrix import EVERYONE, Route
from tests.scoring.factories import YEAR
from tests.scoring.test_decisions import draft, final, recognisable_set


def build(places) -> dict:
    """The commune "here" with a final result of YEAR, recognised by an approved decision whose
    documents are planned (pending: the matrix needs a serial, not a rendered PDF)."""
    doha, leader = places.users["doha_here"], places.users["leader_here"]
    assessment = final(places.commune, recognisable_set(places.province))
    decision = draft(places.province, [assessment], doha)
    certificates_plan(decision_approve(decision=decision, by=leader))
    serial = decision.certificates.filter(kind=Certificate.Kind.DECISION).values_list("serial", flat=True).get()
    return {"scoring_assessment": assessment, "certificate_serial": serial}


ROUTES: list[Route] = [
    Route("api:scoring:commune-results", kwargs=lambda p: {"pk": p.commune.pk}, get=EVERYONE),
    Route("api:scoring:commune-result", kwargs=lambda p: {"pk": p.commune.pk, "year": YEAR}, get=EVERYONE),
    Route("api:scoring:province-ranking-years", kwargs=lambda p: {"pk": p.province.pk}, get=EVERYONE),
    Route("api:scoring:province-rankings", kwargs=lambda p: {"pk": p.province.pk, "year": YEAR}, get=EVERYONE),
    Route("api:scoring:certificate-detail", kwargs=lambda p: {"serial": p.objects["certificate_serial"]}, get=EVERYONE),
    Route("api:scoring:certificate-verify", post=EVERYONE, body=lambda p: {"sha256": "0" * 64}),
]
