"""Demo feedback: a year of items in every state, made once, telling nobody."""

import random
from collections import Counter

import pytest
from django.utils import timezone

from communes.services import communes_demo_ensure
from feedback.models import Event, Feedback, Notification, RefusalReason, Status
from feedback.services import demo as demo_service
from feedback.services.demo import DEMO_ITEMS, feedback_demo_ensure, feedback_demo_summary

pytestmark = pytest.mark.django_db


def test_the_demo_makes_a_year_of_items_in_every_state_once_and_tells_nobody(real_units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    communes_demo_ensure()
    assert feedback_demo_ensure() == DEMO_ITEMS

    items = Feedback.objects.all()
    assert set(Counter(items.values_list("status", flat=True))) == set(Status.values)
    refusals = set(items.filter(status=Status.REFUSED).values_list("refusal_reason", flat=True))
    assert refusals == set(RefusalReason.values)
    assert items.filter(rating__isnull=False, status=Status.RESOLVED).exists()
    assert items.filter(rating__isnull=False, status=Status.CLOSED_UNRESOLVED).exists()
    assert items.filter(disputes__gt=0, status=Status.IN_PROGRESS).exists()
    assert items.filter(disputes__gt=0, status=Status.RESOLVED).exists()
    assert items.filter(overdue_notified_at__isnull=False).exists()
    assert items.filter(extension_reason__gt="").exists()
    assert items.values("commune").distinct().count() >= 3
    assert not Notification.objects.exists()

    now = timezone.now()
    assert 300 <= (now - items.order_by("submitted_at").first().submitted_at).days <= 366
    for feedback in items.prefetch_related("events"):
        times = [event.at for event in feedback.events.all()]
        assert times[0] == feedback.submitted_at
        assert all(feedback.submitted_at <= at <= now for at in times)
        if feedback.answered_at:
            assert feedback.submitted_at < feedback.answered_at <= now

    events = Event.objects.count()
    assert feedback_demo_ensure() == 0
    assert (Feedback.objects.count(), Event.objects.count()) == (DEMO_ITEMS, events)
    assert f"{DEMO_ITEMS}" in feedback_demo_summary(0)


def test_the_demo_is_the_same_on_every_run(real_units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    communes_demo_ensure()
    province = demo_service._province()
    communes = demo_service._demo_communes(province)
    categories = demo_service._categories(province)
    now = timezone.now()

    def draw():
        specs = demo_service._specs(random.Random(demo_service.SEED), communes, categories, now)  # noqa: S311
        return [(spec.commune.pk, spec.category.pk, spec.outcome, spec.submitted_at, spec.title) for spec in specs]

    assert draw() == draw()


def test_without_the_demo_communes_the_demo_makes_nothing(db):
    assert feedback_demo_ensure() == 0
