"""Feedback models: the items and their rules (``items``), the province's categories, the mail outbox
and the monthly figures scoring reads."""

from feedback.models.categories import Category
from feedback.models.items import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    DISPUTE_WINDOW_DAYS,
    FINAL_STATUSES,
    FORWARD_WITHIN_WORKING_DAYS,
    MAX_PHOTOS,
    OPEN_STATUSES,
    RATABLE_STATUSES,
    REASON_MAX,
    TITLE_MAX,
    TOO_MANY_PHOTOS,
    TRANSITIONS,
    Event,
    Feedback,
    FeedbackQuerySet,
    Photo,
    RefusalReason,
    Status,
    dispute_window_end,
    may_be_rated,
    photo_path,
)
from feedback.models.monthly import MonthlyFigures
from feedback.models.notifications import Notification

__all__ = [
    "ANSWER_MAX",
    "DESCRIPTION_MAX",
    "DISPUTE_WINDOW_DAYS",
    "FINAL_STATUSES",
    "FORWARD_WITHIN_WORKING_DAYS",
    "MAX_PHOTOS",
    "OPEN_STATUSES",
    "RATABLE_STATUSES",
    "REASON_MAX",
    "TITLE_MAX",
    "TOO_MANY_PHOTOS",
    "TRANSITIONS",
    "Category",
    "Event",
    "Feedback",
    "FeedbackQuerySet",
    "MonthlyFigures",
    "Notification",
    "Photo",
    "RefusalReason",
    "Status",
    "dispute_window_end",
    "may_be_rated",
    "photo_path",
]
