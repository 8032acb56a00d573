"""The communes app's models, one module per sub-domain."""

from communes.models.disclosures import (
    PERMANENT_CATEGORIES,
    CodeOfConduct,
    Disclosure,
    DisclosureCategory,
    DisclosureList,
)
from communes.models.one_stop import (
    CounterOfficer,
    DutyLeader,
    Facility,
    FacilityKind,
    OneStopShop,
    OpeningException,
    OpeningHours,
    Weekday,
)
from communes.models.procedures import CommuneProcedure, OnlineLevel, Procedure
from communes.models.statistics import FIGURES, DossierStatistics
from communes.models.units import (
    COMMUNE_TYPES,
    DISTRICT_TYPES,
    PROVINCE_TYPES,
    AdministrativeUnit,
    Commune,
    District,
    DivisionType,
    Province,
    official_name,
)
from communes.models.villages import HEAD_TITLES, Village, VillageKind

__all__ = [
    "COMMUNE_TYPES",
    "DISTRICT_TYPES",
    "FIGURES",
    "HEAD_TITLES",
    "PERMANENT_CATEGORIES",
    "PROVINCE_TYPES",
    "AdministrativeUnit",
    "CodeOfConduct",
    "Commune",
    "CommuneProcedure",
    "CounterOfficer",
    "Disclosure",
    "DisclosureCategory",
    "DisclosureList",
    "District",
    "DivisionType",
    "DossierStatistics",
    "DutyLeader",
    "Facility",
    "FacilityKind",
    "OneStopShop",
    "OnlineLevel",
    "OpeningException",
    "OpeningHours",
    "Procedure",
    "Province",
    "Village",
    "VillageKind",
    "Weekday",
    "official_name",
]
