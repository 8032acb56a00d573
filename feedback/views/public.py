"""STUB: to be written."""

from django.http import Http404


def commune_feedback(request, *args, **kwargs):
    raise Http404


def submit(request, *args, **kwargs):
    raise Http404


def lookup(request, *args, **kwargs):
    raise Http404


def track(request, *args, **kwargs):
    raise Http404


def qr(request, *args, **kwargs):
    raise Http404


def receipt(request, *args, **kwargs):
    raise Http404


def rate(request, *args, **kwargs):
    raise Http404


def dispute(request, *args, **kwargs):
    raise Http404


def photo(request, *args, **kwargs):
    raise Http404

