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


def democracy_scene(commune, by) -> dict[str, dict]:
    """One of each democracy record in ``commune``, as the URL arguments of the loaders in
        democracy/views/common.py (by their names): a village with households, a matter whose ballots are
        open, a convention with a draft version; and the records of consultations, conferences and oversight
    (each feature module's ``post_scene`` in tests/democracy/matrix/)."""
    import datetime

    from django.utils import timezone

    from democracy.models import Category, Convention, ConventionKind, ConventionVersion, Form, Proposer
    from democracy.services import matter_open, matter_propose

    village = village_with_households(3, commune=commune)
    matter = matter_propose(
        commune=commune,
        village=village,
        title="Nạo vét kênh tiêu thôn",
        summary="Mỗi hộ góp hai ngày công.",
        category=Category.CONTRIBUTIONS,
        form=Form.BALLOT,
        proposer=Proposer.VILLAGE_HEAD,
        by=by,
    )
    now = timezone.now()
    matter_open(
        matter=matter, starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=3), by=by
    )
    convention = Convention.objects.create(village=village, kind=ConventionKind.QUY_UOC, title="Quy ước thôn")
    version = ConventionVersion.objects.create(convention=convention, number=1, text="Điều 1.", created_by=by)
    from tests.democracy.matrix import FEATURES

    return {
        **{name: kwargs for feature in FEATURES for name, kwargs in feature.post_scene(commune, village, by).items()},
        "_village": {"pk": village.pk},
        "_matter": {"pk": matter.pk},
        "_village_decision": {"pk": matter.decisions.get().pk},
        "_household": {"pk": village.pk, "household_pk": village.household_list.first().pk},
        "_household_or_new": {"pk": village.pk, "household_pk": village.household_list.first().pk},
        "_convention": {"pk": convention.pk},
        "_convention_version": {"pk": version.pk},
    }
