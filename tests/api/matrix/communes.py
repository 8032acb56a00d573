"""The communes app's API routes in the permission matrix (see tests/api/matrix/__init__.py).

Every read is public, as the pages are (units, one-stop pages, procedures, disclosures; the province's
catalogue too: the procedures are public by law). The pushes are the province's one-stop dossier
system's: an API key of that province with the scope (the scene's keys hold every scope); the key of
another province gets 404, accounts 401 or 403.
"""

from __future__ import annotations

import datetime

from communes.models import (
    FIGURES,
    CommuneProcedure,
    Disclosure,
    DisclosureCategory,
    DisclosureList,
    OneStopShop,
    OnlineLevel,
    Procedure,
)
from communes.services.statistics import last_complete_month
from tests.api.matrix import EVERYONE, SYSTEM, Route

LIST_YEAR, LIST_QUARTER = 2025, 4


def build(places) -> dict:
    """A one-stop shop, a procedure the commune handles, a disclosure and a posted quarterly list, all of
    the commune "here"."""
    OneStopShop.objects.create(commune=places.commune, address="Số 1 đường Trần Phú")
    procedure = Procedure.objects.create(
        province=places.province,
        code="1.001612",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        fee="Miễn phí",
        same_day=True,
        online_level=OnlineLevel.FULL,
    )
    CommuneProcedure.objects.create(commune=places.commune, procedure=procedure)
    day = datetime.date(2025, 11, 3)
    Disclosure.objects.create(
        commune=places.commune,
        title="Dự toán ngân sách xã năm 2026",
        category=DisclosureCategory.BUDGET,
        decision_date=day,
        published_on=day,
        posted_until=day + datetime.timedelta(days=30),
        document="disclosures/2025/du-toan.pdf",
    )
    posted = DisclosureList.objects.create(
        commune=places.commune, year=LIST_YEAR, quarter=LIST_QUARTER, items=[], published_on=datetime.date(2026, 1, 5)
    )
    return {"communes_procedure": procedure, "communes_quarterly_list": posted}


def _commune(p) -> dict:
    return {"pk": p.commune.pk}


def _province(p) -> dict:
    return {"pk": p.province.pk}


def _statistics(p) -> dict:
    figures = dict.fromkeys(FIGURES, 0)
    month = last_complete_month(commune=p.commune).strftime("%Y-%m")
    return {"rows": [{"commune_code": p.commune.code, "month": month, **figures}]}


def _procedures(p) -> dict:
    entry = {"code": "2.000001", "name": "Chứng thực bản sao", "field": "Chứng thực", "fee": "2.000 đồng/trang"}
    entry |= {"steps": ["Nộp bản chính và bản sao"], "documents": ["Bản chính giấy tờ"]}
    return {"procedures": [{**entry, "online_level": OnlineLevel.PARTIAL}]}


ROUTES: list[Route] = [
    Route("api:communes:province-list", get=EVERYONE),
    Route("api:communes:province-detail", kwargs=_province, get=EVERYONE),
    Route("api:communes:province-procedures", kwargs=_province, get=EVERYONE, post=SYSTEM, body=_procedures),
    Route("api:communes:province-dossier-statistics", kwargs=_province, post=SYSTEM, body=_statistics),
    Route("api:communes:district-list", get=EVERYONE),
    Route("api:communes:district-detail", kwargs=lambda p: {"pk": p.district.pk}, get=EVERYONE),
    Route("api:communes:commune-list", get=EVERYONE),
    Route("api:communes:commune-detail", kwargs=_commune, get=EVERYONE),
    Route("api:communes:commune-one-stop", kwargs=_commune, get=EVERYONE),
    Route("api:communes:commune-procedure-list", kwargs=_commune, get=EVERYONE),
    Route("api:communes:commune-disclosure-list", kwargs=_commune, get=EVERYONE),
    Route("api:communes:commune-disclosure-lists", kwargs=_commune, get=EVERYONE),
    Route(
        "api:communes:commune-disclosure-list-detail",
        kwargs=lambda p: {"pk": p.commune.pk, "year": LIST_YEAR, "quarter": LIST_QUARTER},
        get=EVERYONE,
    ),
]
