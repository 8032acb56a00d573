"""A small portal for the open data tests, built once per module: the real units of Bắc Giang (before
2025) and Bắc Ninh (today), and the demo's own builders (demo/) on a few of its communes: one-stop
profiles, procedures, disclosures and statistics, a month of feedback, the surveys, the villages'
matters, consultations and boards; then one scoring cycle made final and approved, with its sealed
certificate. The full demo (``setup_demo``) takes about 30 s; this takes a third of it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.db import connection

from accounts.models import Role, User
from communes.models import Commune
from demo import feedback as feedback_demo
from demo import surveys as surveys_demo
from demo.accounts import demo_accounts_ensure
from demo.communes import communes_demo_ensure
from demo.data import communes as communes_data
from demo.democracy import democracy_demo_ensure
from demo.participation import participation_demo_ensure
from feedback.services.monthly import feedback_monthly_refresh
from portal.dashboards.refresh import dashboard_refresh
from scoring.models import Certificate, Decision
from scoring.services import decision_approve
from scoring.services.certificates import certificate_issue, certificates_plan
from scoring.services.certificates import issue as issuing
from scoring.services.certificates.signing import SignerInfo
from tests.conftest import DEMO_PASSWORD, real_units_load
from tests.portal.factories import user_with_role
from tests.scoring.factories import advance, fill_self, open_assessment, pdf_bytes
from tests.scoring.test_decisions import draft, final, recognisable_set

# Two of the demo's communes before 2025 and the ward that took them over today (phường Vân Hà, where
# the demo's democracy records are).
LEGACY_CODES = ("07792", "07798")
TODAY_CODES = ("07798",)
DRAFT_CODE = "07777"  # phường Bích Động, whose result of the year is still a draft
FEEDBACK_ITEMS = 30
EXTRA_SURVEYED = 2  # communes surveyed beside the demo's own


@dataclass
class Scene:
    admin: User
    decision: Decision
    certificate: Certificate


def demo_scene_build(patch: pytest.MonkeyPatch) -> Scene:
    """Build the scene in the current transaction (the caller rolls it back)."""
    # pytest-django sets up the test database only for a session that has a test marked for it.
    if not connection.settings_dict["NAME"].startswith("test_"):
        raise RuntimeError("The open data scene is built in a test database only.")
    patch.setattr(communes_data, "COMMUNES", [s for s in communes_data.COMMUNES if s.code in LEGACY_CODES])
    patch.setattr(communes_data, "TODAY_COMMUNES", [s for s in communes_data.TODAY_COMMUNES if s.code in TODAY_CODES])
    patch.setattr(feedback_demo, "DEMO_ITEMS", FEEDBACK_ITEMS)
    patch.setattr(surveys_demo, "EXTRA_COMMUNES", EXTRA_SURVEYED)
    real_units_load()
    demo_accounts_ensure(password=DEMO_PASSWORD)
    admin = User.objects.get(email="quan-tri@example.com")
    communes_demo_ensure(by=admin)
    democracy_demo_ensure(by=admin)
    participation_demo_ensure(by=admin, password=DEMO_PASSWORD)
    feedback_demo.feedback_demo_ensure(by=admin)
    feedback_monthly_refresh()
    surveys_demo.surveys_demo_ensure(by=admin)
    decision, certificate = _scoring(patch)
    dashboard_refresh(since=datetime.date(2023, 1, 1))
    return Scene(admin=admin, decision=decision, certificate=certificate)


def _scoring(patch: pytest.MonkeyPatch) -> tuple[Decision, Certificate]:
    """One commune of Bắc Giang recognised and its certificate sealed (a stand-in PDF and seal:
    what is tested here is the data about it, not the document), another provisional, a third still
    filling its self-assessment in (not public)."""
    legacy = Commune.objects.filter(valid_until__isnull=False).select_related("province")
    recognised, provisional = legacy.get(code=LEGACY_CODES[0]), legacy.get(code=LEGACY_CODES[1])
    province = recognised.province
    criteria_set = recognisable_set(province)
    result = final(recognised, criteria_set)
    advance(fill_self(open_assessment(provisional, criteria_set)), "provisional")
    open_assessment(legacy.get(code=DRAFT_CODE), criteria_set)
    decision = decision_approve(
        decision=draft(province, [result], user_with_role(Role.DOHA_STAFF, province)),
        by=user_with_role(Role.PROVINCIAL_LEADER, province),
    )
    certificates_plan(decision)
    patch.setattr(issuing, "render_pdf", lambda template, context: pdf_bytes("Giấy chứng nhận"))
    patch.setattr(issuing, "sign_pdf", lambda pdf, **kwargs: pdf)
    patch.setattr(issuing, "signer_info", lambda: SignerInfo("Cổng thử nghiệm", "ab" * 32, True))
    certificate = certificate_issue(decision.certificates.get(kind=Certificate.Kind.CERTIFICATE).pk)
    return decision, certificate
