"""Filled in by the surveys work."""

from django.http import HttpResponse


def campaigns(request, pk):
    return HttpResponse("")


def campaign(request, pk):
    return HttpResponse("")


def review(request, pk):
    return HttpResponse("")


def comments(request, pk):
    return HttpResponse("")


def export(request, pk, what, fmt):
    return HttpResponse("")


def campaign_act(request, pk, action):
    return HttpResponse("")


def commune_surveys(request, pk):
    return HttpResponse("")


def codes_print(request, pk):
    return HttpResponse("")


def kiosk_retire(request, pk):
    return HttpResponse("")
