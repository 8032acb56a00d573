"""STUB: to be written."""

from django.http import Http404


def code_of_conduct(request, *args, **kwargs):
    raise Http404


def commune_search(request, *args, **kwargs):
    raise Http404


from communes.views.units import CommuneDetailView  # noqa: E402

commune_detail = CommuneDetailView.as_view()


def procedure_list(request, *args, **kwargs):
    raise Http404


def procedure_detail(request, *args, **kwargs):
    raise Http404


def procedure_qr(request, *args, **kwargs):
    raise Http404


def procedure_poster(request, *args, **kwargs):
    raise Http404


def disclosure_list(request, *args, **kwargs):
    raise Http404


def disclosure_document(request, *args, **kwargs):
    raise Http404
