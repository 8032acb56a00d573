"""Public scoring pages. (Stubs; filled by the public-pages work.)"""

from django.http import Http404


def star_history(request, pk):
    raise Http404


def result(request, pk, year):
    raise Http404


def rankings(request, pk, year):
    raise Http404


def rankings_export(request, pk, year):
    raise Http404
