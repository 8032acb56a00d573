"""Placeholder: replaced by the helper that builds these views."""

from django.http import Http404


def commune_democracy(request, **kwargs):
    raise Http404


def commune_calendar_ics(request, **kwargs):
    raise Http404


def village_detail(request, **kwargs):
    raise Http404


def village_subscribe(request, **kwargs):
    raise Http404


def subscription_confirm(request, **kwargs):
    raise Http404


def subscription_cancel(request, **kwargs):
    raise Http404


def matter_detail(request, **kwargs):
    raise Http404


def matter_document(request, **kwargs):
    raise Http404


def matter_vote(request, **kwargs):
    raise Http404


def decision_minutes(request, **kwargs):
    raise Http404


def ballot_lookup(request, **kwargs):
    raise Http404


def ballot(request, **kwargs):
    raise Http404


def convention_detail(request, **kwargs):
    raise Http404


def convention_document(request, **kwargs):
    raise Http404
