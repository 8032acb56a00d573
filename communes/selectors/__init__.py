"""Reads of the communes app that pages and the API share, one module per sub-domain."""

from communes.selectors.code_of_conduct import (
    CodeOfConductPage,
    CodeVersion,
    code_of_conduct_in_force,
    code_of_conduct_page,
)
from communes.selectors.disclosures import (
    DisclosureListRow,
    QuarterToList,
    commune_disclosure,
    disclosure_latest,
    disclosure_list_for_commune,
    disclosure_list_items,
    disclosure_list_of_quarter,
    disclosure_list_quarters,
    disclosure_list_rows,
    disclosure_lists_published,
)
from communes.selectors.page import CommunePage, commune_page
from communes.selectors.procedures import (
    commune_handles_procedure,
    commune_procedure,
    procedure_fields_for_commune,
    procedure_list_for_commune,
)
from communes.selectors.search import SUGGEST_LIMIT, CommuneSearchResult, FormedFrom, commune_search, search_words
from communes.selectors.statistics import statistics_recent
from communes.selectors.units import (
    UnitEnded,
    commune_for_public_page,
    commune_list_ended_before,
    commune_list_for_district,
    commune_list_for_province,
    province_list_for_browse,
    successors_today,
    unit_ended,
    unit_history,
    with_successors_today,
)

__all__ = [
    "SUGGEST_LIMIT",
    "CodeOfConductPage",
    "CodeVersion",
    "CommunePage",
    "CommuneSearchResult",
    "DisclosureListRow",
    "FormedFrom",
    "QuarterToList",
    "UnitEnded",
    "code_of_conduct_in_force",
    "code_of_conduct_page",
    "commune_disclosure",
    "commune_for_public_page",
    "commune_handles_procedure",
    "commune_list_ended_before",
    "commune_list_for_district",
    "commune_list_for_province",
    "commune_page",
    "commune_procedure",
    "commune_search",
    "disclosure_latest",
    "disclosure_list_for_commune",
    "disclosure_list_items",
    "disclosure_list_of_quarter",
    "disclosure_list_quarters",
    "disclosure_list_rows",
    "disclosure_lists_published",
    "procedure_fields_for_commune",
    "procedure_list_for_commune",
    "province_list_for_browse",
    "search_words",
    "statistics_recent",
    "successors_today",
    "unit_ended",
    "unit_history",
    "with_successors_today",
]
