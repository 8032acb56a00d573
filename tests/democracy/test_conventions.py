"""Village conventions: drafts numbered one after another, adoption by a recognised matter of item 3,
recognition that supersedes the version in force; the pages and who may use them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from accounts.models import Role
from democracy.models import (
    Category,
    Convention,
    ConventionKind,
    ConventionVersion,
    Matter,
    MatterStatus,
    VersionStatus,
)
from democracy.services.conventions import convention_create, version_adopt, version_create, version_recognise
from democracy.services.errors import DemocracyError
from tests.democracy.factories import VillageFactory
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def village():
    return VillageFactory()


@pytest.fixture
def head(village):
    return user_with_role(Role.VILLAGE_HEAD, village)


@pytest.fixture
def officer(village):
    return user_with_role(Role.COMMUNE_OFFICER, village.commune)


def matter_of(village, by, *, category=Category.CONVENTION, status=MatterStatus.RECOGNISED) -> Matter:
    return Matter.objects.create(
        commune=village.commune,
        village=village,
        title="Hương ước sửa đổi",
        summary="…",
        category=category,
        form="meeting",
        proposer="village_head",
        status=status,
        created_by=by,
    )


def recognised(version, by, day):
    return version_recognise(version=version, authority="Chủ tịch UBND xã", number="12/QĐ", in_force_from=day, by=by)


def test_versions_are_numbered_and_recognition_supersedes_the_one_in_force(village, head, officer):
    convention = convention_create(village=village, kind=ConventionKind.HUONG_UOC, title="Hương ước", by=head)
    first = version_create(convention=convention, text="Điều 1.", by=head)
    second = version_create(convention=convention, text="Điều 1, sửa.", by=head)
    assert (first.number, second.number) == (1, 2)
    version_adopt(version=first, matter=None, by=head)
    recognised(first, officer, datetime.date(2024, 1, 1))
    version_adopt(version=second, matter=matter_of(village, head), by=head)
    recognised(second, officer, datetime.date(2025, 1, 1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (VersionStatus.SUPERSEDED, VersionStatus.IN_FORCE)
    assert second.recognition_number == "12/QĐ"
    # Every step is kept with who made it.
    assert [h.history_user for h in second.history.order_by("history_date")] == [head, head, officer]


def test_adoption_needs_a_recognised_convention_matter_of_the_same_village(village, head):
    convention = convention_create(village=village, kind=ConventionKind.QUY_UOC, title="Quy ước", by=head)
    version = version_create(convention=convention, text="…", by=head)
    for matter in (
        matter_of(village, head, category=Category.SELF_MANAGED),
        matter_of(village, head, status=MatterStatus.DECIDED),
        matter_of(VillageFactory(commune=village.commune), head),
    ):
        with pytest.raises(DemocracyError):
            version_adopt(version=version, matter=matter, by=head)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_only_an_adopted_version_is_recognised(village, head, officer):
    convention = convention_create(village=village, kind=ConventionKind.HUONG_UOC, title="Hương ước", by=head)
    version = version_create(convention=convention, text="…", by=head)
    with pytest.raises(DemocracyError):
        recognised(version, officer, datetime.date(2025, 1, 1))


def test_head_keeps_the_convention_and_the_officer_recognises_it_through_the_pages(client, village, head, officer):
    client.force_login(head)
    create = reverse("democracy:manage_convention_create", kwargs={"pk": village.pk})
    data = {"kind": "huong_uoc", "title": "Hương ước thôn", "submission": "c1"}
    assert client.post(create, data).status_code == 302
    assert client.post(create, data).status_code == 302
    convention = Convention.objects.get(village=village)
    add = reverse("democracy:manage_convention_version_create", kwargs={"pk": convention.pk})
    assert client.post(add, {"text": "Điều 1.", "submission": "v1"}).status_code == 302
    version = ConventionVersion.objects.get(convention=convention)
    adopt = reverse("democracy:manage_convention_adopt", kwargs={"pk": version.pk})
    assert client.post(adopt, {f"v{version.pk}-matter": ""}).status_code == 302
    recognise = reverse("democracy:manage_convention_recognise", kwargs={"pk": version.pk})
    assert client.post(recognise, {}).status_code == 403  # the head does not recognise
    client.force_login(officer)
    response = client.post(
        recognise,
        {
            f"v{version.pk}-authority": "Chủ tịch UBND xã",
            f"v{version.pk}-number": "5/QĐ",
            f"v{version.pk}-in_force_from": "2025-02-01",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_FORCE
    page = client.get(reverse("democracy:manage_convention", kwargs={"pk": convention.pk}))
    assertContains(page, "5/QĐ")


def test_convention_pages_refuse_other_roles(client, village, head):
    convention = convention_create(village=village, kind=ConventionKind.HUONG_UOC, title="Hương ước", by=head)
    version = version_create(convention=convention, text="…", by=head)
    front = user_with_role(Role.VILLAGE_FRONT, village)
    client.force_login(front)
    assert client.get(reverse("democracy:manage_convention", kwargs={"pk": convention.pk})).status_code == 200
    assert client.get(reverse("democracy:manage_convention_create", kwargs={"pk": village.pk})).status_code == 403
    add = reverse("democracy:manage_convention_version_create", kwargs={"pk": convention.pk})
    assert client.get(add).status_code == 403
    assert client.post(reverse("democracy:manage_convention_adopt", kwargs={"pk": version.pk})).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("democracy:manage_convention", kwargs={"pk": convention.pk})).status_code == 403
