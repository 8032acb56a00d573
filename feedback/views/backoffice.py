"""STUB: to be written."""

from django.http import Http404


def queue(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def act(request, *args, **kwargs):
    raise Http404


def overdue(request, *args, **kwargs):
    raise Http404


def categories(request, *args, **kwargs):
    raise Http404

