import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, RoleAssignment, User
from accounts.services import RoleError, role_assign
from tests.communes.factories import CommuneFactory, ProvinceFactory
from tests.portal.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_staff_with_unverified_email_cannot_sign_in_and_gets_a_verification_mail(client):
    officer = user_with_role(Role.COMMUNE_OFFICER, CommuneFactory(), email_verified=False)
    response = sign_in(client, officer.email)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mail.outbox] == [[officer.email]]


def test_citizen_with_unverified_email_signs_in_and_lands_on_the_home_page(client):
    citizen = UserFactory(email_verified=False)
    response = sign_in(client, citizen.email)
    assert response.headers["Location"] == reverse("portal:home")
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_verified_staff_lands_on_the_workspace(client):
    officer = user_with_role(Role.COMMUNE_OFFICER, CommuneFactory())
    response = sign_in(client, officer.email)
    assert response.headers["Location"] == reverse("portal:workspace")


def test_sign_in_ignores_the_case_of_the_email_address(client):
    citizen = UserFactory(email="nguoi.dan@example.com")
    sign_in(client, "Nguoi.Dan@Example.COM")
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_wrong_password_is_refused_in_vietnamese(client):
    citizen = UserFactory()
    with translation.override("vi"):
        response = sign_in(client, citizen.email, "not-the-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "không đúng" in response.content.decode()  # allauth's message, from locale/allauth


def test_sign_up_keeps_full_name_and_phone(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "tran.thi.mai@example.com",
            "full_name": "Trần Thị Mai",
            "phone": "0912 345 678",
            "password1": "Mot-mat-khau-dai-2026",
            "password2": "Mot-mat-khau-dai-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="tran.thi.mai@example.com")
    assert (user.full_name, user.phone) == ("Trần Thị Mai", "0912 345 678")
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_sign_up_with_a_bad_phone_explains_in_vietnamese_and_creates_nobody(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "sai.so@example.com",
            "phone": "gọi tôi",
            "password1": "Mot-mat-khau-dai-2026",
            "password2": "Mot-mat-khau-dai-2026",
        },
    )
    assert response.status_code == 200
    assert "Nhập số điện thoại" in response.content.decode()
    assert not User.objects.filter(email="sai.so@example.com").exists()


def test_role_assign_refuses_a_place_of_the_wrong_kind():
    with pytest.raises(RoleError):
        role_assign(user=UserFactory(), role=Role.DOHA_STAFF, place=CommuneFactory())
    assert not RoleAssignment.objects.exists()


def test_role_assign_twice_keeps_one_assignment_with_its_history():
    user, commune = UserFactory(), CommuneFactory()
    first = role_assign(user=user, role=Role.COMMUNE_OFFICER, place=commune)
    second = role_assign(user=user, role=Role.COMMUNE_OFFICER, place=commune)
    assert first == second
    assert RoleAssignment.objects.count() == 1
    assert first.history.count() == 1


def test_a_user_may_hold_several_roles():
    user, commune, province = UserFactory(), CommuneFactory(), ProvinceFactory()
    role_assign(user=user, role=Role.COMMUNE_OFFICER, place=commune)
    role_assign(user=user, role=Role.DOHA_STAFF, place=province)
    assert set(user.role_assignments.values_list("role", flat=True)) == {Role.COMMUNE_OFFICER, Role.DOHA_STAFF}


def test_the_database_refuses_a_role_without_its_place():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=UserFactory(), role=Role.COMMUNE_OFFICER, province=ProvinceFactory())
