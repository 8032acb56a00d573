"""Writes of the communes app, one module per sub-domain; the names below are the public ones."""

from communes.services.catalogue import CatalogueError, code_of_conduct_publish, procedure_save
from communes.services.disclosure_lists import (
    DisclosureListError,
    disclosure_list_check,
    disclosure_list_publish,
    disclosure_list_republish,
)
from communes.services.one_stop import (
    OneStopError,
    commune_procedures_set,
    disclosure_delete,
    disclosure_save,
    duty_leaders_replace,
    facilities_save,
    officer_delete,
    officer_save,
    opening_exception_delete,
    opening_exception_save,
    opening_hours_replace,
    shop_update,
    shop_verify,
)
from communes.services.statistics import (
    ImportReport,
    RowError,
    StatisticsError,
    statistics_save,
)
from communes.services.statistics_import import statistics_import
from communes.services.units import PERIODS, UnitsError, UnitsLoadResult, units_load

__all__ = [
    "PERIODS",
    "CatalogueError",
    "DisclosureListError",
    "ImportReport",
    "OneStopError",
    "RowError",
    "StatisticsError",
    "UnitsError",
    "UnitsLoadResult",
    "code_of_conduct_publish",
    "commune_procedures_set",
    "disclosure_delete",
    "disclosure_list_check",
    "disclosure_list_publish",
    "disclosure_list_republish",
    "disclosure_save",
    "duty_leaders_replace",
    "facilities_save",
    "officer_delete",
    "officer_save",
    "opening_exception_delete",
    "opening_exception_save",
    "opening_hours_replace",
    "procedure_save",
    "shop_update",
    "shop_verify",
    "statistics_import",
    "statistics_save",
    "units_load",
]
