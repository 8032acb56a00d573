"""Sign-in and sign-up under attack: the admin's sign-in is the portal's rate-limited one, and sign-up
never tells whether an address already has an account."""

import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse

from accounts.adapters import AccountAdapter
from accounts.models import Role, User
from tests.communes.factories import CommuneFactory
from tests.portal.factories import PASSWORD, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mot-mat-khau-dai-2026"


# --- The admin's sign-in ------------------------------------------------------------------------------


def test_the_admin_login_page_sends_to_the_portal_sign_in_with_the_next_page(client):
    response = client.get(reverse("admin:login") + "?next=/admin/communes/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?{urlencode({'next': '/admin/communes/'})}"


def test_the_admin_login_does_not_pass_a_foreign_next_page_on(client):
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")

    assert response["Location"] == f"{reverse('account_login')}?{urlencode({'next': reverse('admin:index')})}"


def test_a_password_posted_to_the_admin_login_is_never_checked(client, monkeypatch):
    admin = UserFactory(is_superuser=True)
    checked = []
    monkeypatch.setattr(AccountAdapter, "authenticate", lambda self, request, **kw: checked.append(kw))

    response = client.post(reverse("admin:login"), {"username": admin.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert checked == []


def test_the_sixteenth_wrong_password_for_the_admin_is_refused_without_checking_it(client, monkeypatch):
    admin = UserFactory(is_superuser=True)
    sign_in_url = client.get(reverse("admin:login") + "?next=/admin/")["Location"]
    for _attempt in range(15):
        client.post(sign_in_url, {"login": admin.email, "password": "not-the-password"})
    checked = []
    original = User.check_password

    def spy(self, raw_password):
        checked.append(raw_password)
        return original(self, raw_password)

    monkeypatch.setattr(User, "check_password", spy)

    response = client.post(sign_in_url, {"login": admin.email, "password": PASSWORD})

    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
    assert checked == []  # refused on the count alone: the right password is no help


def test_the_admin_signs_in_through_the_portal_and_lands_on_the_admin(client):
    admin = UserFactory(is_superuser=True)
    sign_in_url = client.get(reverse("admin:login") + "?next=/admin/")["Location"]

    response = client.post(sign_in_url, {"login": admin.email, "password": PASSWORD})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_user_without_admin_rights_is_refused_not_looped(client):
    client.force_login(UserFactory())

    assert client.get(reverse("admin:login")).status_code == 403


# --- Sign-up does not tell which addresses are known ------------------------------------------------


def sign_up(client, email: str):
    return client.post(
        reverse("account_signup"),
        {"email": email, "full_name": "Trần Thị Mai", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def page(client, response, email: str) -> tuple[int, str, str]:
    """The answer to a sign-up as the person signing up sees it, their own address and the CSRF token
    (which differ from any request to the next) masked."""
    followed = client.get(response["Location"]) if response.status_code == 302 else response
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", followed.content.decode())
    return response.status_code, response.get("Location", ""), html.replace(email, "ADDRESS")


@pytest.mark.parametrize("kind", ["citizen", "staff"])
def test_sign_up_with_a_known_address_answers_exactly_as_with_a_new_one(client, kind):
    if kind == "staff":
        known = user_with_role(Role.COMMUNE_OFFICER, CommuneFactory(), email="can.bo@example.com")
    else:
        known = UserFactory(email="nguoi.dan@example.com")

    answer_new = page(client, sign_up(client, "moi.dang.ky@example.com"), "moi.dang.ky@example.com")
    client.logout()
    mail.outbox.clear()
    answer_known = page(client, sign_up(client, known.email), known.email)

    assert answer_known == answer_new
    assert answer_known[1] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=known.email).count() == 1
    # The owner of the known address hears of the attempt; nothing else is sent anywhere.
    assert [message.to for message in mail.outbox] == [[known.email]]


def test_sign_up_with_a_known_address_in_other_capitals_makes_no_second_account(client):
    UserFactory(email="nguoi.dan@example.com")

    response = sign_up(client, "Nguoi.Dan@Example.com")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="nguoi.dan@example.com").count() == 1
    assert "_auth_user_id" not in client.session


# --- Behind the TLS proxy, each citizen has their own sign-in limit -----------------------------------


def test_behind_a_trusted_proxy_failed_sign_ins_count_per_citizen_not_per_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    citizen = UserFactory()
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    neighbour = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for number in range(12):  # allauth allows 10 failures a minute from one address
        client.post(reverse("account_login"), {"login": f"x{number}@example.com", "password": "x"}, **attacker)

    refused = client.post(reverse("account_login"), {"login": citizen.email, "password": PASSWORD}, **attacker)
    signed_in = client.post(reverse("account_login"), {"login": citizen.email, "password": PASSWORD}, **neighbour)

    assert "_auth_user_id" in client.session
    assert refused.status_code in {200, 429} and signed_in.status_code == 302
