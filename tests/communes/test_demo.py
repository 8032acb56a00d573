"""The demo content that `make run` loads: several Bắc Giang communes with full one-stop profiles."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from pypdf import PdfReader

from communes.data.unit_history import LEGACY_UNTIL
from communes.models import (
    CodeOfConduct,
    Commune,
    CommuneProcedure,
    Disclosure,
    DossierStatistics,
    Facility,
    FacilityKind,
    OneStopShop,
    Procedure,
)
from communes.services import DemoError, communes_demo_ensure
from core.workdays import add_working_days


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def counts() -> dict[str, int]:
    """Rows of every model of the communes app, historical records included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_app_config("communes").get_models()}


@pytest.fixture
def demo(real_units):
    return communes_demo_ensure()


def test_demo_gives_several_bac_giang_communes_a_full_profile(demo):
    shops = OneStopShop.objects.select_related("commune__district").order_by("commune__code")

    codes = [shop.commune.code for shop in shops]
    assert len(codes) >= 4 and "07792" in codes
    assert len({shop.commune.district_id for shop in shops}) >= 2
    for shop in shops:
        assert shop.commune.valid_until == LEGACY_UNTIL
        assert shop.address.startswith("Trụ sở UBND ") and shop.address.endswith("tỉnh Bắc Giang")
        assert shop.phone.startswith("0204 3")
        assert shop.email.endswith("@bacgiang.gov.vn")
        assert shop.opening_hours.filter(weekday__lte=4).count() == 10
        assert sorted(shop.duty_leaders.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
        assert 3 <= shop.officers.count() <= 5
        assert sorted(shop.facilities.values_list("kind", flat=True)) == sorted(FacilityKind.values)
    quang_minh = shops.get(commune__code="07792")
    assert quang_minh.email == "ubndquangminh@bacgiang.gov.vn"
    assert quang_minh.address == "Trụ sở UBND phường Quảng Minh, thị xã Việt Yên, tỉnh Bắc Giang"
    assert [shop.is_stale for shop in shops].count(True) == 1
    assert shops.filter(opening_hours__weekday=5).count() == 1
    assert 1 <= Facility.objects.filter(available=False).count() <= 2 * len(codes)
    assert shops.filter(opening_exceptions__isnull=False).exists()


def test_demo_fills_a_provincial_catalogue_the_communes_handle_with_local_notes(demo):
    catalogue = Procedure.objects.filter(province__code="24", province__valid_until=LEGACY_UNTIL)

    assert 12 <= catalogue.count() <= 16
    assert catalogue.values("field").distinct().count() >= 4
    assert {"1.001193", "1.000894", "1.000656", "1.004873", "2.000815", "2.000884"} <= set(
        catalogue.values_list("code", flat=True)
    )
    assert catalogue.filter(same_day=True, time_limit_days__isnull=True).exists()
    for commune in Commune.objects.filter(one_stop_shop__isnull=False):
        handled = CommuneProcedure.objects.filter(commune=commune)
        assert handled.count() > catalogue.count() * 3 / 4
        assert handled.exclude(local_notes="").exists()


def test_demo_statistics_cover_twelve_consistent_months_up_to_the_units_last_month(demo):
    for commune in Commune.objects.filter(one_stop_shop__isnull=False):
        months = list(DossierStatistics.objects.filter(commune=commune).order_by("month"))
        assert len(months) == 12
        # A commune merged away on 30 June 2025 has no figures after it ended.
        assert months[-1].month.isoformat() == "2025-06-01"
        for stats in months:
            assert stats.resolved <= stats.received
            assert stats.late_with_apology <= stats.resolved_late
            assert stats.resolved_same_day <= stats.resolved
            assert stats.submitted_online <= stats.received
            assert stats.paid_online <= stats.submitted_online


def test_demo_disclosures_carry_readable_pdfs_and_one_is_late(demo):
    disclosures = Disclosure.objects.all()

    per_commune = [Disclosure.objects.filter(commune=shop.commune).count() for shop in OneStopShop.objects.all()]
    assert all(5 <= count <= 8 for count in per_commune)
    assert disclosures.values("category").distinct().count() >= 6
    assert any(d.is_late for d in disclosures)
    assert any(d.published_on > add_working_days(d.decision_date, 5) for d in disclosures)
    for disclosure in disclosures:
        disclosure.full_clean()
        with disclosure.document.open("rb") as document:
            reader = PdfReader(io.BytesIO(document.read()))
        assert len(reader.pages) == 1
        if disclosure.is_permanent:
            assert disclosure.posted_until is None
        else:
            assert (disclosure.posted_until - disclosure.published_on).days >= 30


def test_demo_adds_the_code_of_conduct_in_two_versions(demo):
    versions = CodeOfConduct.objects.filter(province__code="24", province__valid_until=LEGACY_UNTIL)

    assert list(versions.values_list("version", flat=True)) == [2, 1]  # newest in force first
    assert "đeo thẻ" in versions.first().text


def test_a_second_run_creates_nothing_and_writes_no_history(demo):
    before = counts()

    report = communes_demo_ensure()

    assert demo.created_total > 200
    assert report.created_total == 0
    assert counts() == before


def test_setup_demo_loads_the_demo_communes_and_prints_one_line_about_them(db):
    first, second = io.StringIO(), io.StringIO()

    call_command("setup_demo", stdout=first)
    call_command("setup_demo", stdout=second)

    summary = communes_demo_ensure().summary  # creates nothing: the line the second run printed
    assert summary in second.getvalue().splitlines()
    assert summary not in first.getvalue().splitlines()  # the first run counted what it created
    shop = OneStopShop.objects.get(commune__code="07792", commune__valid_until=LEGACY_UNTIL)
    assert shop.history.get().history_user.email == "quan-tri@example.com"


def test_the_demo_needs_the_units_loaded_first(db):
    with pytest.raises(DemoError):
        communes_demo_ensure()


def test_disclosure_documents_fall_back_to_a_blank_titled_page_without_weasyprints_libraries(monkeypatch):
    import weasyprint

    from communes.services import demo as demo_service

    def missing_pango(*args, **kwargs):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(weasyprint, "HTML", missing_pango)
    demo_service._pdf.cache_clear()
    try:
        content = demo_service._pdf("Danh sách công dân nhập ngũ", "UBND xã Cao Xá", ("Nội dung",))
    finally:
        demo_service._pdf.cache_clear()

    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Danh sách công dân nhập ngũ"
