"""Placeholder: replaced by the helper that builds these views."""

from django.http import Http404


def manage_households(request, **kwargs):
    raise Http404


def household_edit(request, **kwargs):
    raise Http404


def household_verify(request, **kwargs):
    raise Http404


def households_import(request, **kwargs):
    raise Http404
