"""Thin Celery wrappers around the survey services; each is safe to run twice."""

from celery import shared_task

from surveys.models import Campaign
from surveys.services import statistics_refresh, statistics_refresh_open


@shared_task(acks_late=True)
def refresh_campaign_statistics(campaign_id: int) -> int:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return statistics_refresh(campaign=campaign) if campaign else 0


@shared_task(acks_late=True)
def refresh_statistics() -> int:
    """Every 10 minutes: the stored figures of open campaigns (pages never aggregate raw rows)."""
    return statistics_refresh_open()
