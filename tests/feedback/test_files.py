"""Feedback photos: who sees which (feedback.rules.can_view_photo, for every role × hidden × accepted),
the pages and files that follow that rule, and the random private names they are stored under."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from feedback.models import Feedback, Photo, Status, photos_are_public
from feedback.rules import PhotoAccess, can_view_photo, photo_access
from feedback.selectors.staff import item_photos
from feedback.services import feedback_accept
from tests.feedback.factories import CategoryFactory, submitted
from tests.feedback.test_backoffice import image
from tests.portal.factories import UserFactory
from tests.portal.test_permissions import ROLES, make_user, places  # noqa: F401 - places is a fixture

pytestmark = pytest.mark.django_db

# Hidden photos: the commune's officers (today's ward's too) and DoHA (today's province's too), and the
# site admin, who may act as any commune's officer and so chooses what is hidden.
SEE_HIDDEN = {"officer_here", "officer_of_successor", "doha_here", "doha_of_successor", "site_admin"}
# The staff who follow the item see the photos not hidden before the public does.
FOLLOWERS = SEE_HIDDEN | {"reviewer_here", "leader_here"}
VIEWERS = [*ROLES, "submitter"]


def expected_view(role: str, *, hidden: bool, accepted: bool) -> bool:
    if role in SEE_HIDDEN:
        return True
    if hidden:
        return False
    return accepted or role in FOLLOWERS


@pytest.fixture
def item(places) -> Feedback:  # noqa: F811 - the fixture imported above
    return submitted(
        commune=places.commune, category=CategoryFactory(province=places.province), photos=[image(), image()]
    )


def viewer(role: str, places, item):  # noqa: F811
    """The user of ``role``; ``submitter`` is the citizen signed in as the item's sender."""
    if role == "submitter":
        user = UserFactory()
        Feedback.objects.filter(pk=item.pk).update(submitter=user)
        return user
    user = make_user(role, places)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return user


def set_up(item, *, hidden: bool, accepted: bool) -> Photo:
    photo = item.photos.first()
    Photo.objects.filter(pk=photo.pk).update(hidden=hidden)
    if accepted:
        feedback_accept(feedback=item, by=UserFactory())
    return Photo.objects.select_related("feedback__commune").get(pk=photo.pk)


@pytest.mark.parametrize("accepted", [False, True], ids=["received", "accepted"])
@pytest.mark.parametrize("hidden", [False, True], ids=["shown", "hidden"])
@pytest.mark.parametrize("role", VIEWERS)
def test_who_sees_a_photo(places, item, role, hidden, accepted):  # noqa: F811
    user = viewer(role, places, item)
    photo = set_up(item, hidden=hidden, accepted=accepted)

    assert can_view_photo(user, photo) is expected_view(role, hidden=hidden, accepted=accepted)


@pytest.mark.parametrize("status", Status.values)
def test_photos_are_public_only_once_an_officer_has_accepted_the_item(status):
    accepted = {Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED_UNRESOLVED}
    assert photos_are_public(status) is (status in accepted)


@pytest.mark.parametrize("role", ["leader_here", "reviewer_here", "doha_here", "officer_here", "anonymous"])
def test_the_item_s_photo_list_follows_the_rule_in_one_query(places, item, role):  # noqa: F811
    user = viewer(role, places, item)
    shown, hidden = item.photos.all()
    Photo.objects.filter(pk=hidden.pk).update(hidden=True)
    access = photo_access(user, item)

    with CaptureQueriesContext(connection) as queries:
        photos = item_photos(feedback=item, access=access)

    assert len(queries) <= 1
    expected = [p for p in (shown, hidden) if expected_view(role, hidden=p.pk == hidden.pk, accepted=False)]
    assert [p.pk for p in photos] == [p.pk for p in expected]
    assert access == (PhotoAccess.ALL if role in SEE_HIDDEN else PhotoAccess.SHOWN if role in FOLLOWERS else "none")


# --- The files served -------------------------------------------------------------------------------


def staff_photo_url(item, photo) -> str:
    return reverse("feedback:detail", kwargs={"code": item.code}) + f"?photo={photo.pk}"


@pytest.mark.parametrize(
    ("role", "status"), [("leader_here", 404), ("reviewer_here", 404), ("doha_here", 200), ("officer_here", 200)]
)
def test_a_hidden_photo_s_file_is_served_only_to_those_who_may_see_it(client, places, item, role, status):  # noqa: F811
    client.force_login(viewer(role, places, item))
    photo = set_up(item, hidden=True, accepted=True)

    staff = client.get(staff_photo_url(item, photo))
    public = client.get(reverse("feedback:photo", kwargs={"photo_pk": photo.pk}))

    assert staff.status_code == status
    assert public.status_code == status
    if status == 200:
        assert staff["Content-Type"] == public["Content-Type"] == "image/jpeg"
        assert "private" in staff["Cache-Control"] and "private" in public["Cache-Control"]
        assert b"".join(public.streaming_content)[:2] == b"\xff\xd8"


def test_the_staff_page_of_an_item_lists_no_hidden_photo_to_the_leader(client, places, item):  # noqa: F811
    shown, hidden = item.photos.all()
    Photo.objects.filter(pk=hidden.pk).update(hidden=True)

    client.force_login(viewer("leader_here", places, item))
    leader_page = client.get(reverse("feedback:detail", kwargs={"code": item.code}))
    client.force_login(viewer("doha_here", places, item))
    doha_page = client.get(reverse("feedback:detail", kwargs={"code": item.code}))

    assertContains(leader_page, f"?photo={shown.pk}")
    assertNotContains(leader_page, f"?photo={hidden.pk}")
    assertContains(doha_page, f"?photo={hidden.pk}")


def test_the_public_sees_the_photos_only_once_the_item_is_accepted(client, item):
    photo = item.photos.first()
    photo_url = reverse("feedback:photo", kwargs={"photo_pk": photo.pk})
    track_url = reverse("feedback:track", kwargs={"code": item.code})

    before_page, before_file = client.get(track_url), client.get(photo_url)
    feedback_accept(feedback=item, by=UserFactory())
    after_page, after_file = client.get(track_url), client.get(photo_url)

    assertNotContains(before_page, photo_url)
    assert before_file.status_code == 404
    assertContains(after_page, photo_url)
    assert after_file.status_code == 200
    assert "public" not in after_file["Cache-Control"]


# --- Names ------------------------------------------------------------------------------------------


def test_a_new_photo_gets_a_random_private_name(places):  # noqa: F811
    item = submitted(
        commune=places.commune,
        category=CategoryFactory(province=places.province),
        photos=[image("nha-toi.jpg"), image("nha-toi.jpg")],
    )

    names = [photo.image.name for photo in item.photos.all()]

    assert all(re.fullmatch(r"private/feedback/[0-9a-f]{32}\.jpg", name) for name in names), names
    assert names[0] != names[1]
    assert not any(item.code in name or "nha-toi" in name for name in names)


def test_the_migration_moves_a_photo_from_its_guessable_name(item):
    photo = item.photos.first()
    old = default_storage.save(f"feedback/{item.code}/anh.jpg", ContentFile(b"\xff\xd8old"))
    Photo.objects.filter(pk=photo.pk).update(image=old)
    migration = importlib.import_module("feedback.migrations.0004_photo_private_names")

    migration.move_to_private_names(apps, None)

    photo.refresh_from_db()
    assert re.fullmatch(r"private/feedback/[0-9a-f]{32}\.jpg", photo.image.name)
    assert not default_storage.exists(old)
    with default_storage.open(photo.image.name, "rb") as handle:
        assert handle.read() == b"\xff\xd8old"
