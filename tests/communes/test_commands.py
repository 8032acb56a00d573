"""manage.py load_units: the operator's way into units_load."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from communes.models import Commune, District, Province

pytestmark = pytest.mark.django_db


def load_units(*args, **options) -> str:
    stdout = io.StringIO()
    with translation.override("en"):
        call_command("load_units", *args, stdout=stdout, **options)
    return stdout.getvalue()


def unit_counts() -> tuple[int, int, int]:
    return Province.objects.count(), District.objects.count(), Commune.objects.count()


def test_load_units_prints_a_summary_with_counts():
    output = load_units(province=["Bắc Giang"], period="legacy")

    # With huyện Yên Dũng and 17 communes that ended on 31 December 2024, linked to 6 units that took
    # them over (the sourced ones).
    assert output == "Tỉnh Bắc Giang: 224 created, 0 updated, 0 unchanged, 6 successor links added.\n"
    assert unit_counts() == (1, 11, 212)


def test_load_units_a_second_time_reports_everything_unchanged():
    load_units(province=["Bắc Giang"], period="legacy")

    output = load_units(province=["Bắc Giang"], period="legacy")

    assert output == "Tỉnh Bắc Giang: 0 created, 0 updated, 224 unchanged, 0 successor links added.\n"
    assert unit_counts() == (1, 11, 212)


def test_load_units_prints_one_line_per_province_given():
    output = load_units("--province", "Bắc Giang", "--province", "24", "--period", "all")

    assert output.splitlines() == [
        "Tỉnh Bắc Giang: 224 created, 0 updated, 0 unchanged, 6 successor links added.",
        # Code 24 is Bắc Giang before the reform and Bắc Ninh after it.
        "Tỉnh Bắc Giang, Tỉnh Bắc Ninh: 100 created, 0 updated, 224 unchanged, 193 successor links added.",
    ]


def test_load_units_reports_the_successor_links_it_adds():
    load_units(province=["Bắc Giang"], period="legacy")

    output = load_units(province=["Bắc Ninh"], period="current")

    assert output == "Tỉnh Bắc Ninh: 100 created, 0 updated, 0 unchanged, 193 successor links added.\n"


def test_load_units_rejects_an_unknown_province_and_changes_nothing():
    with pytest.raises(CommandError) as error:
        load_units(province=["Atlantis"], period="legacy")

    assert str(error.value) == "No province called “Atlantis” is known in the pre-July-2025 list of units."
    assert unit_counts() == (0, 0, 0)


def test_load_units_rejects_an_unknown_period_and_changes_nothing():
    with pytest.raises(CommandError) as error:
        load_units(province=["Bắc Giang"], period="1990")

    assert "1990" in str(error.value)
    assert unit_counts() == (0, 0, 0)
