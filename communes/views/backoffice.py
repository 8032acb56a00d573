"""STUB: to be written."""

from django.http import Http404


def manage_home(request, *args, **kwargs):
    raise Http404


def manage_profile(request, *args, **kwargs):
    raise Http404


def manage_verify(request, *args, **kwargs):
    raise Http404


def manage_hours(request, *args, **kwargs):
    raise Http404


def manage_exceptions(request, *args, **kwargs):
    raise Http404


def manage_facilities(request, *args, **kwargs):
    raise Http404


def manage_duty(request, *args, **kwargs):
    raise Http404


def manage_officers(request, *args, **kwargs):
    raise Http404


def manage_officer_edit(request, *args, **kwargs):
    raise Http404


def manage_officer_delete(request, *args, **kwargs):
    raise Http404


def manage_procedures(request, *args, **kwargs):
    raise Http404


def manage_disclosures(request, *args, **kwargs):
    raise Http404


def manage_disclosure_edit(request, *args, **kwargs):
    raise Http404


def manage_disclosure_delete(request, *args, **kwargs):
    raise Http404


def commune_history(request, *args, **kwargs):
    raise Http404
