"""Filled in by the surveys work."""

from django.http import HttpResponse


def commune_survey(request, pk):
    return HttpResponse("")


def code_entry(request):
    return HttpResponse("")


def thanks(request):
    return HttpResponse("")


def code_survey(request, code):
    return HttpResponse("")
