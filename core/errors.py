"""The one base of every service's refusal, so that the pages and the API each map refusals once.

A service raises its app's error (FeedbackError, SurveyError, ...) with a message for the person who
asked; pages show it on the form, the API answers 400 (or ``status``) with ``code`` and the message in
the language of the request (core.api.errors)."""

from __future__ import annotations


class ServiceError(Exception):
    """A request the service refused: nothing was changed. ``code`` is stable across languages and
    releases, for programs; the message is for people."""

    code = "refused"
    status = 400
