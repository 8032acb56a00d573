"""Placeholder: replaced by the helper that builds these views."""

from django.http import Http404


def manage_villages(request, **kwargs):
    raise Http404


def village_create(request, **kwargs):
    raise Http404


def villages_import(request, **kwargs):
    raise Http404


def manage_village(request, **kwargs):
    raise Http404


def village_update(request, **kwargs):
    raise Http404
