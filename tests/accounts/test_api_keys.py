"""DoHA's page of its province's API keys, and what a key does on the API: it authenticates, each call is
logged with it, and once revoked it is refused."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from rest_framework.test import APIClient

from accounts import views
from accounts.api_keys import api_key_issue, api_key_revoke
from accounts.models import ApiCall, ApiKey, ApiScope, Role
from accounts.rules import MANAGE_API_KEYS
from tests.communes.factories import ProvinceFactory
from tests.portal.factories import user_with_role
from tests.portal.test_permissions import ROLES, make_user, places_build

pytestmark = pytest.mark.django_db

KEEPERS = {"doha_here", "doha_of_successor", "site_admin"}
# Expected status of a GET per (route, role): 200 allowed, 403 signed in but refused, 302 sent to sign in.
MATRIX = {
    name: {role: 302 if role == "anonymous" else 200 if role in KEEPERS else 403 for role in ROLES}
    for name in ("accounts:api_keys", "accounts:api_key_revoke", "accounts:api_key_calls")
}
STATISTICS = ApiScope.DOSSIER_STATISTICS.value
NOT_VALID = "This API key is not valid or has been revoked."


def keys_url(province) -> str:
    return reverse("accounts:api_keys", kwargs={"pk": province.pk})


def key_url(name: str, key) -> str:
    return reverse(name, kwargs={"pk": key.province_id, "key_pk": key.pk})


def issue(province, name: str = "Hệ thống một cửa", scopes=(STATISTICS,)) -> tuple[ApiKey, str]:
    return api_key_issue(province=province, name=name, scopes=list(scopes), by=None)


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def doha(client, province):
    user = user_with_role(Role.DOHA_STAFF, province, full_name="Lê Thị Hoa")
    client.force_login(user)
    return user


def form_of(response) -> dict:
    """The issue form's fields as displayed, with its submission token."""
    form = response.context["form"]
    return {"name": "", "scopes": [], "submission": form["submission"].value()}


# --- The key on the API ----------------------------------------------------------------------------


def test_a_key_authenticates_and_each_call_is_logged_with_it(province):
    key, raw = issue(province)
    other, _raw = issue(province, name="Cổng dịch vụ công")
    api = APIClient(HTTP_AUTHORIZATION=f"Api-Key {raw}")

    first = api.get("/api/v1/provinces/")
    missing = api.get("/api/v1/provinces/999999/")

    assert (first.status_code, missing.status_code) == (200, 404)
    calls = list(ApiCall.objects.filter(key=key).order_by("at", "pk").values_list("method", "path", "status"))
    assert calls == [("GET", "/api/v1/provinces/", 200), ("GET", "/api/v1/provinces/999999/", 404)]
    assert not ApiCall.objects.filter(key=other).exists()
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_revoked_key_gets_401_in_the_api_error_format_and_is_not_logged(province):
    key, raw = issue(province)
    api_key_revoke(key=key, by=None)

    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/provinces/", HTTP_AUTHORIZATION=f"Api-Key {raw}")

    assert response.status_code == 401
    assert response.json() == {"code": "not-authenticated", "message": NOT_VALID}
    assert response["WWW-Authenticate"] == "Api-Key"
    assert not ApiCall.objects.exists()


# --- Issuing -----------------------------------------------------------------------------------------


def test_doha_issues_a_key_whose_secret_is_shown_once_and_never_again(client, province, doha):
    form = form_of(client.get(keys_url(province)))

    issued = client.post(keys_url(province), form | {"name": " Hệ thống một cửa ", "scopes": [STATISTICS]})
    key = ApiKey.objects.get()
    secret = issued.context["secret"]
    listed = client.get(keys_url(province))
    calls = client.get(key_url("accounts:api_key_calls", key))

    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"]
    assert secret.startswith(f"cqtt_{key.prefix}_") and secret in issued.content.decode()
    assert _("Copy the key now: it is shown only this once.") in issued.content.decode()
    assert (key.name, key.scopes, key.issued_by, key.province) == ("Hệ thống một cửa", [STATISTICS], doha, province)
    assert secret not in key.secret_hash
    page = listed.content.decode()
    assert secret not in page and secret[len(f"cqtt_{key.prefix}_") :] not in page
    assert f"cqtt_{key.prefix}_" in page and "Hệ thống một cửa" in page and "Lê Thị Hoa" in page
    assert secret not in calls.content.decode()


def test_the_issue_form_sent_twice_issues_one_key_and_does_not_show_it_again(client, province, doha):
    form = form_of(client.get(keys_url(province))) | {"name": "Hệ thống một cửa", "scopes": [STATISTICS]}

    first = client.post(keys_url(province), form)
    again = client.post(keys_url(province), form, follow=True)

    assert ApiKey.objects.count() == 1
    assert again.redirect_chain == [(keys_url(province), 302)]
    assert first.context["secret"] not in again.content.decode()
    already_sent = _(
        "This form was already sent: the key was issued once. Its secret was shown then and is not shown again."
    )
    assert escape(already_sent) in again.content.decode()


def test_a_form_without_name_or_scope_issues_nothing_and_keeps_what_was_typed(client, province, doha):
    form = form_of(client.get(keys_url(province)))

    no_scope = client.post(keys_url(province), form | {"name": "Cổng dịch vụ công"})
    no_name = client.post(keys_url(province), form | {"name": "   ", "scopes": [STATISTICS]})
    bad_scope = client.post(keys_url(province), form | {"name": "Cổng", "scopes": ["everything"]})
    corrected = client.post(keys_url(province), form | {"name": "Cổng dịch vụ công", "scopes": [STATISTICS]})

    assert no_scope.status_code == no_name.status_code == bad_scope.status_code == 200
    assert 'value="Cổng dịch vụ công"' in no_scope.content.decode()
    assert no_scope.context["form"].errors["scopes"] == [_("Please choose what the key may do.")]
    assert no_name.context["form"].errors["name"] == [_("Please name the system that will use the key.")]
    assert re.search(r'value="dossier_statistics"[^>]* checked', no_name.content.decode())
    assert "scopes" in bad_scope.context["form"].errors
    # The refused sends did not use the displayed form up: the corrected one issues the key.
    assert "secret" in corrected.context and ApiKey.objects.count() == 1


# --- Revoking and the call log ----------------------------------------------------------------------


def test_doha_revokes_a_key_after_confirming_and_the_system_is_refused_at_once(client, province, doha):
    key, raw = issue(province)
    url = key_url("accounts:api_key_revoke", key)

    confirm = client.get(url)
    still_active = ApiKey.objects.get().is_active
    revoked = client.post(url, follow=True)
    refused = APIClient().get("/api/v1/provinces/", HTTP_AUTHORIZATION=f"Api-Key {raw}")

    assert confirm.status_code == 200 and still_active
    assert _("Yes, revoke") in confirm.content.decode()
    key.refresh_from_db()
    assert (key.is_active, key.revoked_by) == (False, doha)
    assert revoked.redirect_chain == [(keys_url(province), 302)]
    assert f"{url}" not in revoked.content.decode()  # a revoked key has no revoke button any more
    assert refused.status_code == 401


def test_a_key_of_another_province_is_not_found_through_ones_own_province(client, province, doha):
    foreign, _raw = issue(ProvinceFactory())
    for name in ("accounts:api_key_revoke", "accounts:api_key_calls"):
        url = reverse(name, kwargs={"pk": province.pk, "key_pk": foreign.pk})
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert ApiKey.objects.get(pk=foreign.pk).is_active


def test_doha_of_another_province_can_neither_issue_nor_revoke_here(client, province):
    key, _raw = issue(province)
    client.force_login(user_with_role(Role.DOHA_STAFF, ProvinceFactory()))

    issue_refused = client.post(keys_url(province), {"name": "Trộm", "scopes": [STATISTICS]})
    revoke_refused = client.post(key_url("accounts:api_key_revoke", key))

    assert issue_refused.status_code == revoke_refused.status_code == 403
    assert ApiKey.objects.count() == 1 and ApiKey.objects.get().is_active


def test_the_call_log_pages_newest_first_at_a_constant_cost(client, province, doha, django_assert_max_num_queries):
    key, _raw = issue(province)
    ApiCall.objects.create(key=key, method="GET", path="/api/v1/provinces/", status=200)
    costs = []
    for total in (1, 120):
        ApiCall.objects.bulk_create(
            ApiCall(key=key, method="POST", path=f"/api/v1/call/{n}/", status=201) for n in range(total - 1)
        )
        with django_assert_max_num_queries(12) as captured:
            response = client.get(key_url("accounts:api_key_calls", key))
        costs.append(len(captured))
    last = client.get(key_url("accounts:api_key_calls", key) + "?page=3")

    assert costs[0] == costs[1]
    page = response.context["page"]
    assert (page.paginator.count, len(page.object_list)) == (120, views.CALLS_PER_PAGE)
    assert [call.pk for call in page.object_list] == sorted((call.pk for call in page.object_list), reverse=True)
    assert list(last.context["page"].object_list)[-1].path == "/api/v1/provinces/"  # the first call, on the last page


def test_the_list_shows_active_keys_first_then_revoked_ones(client, province, doha):
    old, _raw = issue(province, name="Hệ thống cũ")
    api_key_revoke(key=old, by=doha)
    new, _raw = issue(province, name="Hệ thống mới")

    keys = list(client.get(keys_url(province)).context["keys"])

    assert keys == [new, old]
    assert old.revoked_at <= timezone.now()


def test_the_provinces_workspace_links_doha_to_its_keys(client, province, doha):
    workspace = reverse("portal:unit_workspace", kwargs={"kind": "province", "pk": province.pk})
    leader = Client()
    leader.force_login(user_with_role(Role.PROVINCIAL_LEADER, province))

    assert f'href="{keys_url(province)}"' in client.get(workspace).content.decode()
    assert keys_url(province) not in leader.get(workspace).content.decode()


# --- Permissions (one scene for every role; these tests come last) -------------------------------------


def test_every_api_keys_route_is_in_the_matrix_with_its_permission():
    routes = {
        f"accounts:{pattern.name}": pattern.callback
        for pattern in get_resolver("accounts.urls").url_patterns
        if isinstance(pattern, URLPattern)
    }
    assert set(routes) == set(MATRIX)
    assert all(view.permission_required == MANAGE_API_KEYS for view in routes.values())


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    # Built before the function-scoped fixtures, so before tests/conftest.py's fast password hashing.
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast_hashing:
        places = places_build()
        key, _raw = issue(places.province)
        clients = {}
        for role in ROLES:
            clients[role] = Client()
            user = make_user(role, places)
            if user is not None:
                clients[role].force_login(user)
        yield key, clients
        transaction.set_rollback(True)


def test_each_role_gets_what_the_rule_allows_on_the_key_pages(db, scene):
    key, clients = scene
    urls = {
        "accounts:api_keys": keys_url(key.province),
        "accounts:api_key_revoke": key_url("accounts:api_key_revoke", key),
        "accounts:api_key_calls": key_url("accounts:api_key_calls", key),
    }
    wrong = []
    for name, url in urls.items():
        for role in ROLES:
            response = clients[role].get(url)
            if response.status_code != MATRIX[name][role]:
                wrong.append(f"{name} {role}: {response.status_code}")
            elif response.status_code == 302 and "login" not in response["Location"]:
                wrong.append(f"{name} {role}: sent to {response['Location']}")
    assert wrong == []
