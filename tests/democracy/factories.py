"""Villages, households and matters for the democracy tests."""

from __future__ import annotations

import factory

from communes.models import Village, VillageKind
from democracy.models import Household
from tests.communes.factories import CommuneFactory


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    commune = factory.SubFactory(CommuneFactory)
    kind = VillageKind.THON
    name = factory.Sequence(lambda n: f"Thôn thử {n}")
    households = 10
    head_name = "Nguyễn Văn Trưởng"
    front_head_name = "Trần Thị Mặt Trận"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    village = factory.SubFactory(VillageFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    head_name = factory.Sequence(lambda n: f"Chủ hộ {n}")


def village_with_households(n: int = 10, **kwargs) -> Village:
    """A village whose list holds ``n`` households living there, and says so."""
    village = VillageFactory(households=n, **kwargs)
    HouseholdFactory.create_batch(n, village=village)
    return village
