"""The scoring benchmark's synthetic data (bench/scoring.py times the computation over it).

The province's data is stored as the portal stores it: survey responses turned into tallies by the
portal's own statistics_refresh, feedback items and feedback_monthly_refresh. The country's is written
as the aggregates scoring reads (tallies, monthly feedback figures). Both get the rows the computation
reads in any case: monthly dossier statistics, disclosures and one-stop pages.
"""

import datetime
import json
import random
import secrets
import time

from bench.common import RESPONSES, copy_rows, fast_inserts, normal_inserts, random_answers, vacuum
from core import clock

YEAR = 2025
# One-stop pages as the demo data fills them: two sessions a weekday and Saturday morning, the nine
# facilities, six counter officers, and most of the province's catalogue handled.
SESSIONS = [(day, opens, closes) for day in range(5) for opens, closes in [(7, 11), (13, 17)]] + [(5, 7, 11)]
OFFICERS, CATALOGUE, HANDLED, DISCLOSURES = 6, 120, 100, 20
REFRESH_DAY = datetime.date(YEAR, 11, 15)  # the day feedback_monthly_refresh counts overdue items on


# --- Data stored as the portal stores it (the province) ---------------------------------------------

# 100–500 in hundredths, 5% unanswered; from the first commune to the last, the share of satisfied
# visitors (4 or 5 of 5) rises from 54% to 94%, so points, stars and knock-outs vary across the province.
SCORE = (
    "CASE WHEN random() < 0.05 THEN NULL "
    "ELSE LEAST(500, 100 + (random() * (650 + 4000 * (i %% %(commune_count)s)::float / %(commune_count)s))::int) END"
)
# (questionnaire, last day, share of the responses, factor slots used)
CAMPAIGNS = [
    ("pks-motcua", datetime.date(YEAR, 6, 30), 0.35, 6),
    ("pks-motcua", datetime.date(YEAR, 10, 15), 0.35, 6),
    ("pks07-than-thien", datetime.date(YEAR, 9, 30), 0.30, 7),
]


def surveys_store(province, communes, responses: int, admin) -> dict:
    from django.db import connection

    from surveys.models import Campaign, Kiosk, Questionnaire, Response, Tally
    from surveys.selectors import questionnaire_structure
    from surveys.services import questionnaires_load, statistics_refresh

    questionnaires_load()
    kiosks = Kiosk.objects.bulk_create(
        Kiosk(commune=commune, name="Quầy trả kết quả", token=secrets.token_urlsafe(32)) for commune in communes
    )
    campaigns, first = [], 1
    start = time.perf_counter()
    fast_inserts()
    for code, last_day, share, slots in CAMPAIGNS:
        questionnaire = Questionnaire.objects.get(code=code, version=1)
        campaign = Campaign.objects.create(
            province=province,
            name=f"{code} {last_day:%m/%Y}",
            questionnaire=questionnaire,
            starts_on=last_day - datetime.timedelta(days=89),
            ends_on=last_day,
            status=Campaign.Status.CLOSED,
            created_by=admin,
        )
        campaign.communes.set(communes)
        count = round(responses * share) if len(campaigns) < len(CAMPAIGNS) - 1 else responses - first + 1
        answers = random_answers(questionnaire_structure(questionnaire), random.Random(len(campaigns)))  # noqa: S311
        scores = ", ".join([SCORE] * slots + ["NULL"] * (8 - slots))
        with connection.cursor() as cursor:
            cursor.execute(
                RESPONSES.format(day="%(last_day)s::date - i %% 90", scores=scores),
                {
                    "campaign": campaign.pk,
                    "communes": [commune.pk for commune in communes],
                    "kiosks": [kiosk.pk for kiosk in kiosks],
                    "commune_count": len(communes),
                    "last_day": last_day,
                    "answers": json.dumps(answers),
                    "first": first,
                    "last": first + count - 1,
                },
            )
        first += count
        campaigns.append(campaign)
    normal_inserts()
    vacuum(Response)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    tallies = sum(statistics_refresh(campaign=campaign) for campaign in campaigns)
    refreshed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('surveys_response'))")
        size = cursor.fetchone()[0]
    assert Tally.objects.filter(campaign__province=province).count() == tallies
    return {
        "responses": Response.objects.filter(campaign__province=province).count(),
        "campaigns": len(campaigns),
        "generated": generated,
        "size": size,
        "tallies": tallies,
        "refreshed": refreshed,
    }


def feedback_store(province, communes, count: int, rng: random.Random) -> dict:
    from django.db import transaction

    from feedback.models import Category, Feedback, RefusalReason, Status
    from feedback.services.monthly import feedback_monthly_refresh

    categories = Category.objects.bulk_create(
        Category(province=province, name=name, time_limit_days=10, position=index)
        for index, name in enumerate(["Đất đai", "Môi trường", "Giao thông", "Trật tự đô thị", "Khác"])
    )
    start_of_year = datetime.datetime(YEAR, 1, 1, tzinfo=datetime.UTC)
    refresh = datetime.datetime.combine(REFRESH_DAY, datetime.time(), tzinfo=datetime.UTC)
    outcomes = [
        (Status.RESOLVED, 0.75),
        (Status.CLOSED_UNRESOLVED, 0.05),
        (Status.REFUSED, 0.05),
        (Status.FORWARDED, 0.05),
        (Status.IN_PROGRESS, 0.05),
        (Status.ACCEPTED, 0.03),
        (Status.RECEIVED, 0.02),
    ]
    statuses, weights = zip(*outcomes, strict=True)
    answered_statuses = (Status.RESOLVED, Status.CLOSED_UNRESOLVED, Status.REFUSED, Status.FORWARDED)

    seconds = int((refresh - start_of_year).total_seconds())

    def rows():
        for index in range(count):
            submitted = start_of_year + datetime.timedelta(seconds=rng.randrange(seconds))
            # Items still open are recent ones; nine answers in ten come within the 14 days.
            recent = refresh - submitted < datetime.timedelta(days=30)
            status = rng.choices(statuses, weights)[0] if recent else rng.choices(statuses[:4], weights[:4])[0]
            answered = None
            if status in answered_statuses:
                days = rng.uniform(0.2, 13.5) if rng.random() < 0.9 else rng.uniform(14, 40)
                answered = min(submitted + datetime.timedelta(days=days), refresh)
            rated = status == Status.RESOLVED and rng.random() < 0.4
            yield {
                "code": f"BENCH{index:07d}",
                "action_key": secrets.token_hex(8),
                "commune_id": communes[index % len(communes)].pk,
                "category_id": categories[index % len(categories)].pk,
                "title": "Đèn đường hỏng",
                "description": "Ba cột đèn trước nhà văn hóa thôn không sáng.",
                "consent": True,
                "status": status,
                "refusal_reason": RefusalReason.OUT_OF_SCOPE if status == Status.REFUSED else "",
                "forwarded_to": "Công an tỉnh" if status == Status.FORWARDED else "",
                "submitted_at": submitted,
                "due_date": (submitted + datetime.timedelta(days=14)).date(),
                "answered_at": answered,
                "answer": "Đã xử lý." if answered else "",
                "rating": rng.choices([1, 2, 3, 4, 5], [1, 1, 2, 5, 6])[0] if rated else None,
            }

    start = time.perf_counter()
    with transaction.atomic():
        fast_inserts()
        copy_rows(Feedback, rows())
        normal_inserts()
    vacuum(Feedback)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    months = feedback_monthly_refresh(since=datetime.date(YEAR, 1, 1), today=REFRESH_DAY)
    return {"items": count, "generated": generated, "months": months, "refreshed": time.perf_counter() - start}


# --- Rows the computation reads in any case ---------------------------------------------------------


def dossier_rows(communes, rng: random.Random):
    for commune in communes:
        usual = rng.randint(150, 600)
        for month in range(1, 13):
            received = round(usual * rng.uniform(0.8, 1.2))
            pending = rng.randint(0, received // 25)
            resolved = received - pending
            late = rng.randint(0, max(1, resolved // rng.choice([10, 40, 200])))
            early = round((resolved - late) * rng.uniform(0.55, 0.8))
            online = round(received * rng.uniform(0.3, 0.9))
            yield {
                "commune_id": commune.pk,
                "month": datetime.date(YEAR, month, 1),
                "received": received,
                "resolved_early": early,
                "resolved_on_time": resolved - late - early,
                "resolved_late": late,
                "late_with_apology": rng.randint(0, late),
                "resolved_same_day": round(resolved * rng.uniform(0.3, 0.5)),
                "submitted_online": online,
                "paid_online": round(online * rng.uniform(0.2, 0.7)),
                "digitised": round(received * rng.uniform(0.5, 1.0)),
                "pending": pending,
            }


def disclosure_rows(communes, rng: random.Random):
    from communes.models import DisclosureCategory
    from communes.models.disclosures import PERMANENT_CATEGORIES
    from core.workdays import add_working_days

    categories = DisclosureCategory.values
    for commune in communes:
        covered = rng.randint(8, len(categories))
        for index in range(DISCLOSURES):
            category = categories[index % covered]
            decided = datetime.date(YEAR, 1, 2) + datetime.timedelta(days=rng.randrange(290))
            published = add_working_days(decided, rng.choice([1, 2, 3, 4, 5, 5, 6, 9]))
            yield {
                "commune_id": commune.pk,
                "title": f"Công khai nội dung {index + 1}",
                "category": category,
                "decision_date": decided,
                "published_on": published,
                "document": "disclosures/2025/cong-khai.pdf",
                "posted_until": None if category in PERMANENT_CATEGORIES else published + datetime.timedelta(days=60),
            }


def one_stop_store(provinces_communes, rng: random.Random) -> int:
    """A one-stop page for every commune and a catalogue for every province (COPY, table by table)."""

    from communes.models import (
        CommuneProcedure,
        CounterOfficer,
        Facility,
        FacilityKind,
        OneStopShop,
        OpeningHours,
        Procedure,
    )

    today = clock.today()
    communes = [commune for _province, rows in provinces_communes for commune in rows]
    copy_rows(
        OneStopShop,
        (
            {
                "commune_id": commune.pk,
                "address": "Trụ sở UBND xã",
                "phone": "" if rng.random() < 0.05 else "0204 3855 123",
                "verified_on": today - datetime.timedelta(days=rng.randrange(150)),
            }
            for commune in communes
        ),
    )
    shops = dict(OneStopShop.objects.filter(commune__in=communes).values_list("commune_id", "pk"))
    copy_rows(
        OpeningHours,
        (
            {"shop_id": shop, "weekday": day, "opens": datetime.time(opens), "closes": datetime.time(closes)}
            for shop in shops.values()
            for day, opens, closes in SESSIONS
        ),
    )
    copy_rows(
        Facility,
        (
            {"shop_id": shop, "kind": kind, "available": rng.random() < 0.85}
            for shop in shops.values()
            for kind in FacilityKind.values
        ),
    )
    copy_rows(
        CounterOfficer,
        (
            {
                "shop_id": shop,
                "full_name": f"Cán bộ {n}",
                "title": "Công chức",
                "field": "Hộ tịch",
                "duty_days": [n % 5],
            }
            for shop in shops.values()
            for n in range(OFFICERS)
        ),
    )
    copy_rows(
        Procedure,
        (
            {
                "province_id": province.pk,
                "code": f"1.{n:06d}",
                "name": f"Thủ tục {n}",
                "field": "Hộ tịch",
                "fee": "Miễn phí",
                "time_limit_days": 5,
                "online_level": "full",
            }
            for province, _rows in provinces_communes
            for n in range(CATALOGUE)
        ),
    )
    catalogue = {}
    for province_id, procedure_id in Procedure.objects.filter(
        province__in=[p for p, _rows in provinces_communes]
    ).values_list("province_id", "pk"):
        catalogue.setdefault(province_id, []).append(procedure_id)
    copy_rows(
        CommuneProcedure,
        (
            {"commune_id": commune.pk, "procedure_id": procedure_id}
            for commune in communes
            for procedure_id in rng.sample(catalogue[commune.province_id], HANDLED)
        ),
    )
    return len(shops)


def common_store(provinces_communes, rng: random.Random) -> dict:
    from django.db import transaction

    from communes.models import CommuneProcedure, Disclosure, DossierStatistics

    communes = [commune for _province, rows in provinces_communes for commune in rows]
    start = time.perf_counter()
    with transaction.atomic():
        fast_inserts()
        dossiers = copy_rows(DossierStatistics, dossier_rows(communes, rng))
        disclosures = copy_rows(Disclosure, disclosure_rows(communes, rng))
        shops = one_stop_store(provinces_communes, rng)
        normal_inserts()
    vacuum(DossierStatistics, Disclosure, CommuneProcedure)
    return {"dossiers": dossiers, "disclosures": disclosures, "shops": shops, "generated": time.perf_counter() - start}


# --- Aggregates written directly (the country) ------------------------------------------------------


# (questionnaire, share of a commune's responses, factor slots)
COUNTRY_CAMPAIGNS = [("pks-motcua", 0.65, 6), ("pks07-than-thien", 0.35, 7)]


def country_aggregates_store(provinces_communes, responses: int, admin, rng: random.Random) -> dict:
    """Per province a campaign of each questionnaire; per commune, channel and factor the tally its
    statistics_refresh would have stored; per commune and month the feedback figures."""
    from django.db import transaction
    from django.utils import timezone

    from feedback.models import MonthlyFigures
    from surveys.models import Campaign, Channel, Questionnaire, Tally
    from surveys.services import questionnaires_load

    questionnaires_load()
    questionnaires = {q.code: q for q in Questionnaire.objects.filter(version=1)}
    communes = sum(len(rows) for _province, rows in provinces_communes)
    per_commune, extra = divmod(responses, communes)
    ends_on = datetime.date(YEAR, 9, 30)
    channels = [(Channel.CODE, 0.3), (Channel.KIOSK, 0.4), (Channel.LINK, 0.3)]
    represented = 0
    now = timezone.now()

    def tallies(campaigns, rows):
        nonlocal represented
        for index, commune in enumerate(rows):
            total = per_commune + (1 if index < extra else 0)
            mood = rng.uniform(0.65, 0.99)
            for (code, share, slots), campaign in zip(COUNTRY_CAMPAIGNS, campaigns, strict=True):
                for channel, channel_share in channels:
                    count = round(total * share * channel_share)
                    represented += count
                    for slot in range(slots):
                        answered = round(count * (0.4 if code == "pks-motcua" and slot == 5 else 0.95))
                        satisfied = round(answered * min(1.0, mood * rng.uniform(0.9, 1.1)))
                        yield {
                            "campaign_id": campaign.pk,
                            "commune_id": commune.pk,
                            "slot": slot,
                            "channel": channel,
                            "answered": answered,
                            "satisfied": satisfied,
                            "total": answered * 380,
                            "responses": count,
                        }

    def months(rows):
        for commune in rows:
            for month in range(1, 13):
                received = rng.randint(0, 60)
                refused = rng.randint(0, received // 10)
                competent = received - refused
                late = rng.randint(0, competent // 6)
                rated = rng.randint(0, competent // 2)
                yield {
                    "commune_id": commune.pk,
                    "month": datetime.date(YEAR, month, 1),
                    "received": received,
                    "in_competence": competent,
                    "on_time": competent - late,
                    "late": late,
                    "rated": rated,
                    "unsatisfied": rng.randint(0, rated // 4),
                    "refreshed_at": now,
                }

    start = time.perf_counter()
    written = {"tallies": 0, "months": 0}
    with transaction.atomic():
        fast_inserts()
        for province, rows in provinces_communes:
            campaigns = []
            for code, _share, _slots in COUNTRY_CAMPAIGNS:
                campaign = Campaign.objects.create(
                    province=province,
                    name=f"{code} {ends_on:%m/%Y}",
                    questionnaire=questionnaires[code],
                    starts_on=ends_on - datetime.timedelta(days=89),
                    ends_on=ends_on,
                    status=Campaign.Status.CLOSED,
                    created_by=admin,
                )
                campaign.communes.set(rows)
                campaigns.append(campaign)
            written["tallies"] += copy_rows(Tally, tallies(campaigns, rows))
            written["months"] += copy_rows(MonthlyFigures, months(rows))
        normal_inserts()
    vacuum(Tally, MonthlyFigures)
    return {**written, "represented": represented, "generated": time.perf_counter() - start}
