"""The feedback app's API views: the public side and the staff side."""

from feedback.api.views.public import (
    FeedbackDetail,
    FeedbackDispute,
    FeedbackListCreate,
    FeedbackRating,
    MyFeedbackList,
    ProvinceCategoryList,
)
from feedback.api.views.staff import CommuneQueue, FeedbackAcceptance, FeedbackAnswer, FeedbackStaffDetail

__all__ = [
    "CommuneQueue",
    "FeedbackAcceptance",
    "FeedbackAnswer",
    "FeedbackDetail",
    "FeedbackDispute",
    "FeedbackListCreate",
    "FeedbackRating",
    "FeedbackStaffDetail",
    "MyFeedbackList",
    "ProvinceCategoryList",
]
