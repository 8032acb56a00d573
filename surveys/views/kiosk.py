"""Filled in by the surveys work."""

from django.http import HttpResponse


def kiosk(request, pk):
    return HttpResponse("")


def submit(request, pk):
    return HttpResponse("")
