"""Following a village by e-mail: double opt-in, no duplicates, nothing told about an address, one-click
unsubscribe, and the news of a matter to confirmed followers only."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from democracy import tasks
from democracy.models import Subscription
from democracy.services.subscriptions import subscribers_notify, subscriptions_expire
from tests.celery_worker import eager_tasks  # noqa: F401 - an autouse fixture for every test here
from tests.democracy.factories import VillageFactory, village_with_households
from tests.democracy.test_public import online_matter

pytestmark = pytest.mark.django_db


def subscribe(client, village, email="dan@example.com"):
    return client.post(reverse("democracy:village_subscribe", kwargs={"pk": village.pk}), {"email": email})


def link_in(message, name: str) -> str:
    """The path of the mail's link whose address contains ``name``."""
    line = next(line for line in message.body.splitlines() if "/subscriptions/" in line and name in line)
    return urlsplit(line.strip()).path


def test_double_opt_in_confirms_only_from_the_mail(client, django_capture_on_commit_callbacks):
    village = VillageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, village, "Dan@Example.com ")
    assert response.status_code == 200 and 'id="subscription-sent"' in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.email == "dan@example.com" and subscription.confirmed_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dan@example.com"]
    confirm = link_in(mail.outbox[0], "confirm")
    # Opening the link (a mail scanner would) confirms nothing; the button does.
    assert client.get(confirm).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.post(confirm).status_code == 302
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_asking_again_never_duplicates_and_answers_the_same(client, django_capture_on_commit_callbacks):
    village = VillageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = subscribe(client, village).content.decode()
    Subscription.objects.update(confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        again = subscribe(client, village).content.decode()
    assert Subscription.objects.count() == 1
    assert again == first  # the page does not tell an address following from a new one
    assert len(mail.outbox) == 1  # a second mail within minutes would make the form a mail bomb


def test_a_page_never_shows_a_follower_address(client, django_capture_on_commit_callbacks):
    village = VillageFactory()
    subscribe(client, village, "bi-mat@example.com")
    Subscription.objects.update(confirmed_at=timezone.now())
    assert "bi-mat@example.com" not in client.get(village.get_absolute_url()).content.decode()
    commune_page = client.get(reverse("democracy:commune_democracy", kwargs={"pk": village.commune.pk}))
    assert "bi-mat@example.com" not in commune_page.content.decode()


def test_bad_addresses_and_robots_change_nothing(client):
    village = VillageFactory()
    assert subscribe(client, village, "not-an-address").status_code == 400
    robot = client.post(
        reverse("democracy:village_subscribe", kwargs={"pk": village.pk}),
        {"email": "robot@example.com", "website": "http://spam"},
    )
    assert robot.status_code == 200
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_unsubscribe_stops_every_mail_in_one_click(client):
    village = VillageFactory()
    subscription = Subscription.objects.create(
        village=village, email="dan@example.com", token="t" * 43, confirmed_at=timezone.now()
    )
    url = reverse("democracy:subscription_cancel", kwargs={"token": subscription.token})
    assert client.get(url).status_code == 200 and Subscription.objects.exists()
    # A mail program posts without a CSRF token (RFC 8058).
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and not Subscription.objects.exists()
    assert client.post(url).status_code == 200  # twice is harmless


def test_followers_hear_when_a_matter_opens_and_is_ruled_on(django_capture_on_commit_callbacks):
    village = village_with_households(3)
    Subscription.objects.create(
        village=village, email="theo-doi@example.com", token="a" * 43, confirmed_at=timezone.now()
    )
    Subscription.objects.create(village=village, email="chua-xac-nhan@example.com", token="b" * 43)
    Subscription.objects.create(
        village=VillageFactory(), email="thon-khac@example.com", token="c" * 43, confirmed_at=timezone.now()
    )
    matter = online_matter(village)
    with django_capture_on_commit_callbacks(execute=True):
        subscribers_notify(matter, "opened")
    assert [message.to for message in mail.outbox] == [["theo-doi@example.com"]]
    message = mail.outbox[0]
    assert matter.title in message.subject
    assert f"/matters/{matter.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_a_stopped_broker_never_turns_the_request_into_an_error(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(tasks.send_subscription_mail, "delay", broker_down)
    village = VillageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, village)
    assert response.status_code == 200
    assert Subscription.objects.count() == 1


def test_unconfirmed_requests_expire(client):
    village = VillageFactory()
    subscribe(client, village)
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    token = Subscription.objects.get().token
    response = client.post(reverse("democracy:subscription_confirm", kwargs={"token": token}))
    assert response.status_code == 404
    assert subscriptions_expire() == 1
    assert not Subscription.objects.exists()
