"""Feedback reads: the public side (figures, the commune's list, one item's timeline) and the staff
side (queues, due states, overdue and disputed items in a user's scope)."""

from feedback.selectors.public import (
    ACTOR_CITIZEN,
    ACTOR_COMMUNE,
    ACTOR_PORTAL,
    Access,
    Figures,
    PublicFeedback,
    TimelineStep,
    categories_for_commune,
    categories_open_for_commune,
    feedback_exists,
    feedback_figures,
    feedback_figures_for_commune,
    feedback_for_action,
    feedback_public,
    photo_to_serve,
    public_feedback_for_commune,
)

__all__ = [
    "ACTOR_CITIZEN",
    "ACTOR_COMMUNE",
    "ACTOR_PORTAL",
    "Access",
    "Figures",
    "PublicFeedback",
    "TimelineStep",
    "categories_for_commune",
    "categories_open_for_commune",
    "feedback_exists",
    "feedback_figures",
    "feedback_figures_for_commune",
    "feedback_for_action",
    "feedback_public",
    "photo_to_serve",
    "public_feedback_for_commune",
]
