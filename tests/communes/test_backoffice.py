"""The officers' back office, section by section, through the client as an officer of the commune."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfWriter
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Role
from communes.models import (
    CommuneProcedure,
    CounterOfficer,
    Disclosure,
    DisclosureCategory,
    DutyLeader,
    Facility,
    FacilityKind,
    OneStopShop,
    OnlineLevel,
    OpeningException,
    OpeningHours,
    Procedure,
)
from communes.services import (
    OneStopError,
    commune_procedures_set,
    disclosure_save,
    officer_save,
    opening_hours_replace,
    shop_update,
)
from core import clock
from core.uploads import MAX_UPLOAD_BYTES, NOT_A_PDF, NOT_AN_IMAGE, PDF_ACTIVE, TOO_LARGE
from tests.communes.factories import CommuneFactory, DistrictFactory, ProvinceFactory
from tests.core.test_uploads import pdf_with_200000_page_references, pdf_with_catalogue
from tests.portal.factories import user_with_role

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY, WEDNESDAY = 0, 1, 2


# --- Helpers ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def commune():
    return CommuneFactory()


@pytest.fixture
def officer(commune):
    return user_with_role(Role.COMMUNE_OFFICER, commune, full_name="Nguyễn Thị Lan")


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def shop(commune, officer):
    return shop_update(commune=commune, address="Số 1 đường Trần Phú", by=officer)


def url(name: str, commune, **kwargs) -> str:
    return reverse(f"communes:{name}", kwargs={"pk": commune.pk, **kwargs})


def formset(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{key}": value for key, value in row.items()}
    return data


def jpeg_with_gps(name: str = "photo.jpg") -> SimpleUploadedFile:
    """A real JPEG whose EXIF carries a camera maker and the GPS position of Bắc Giang."""
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    gps = exif.get_ifd(0x8825)
    gps |= {1: "N", 2: (21.0, 17.0, 0.0), 3: "E", 4: (106.0, 12.0, 0.0)}
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    # The fixture would prove nothing if the GPS data were not there to begin with.
    assert Image.open(io.BytesIO(output.getvalue())).getexif().get_ifd(0x8825)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def windows_executable_named_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="image/jpeg")


def too_large_jpeg() -> SimpleUploadedFile:
    return SimpleUploadedFile("big.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * MAX_UPLOAD_BYTES, content_type="image/jpeg")


def real_pdf(name: str = "quyet-dinh.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = io.BytesIO()
    writer.write(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type="application/pdf")


def fake_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("quyet-dinh.pdf", b"%PDF-1.7 this is not really a PDF", content_type="application/pdf")


def procedure(province, code: str, field: str = "Hộ tịch") -> Procedure:
    return Procedure.objects.create(
        province=province,
        code=code,
        name=f"Thủ tục {code}",
        field=field,
        fee="Miễn phí",
        online_level=OnlineLevel.FULL,
    )


def latest_history(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def message(text) -> str:
    """A message as the page shows it: in the page's language, HTML-escaped."""
    return escape(gettext(text) if isinstance(text, str) else str(text))


# --- Dashboard and profile ----------------------------------------------------------------------


def test_dashboard_without_a_shop_asks_for_the_profile_first(signed_in, commune):
    response = signed_in.get(url("manage_home", commune))

    assertContains(response, url("manage_profile", commune))
    assertNotContains(response, url("manage_verify", commune))


def test_dashboard_counts_what_the_shop_has(signed_in, commune, shop, officer):
    opening_hours_replace(
        shop=shop,
        sessions=[{"weekday": MONDAY, "opens": datetime.time(7, 30), "closes": datetime.time(11, 30)}],
        by=officer,
    )
    officer_save(shop=shop, full_name="Trần Văn Bình", title="Công chức", field="Hộ tịch", duty_days=[0], by=officer)

    response = signed_in.get(url("manage_home", commune))

    status = response.context["status"]
    assert (status["sessions"], status["officers"], status["facilities_answered"]) == (1, 1, 0)
    assert status["shop"].is_stale
    assertContains(response, url("manage_verify", commune))


def test_first_profile_save_creates_the_shop_and_names_its_author(signed_in, commune, officer):
    data = {"address": "Số 1 đường Trần Phú", "phone": "0204 3855 123", "email": "motcua@example.vn"}

    response = signed_in.post(url("manage_profile", commune), data | {"directions": "Cổng chính, tầng 1"})

    assertRedirects(response, url("manage_profile", commune))
    shop = OneStopShop.objects.get(commune=commune)
    assert (shop.address, shop.phone, shop.directions) == ("Số 1 đường Trần Phú", "0204 3855 123", "Cổng chính, tầng 1")
    assert latest_history(shop).history_user == officer
    assert latest_history(shop).history_type == "+"


def test_saving_the_same_profile_twice_keeps_one_shop_and_one_history_record(signed_in, commune):
    data = {"address": "Số 1 đường Trần Phú", "phone": "", "email": "", "directions": ""}

    signed_in.post(url("manage_profile", commune), data)
    signed_in.post(url("manage_profile", commune), data)

    assert OneStopShop.objects.filter(commune=commune).count() == 1
    assert OneStopShop.history.filter(commune_id=commune.pk).count() == 1


def test_profile_without_an_address_is_refused_and_creates_nothing(signed_in, commune):
    response = signed_in.post(url("manage_profile", commune), {"address": "", "email": "not-an-address"})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"address", "email"}
    assert not OneStopShop.objects.exists()


def test_verify_records_today_and_the_officer(signed_in, commune, shop, officer):
    response = signed_in.post(url("manage_verify", commune))

    assertRedirects(response, url("manage_home", commune))
    shop.refresh_from_db()
    assert (shop.verified_on, shop.verified_by) == (clock.today(), officer)
    assert not shop.is_stale
    assert latest_history(shop).history_user == officer


def test_verify_needs_a_post_and_a_shop(signed_in, commune):
    assert signed_in.get(url("manage_verify", commune)).status_code == 405

    response = signed_in.post(url("manage_verify", commune))

    assertRedirects(response, url("manage_profile", commune))
    assert not OneStopShop.objects.exists()


# --- Uploads ------------------------------------------------------------------------------------


def test_shop_photo_is_stored_without_its_exif_and_gps_data(signed_in, commune, media_root):
    response = signed_in.post(
        url("manage_profile", commune), {"address": "Số 1 đường Trần Phú", "photo": jpeg_with_gps()}
    )

    assertRedirects(response, url("manage_profile", commune))
    shop = OneStopShop.objects.get(commune=commune)
    with shop.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.getexif().get_ifd(0x8825) == {}


def test_officer_photo_is_stored_without_exif(signed_in, commune, shop):
    signed_in.post(url("manage_officer_create", commune), officer_data(photo=jpeg_with_gps()))

    stored = CounterOfficer.objects.get().photo
    with stored.open("rb") as file, Image.open(file) as image:
        assert dict(image.getexif()) == {}


def test_renamed_windows_executable_is_refused_as_a_photo_and_nothing_is_saved(signed_in, commune):
    response = signed_in.post(
        url("manage_profile", commune), {"address": "Số 1 đường Trần Phú", "photo": windows_executable_named_photo()}
    )

    assert response.status_code == 200
    assertContains(response, message(NOT_AN_IMAGE))
    assert response.context["form"].errors["photo"] == [str(NOT_AN_IMAGE)]
    assert not OneStopShop.objects.exists()


def test_renamed_executable_keeps_the_officer_unsaved_and_the_old_photo_in_place(signed_in, commune, shop, officer):
    person = officer_save(
        shop=shop, full_name="Trần Văn Bình", title="Công chức", field="Hộ tịch", duty_days=[0], by=officer
    )
    signed_in.post(url("manage_officer_update", commune, officer_pk=person.pk), officer_data(photo=jpeg_with_gps()))
    person.refresh_from_db()
    first_photo = person.photo.name

    response = signed_in.post(
        url("manage_officer_update", commune, officer_pk=person.pk),
        officer_data(full_name="Tên mới", photo=windows_executable_named_photo()),
    )

    assertContains(response, message(NOT_AN_IMAGE))
    person.refresh_from_db()
    assert (person.full_name, person.photo.name) == ("Trần Văn Bình", first_photo)
    assert person.photo.storage.exists(first_photo)


def test_photo_over_5_mb_is_refused(signed_in, commune):
    response = signed_in.post(url("manage_profile", commune), {"address": "Số 1", "photo": too_large_jpeg()})

    assertContains(response, message(TOO_LARGE))
    assert not OneStopShop.objects.exists()


def test_fake_pdf_is_refused_and_no_disclosure_is_published(signed_in, commune):
    response = signed_in.post(url("manage_disclosure_create", commune), disclosure_data(document=fake_pdf()))

    assertContains(response, message(NOT_A_PDF))
    assert not Disclosure.objects.exists()


def test_a_crafted_pdf_is_refused_with_the_usual_message_not_an_error(signed_in, commune):
    crafted = SimpleUploadedFile("ke-hoach.pdf", pdf_with_200000_page_references(), content_type="application/pdf")

    response = signed_in.post(url("manage_disclosure_create", commune), disclosure_data(document=crafted))

    assertContains(response, message(NOT_A_PDF))
    assert not Disclosure.objects.exists()


def test_a_pdf_with_a_script_is_refused_before_it_is_published(signed_in, commune):
    content = pdf_with_catalogue(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    scripted = SimpleUploadedFile("thong-bao.pdf", content, content_type="application/pdf")

    response = signed_in.post(url("manage_disclosure_create", commune), disclosure_data(document=scripted))

    assertContains(response, message(PDF_ACTIVE))
    assert not Disclosure.objects.exists()


def test_executable_named_pdf_is_refused(signed_in, commune):
    exe = SimpleUploadedFile("quyet-dinh.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")

    response = signed_in.post(url("manage_disclosure_create", commune), disclosure_data(document=exe))

    assertContains(response, message(NOT_A_PDF))
    assert not Disclosure.objects.exists()


# --- Opening hours ------------------------------------------------------------------------------


def hours(*sessions) -> dict:
    return formset("hours", [{"weekday": day, "opens": opens, "closes": closes} for day, opens, closes in sessions])


WEEK = [(MONDAY, "07:30", "11:30"), (MONDAY, "13:30", "17:00"), (TUESDAY, "07:30", "11:30")]


def test_opening_hours_are_saved_as_a_week_with_two_sessions_on_monday(signed_in, commune, shop, officer):
    response = signed_in.post(url("manage_hours", commune), hours(*WEEK))

    assertRedirects(response, url("manage_hours", commune))
    saved = [(h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in shop.opening_hours.all()]
    assert saved == WEEK
    assert {h.history_user for h in OpeningHours.history.all()} == {officer}


def test_sending_the_opening_hours_twice_leaves_one_copy_and_no_extra_history(signed_in, commune, shop):
    signed_in.post(url("manage_hours", commune), hours(*WEEK))
    records = OpeningHours.history.count()

    signed_in.post(url("manage_hours", commune), hours(*WEEK))

    assert shop.opening_hours.count() == 3
    assert OpeningHours.history.count() == records


def test_opening_hours_replace_the_whole_week(signed_in, commune, shop):
    signed_in.post(url("manage_hours", commune), hours(*WEEK))

    signed_in.post(url("manage_hours", commune), hours((WEDNESDAY, "08:00", "12:00")))

    assert [(h.weekday, h.opens) for h in shop.opening_hours.all()] == [(WEDNESDAY, datetime.time(8))]


def test_ticking_delete_removes_a_session(signed_in, commune, shop):
    signed_in.post(url("manage_hours", commune), hours(*WEEK))
    data = hours(*WEEK) | {"hours-2-DELETE": "on"}

    signed_in.post(url("manage_hours", commune), data)

    assert shop.opening_hours.count() == 2


def test_a_session_closing_before_it_opens_changes_nothing_and_is_shown_on_its_row(signed_in, commune, shop):
    signed_in.post(url("manage_hours", commune), hours(*WEEK))

    response = signed_in.post(
        url("manage_hours", commune), hours((WEDNESDAY, "08:00", "12:00"), (TUESDAY, "17:00", "13:00"))
    )

    assert response.status_code == 200
    assertContains(response, message("Closing time must be after opening time."))
    assert response.context["formset"].forms[1].non_field_errors() == [
        gettext("Closing time must be after opening time.")
    ]
    assert shop.opening_hours.count() == 3


def test_overlapping_sessions_change_nothing_and_the_later_row_is_blamed(signed_in, commune, shop):
    signed_in.post(url("manage_hours", commune), hours(*WEEK))

    response = signed_in.post(
        url("manage_hours", commune), hours((MONDAY, "07:30", "11:30"), (MONDAY, "11:00", "17:00"))
    )

    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert forms[1].non_field_errors() and not forms[0].errors
    assert shop.opening_hours.count() == 3


def test_opening_hours_replace_service_refuses_a_bad_list_whole(shop, officer):
    good = {"weekday": MONDAY, "opens": datetime.time(7), "closes": datetime.time(11)}
    bad = {"weekday": MONDAY, "opens": datetime.time(12), "closes": datetime.time(8)}

    with pytest.raises(OneStopError) as error:
        opening_hours_replace(shop=shop, sessions=[good, bad], by=officer)

    assert error.value.row == 1
    assert not OpeningHours.objects.exists()


def test_hours_page_points_to_the_profile_when_there_is_no_shop(signed_in, commune):
    response = signed_in.get(url("manage_hours", commune))

    assertContains(response, url("manage_profile", commune))
    assertRedirects(signed_in.post(url("manage_hours", commune), hours(*WEEK)), url("manage_profile", commune))
    assert not OpeningHours.objects.exists()


# --- Special days -------------------------------------------------------------------------------

NEXT_WEEK = clock.today() + datetime.timedelta(days=7)


def test_special_days_can_be_added_edited_and_deleted(signed_in, commune, shop, officer):
    data = {"date": NEXT_WEEK.isoformat(), "closed": "on", "reason": "Bầu cử đại biểu Quốc hội"}
    response = signed_in.post(url("manage_exceptions", commune), data)
    assertRedirects(response, url("manage_exceptions", commune))
    day = OpeningException.objects.get()
    assert (day.closed, day.opens, latest_history(day).history_user) == (True, None, officer)

    edit = url("manage_exceptions", commune) + f"?edit={day.pk}"
    assert signed_in.get(edit).context["form"].instance.pk == day.pk
    signed_in.post(
        edit, {"date": NEXT_WEEK.isoformat(), "opens": "08:00", "closes": "11:00", "reason": "Chỉ buổi sáng"}
    )
    day.refresh_from_db()
    assert (day.closed, day.opens, day.closes) == (False, datetime.time(8), datetime.time(11))

    signed_in.post(url("manage_exceptions", commune), {"delete": day.pk})
    assert not OpeningException.objects.exists()
    assert OpeningException.history.filter(id=day.pk, history_type="-").get().history_user == officer


def test_a_second_special_day_on_the_same_date_is_refused_with_a_clear_message(signed_in, commune, shop):
    data = {"date": NEXT_WEEK.isoformat(), "closed": "on", "reason": "Bầu cử"}
    signed_in.post(url("manage_exceptions", commune), data)

    response = signed_in.post(url("manage_exceptions", commune), data)

    assert response.status_code == 200
    assertContains(response, message("This day already has an exception."))
    assert OpeningException.objects.count() == 1


def test_a_day_open_at_other_times_needs_its_times(signed_in, commune, shop):
    response = signed_in.post(url("manage_exceptions", commune), {"date": NEXT_WEEK.isoformat(), "reason": "Họp"})

    assertContains(response, message("A day open at other times needs an opening and a later closing time."))
    assert not OpeningException.objects.exists()


# --- Facilities and leaders on duty -------------------------------------------------------------


def facilities(**answers) -> dict:
    return formset(
        "facilities",
        [answers.get(kind, {}) for kind in FacilityKind.values],
        initial=len(FacilityKind),
    )


def test_facilities_are_answered_one_row_per_kind_in_a_fixed_order(signed_in, commune, shop, officer):
    response = signed_in.get(url("manage_facilities", commune))
    assert [form.kind for form in response.context["formset"]] == list(FacilityKind.values)

    data = facilities(
        free_wifi={"available": "on", "note": "Mật khẩu dán ở quầy"},
        drinking_water={"available": "on", "photo": jpeg_with_gps()},
    )
    response = signed_in.post(url("manage_facilities", commune), data)

    assertRedirects(response, url("manage_facilities", commune))
    answered = {f.kind: f for f in shop.facilities.all()}
    assert len(answered) == len(FacilityKind)
    assert {kind for kind, f in answered.items() if f.available} == {"free_wifi", "drinking_water"}
    assert answered["free_wifi"].note == "Mật khẩu dán ở quầy"
    with answered["drinking_water"].photo.open("rb") as file, Image.open(file) as image:
        assert dict(image.getexif()) == {}
    assert {record.history_user for record in Facility.history.all()} == {officer}


def test_sending_the_facilities_twice_leaves_one_row_per_kind(signed_in, commune, shop):
    data = facilities(free_wifi={"available": "on"})
    signed_in.post(url("manage_facilities", commune), data)
    records = Facility.history.count()

    signed_in.post(url("manage_facilities", commune), facilities(free_wifi={"available": "on"}))

    assert shop.facilities.count() == len(FacilityKind)
    assert Facility.history.count() == records


def test_a_facility_photo_that_is_no_image_saves_none_of_the_facilities(signed_in, commune, shop):
    data = facilities(free_wifi={"available": "on"}, help_desk={"photo": windows_executable_named_photo()})

    response = signed_in.post(url("manage_facilities", commune), data)

    assertContains(response, message(NOT_AN_IMAGE))
    assert not Facility.objects.exists()


def duty(**leaders) -> dict:
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    rows = [dict(zip(("full_name", "title"), leaders[day], strict=True)) if day in leaders else {} for day in days]
    return formset("duty", rows, initial=7)


def test_leaders_on_duty_are_saved_per_weekday_and_blank_days_have_nobody(signed_in, commune, shop, officer):
    response = signed_in.post(
        url("manage_duty", commune),
        duty(monday=("Lê Văn Cường", "Chủ tịch UBND"), wednesday=("Phạm Thị Dung", "Phó Chủ tịch UBND")),
    )

    assertRedirects(response, url("manage_duty", commune))
    assert [(d.weekday, d.full_name) for d in shop.duty_leaders.all()] == [
        (MONDAY, "Lê Văn Cường"),
        (WEDNESDAY, "Phạm Thị Dung"),
    ]
    assert {record.history_user for record in DutyLeader.history.all()} == {officer}

    signed_in.post(url("manage_duty", commune), duty(wednesday=("Phạm Thị Dung", "Phó Chủ tịch UBND")))
    assert [d.weekday for d in shop.duty_leaders.all()] == [WEDNESDAY]


def test_sending_the_leaders_on_duty_twice_leaves_one_per_day(signed_in, commune, shop):
    data = duty(monday=("Lê Văn Cường", "Chủ tịch UBND"))
    signed_in.post(url("manage_duty", commune), data)
    signed_in.post(url("manage_duty", commune), data)

    assert shop.duty_leaders.count() == 1
    assert DutyLeader.history.count() == 1


def test_a_leader_without_a_title_changes_nothing(signed_in, commune, shop):
    signed_in.post(url("manage_duty", commune), duty(monday=("Lê Văn Cường", "Chủ tịch UBND")))

    response = signed_in.post(
        url("manage_duty", commune), duty(tuesday=("Lê Văn Cường", "Chủ tịch UBND"), friday=("Ai đó", ""))
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[4].errors["title"]
    assert [d.weekday for d in shop.duty_leaders.all()] == [MONDAY]


# --- Counter officers ---------------------------------------------------------------------------


def officer_data(**extra) -> dict:
    return {
        "full_name": "Trần Văn Bình",
        "title": "Công chức Tư pháp - Hộ tịch",
        "field": "Hộ tịch",
        "position": 1,
        "duty_days": ["0"],
    } | extra


def test_officer_is_created_with_days_on_duty_and_an_author(signed_in, commune, shop, officer):
    response = signed_in.post(url("manage_officer_create", commune), officer_data(duty_days=["4", "0", "2"]))

    assertRedirects(response, url("manage_officers", commune))
    person = CounterOfficer.objects.get()
    assert (person.shop, person.duty_days) == (shop, [0, 2, 4])
    assert latest_history(person).history_user == officer
    assertContains(signed_in.get(url("manage_officers", commune)), "Trần Văn Bình")


def test_the_officer_form_sent_twice_creates_one_officer(signed_in, commune, shop):
    token = signed_in.get(url("manage_officer_create", commune)).context["form"]["submission"].value()
    data = officer_data(submission=token)

    first = signed_in.post(url("manage_officer_create", commune), data)
    second = signed_in.post(url("manage_officer_create", commune), data)

    assertRedirects(first, url("manage_officers", commune))
    assertRedirects(second, url("manage_officers", commune))
    assert CounterOfficer.objects.count() == 1


def test_two_officer_forms_opened_separately_create_two_officers(signed_in, commune, shop):
    for name in ("Trần Văn Bình", "Hoàng Thị Mai"):
        token = signed_in.get(url("manage_officer_create", commune)).context["form"]["submission"].value()
        signed_in.post(url("manage_officer_create", commune), officer_data(full_name=name, submission=token))

    assert CounterOfficer.objects.count() == 2


def test_an_invalid_officer_form_can_be_corrected_and_sent_with_the_same_token(signed_in, commune, shop):
    token = signed_in.get(url("manage_officer_create", commune)).context["form"]["submission"].value()

    response = signed_in.post(url("manage_officer_create", commune), officer_data(title="", submission=token))
    assert response.context["form"].errors.keys() == {"title"}
    signed_in.post(url("manage_officer_create", commune), officer_data(submission=token))

    assert CounterOfficer.objects.count() == 1


def test_officer_is_updated_and_deleted_after_a_confirmation_page(signed_in, commune, shop, officer):
    person = officer_save(
        shop=shop, full_name="Trần Văn Bình", title="Công chức", field="Hộ tịch", duty_days=[0], by=officer
    )
    signed_in.post(url("manage_officer_update", commune, officer_pk=person.pk), officer_data(full_name="Trần Văn B."))
    person.refresh_from_db()
    assert person.full_name == "Trần Văn B."

    confirm = signed_in.get(url("manage_officer_delete", commune, officer_pk=person.pk))
    assertContains(confirm, "Trần Văn B.")
    assert CounterOfficer.objects.exists()
    response = signed_in.post(url("manage_officer_delete", commune, officer_pk=person.pk))

    assertRedirects(response, url("manage_officers", commune))
    assert not CounterOfficer.objects.exists()
    assert CounterOfficer.history.filter(id=person.pk, history_type="-").get().history_user == officer


# --- Procedures ---------------------------------------------------------------------------------


def test_procedures_are_picked_from_the_province_catalogue_with_local_notes(signed_in, commune, officer):
    birth, death, land = (procedure(commune.province, code) for code in ("1.001193", "1.000656", "2.000001"))
    data = {f"handles_{birth.pk}": "on", f"notes_{birth.pk}": "Quầy số 2", f"handles_{death.pk}": "on"}

    response = signed_in.post(url("manage_procedures", commune), data)

    assertRedirects(response, url("manage_procedures", commune))
    handled = {cp.procedure: cp.local_notes for cp in CommuneProcedure.objects.filter(commune=commune)}
    assert handled == {birth: "Quầy số 2", death: ""}
    assert {record.history_user for record in CommuneProcedure.history.all()} == {officer}

    signed_in.post(url("manage_procedures", commune), {f"handles_{land.pk}": "on"})
    assert list(CommuneProcedure.objects.filter(commune=commune).values_list("procedure", flat=True)) == [land.pk]


def test_sending_the_procedures_twice_attaches_each_once(signed_in, commune):
    birth = procedure(commune.province, "1.001193")
    data = {f"handles_{birth.pk}": "on", f"notes_{birth.pk}": "Quầy số 2"}

    signed_in.post(url("manage_procedures", commune), data)
    signed_in.post(url("manage_procedures", commune), data)

    assert CommuneProcedure.objects.filter(commune=commune).count() == 1
    assert CommuneProcedure.history.count() == 1


def test_procedures_page_groups_the_catalogue_by_field(signed_in, commune):
    procedure(commune.province, "1.001193", field="Hộ tịch")
    procedure(commune.province, "2.000001", field="Chứng thực")

    groups = signed_in.get(url("manage_procedures", commune)).context["form"].groups()

    assert [field for field, rows in groups] == ["Chứng thực", "Hộ tịch"]


# --- Disclosures --------------------------------------------------------------------------------

DECIDED = datetime.date(2025, 9, 1)


def disclosure_data(**extra) -> dict:
    data = {
        "title": "Kế hoạch phát triển kinh tế - xã hội năm 2026",
        "category": DisclosureCategory.DEVELOPMENT_PLAN,
        "decision_date": DECIDED.isoformat(),
        "published_on": (DECIDED + datetime.timedelta(days=2)).isoformat(),
        "posted_until": (DECIDED + datetime.timedelta(days=60)).isoformat(),
    }
    return data | {"document": real_pdf()} | extra


def test_disclosure_is_published_with_a_real_pdf(signed_in, commune, officer):
    response = signed_in.post(url("manage_disclosure_create", commune), disclosure_data())

    assertRedirects(response, url("manage_disclosures", commune))
    disclosure = Disclosure.objects.get()
    assert disclosure.commune == commune
    assert disclosure.document.name.endswith(".pdf")
    assert latest_history(disclosure).history_user == officer


def test_disclosure_posted_for_only_ten_days_is_refused(signed_in, commune):
    published = DECIDED + datetime.timedelta(days=2)
    data = disclosure_data(posted_until=(published + datetime.timedelta(days=10)).isoformat())

    response = signed_in.post(url("manage_disclosure_create", commune), data)

    assert response.status_code == 200
    assert response.context["form"].errors["posted_until"] == [gettext("The law asks for at least 30 days of posting.")]
    assert not Disclosure.objects.exists()


def test_permanent_category_with_a_last_posting_day_is_refused(signed_in, commune):
    data = disclosure_data(category=DisclosureCategory.PROCEDURES)

    response = signed_in.post(url("manage_disclosure_create", commune), data)

    assertContains(response, message("Procedures and the code of conduct stay posted permanently."))
    assert not Disclosure.objects.exists()


def test_permanent_category_without_a_last_day_is_accepted(signed_in, commune):
    data = disclosure_data(category=DisclosureCategory.PROCEDURES, posted_until="")

    signed_in.post(url("manage_disclosure_create", commune), data)

    assert Disclosure.objects.get().posted_until is None


def test_disclosure_list_is_newest_first_and_marks_late_ones(signed_in, commune, officer):
    on_time = disclosure_save(
        commune=commune,
        title="Đúng hạn",
        category=DisclosureCategory.FEES,
        decision_date=DECIDED,
        published_on=DECIDED + datetime.timedelta(days=1),
        posted_until=DECIDED + datetime.timedelta(days=90),
        document=real_pdf(),
        by=officer,
    )
    late = disclosure_save(
        commune=commune,
        title="Trễ hạn",
        category=DisclosureCategory.FEES,
        decision_date=DECIDED,
        published_on=DECIDED + datetime.timedelta(days=20),
        posted_until=DECIDED + datetime.timedelta(days=90),
        document=real_pdf(),
        by=officer,
    )

    response = signed_in.get(url("manage_disclosures", commune))

    assert list(response.context["page"].object_list) == [late, on_time]
    assert [d.is_late for d in response.context["page"].object_list] == [True, False]


def test_disclosure_correction_keeps_the_document_and_deletion_is_confirmed(signed_in, commune, officer):
    signed_in.post(url("manage_disclosure_create", commune), disclosure_data())
    disclosure = Disclosure.objects.get()
    document = disclosure.document.name
    data = disclosure_data(title="Tiêu đề đã sửa")
    del data["document"]

    signed_in.post(url("manage_disclosure_update", commune, disclosure_pk=disclosure.pk), data)
    disclosure.refresh_from_db()
    assert (disclosure.title, disclosure.document.name) == ("Tiêu đề đã sửa", document)

    assert signed_in.get(url("manage_disclosure_delete", commune, disclosure_pk=disclosure.pk)).status_code == 200
    signed_in.post(url("manage_disclosure_delete", commune, disclosure_pk=disclosure.pk))
    assert not Disclosure.objects.exists()
    assert Disclosure.history.filter(history_type="-").get().history_user == officer


def test_the_disclosure_form_sent_twice_publishes_once(signed_in, commune):
    token = signed_in.get(url("manage_disclosure_create", commune)).context["form"]["submission"].value()

    signed_in.post(url("manage_disclosure_create", commune), disclosure_data(submission=token))
    signed_in.post(url("manage_disclosure_create", commune), disclosure_data(submission=token))

    assert Disclosure.objects.count() == 1


# --- History ------------------------------------------------------------------------------------


def test_history_lists_changes_newest_first_with_author_and_changed_fields(signed_in, commune, shop, officer):
    signed_in.post(url("manage_profile", commune), {"address": "Số 9 đường Lê Lợi"})
    person = officer_save(
        shop=shop, full_name="Trần Văn Bình", title="Công chức", field="Hộ tịch", duty_days=[0], by=officer
    )
    signed_in.post(url("manage_officer_delete", commune, officer_pk=person.pk))

    response = signed_in.get(url("commune_history", commune))

    entries = response.context["entries"]
    assert [(e.record.instance_type, e.record.history_type) for e in entries] == [
        (CounterOfficer, "-"),
        (CounterOfficer, "+"),
        (OneStopShop, "~"),
        (OneStopShop, "+"),
    ]
    assert {e.who for e in entries} == {officer}
    address = str(OneStopShop._meta.get_field("address").verbose_name)
    assert [(c.field, c.old, c.new) for c in entries[2].changes] == [
        (address, "Số 1 đường Trần Phú", "Số 9 đường Lê Lợi")
    ]
    assertContains(response, "Nguyễn Thị Lan")
    assertContains(response, "Số 9 đường Lê Lợi")


def test_history_shows_only_this_commune(signed_in, commune, shop):
    other = CommuneFactory(province=commune.province)
    someone = user_with_role(Role.COMMUNE_OFFICER, other)
    shop_update(commune=other, address="Địa chỉ của xã khác", by=someone)

    response = signed_in.get(url("commune_history", commune))

    assert len(response.context["entries"]) == 1
    assertNotContains(response, "Địa chỉ của xã khác")


def test_history_is_paginated_by_fifty(signed_in, commune, shop, officer):
    for minute in range(30):
        sessions = [{"weekday": MONDAY, "opens": datetime.time(7, minute), "closes": datetime.time(11)}]
        opening_hours_replace(shop=shop, sessions=sessions, by=officer)
    # The shop's creation, the first session, then 29 times one session deleted and one created.
    total = 1 + 1 + 29 * 2

    first = signed_in.get(url("commune_history", commune))
    last = signed_in.get(url("commune_history", commune) + "?page=2")

    assert first.context["page"].paginator.count == total
    assert len(first.context["entries"]) == 50
    assert len(last.context["entries"]) == total - 50


# --- Constant query counts ----------------------------------------------------------------------


def queries_for(client, path, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(60) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_officers(shop, by, count):
    for n in range(count):
        officer_save(shop=shop, full_name=f"Cán bộ {n}", title="Công chức", field="Hộ tịch", duty_days=[0], by=by)


def add_disclosures(commune, by, count):
    for n in range(count):
        disclosure_save(
            commune=commune,
            title=f"Công khai {n}",
            category=DisclosureCategory.OTHER,
            decision_date=DECIDED,
            published_on=DECIDED + datetime.timedelta(days=n % 10),
            posted_until=DECIDED + datetime.timedelta(days=60),
            document=real_pdf(),
            by=by,
        )


def add_procedures(commune, by, count, start=0):
    made = [procedure(commune.province, f"P{n:04d}", field=f"Lĩnh vực {n % 3}") for n in range(start, start + count)]
    handled = dict.fromkeys(CommuneProcedure.objects.filter(commune=commune).values_list("procedure", flat=True), "")
    commune_procedures_set(commune=commune, procedures=handled | {p.pk: f"Ghi chú {p.pk}" for p in made}, by=by)


# What grows on each page: its rows are made through the services, by the officer.
GROWERS = {
    "manage_officers": lambda commune, shop, by, n: add_officers(shop, by, n),
    "manage_disclosures": lambda commune, shop, by, n: add_disclosures(commune, by, n),
    "manage_procedures": lambda commune, shop, by, n: add_procedures(commune, by, n, start=Procedure.objects.count()),
    "manage_home": lambda commune, shop, by, n: add_officers(shop, by, n),
}


@pytest.mark.parametrize("page", list(GROWERS))
def test_back_office_lists_cost_the_same_queries_for_two_rows_as_for_twenty(
    signed_in, commune, shop, officer, page, django_assert_num_queries, django_assert_max_num_queries
):
    grow = GROWERS[page]
    grow(commune, shop, officer, 2)
    two = queries_for(signed_in, url(page, commune), django_assert_max_num_queries)

    grow(commune, shop, officer, 18)

    with django_assert_num_queries(two):
        signed_in.get(url(page, commune))


def test_history_costs_the_same_queries_for_two_rows_as_for_twenty(
    signed_in, commune, shop, officer, django_assert_num_queries, django_assert_max_num_queries
):
    def changes(n):
        add_officers(shop, officer, n)
        add_disclosures(commune, officer, n)
        add_procedures(commune, officer, n, start=Procedure.objects.count())
        for person in CounterOfficer.objects.all()[:n]:
            officer_save(
                shop=shop,
                officer=person,
                full_name=person.full_name + " (sửa)",
                title="Công chức",
                field="Đất đai",
                duty_days=[1],
                by=officer,
            )

    changes(2)
    two = queries_for(signed_in, url("commune_history", commune), django_assert_max_num_queries)
    changes(18)

    with django_assert_num_queries(two):
        response = signed_in.get(url("commune_history", commune))
    assert len(response.context["entries"]) == 50
    assert any(entry.changes for entry in response.context["entries"])


# --- The staff workspace ------------------------------------------------------------------------


def test_workspace_of_a_commune_links_its_officers_to_the_back_office_and_history(signed_in, commune):
    response = signed_in.get(reverse("portal:unit_workspace", kwargs={"kind": "commune", "pk": commune.pk}))

    assertContains(response, f'href="{url("manage_home", commune)}"')
    assertContains(response, f'href="{url("commune_history", commune)}"')


def test_workspace_of_a_commune_shows_a_district_reviewer_only_the_history(client):
    district = DistrictFactory(province=ProvinceFactory(valid_until=datetime.date(2025, 6, 30)))
    commune = CommuneFactory(legacy=True, district=district, province=district.province)
    client.force_login(user_with_role(Role.DISTRICT_REVIEWER, district))

    response = client.get(reverse("portal:unit_workspace", kwargs={"kind": "commune", "pk": commune.pk}))

    assertNotContains(response, f'href="{url("manage_home", commune)}"')
    assertContains(response, f'href="{url("commune_history", commune)}"')


def test_success_messages_speak_the_users_language(signed_in, commune):
    response = signed_in.post("/en" + url("manage_profile", commune), {"address": "Số 1 đường Trần Phú"}, follow=True)

    assertContains(response, "The profile of the one-stop shop is saved.")


def test_a_deadline_set_by_another_law_replaces_the_five_working_days(signed_in, commune, officer):
    """Law 10/2022 art. 12(3): 5 working days only where no other law sets the time to disclose."""
    common = {
        "commune": commune,
        "category": DisclosureCategory.BUDGET,
        "decision_date": DECIDED,
        "published_on": DECIDED + datetime.timedelta(days=20),
        "posted_until": DECIDED + datetime.timedelta(days=90),
        "document": real_pdf(),
        "by": officer,
    }
    by_default = disclosure_save(title="Theo Luật 10", **common)
    by_budget_law = disclosure_save(
        title="Theo Luật Ngân sách",
        due_on=DECIDED + datetime.timedelta(days=30),
        due_basis="Điều 15 Luật Ngân sách nhà nước số 83/2015/QH13",
        **common,
    )

    assert by_default.is_late
    assert not by_budget_law.is_late
    assert by_budget_law.deadline == DECIDED + datetime.timedelta(days=30)


def test_a_deadline_under_another_law_needs_the_law_named(signed_in, commune):
    data = disclosure_data(due_on=(DECIDED + datetime.timedelta(days=30)).isoformat(), due_basis=" ")

    response = signed_in.post(url("manage_disclosure_create", commune), data)

    assert response.status_code == 200
    assert "due_basis" in response.context["form"].errors
    assert not Disclosure.objects.exists()
