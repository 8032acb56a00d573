"""Every role against every staff page of surveys, and the raw responses no commune may read.

The places are those of the portal's permission matrix: the campaign belongs to the pre-2025 province
and covers its two communes; the kiosk and the batch of codes belong to the pre-2025 commune. DoHA and
the officers of today's province and ward that took them over hold their roles over them too.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from surveys.models import Campaign, Response
from surveys.rules import ISSUE_CODES, MANAGE_CAMPAIGNS, MANAGE_KIOSKS, REVIEW_RESPONSES, VIEW_RESPONSES, VIEW_RESULTS
from surveys.services import response_by_code, response_by_kiosk
from surveys.views import backoffice, kiosk, officers
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture
from tests.surveys.factories import answers, code_batch, codes, open_campaign, straight_answers
from tests.surveys.factories import kiosk as make_kiosk

pytestmark = pytest.mark.django_db

DOHA = {"doha_here", "doha_of_successor", "site_admin"}
OFFICERS = {"officer_here", "officer_of_successor", "site_admin"}
WORKS_ON = OFFICERS | {"reviewer_here", "doha_here", "doha_of_successor", "leader_here"}
COMMENT = "Chị Lan ở thôn Đông, số 0912 345 678, làm rất nhanh"


def expected(allowed: set[str], *, allowed_status: int = 200) -> dict[str, int]:
    """200 (or ``allowed_status``) for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else allowed_status if role in allowed else 403 for role in ROLES}


# Expected status of a GET per (route, role): 200 allowed, 403 signed in but refused, 302 sent to sign in.
# campaign_act and kiosk_retire only take a POST: the roles allowed to act get 405 from a GET.
MATRIX = {
    "surveys:campaigns": expected(DOHA),
    "surveys:campaign": expected(DOHA),
    "surveys:campaign_act": expected(DOHA, allowed_status=405),
    "surveys:review": expected(DOHA),
    "surveys:comments": expected(DOHA),
    "surveys:export": expected(DOHA),
    "surveys:commune_surveys": expected(WORKS_ON),
    "surveys:codes_print": expected(OFFICERS),
    "surveys:kiosk_retire": expected(OFFICERS, allowed_status=405),
    "surveys:kiosk": expected(OFFICERS),
}
PERMISSIONS = {
    "surveys:campaigns": MANAGE_CAMPAIGNS,
    "surveys:campaign": MANAGE_CAMPAIGNS,
    "surveys:campaign_act": MANAGE_CAMPAIGNS,
    "surveys:review": REVIEW_RESPONSES,
    "surveys:comments": VIEW_RESPONSES,
    "surveys:export": VIEW_RESPONSES,
    "surveys:commune_surveys": VIEW_RESULTS,
    "surveys:codes_print": ISSUE_CODES,
    "surveys:kiosk_retire": MANAGE_KIOSKS,
    "surveys:kiosk": MANAGE_KIOSKS,
}
# Citizens' pages: no sign-in, the same answer for everyone.
PUBLIC = ["surveys:code_entry", "surveys:commune_survey"]


@pytest.fixture
def survey(places):  # noqa: F811 - the fixture imported above
    """An open campaign of the pre-2025 province over both its communes, with a flagged response
    carrying a comment, a kiosk and a batch of codes of the pre-2025 commune."""
    campaign = open_campaign(places.commune, communes=[places.other_commune])
    batch = code_batch(campaign, places.commune, 3)
    tablet = make_kiosk(places.commune)
    flagged = response_by_code(code=codes(batch)[0], raw=straight_answers() | {"OPEN": COMMENT})
    response_by_kiosk(kiosk=tablet, campaign=campaign, client_id="8d1c0a4e-2b1f-4d39-9c53-3f0f3f3d6a10", raw=answers())
    return {"campaign": campaign, "batch": batch, "kiosk": tablet, "flagged": flagged}


def url_for(name: str, places, survey) -> str:  # noqa: F811
    campaign = survey["campaign"].pk
    kwargs = {
        "surveys:campaigns": {"pk": places.province.pk},
        "surveys:campaign": {"pk": campaign},
        "surveys:campaign_act": {"pk": campaign, "action": "open"},
        "surveys:review": {"pk": campaign},
        "surveys:comments": {"pk": campaign},
        "surveys:export": {"pk": campaign, "what": "responses", "fmt": "csv"},
        "surveys:commune_surveys": {"pk": places.commune.pk},
        "surveys:codes_print": {"pk": survey["batch"].pk},
        "surveys:kiosk_retire": {"pk": survey["kiosk"].pk},
        "surveys:kiosk": {"pk": survey["kiosk"].pk},
        "surveys:code_entry": {},
        "surveys:commune_survey": {"pk": places.commune.pk},
    }[name]
    return reverse(name, kwargs=kwargs)


def sign_in(client, role: str, places):  # noqa: F811
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)
    return user


@pytest.mark.parametrize("name", list(MATRIX))
def test_role_gets_expected_answer_from_survey_staff_page(places, survey, name):  # noqa: F811
    """Every role on one route, against one scene (building it is the slow part)."""
    address = url_for(name, places, survey)
    answers = {}
    for role in ROLES:
        client = Client()
        sign_in(client, role, places)
        response = client.get(address)
        answers[role] = response.status_code
        if response.status_code == 302:
            assert "login" in response.headers["Location"], role

    assert answers == MATRIX[name]


@pytest.mark.parametrize("name", PUBLIC)
def test_everyone_reaches_the_citizens_survey_pages(places, survey, name):  # noqa: F811
    address = url_for(name, places, survey)
    answers = {}
    for role in ROLES:
        client = Client()
        sign_in(client, role, places)
        answers[role] = client.get(address).status_code

    assert answers == dict.fromkeys(ROLES, 200)


def test_every_survey_staff_route_is_in_the_matrix_with_its_permission():
    staff_modules = {backoffice.__name__, kiosk.__name__, officers.__name__}
    routes = {
        f"surveys:{pattern.name}": pattern.callback
        for pattern in get_resolver("surveys.urls").url_patterns
        if isinstance(pattern, URLPattern) and hasattr(pattern.callback, "permission_required")
    }
    backoffice_routes = {
        f"surveys:{pattern.name}"
        for pattern in get_resolver("surveys.urls").url_patterns
        if isinstance(pattern, URLPattern) and pattern.callback.__module__ in (backoffice.__name__, officers.__name__)
    }
    assert all(view.__module__ in staff_modules for view in routes.values())
    assert backoffice_routes <= set(routes)  # no staff page goes unprotected
    assert set(routes) == set(MATRIX) == set(PERMISSIONS)
    assert all(set(statuses) == set(ROLES) for statuses in MATRIX.values())
    for name, view in routes.items():
        assert view.permission_required == PERMISSIONS[name], name


def test_doha_of_today_s_province_runs_the_campaigns_of_the_province_it_replaced(client, places, survey):  # noqa: F811
    sign_in(client, "doha_of_successor", places)

    listing = client.get(reverse("surveys:campaigns", kwargs={"pk": places.province.pk}))
    closing = client.post(reverse("surveys:campaign_act", kwargs={"pk": survey["campaign"].pk, "action": "close"}))

    assert listing.status_code == 200
    assert survey["campaign"].name in listing.content.decode()
    assert closing.status_code == 302
    survey["campaign"].refresh_from_db()
    assert survey["campaign"].status == Campaign.Status.CLOSED


# --- What a commune never gets ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer_here", "officer_of_successor", "reviewer_here"])
def test_commune_officer_cannot_open_the_kiosk_of_another_commune(client, places, survey, role):  # noqa: F811
    tablet = make_kiosk(places.other_commune)  # officer_elsewhere's commune
    sign_in(client, role, places)

    response = client.get(reverse("surveys:kiosk", kwargs={"pk": tablet.pk}))
    own = client.get(reverse("surveys:kiosk", kwargs={"pk": survey["kiosk"].pk}))

    assert response.status_code == 403
    assert tablet.token not in response.content.decode()
    assert own.status_code == (403 if role == "reviewer_here" else 200)


@pytest.mark.parametrize("role", ["officer_here", "officer_of_successor", "reviewer_here", "leader_here"])
@pytest.mark.parametrize("name", ["surveys:review", "surveys:comments", "surveys:export"])
def test_commune_and_district_never_see_raw_responses(client, places, survey, role, name):  # noqa: F811
    sign_in(client, role, places)

    response = client.get(url_for(name, places, survey))

    assert response.status_code == 403
    assert COMMENT not in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("what", ["responses", "statistics"])
def test_officer_gets_no_export_in_any_format(client, places, survey, what, fmt):  # noqa: F811
    sign_in(client, "officer_here", places)

    url = reverse("surveys:export", kwargs={"pk": survey["campaign"].pk, "what": what, "fmt": fmt})

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["officer_here", "reviewer_here", "leader_here", "doha_elsewhere"])
def test_only_doha_excludes_responses(client, places, survey, role):  # noqa: F811
    sign_in(client, role, places)
    flagged = survey["flagged"]

    response = client.post(
        reverse("surveys:review", kwargs={"pk": survey["campaign"].pk}),
        {"action": "exclude", "ids": [flagged.pk], "reason": "Trả lời giống hệt nhau"},
    )

    assert response.status_code == 403
    flagged.refresh_from_db()
    assert not flagged.excluded
    assert flagged.exclusion_reason == ""


@pytest.mark.parametrize("role", ["officer_here", "reviewer_here", "leader_here"])
def test_only_doha_redacts_comments(client, places, survey, role):  # noqa: F811
    sign_in(client, role, places)
    flagged = survey["flagged"]

    response = client.post(
        reverse("surveys:comments", kwargs={"pk": survey["campaign"].pk}),
        {"response": flagged.pk, "text": "Cán bộ làm rất nhanh"},
    )

    assert response.status_code == 403
    flagged.refresh_from_db()
    assert not flagged.comment_reviewed


def test_reviewer_reads_the_commune_s_results_without_the_officers_forms(client, places, survey):  # noqa: F811
    sign_in(client, "reviewer_here", places)

    response = client.get(reverse("surveys:commune_surveys", kwargs={"pk": places.commune.pk}))

    page = response.content.decode()
    assert response.status_code == 200
    assert survey["campaign"].name in page
    assert 'name="action" value="codes"' not in page
    assert 'name="action" value="kiosk"' not in page
    assert reverse("surveys:kiosk", kwargs={"pk": survey["kiosk"].pk}) not in page
    assert COMMENT not in page


@pytest.mark.parametrize("role", ["reviewer_here", "doha_here", "leader_here"])
@pytest.mark.parametrize("action", ["codes", "kiosk"])
def test_only_the_commune_s_officers_print_codes_and_register_kiosks(client, places, survey, role, action):  # noqa: F811
    sign_in(client, role, places)
    batches, kiosks = survey["batch"].__class__.objects.count(), survey["kiosk"].__class__.objects.count()

    response = client.post(
        reverse("surveys:commune_surveys", kwargs={"pk": places.commune.pk}),
        {"action": action, "day": survey["batch"].issued_on.isoformat(), "size": 5, "name": "Bàn 2"},
    )

    assert response.status_code == 403
    assert survey["batch"].__class__.objects.count() == batches
    assert survey["kiosk"].__class__.objects.count() == kiosks


@pytest.mark.parametrize("role", ["officer_elsewhere", "reviewer_here", "doha_here"])
def test_only_the_commune_s_officers_retire_its_kiosk(client, places, survey, role):  # noqa: F811
    sign_in(client, role, places)

    response = client.post(reverse("surveys:kiosk_retire", kwargs={"pk": survey["kiosk"].pk}))

    assert response.status_code == 403
    survey["kiosk"].refresh_from_db()
    assert survey["kiosk"].active


@pytest.mark.parametrize("role", ["leader_here", "reviewer_here", "officer_here", "doha_elsewhere"])
def test_only_doha_opens_and_closes_campaigns(client, places, survey, role):  # noqa: F811
    sign_in(client, role, places)

    response = client.post(reverse("surveys:campaign_act", kwargs={"pk": survey["campaign"].pk, "action": "close"}))

    assert response.status_code == 403
    survey["campaign"].refresh_from_db()
    assert survey["campaign"].status == Campaign.Status.OPEN


def test_unknown_objects_are_not_found(client, places, survey):  # noqa: F811
    sign_in(client, "site_admin", places)
    campaign = survey["campaign"].pk
    missing = [
        reverse("surveys:campaigns", kwargs={"pk": 999999}),
        reverse("surveys:campaign", kwargs={"pk": 999999}),
        reverse("surveys:review", kwargs={"pk": 999999}),
        reverse("surveys:comments", kwargs={"pk": 999999}),
        reverse("surveys:commune_surveys", kwargs={"pk": 999999}),
        reverse("surveys:codes_print", kwargs={"pk": 999999}),
        reverse("surveys:export", kwargs={"pk": campaign, "what": "comments", "fmt": "csv"}),
        reverse("surveys:export", kwargs={"pk": campaign, "what": "responses", "fmt": "pdf"}),
    ]

    assert [client.get(url).status_code for url in missing] == [404] * len(missing)
    assert client.post(reverse("surveys:campaign_act", kwargs={"pk": campaign, "action": "delete"})).status_code == 404
    assert client.post(reverse("surveys:kiosk_retire", kwargs={"pk": 999999})).status_code == 404
    assert Response.objects.filter(campaign=campaign).count() == 2
