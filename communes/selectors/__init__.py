"""Reads of the communes app that pages and the API share, one module per sub-domain."""

from communes.selectors.units import (
    commune_detail,
    commune_list_for_district,
    commune_list_for_province,
    province_list_for_browse,
    unit_history,
)

__all__ = [
    "commune_detail",
    "commune_list_for_district",
    "commune_list_for_province",
    "province_list_for_browse",
    "unit_history",
]
