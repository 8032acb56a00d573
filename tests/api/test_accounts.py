"""The account endpoint for apps (/api/v1/me/) and the apps' sign-in through django-allauth's headless
API: the same accounts and the same rate limits as the site."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.api_keys import api_key_issue
from accounts.models import ApiScope, Role
from accounts.services import role_assign
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.democracy.factories import VillageFactory
from tests.portal.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

LOGIN = "/_allauth/app/v1/auth/login"
SESSION = "/_allauth/app/v1/auth/session"
ME = "/api/v1/me/"


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(LOGIN, {"email": email, "password": password}, format="json")


def test_an_app_signs_in_reads_the_account_with_its_token_and_signs_out():
    commune = CommuneFactory()
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, full_name="Nguyễn Văn An")
    app = APIClient(HTTP_ACCEPT_LANGUAGE="en")

    signed_in = sign_in(app, officer.email.upper())
    token = signed_in.json()["meta"]["session_token"]
    me = app.get(ME, HTTP_X_SESSION_TOKEN=token)
    signed_out = app.delete(SESSION, HTTP_X_SESSION_TOKEN=token)
    after = app.get(ME, HTTP_X_SESSION_TOKEN=token)

    assert signed_in.status_code == 200
    assert me.status_code == 200
    body = me.json()
    assert (body["email"], body["display_name"], body["language"]) == (officer.email, "Nguyễn Văn An", "en")
    assert body["is_site_admin"] is False
    [role] = body["roles"]
    assert role["role"] == Role.COMMUNE_OFFICER and role["role_label"] == "commune officer"
    assert role["place"] == {"id": commune.pk, "kind": "commune", "official_name": str(commune)}
    assert role["workspace_url"] == f"{settings.SITE_URL.rstrip('/')}/en/workspace/commune/{commune.pk}/"
    assert body["workspace_url"].endswith("/en/workspace/")
    assert signed_out.status_code == 401  # allauth's answer to a logout: no longer authenticated
    assert after.status_code == 401 and after.json()["code"] == "not-authenticated"


def test_a_wrong_password_is_refused_and_failures_are_limited_as_on_the_site():
    citizen = UserFactory()
    app = APIClient()

    wrong = [sign_in(app, citizen.email, "not-the-password") for _attempt in range(5)]
    # allauth's "login_failed" limit (5 failures per account in 5 minutes): the right password no longer
    # helps, whichever door (the site's form or the app's API) the failures came through.
    blocked = sign_in(app, citizen.email)
    site = app.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD}, format="multipart")

    assert [response.status_code for response in wrong] == [400] * 5
    assert wrong[0].json()["errors"][0]["param"] == "password"
    assert blocked.status_code == 400, blocked.json()
    assert [error["code"] for error in blocked.json()["errors"]] == ["too_many_login_attempts"]
    assert site.status_code in {200, 429} and "_auth_user_id" not in app.session


def test_a_citizen_has_no_role_and_no_workspace_but_their_own_feedback():
    citizen = UserFactory(full_name="")
    app = APIClient()
    app.force_login(citizen)

    body = app.get(ME).json()

    assert body["display_name"] == citizen.email and body["language"] == "vi"
    assert body["roles"] == [] and body["workspace_url"] is None
    assert body["my_feedback_url"].endswith("/my/feedback/")


def test_a_visitor_must_sign_in_and_a_system_key_is_not_an_account():
    _key, raw = api_key_issue(province=ProvinceFactory(), name="Một cửa", scopes=ApiScope.values, by=None)
    visitor = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(ME)
    system = APIClient().get(ME, HTTP_AUTHORIZATION=f"Api-Key {raw}")

    # A key is known but is no account: refused (403), where the visitor is asked to sign in (401).
    assert (visitor.status_code, system.status_code) == (401, 403)
    assert visitor.json() == {
        "code": "not-authenticated",
        "message": "Please sign in, or send a valid token or API key.",
    }


def roles_of(user, *assignments) -> object:
    for role, place in assignments:
        role_assign(user=user, role=role, place=place)
    return user


def test_the_account_costs_the_same_queries_for_one_role_of_each_kind_and_for_many(
    django_assert_max_num_queries,
):
    province = ProvinceFactory()
    district = DistrictFactory(province=province)
    communes = [CommuneFactory(province=province, district=district) for _n in range(4)]
    villages = [VillageFactory(commune=communes[0]) for _n in range(3)]
    kinds = [Role.COMMUNE_OFFICER, Role.DISTRICT_REVIEWER, Role.DOHA_STAFF, Role.PROVINCIAL_LEADER]
    one = roles_of(UserFactory(), *zip(kinds, [communes[0], district, province, province], strict=True))
    one = roles_of(one, (Role.VILLAGE_HEAD, villages[0]))
    many = roles_of(UserFactory(), (Role.DISTRICT_REVIEWER, district), (Role.DOHA_STAFF, province))
    many = roles_of(many, (Role.PROVINCIAL_LEADER, ProvinceFactory()), (Role.PROVINCIAL_LEADER, province))
    many = roles_of(many, *[(Role.COMMUNE_OFFICER, c) for c in communes], *[(Role.VILLAGE_HEAD, v) for v in villages])
    answers = {}
    for user in (one, many):
        app = APIClient()
        app.force_login(user)
        with django_assert_max_num_queries(9) as captured:
            answers[user.pk] = app.get(ME).json()
        answers[user.pk]["queries"] = len(captured)

    assert [len(answers[user.pk]["roles"]) for user in (one, many)] == [5, 11]
    assert answers[one.pk]["queries"] == answers[many.pk]["queries"]
    kinds = {role["place"]["kind"] for role in answers[one.pk]["roles"]}
    assert kinds == {"province", "district", "commune", "village"}
