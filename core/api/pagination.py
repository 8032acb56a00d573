"""Pages of lists: ``?page=2&page_size=50``, with the count and the neighbours' links.

Both parameters are checked: a page size or number that is not a whole number from 1 is a 400 that says
so, not a default silently applied (a client that sends page_size=500 is told the maximum)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

NOT_A_PAGE = _("A whole number from 1 is expected.")
TOO_LARGE = _("At most %(maximum)d.")


def _whole_number(name: str, raw: str, maximum: int | None = None) -> int:
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ValidationError({name: [NOT_A_PAGE]})
    if maximum is not None and int(raw) > maximum:
        raise ValidationError({name: [TOO_LARGE % {"maximum": maximum}]})
    return int(raw)


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        return self.page_size if raw is None else _whole_number("page_size", raw, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None:
            _whole_number("page", raw)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
