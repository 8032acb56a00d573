import datetime

import factory

from communes.models import Commune, District, DivisionType, Province

LEGACY_UNTIL = datetime.date(2025, 6, 30)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh mẫu {n}")
    division_type = DivisionType.PROVINCE


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    province = factory.SubFactory(ProvinceFactory, valid_until=LEGACY_UNTIL)
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Huyện mẫu {n}")
    division_type = DivisionType.RURAL_DISTRICT
    valid_until = LEGACY_UNTIL


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    province = factory.SubFactory(ProvinceFactory)
    district = None
    code = factory.Sequence(lambda n: f"{n % 100000:05d}")
    name = factory.Sequence(lambda n: f"Xã mẫu {n}")
    division_type = DivisionType.COMMUNE

    class Params:
        legacy = factory.Trait(
            district=factory.SubFactory(DistrictFactory),
            province=factory.SelfAttribute("district.province"),
            valid_until=LEGACY_UNTIL,
        )
