"""STUB: to be written."""

from django.http import Http404


def manage_statistics(request, *args, **kwargs):
    raise Http404


def manage_statistics_month(request, *args, **kwargs):
    raise Http404


def manage_statistics_import(request, *args, **kwargs):
    raise Http404
