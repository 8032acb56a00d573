"""The Django admin: Vietnamese and branded, with spreadsheets in and out on what officers keep in Excel."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, User
from communes.models import CommuneProcedure, Disclosure, DossierStatistics, Procedure
from communes.resources import (
    CommuneProcedureAdminResource,
    DossierStatisticsAdminResource,
    ProcedureAdminResource,
)
from communes.services import statistics_save
from feedback.models import Category
from feedback.resources import CategoryAdminResource
from scoring.models import Criterion
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.portal.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

BRAND = "Cổng Chính quyền thân thiện — Quản trị"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def superuser(client):
    user = UserFactory(is_superuser=True)  # a superuser is staff
    client.force_login(user)
    return user


def vietnamese(text) -> str:
    with translation.override("vi"):
        return str(text)


def test_the_admin_index_is_vietnamese_and_branded(client, superuser):
    response = client.get(reverse("admin:index"))

    content = response.content.decode()
    assert response.status_code == 200
    assert f"<title>Quản trị | {BRAND}</title>" in content
    assert BRAND in content
    for model in (Procedure, CommuneProcedure, Disclosure, DossierStatistics, Category, Criterion):
        name = vietnamese(model._meta.verbose_name_plural)
        with translation.override("en"):
            assert name != str(model._meta.verbose_name_plural), model  # translated
        assert name.capitalize() in content or name in content, name
    assert "Các lĩnh vực phản ánh" in content


def export(client, model, **query):
    """The admin's export of ``model`` as .xlsx, every column selected."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    form = client.get(url, query).context["form"]
    xlsx = next(index for index, label in form.fields["format"].choices if str(label).lower() == "xlsx")
    fields = [name for name, field in form.fields.items() if getattr(field, "resource_name", None)]
    data = {"format": xlsx, "resource": 0, **dict.fromkeys(fields, "on")}
    response = client.post(url, data)
    if response["Content-Type"].startswith("text/html"):
        raise AssertionError(response.context["form"].errors)
    return response


def test_the_statistics_export_gives_a_workbook_with_vietnamese_headers(client, superuser):
    commune = CommuneFactory(code="07792")
    month = datetime.date(2025, 3, 1)
    statistics_save(
        commune=commune,
        month=month,
        figures=dict(
            zip(
                [
                    "received",
                    "resolved_early",
                    "resolved_on_time",
                    "resolved_late",
                    "late_with_apology",
                    "resolved_same_day",
                    "submitted_online",
                    "paid_online",
                    "digitised",
                    "pending",
                ],
                [40, 10, 25, 3, 2, 20, 15, 5, 30, 2],
                strict=True,
            )
        ),
        by=superuser,
    )

    response = export(client, DossierStatistics)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã đơn vị", "Tháng", "Tiếp nhận", "Giải quyết trước hạn")
    assert rows[1][:3] == ("07792", "2025-03", "40")


def test_the_admin_export_is_refused_to_staff_without_the_model_permission(client):
    staff = UserFactory()
    User.objects.filter(pk=staff.pk).update(is_staff=True)  # admin access, no model permission
    client.force_login(staff)

    assert client.get(reverse("admin:communes_dossierstatistics_export")).status_code == 403


def test_the_admin_export_is_not_for_a_portal_role_without_admin_access(client):
    province = ProvinceFactory()
    client.force_login(user_with_role(Role.DOHA_STAFF, province))

    response = client.get(reverse("admin:feedback_category_export"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- Imports, through the admin's resources -------------------------------------------------------------


def test_statistics_import_in_the_admin_reads_the_vietnamese_headers_and_keeps_the_importer(superuser):
    commune = CommuneFactory(code="07792")
    with translation.override("vi"):
        header = DossierStatisticsAdminResource().get_export_headers()
    dataset = tablib.Dataset(["7792", "2025-03", 40, 10, 25, 3, 2, 20, 15, 5, 30, 2], headers=header)

    result = DossierStatisticsAdminResource(by=superuser).import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    saved = DossierStatistics.objects.get(commune=commune)
    assert saved.received == 40
    assert saved.history.first().history_user == superuser


def test_statistics_import_in_the_admin_follows_the_rules_of_the_pages(superuser):
    CommuneFactory(code="07792")
    with translation.override("vi"):
        header = DossierStatisticsAdminResource().get_export_headers()
    dataset = tablib.Dataset(["07792", "2025-03", 4, 10, 25, 3, 2, 20, 15, 5, 30, 2], headers=header)

    result = DossierStatisticsAdminResource(by=superuser).import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert not DossierStatistics.objects.exists()


def test_procedures_and_what_a_commune_handles_import_from_a_spreadsheet():
    province = ProvinceFactory(code="24")
    commune = CommuneFactory(code="07792", province=province)
    with translation.override("vi"):
        procedures = tablib.Dataset(headers=ProcedureAdminResource().get_export_headers())
        procedures.append(
            [
                "24",
                "1.001",
                "Đăng ký khai sinh",
                "Hộ tịch",
                "Nộp tờ khai.\nNhận giấy khai sinh.",
                "Tờ khai\nGiấy chứng sinh",
                "Miễn phí",
                "",
                1,
                "full",
            ]
        )
        done = ProcedureAdminResource().import_data(procedures, dry_run=False)
        handled = tablib.Dataset(headers=CommuneProcedureAdminResource().get_export_headers())
        handled.append(["07792", "1.001", "Quầy số 2"])
        handled_result = CommuneProcedureAdminResource().import_data(handled, dry_run=False)

    assert not done.has_errors() and not done.has_validation_errors(), done.invalid_rows
    assert not handled_result.has_errors() and not handled_result.has_validation_errors()
    procedure = Procedure.objects.get(province=province, code="1.001")
    assert procedure.same_day is True
    assert procedure.steps == ["Nộp tờ khai.", "Nhận giấy khai sinh."]
    assert CommuneProcedure.objects.get(commune=commune, procedure=procedure).local_notes == "Quầy số 2"


def test_feedback_categories_round_trip_through_a_spreadsheet():
    province = ProvinceFactory(code="24")
    with translation.override("vi"):
        dataset = tablib.Dataset(headers=CategoryAdminResource().get_export_headers())
        dataset.append(["24", "Giao thông", 10, 1, 1])
        dataset.append(["24", "=HYPERLINK(1)", 5, 2, 1])
        CategoryAdminResource().import_data(dataset, dry_run=False)
        exported = CategoryAdminResource().export(Category.objects.order_by("position"))

    assert exported.headers[:3] == ["Mã tỉnh", "Tên", "Thời hạn giải quyết (ngày làm việc)"]
    assert exported[0][:3] == ("24", "Giao thông", "10")
    assert exported[1][1] == "'=HYPERLINK(1)"  # kept as text by the spreadsheet
    assert Category.objects.filter(province=province).count() == 2
