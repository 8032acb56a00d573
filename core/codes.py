"""One-time codes read off paper (ballots, visit codes): no 0/O or 1/I to misread."""

from __future__ import annotations

import secrets

PAPER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def paper_code(length: int = 8) -> str:
    return "".join(secrets.choice(PAPER_ALPHABET) for _index in range(length))


def normalise(text: str) -> str:
    """What a person typed (spaces, dashes, lower case) as a code."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())
