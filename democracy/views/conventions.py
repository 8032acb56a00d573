"""Placeholder: replaced by the helper that builds these views."""

from django.http import Http404


def convention_create(request, **kwargs):
    raise Http404


def manage_convention(request, **kwargs):
    raise Http404


def version_create(request, **kwargs):
    raise Http404


def version_adopt(request, **kwargs):
    raise Http404


def version_recognise(request, **kwargs):
    raise Http404
