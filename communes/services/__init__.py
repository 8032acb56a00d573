"""Writes of the communes app, one module per sub-domain; the names below are the public ones."""

from communes.services.units import PERIODS, UnitsError, UnitsLoadResult, units_load

__all__ = ["PERIODS", "UnitsError", "UnitsLoadResult", "units_load"]
