"""The democracy app's writes: plain functions named <entity>_<action> (DESIGN.md)."""

from democracy.services.errors import DemocracyError
from democracy.services.matters import (
    ballot_answer_online,
    ballot_by_code,
    ballot_enter,
    decision_cosign,
    decision_count,
    decision_send,
    decision_switch_to_ballots,
    decisions_count_due,
    household_of,
    matter_open,
    matter_propose,
    matter_recognise,
    matter_refuse,
    meeting_record,
    meeting_reschedule,
    vote_online,
)

__all__ = [
    "DemocracyError",
    "ballot_answer_online",
    "ballot_by_code",
    "ballot_enter",
    "decision_cosign",
    "decision_count",
    "decision_send",
    "decision_switch_to_ballots",
    "decisions_count_due",
    "household_of",
    "matter_open",
    "matter_propose",
    "matter_recognise",
    "matter_refuse",
    "meeting_record",
    "meeting_reschedule",
    "vote_online",
]
