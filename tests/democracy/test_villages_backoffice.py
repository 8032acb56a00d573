"""The commune's villages in the back office: typing, importing (all or nothing, idempotent), ending and
merging; the village's own page."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Role
from communes.models import Village, VillageKind
from democracy.services.errors import DemocracyError
from democracy.services.villages import ImportRefused, village_merge, villages_import
from tests.communes.factories import CommuneFactory
from tests.democracy.factories import HouseholdFactory, VillageFactory
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

HEADER = ["kind", "name", "code", "households", "head", "Front head"]


def xlsx_file(rows, *, header=HEADER, name="thon.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune)


# --- Import --------------------------------------------------------------------------------------------


def test_import_creates_villages_and_reimporting_the_same_file_updates_them(commune, officer):
    rows = [
        ["thôn", "Đông Hương", "DH", 215, "Nguyễn Văn An", "Trần Thị Bình"],
        ["tổ dân phố", "số 3", "", 180, "", ""],
    ]
    report = villages_import(commune=commune, file=xlsx_file(rows), by=officer)
    assert (report.created, report.updated) == (2, 0)
    again = villages_import(commune=commune, file=xlsx_file(rows), by=officer)
    assert (again.created, again.updated) == (0, 2)
    assert Village.objects.filter(commune=commune).count() == 2
    dong_huong = Village.objects.get(commune=commune, code="DH")
    assert (dong_huong.kind, dong_huong.households, dong_huong.head_name) == (VillageKind.THON, 215, "Nguyễn Văn An")
    assert Village.objects.get(commune=commune, kind=VillageKind.TO_DAN_PHO).name == "số 3"


def test_import_with_one_bad_row_saves_nothing_and_names_the_row(commune, officer):
    rows = [["thôn", "Một", "", 10, "", ""], ["làng", "Hai", "", "nhiều", "", ""], ["thôn", "", "", 5, "", ""]]
    with pytest.raises(ImportRefused) as refused:
        villages_import(commune=commune, file=xlsx_file(rows), by=officer)
    where = {(error.row, error.column) for error in refused.value.errors}
    assert where == {(3, "kind"), (3, "households"), (4, "name")}
    assert not Village.objects.filter(commune=commune).exists()


def test_import_refuses_a_village_named_twice_in_the_file(commune, officer):
    rows = [["thôn", "Một", "", 10, "", ""], ["thôn", "một", "", 12, "", ""]]
    with pytest.raises(ImportRefused) as refused:
        villages_import(commune=commune, file=xlsx_file(rows), by=officer)
    assert [(error.row, error.column) for error in refused.value.errors] == [(3, "name")]
    assert not Village.objects.filter(commune=commune).exists()


def test_import_reads_vietnamese_headers_and_refuses_a_file_that_is_not_xlsx(commune, officer):
    rows = [["thôn", "Ba", 7]]
    villages_import(commune=commune, file=xlsx_file(rows, header=["Loại", "Tên", "Số hộ"]), by=officer)
    assert Village.objects.get(commune=commune).households == 7
    with pytest.raises(ImportRefused):
        villages_import(commune=commune, file=SimpleUploadedFile("a.xlsx", b"not a workbook"), by=officer)


# --- Merge -----------------------------------------------------------------------------------------------


def test_merge_ends_the_villages_links_the_successor_and_keeps_the_former_name(commune, officer):
    east = VillageFactory(commune=commune, name="Đông", households=100)
    west = VillageFactory(commune=commune, name="Tây", households=80)
    day = datetime.date(2025, 6, 30)
    merged = village_merge(villages=[west], into=east, on=day, by=officer, new_name="Đông Tây")
    west.refresh_from_db()
    assert west.valid_until == day and list(west.successors.all()) == [merged]
    assert merged.name == "Đông Tây" and merged.households == 180
    assert merged.former_names == [{"kind": "thon", "name": "Đông", "valid_until": "2025-06-30"}]
    assert merged.name_on(datetime.date(2025, 1, 1)) == "thôn Đông"


def test_merge_refuses_another_commune_and_itself(commune, officer):
    east = VillageFactory(commune=commune)
    elsewhere = VillageFactory()
    with pytest.raises(DemocracyError):
        village_merge(villages=[elsewhere], into=east, on=datetime.date(2025, 6, 30), by=officer)
    with pytest.raises(DemocracyError):
        village_merge(villages=[east], into=east, on=datetime.date(2025, 6, 30), by=officer)
    elsewhere.refresh_from_db()
    assert elsewhere.valid_until is None


# --- Views -------------------------------------------------------------------------------------------------


def test_officer_lists_creates_and_edits_villages(client, commune, officer, django_assert_max_num_queries):
    for _index in range(5):
        HouseholdFactory(village=VillageFactory(commune=commune))
    client.force_login(officer)
    url = reverse("democracy:manage_villages", kwargs={"pk": commune.pk})
    client.get(url)  # warms the per-request caches a first page fills
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assertContains(response, "Thôn thử", count=5)
    response = client.post(
        reverse("democracy:manage_village_create", kwargs={"pk": commune.pk}),
        {"kind": "thon", "name": "Mới", "households": 12, "submission": "t1"},
    )
    village = Village.objects.get(commune=commune, name="Mới")
    assert response.status_code == 302
    # The same form sent twice adds the village once.
    client.post(
        reverse("democracy:manage_village_create", kwargs={"pk": commune.pk}),
        {"kind": "thon", "name": "Mới", "households": 12, "submission": "t1"},
    )
    assert Village.objects.filter(commune=commune, name="Mới").count() == 1
    response = client.post(
        reverse("democracy:manage_village_update", kwargs={"pk": village.pk}),
        {"action": "save", "kind": "thon", "name": "Mới hơn", "households": 14},
    )
    village.refresh_from_db()
    assert (village.name, village.households) == ("Mới hơn", 14)


def test_edit_page_merges_a_village(client, commune, officer):
    east = VillageFactory(commune=commune, name="Đông")
    west = VillageFactory(commune=commune, name="Tây")
    client.force_login(officer)
    response = client.post(
        reverse("democracy:manage_village_update", kwargs={"pk": west.pk}),
        {"action": "merge", "into": east.pk, "on": "2025-06-30", "new_kind": "", "new_name": ""},
    )
    assert response.status_code == 302
    west.refresh_from_db()
    assert west.valid_until == datetime.date(2025, 6, 30)


def test_import_view_lists_errors_and_downloads_a_template(client, commune, officer):
    client.force_login(officer)
    url = reverse("democracy:manage_villages_import", kwargs={"pk": commune.pk})
    response = client.post(url, {"file": xlsx_file([["thôn", "Một", "", "x", "", ""]])})
    assert response.status_code == 200
    assertContains(response, "<td>2</td>", html=False)
    assert not Village.objects.filter(commune=commune).exists()
    template = client.get(url + "?template=xlsx")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_village_page_for_its_head_and_refused_to_another_village_head(client, commune):
    village = VillageFactory(commune=commune)
    head = user_with_role(Role.VILLAGE_HEAD, village)
    client.force_login(head)
    url = reverse("democracy:manage_village", kwargs={"pk": village.pk})
    response = client.get(url)
    assertContains(response, village.head_name)
    assertNotContains(response, reverse("democracy:manage_village_update", kwargs={"pk": village.pk}))
    # A village head manages no commune list.
    assert client.get(reverse("democracy:manage_villages", kwargs={"pk": commune.pk})).status_code == 403
    client.force_login(user_with_role(Role.VILLAGE_HEAD, VillageFactory(commune=commune)))
    assert client.get(url).status_code == 403


def test_village_pages_refuse_other_roles(client, commune):
    village = VillageFactory(commune=commune)
    client.force_login(UserFactory())
    for name, pk in [
        ("manage_villages", commune.pk),
        ("manage_village_create", commune.pk),
        ("manage_villages_import", commune.pk),
        ("manage_village", village.pk),
        ("manage_village_update", village.pk),
    ]:
        assert client.get(reverse(f"democracy:{name}", kwargs={"pk": pk})).status_code == 403, name
    front = user_with_role(Role.VILLAGE_FRONT, village)
    client.force_login(front)
    assert client.get(reverse("democracy:manage_village_update", kwargs={"pk": village.pk})).status_code == 403
    assert client.get(reverse("democracy:manage_village", kwargs={"pk": village.pk})).status_code == 200
