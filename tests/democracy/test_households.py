"""A village's list of households: import (all or nothing, idempotent), verifying representatives'
accounts (one account, one household), the count of the list against the village's, the pages."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Role
from democracy.models import Household
from democracy.services.errors import DemocracyError
from democracy.services.households import household_unlink, household_verify, households_import
from democracy.services.villages import ImportRefused
from tests.democracy.factories import HouseholdFactory, VillageFactory, village_with_households
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

HEADER = ["number", "head", "representative", "address"]


def xlsx_file(rows, *, header=HEADER) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("ho.xlsx", output.getvalue())


@pytest.fixture
def village():
    return VillageFactory(households=3)


@pytest.fixture
def head(village):
    return user_with_role(Role.VILLAGE_HEAD, village)


def test_import_adds_then_updates_the_same_households(village, head):
    rows = [[1, "Nguyễn Văn An", "", "Số 1"], ["2", "Trần Thị Bình", "Lê Văn Cường", ""]]
    report = households_import(village=village, file=xlsx_file(rows), by=head)
    assert (report.created, report.updated) == (2, 0)
    rows[0][1] = "Nguyễn Văn Anh"
    again = households_import(village=village, file=xlsx_file(rows), by=head)
    assert (again.created, again.updated) == (0, 2)
    assert list(Household.objects.filter(village=village).values_list("number", "head_name")) == [
        ("1", "Nguyễn Văn Anh"),
        ("2", "Trần Thị Bình"),
    ]


def test_import_with_a_bad_row_saves_nothing(village, head):
    rows = [[1, "An", "", ""], [1, "Bình", "", ""], [3, "", "", ""]]
    with pytest.raises(ImportRefused) as refused:
        households_import(village=village, file=xlsx_file(rows), by=head)
    assert {(error.row, error.column) for error in refused.value.errors} == {(3, "number"), (4, "head")}
    assert not Household.objects.filter(village=village).exists()


def test_verify_links_an_existing_account_once(village, head):
    first, second = HouseholdFactory(village=village), HouseholdFactory(village=village)
    resident = UserFactory(email="dan@example.com")
    household_verify(household=first, email="DAN@example.com", by=head)
    first.refresh_from_db()
    assert (first.representative_account, first.verified_by) == (resident, head)
    assert first.verified_at is not None
    with pytest.raises(DemocracyError) as taken:
        household_verify(household=second, email="dan@example.com", by=head)
    assert taken.value.field == "email"
    with pytest.raises(DemocracyError):
        household_verify(household=second, email="nobody@example.com", by=head)
    household_unlink(household=first, by=head)
    household_verify(household=second, email="dan@example.com", by=head)
    second.refresh_from_db()
    assert second.representative_account == resident


def test_list_page_warns_and_sets_the_count(client, django_assert_max_num_queries):
    village = VillageFactory(households=3)
    head = user_with_role(Role.VILLAGE_HEAD, village)
    for index in range(6):
        HouseholdFactory(village=village, representative_account=UserFactory() if index % 2 else None)
    client.force_login(head)
    url = reverse("democracy:manage_households", kwargs={"pk": village.pk})
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assertContains(response, 'value="sync"')  # the button that sets the count
    client.post(url, {"action": "sync"})
    village.refresh_from_db()
    assert village.households == 6
    assertNotContains(client.get(url), 'value="sync"')


def test_front_sees_the_list_but_cannot_change_it(client):
    village = village_with_households(2)
    front = user_with_role(Role.VILLAGE_FRONT, village)
    household = village.household_list.first()
    client.force_login(front)
    assert client.get(reverse("democracy:manage_households", kwargs={"pk": village.pk})).status_code == 200
    assert client.post(reverse("democracy:manage_households", kwargs={"pk": village.pk})).status_code == 403
    edit = reverse("democracy:manage_household_update", kwargs={"pk": village.pk, "household_pk": household.pk})
    assert client.get(edit).status_code == 403
    verify = reverse("democracy:manage_household_verify", kwargs={"pk": village.pk, "household_pk": household.pk})
    assert client.post(verify, {"email": "x@example.com"}).status_code == 403
    assert client.get(reverse("democracy:manage_households_import", kwargs={"pk": village.pk})).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("democracy:manage_households", kwargs={"pk": village.pk})).status_code == 403


def test_head_adds_edits_and_verifies_through_the_pages(client, village, head):
    client.force_login(head)
    create = reverse("democracy:manage_household_create", kwargs={"pk": village.pk})
    data = {"number": "7", "head_name": "Phạm Văn Dũng", "active": "on", "submission": "s1"}
    assert client.post(create, data).status_code == 302
    assert client.post(create, data).status_code == 302  # sent twice: added once
    household = Household.objects.get(village=village, number="7")
    assert Household.objects.filter(village=village).count() == 1
    # A number already used is refused with a message, nothing saved.
    response = client.post(create, {**data, "submission": "s2", "head_name": "Khác"})
    assert response.status_code == 200
    assert Household.objects.filter(village=village).count() == 1
    resident = UserFactory(email="dung@example.com")
    verify = reverse("democracy:manage_household_verify", kwargs={"pk": village.pk, "household_pk": household.pk})
    assert client.post(verify, {"action": "link", "email": "dung@example.com"}).status_code == 302
    household.refresh_from_db()
    assert household.representative_account == resident
    response = client.post(verify, {"action": "link", "email": "nobody@example.com"})
    assert response.status_code == 200
    importer = reverse("democracy:manage_households_import", kwargs={"pk": village.pk})
    assert client.post(importer, {"file": xlsx_file([[8, "Hoàng Văn Em", "", ""]])}).status_code == 302
    assert Household.objects.filter(village=village).count() == 2
