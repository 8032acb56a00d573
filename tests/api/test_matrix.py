"""Every role against every route of the API (tests/api/matrix/): one scene for the module, each
route's requests in a savepoint rolled back after them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts.api_keys import api_key_issue
from accounts.models import ApiScope, Role
from tests.api.matrix import ROLES, accounts, communes, democracy, feedback, scoring, surveys
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.portal.factories import UserFactory, user_with_role

FEATURES = [communes, feedback, surveys, scoring, democracy, accounts]
ROUTES = {route.name: route for feature in FEATURES for route in feature.ROUTES}
METHODS = ("get", "post", "patch")


@dataclass
class Places:
    province: object
    district: object
    commune: object
    province_elsewhere: object
    commune_elsewhere: object
    users: dict  # by role; None for the anonymous visitor and the systems
    keys: dict  # the systems' raw keys, by role
    objects: dict  # the feature modules' records, by name


def api_routes(resolver=None, prefix: str = "") -> list[str]:
    """The names of every route under /api/v1/ ("api:communes:commune-list")."""
    if resolver is None:
        resolver = next(
            pattern for pattern in get_resolver().url_patterns if getattr(pattern, "namespace", None) == "api"
        )
        prefix = "api:"
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            names += api_routes(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(prefix + pattern.name)
    return names


def places_build() -> Places:
    province = ProvinceFactory()
    district = DistrictFactory(province=province)
    commune = CommuneFactory(province=province, district=district)
    province_elsewhere = ProvinceFactory()
    commune_elsewhere = CommuneFactory(province=province_elsewhere)
    users = {
        "anonymous": None,
        "citizen": UserFactory(),
        "officer_here": user_with_role(Role.COMMUNE_OFFICER, commune),
        "officer_elsewhere": user_with_role(Role.COMMUNE_OFFICER, commune_elsewhere),
        "reviewer_here": user_with_role(Role.DISTRICT_REVIEWER, district),
        "doha_here": user_with_role(Role.DOHA_STAFF, province),
        "doha_elsewhere": user_with_role(Role.DOHA_STAFF, province_elsewhere),
        "leader_here": user_with_role(Role.PROVINCIAL_LEADER, province),
        "commune_front_here": user_with_role(Role.COMMUNE_FRONT, commune),
        "site_admin": UserFactory(is_superuser=True),
        "system_here": None,
        "system_elsewhere": None,
    }
    keys = {
        role: api_key_issue(province=place, name="Hệ thống một cửa", scopes=ApiScope.values, by=None)[1]
        for role, place in (("system_here", province), ("system_elsewhere", province_elsewhere))
    }
    places = Places(province, district, commune, province_elsewhere, commune_elsewhere, users, keys, {})
    for feature in FEATURES:
        places.objects.update(feature.build(places))
    return places


def client_for(role: str, places: Places) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if role in places.keys:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {places.keys[role]}")
    elif places.users[role] is not None:
        client.force_login(places.users[role])
    return client


def test_every_api_route_is_in_the_matrix():
    assert set(api_routes()) == set(ROUTES), "describe each route in tests/api/matrix/<app>.py"


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at its end (this test comes last in the
    file: the transaction stays open until the module ends)."""
    with django_db_blocker.unblock(), transaction.atomic():
        places = places_build()
        yield places, {role: client_for(role, places) for role in ROLES}
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_role_gets_what_the_rules_allow(db, scene, name):
    places, clients = scene
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(places)) + (f"?{route.query}" if route.query else "")
    wrong = []
    for method in METHODS:
        allowed = route.roles_for(method)
        if allowed is None:
            continue
        for role in ROLES:
            with transaction.atomic():
                if method == "get":
                    response = clients[role].get(url)
                else:
                    body = route.body(places)
                    send = getattr(clients[role], method)
                    response = send(url, body, format="multipart" if route.multipart else "json")
                transaction.set_rollback(True)
            refused = response.status_code in {401, 403, 404}
            if response.status_code >= 500 or refused == (role in allowed):
                wrong.append(f"{method.upper()} {role}: {response.status_code}")
    assert not wrong, f"{url}: {wrong}"
