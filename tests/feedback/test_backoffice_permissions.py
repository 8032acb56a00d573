"""Every role against every staff page of feedback, and the personal data of an item.

The places are those of the portal's permission matrix: the item was sent to the pre-2025 commune,
whose officers, district reviewer and DoHA hold roles over it, as do those of today's ward and
province that took them over.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse

from feedback.models import Event, Feedback, Status
from feedback.rules import MANAGE_CATEGORIES, VIEW_FEEDBACK_PRIVATE, VIEW_OVERDUE, WORK_FEEDBACK
from feedback.views import backoffice
from tests.feedback.factories import CategoryFactory, submitted
from tests.feedback.test_backoffice import PHONE, image
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture

pytestmark = pytest.mark.django_db

WORKERS = {"officer_here", "officer_of_successor", "site_admin"}
READERS = WORKERS | {"reviewer_here", "doha_here", "doha_of_successor", "leader_here"}
STAFF = set(ROLES) - {"anonymous", "citizen"}
CATEGORY_KEEPERS = {"doha_here", "doha_of_successor", "site_admin"}


def expected(allowed: set[str], *, allowed_status: int = 200) -> dict[str, int]:
    """200 (or ``allowed_status``) for ``allowed``, 302 to sign in for anonymous, 403 for the rest."""
    return {role: 302 if role == "anonymous" else allowed_status if role in allowed else 403 for role in ROLES}


# Expected status of a GET per (route, role): 200 allowed, 403 signed in but refused, 302 sent to sign in.
# feedback:act only takes a POST: the roles allowed to act get 405 from a GET.
MATRIX = {
    "feedback:queue": expected(READERS),
    "feedback:queue_export": expected(READERS),
    "feedback:detail": expected(READERS),
    "feedback:act": expected(WORKERS, allowed_status=405),
    "feedback:overdue": expected(STAFF),
    "feedback:overdue_export": expected(STAFF),
    "feedback:categories": expected(CATEGORY_KEEPERS),
}
PERMISSIONS = {
    "feedback:queue": VIEW_FEEDBACK_PRIVATE,
    "feedback:queue_export": VIEW_FEEDBACK_PRIVATE,
    "feedback:detail": VIEW_FEEDBACK_PRIVATE,
    "feedback:act": WORK_FEEDBACK,
    "feedback:overdue": VIEW_OVERDUE,
    "feedback:overdue_export": VIEW_OVERDUE,
    "feedback:categories": MANAGE_CATEGORIES,
}


@pytest.fixture
def item(places) -> Feedback:  # noqa: F811 - the fixture imported above
    return submitted(
        commune=places.commune,
        category=CategoryFactory(province=places.province),
        photos=[image()],
        contact_name="Trần Thị Bích",
        contact_phone=PHONE,
        contact_email="bich@example.com",
    )


def url_for(name: str, places, item: Feedback) -> str:  # noqa: F811
    kwargs = {
        "feedback:queue": {"pk": places.commune.pk},
        "feedback:queue_export": {"pk": places.commune.pk},
        "feedback:detail": {"code": item.code},
        "feedback:act": {"code": item.code, "action": "accept"},
        "feedback:overdue": {},
        "feedback:overdue_export": {},
        "feedback:categories": {"pk": places.province.pk},
    }[name]
    return reverse(name, kwargs=kwargs)


def sign_in(client, role: str, places):  # noqa: F811
    user = make_user(role, places)
    if user is not None:
        client.force_login(user)
    return user


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer_from_feedback_staff_page(client, places, item, name, role):  # noqa: F811
    sign_in(client, role, places)

    response = client.get(url_for(name, places, item))

    assert response.status_code == MATRIX[name][role]
    if response.status_code == 302:
        assert "login" in response.headers["Location"]


def test_every_feedback_staff_route_is_in_the_matrix_with_its_permission():
    routes = {
        f"feedback:{pattern.name}": pattern.callback
        for pattern in get_resolver("feedback.urls").url_patterns
        if isinstance(pattern, URLPattern) and pattern.callback.__module__ == backoffice.__name__
    }
    assert set(routes) == set(MATRIX) == set(PERMISSIONS)
    assert all(set(statuses) == set(ROLES) for statuses in MATRIX.values())
    for name, view in routes.items():
        assert view.permission_required == PERMISSIONS[name], name


# --- Acting on an item --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_commune_s_officers_and_the_site_admin_can_accept_an_item(client, places, item, role):  # noqa: F811
    sign_in(client, role, places)

    response = client.post(reverse("feedback:act", kwargs={"code": item.code, "action": "accept"}))

    item.refresh_from_db()
    if role in WORKERS:
        assert response.status_code == 302
        assert response.headers["Location"] == reverse("feedback:detail", kwargs={"code": item.code})
        assert item.status == Status.ACCEPTED
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        if role == "anonymous":
            assert "login" in response.headers["Location"]
        assert item.status == Status.RECEIVED
        assert list(Event.objects.filter(feedback=item).values_list("kind", flat=True)) == [Event.Kind.SUBMITTED]


def test_an_unknown_action_is_not_found_and_a_get_is_not_allowed(client, places, item):  # noqa: F811
    sign_in(client, "officer_here", places)

    assert client.post(reverse("feedback:act", kwargs={"code": item.code, "action": "delete"})).status_code == 404
    assert client.get(reverse("feedback:act", kwargs={"code": item.code, "action": "resolve"})).status_code == 405
    assert client.post(reverse("feedback:act", kwargs={"code": "NOSUCH23", "action": "accept"})).status_code == 404


# --- Personal data ------------------------------------------------------------------------------


def test_officer_of_another_commune_never_sees_the_contact_details(client, places, item):  # noqa: F811
    sign_in(client, "officer_elsewhere", places)
    photo = item.photos.get()

    response = client.get(reverse("feedback:detail", kwargs={"code": item.code}))
    photo_response = client.get(reverse("feedback:detail", kwargs={"code": item.code}), {"photo": photo.pk})

    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    assert photo_response.status_code == 403


def test_officer_of_the_commune_sees_the_contact_details_and_the_photos(client, places, item):  # noqa: F811
    sign_in(client, "officer_here", places)
    photo = item.photos.get()

    response = client.get(reverse("feedback:detail", kwargs={"code": item.code}))
    photo_response = client.get(reverse("feedback:detail", kwargs={"code": item.code}), {"photo": photo.pk})

    page = response.content.decode()
    assert PHONE in page
    assert "bich@example.com" in page
    assert "Trần Thị Bích" in page
    assert photo_response.status_code == 200
    assert photo_response["Content-Type"] == "image/jpeg"
    assert "private" in photo_response["Cache-Control"]


@pytest.mark.parametrize("role", ["reviewer_here", "doha_here", "leader_here"])
def test_reviewers_follow_the_item_without_the_citizens_contact_details(client, places, item, role):  # noqa: F811
    sign_in(client, role, places)

    response = client.get(reverse("feedback:detail", kwargs={"code": item.code}))

    page = response.content.decode()
    assert response.status_code == 200
    assert item.shown_title in page
    assert PHONE not in page
    assert "bich@example.com" not in page
    assert "Trần Thị Bích" not in page


def test_a_photo_of_another_item_is_not_served_through_this_item(client, places, item):  # noqa: F811
    other = submitted(commune=places.other_commune, category=item.category, photos=[image()])
    sign_in(client, "officer_here", places)

    response = client.get(reverse("feedback:detail", kwargs={"code": item.code}), {"photo": other.photos.get().pk})

    assert response.status_code == 404


def test_reviewer_reads_the_item_but_gets_no_action_form(client, places, item):  # noqa: F811
    sign_in(client, "reviewer_here", places)

    response = client.get(reverse("feedback:detail", kwargs={"code": item.code}))

    assert response.status_code == 200
    assert response.context["actions"] == []
    assert reverse("feedback:act", kwargs={"code": item.code, "action": "accept"}) not in response.content.decode()


def test_the_officer_reads_whether_the_citizen_agreed_or_gave_no_personal_data_at_all(client, places, item):  # noqa: F811
    anonymous = submitted(
        commune=places.commune,
        category=item.category,
        contact_name="",
        contact_email="",
        consent=False,
        title="Cột điện nghiêng",
    )
    sign_in(client, "officer_here", places)

    given = client.get(reverse("feedback:detail", kwargs={"code": item.code})).content.decode()
    none = client.get(reverse("feedback:detail", kwargs={"code": anonymous.code})).content.decode()

    assert "Người dân đã đồng ý cho phép sử dụng các dữ liệu này" in given
    assert "Người dân không cung cấp dữ liệu cá nhân." in none
