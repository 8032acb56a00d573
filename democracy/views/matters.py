"""Placeholder: replaced by the helper that builds these views."""

from django.http import Http404


def manage_matters(request, **kwargs):
    raise Http404


def commune_matter_create(request, **kwargs):
    raise Http404


def village_matter_create(request, **kwargs):
    raise Http404


def manage_matter(request, **kwargs):
    raise Http404


def matter_open(request, **kwargs):
    raise Http404


def matter_recognise(request, **kwargs):
    raise Http404


def matter_refuse(request, **kwargs):
    raise Http404


def meeting_record(request, **kwargs):
    raise Http404


def meeting_reschedule(request, **kwargs):
    raise Http404


def switch_to_ballots(request, **kwargs):
    raise Http404


def ballots_print(request, **kwargs):
    raise Http404


def ballot_enter(request, **kwargs):
    raise Http404


def decision_count(request, **kwargs):
    raise Http404


def decision_cosign(request, **kwargs):
    raise Http404


def decision_send(request, **kwargs):
    raise Http404
