"""Feedback services: every write on feedback goes through these functions (see STYLE.md)."""

from feedback.services.common import (
    FeedbackError,
    action_url,
    format_code,
    forward_deadline,
    forwarded_in_time,
    officer_emails,
    reviewer_emails,
    staff_url,
    tracking_url,
)
from feedback.services.notifications import (
    notification_queue,
    notification_send,
    notifications_muted,
    notifications_send_pending,
)
from feedback.services.submission import CODE_ALPHABET, code_new, feedback_submit, normalise_code
from feedback.services.workflow import (
    feedback_accept,
    feedback_close_unresolved,
    feedback_dispute,
    feedback_extend,
    feedback_forward,
    feedback_mark_overdue,
    feedback_rate,
    feedback_redact,
    feedback_refuse,
    feedback_resolve,
    feedback_start,
)

__all__ = [
    "CODE_ALPHABET",
    "FeedbackError",
    "action_url",
    "code_new",
    "feedback_accept",
    "feedback_close_unresolved",
    "feedback_dispute",
    "feedback_extend",
    "feedback_forward",
    "feedback_mark_overdue",
    "feedback_rate",
    "feedback_redact",
    "feedback_refuse",
    "feedback_resolve",
    "feedback_start",
    "feedback_submit",
    "format_code",
    "forward_deadline",
    "forwarded_in_time",
    "normalise_code",
    "notification_queue",
    "notification_send",
    "notifications_muted",
    "notifications_send_pending",
    "officer_emails",
    "reviewer_emails",
    "staff_url",
    "tracking_url",
]
