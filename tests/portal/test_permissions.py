"""Every role against every protected view: the permission matrix.

Places: a pre-2025 province with two districts, one commune in each; today's province and ward that
took them over; and an unrelated province. A role over today's unit covers the units it replaced.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.communes.factories import LEGACY_UNTIL, CommuneFactory, DistrictFactory, ProvinceFactory
from tests.portal.factories import UserFactory, user_with_role

ROLES = [
    "anonymous",
    "citizen",
    "officer_here",
    "officer_elsewhere",
    "officer_of_successor",
    "reviewer_here",
    "reviewer_elsewhere",
    "doha_here",
    "doha_of_successor",
    "doha_elsewhere",
    "leader_here",
    "leader_elsewhere",
    "site_admin",
]


@dataclass
class Places:
    province: object
    district: object
    commune: object
    other_district: object
    other_commune: object
    new_province: object
    new_commune: object
    elsewhere: object


@pytest.fixture
def places(db) -> Places:
    return places_build()


def places_build() -> Places:
    province = ProvinceFactory(valid_until=LEGACY_UNTIL)
    district = DistrictFactory(province=province)
    other_district = DistrictFactory(province=province)
    commune = CommuneFactory(legacy=True, district=district, province=province)
    other_commune = CommuneFactory(legacy=True, district=other_district, province=province)
    new_province = ProvinceFactory()
    new_province.predecessors.add(province)
    new_commune = CommuneFactory(province=new_province)
    new_commune.predecessors.add(commune)
    elsewhere = ProvinceFactory()
    return Places(province, district, commune, other_district, other_commune, new_province, new_commune, elsewhere)


def make_user(role: str, p: Places):
    return {
        "anonymous": lambda: None,
        "citizen": lambda: UserFactory(),
        "officer_here": lambda: user_with_role(Role.COMMUNE_OFFICER, p.commune),
        "officer_elsewhere": lambda: user_with_role(Role.COMMUNE_OFFICER, p.other_commune),
        "officer_of_successor": lambda: user_with_role(Role.COMMUNE_OFFICER, p.new_commune),
        "reviewer_here": lambda: user_with_role(Role.DISTRICT_REVIEWER, p.district),
        "reviewer_elsewhere": lambda: user_with_role(Role.DISTRICT_REVIEWER, p.other_district),
        "doha_here": lambda: user_with_role(Role.DOHA_STAFF, p.province),
        "doha_of_successor": lambda: user_with_role(Role.DOHA_STAFF, p.new_province),
        "doha_elsewhere": lambda: user_with_role(Role.DOHA_STAFF, p.elsewhere),
        "leader_here": lambda: user_with_role(Role.PROVINCIAL_LEADER, p.province),
        "leader_elsewhere": lambda: user_with_role(Role.PROVINCIAL_LEADER, p.elsewhere),
        "site_admin": lambda: UserFactory(is_superuser=True),
    }[role]()


# Expected status per (view, role): 200 allowed, 403 signed in but refused, 302 sent to sign in.
STAFF = {r: 200 for r in ROLES if r not in ("anonymous", "citizen")}
MATRIX = {
    "portal:workspace": {"anonymous": 302, "citizen": 403, **STAFF},
    "portal:unit_workspace[commune]": {
        "anonymous": 302,
        "citizen": 403,
        "officer_here": 200,
        "officer_elsewhere": 403,
        "officer_of_successor": 200,
        "reviewer_here": 200,
        "reviewer_elsewhere": 403,
        "doha_here": 200,
        "doha_of_successor": 200,
        "doha_elsewhere": 403,
        "leader_here": 200,
        "leader_elsewhere": 403,
        "site_admin": 200,
    },
    "portal:unit_workspace[district]": {
        "anonymous": 302,
        "citizen": 403,
        "officer_here": 403,
        "officer_elsewhere": 403,
        "officer_of_successor": 403,
        "reviewer_here": 200,
        "reviewer_elsewhere": 403,
        "doha_here": 200,
        "doha_of_successor": 200,
        "doha_elsewhere": 403,
        "leader_here": 200,
        "leader_elsewhere": 403,
        "site_admin": 200,
    },
    "portal:unit_workspace[province]": {
        "anonymous": 302,
        "citizen": 403,
        "officer_here": 403,
        "officer_elsewhere": 403,
        "officer_of_successor": 403,
        "reviewer_here": 403,
        "reviewer_elsewhere": 403,
        "doha_here": 200,
        "doha_of_successor": 200,
        "doha_elsewhere": 403,
        "leader_here": 200,
        "leader_elsewhere": 403,
        "site_admin": 200,
    },
    # A signed-in person's own feedback (feedback.views.mine): every account has one, its own only.
    "feedback:mine": {**dict.fromkeys(ROLES, 200), "anonymous": 302},
    # Django's admin sends everyone but the site administrator to its own sign-in page.
    "admin:index": {**dict.fromkeys(ROLES, 302), "site_admin": 200},
}


def url_for(view: str, p: Places) -> str:
    if view.startswith("portal:unit_workspace"):
        kind = view.split("[")[1].rstrip("]")
        return reverse("portal:unit_workspace", kwargs={"kind": kind, "pk": getattr(p, kind).pk})
    return reverse(view)


@pytest.mark.parametrize("view", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer_from_protected_view(client, places, view, role):
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)
    response = client.get(url_for(view, places))
    assert response.status_code == MATRIX[view][role]
    if response.status_code == 302:
        assert "login" in response.headers["Location"]
