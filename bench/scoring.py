"""Scoring benchmark on PostgreSQL: computing the year's assessments of a province and of the country,
each beside the bare aggregate queries over the same rows, measured in the same run.

1. A province of 209 communes in 10 districts, its data stored as the portal stores it: 2,000,000
   survey responses (rows with their factor scores, in campaigns of pks-motcua and pks07-than-thien)
   turned into tallies by the portal's own statistics_refresh; 100,000 feedback items and
   feedback_monthly_refresh; 12 months of dossier statistics per commune; disclosures; one-stop pages.
   Timed: assessments_compute for the whole province (the first computation, in which every line gets
   its points; runs that find new figures for every commune, so each stores and adopts 209 snapshots;
   runs that find nothing new), beside the five grouped queries it rests on, written bare, and the
   service's own reads of them (scoring.metrics.SOURCES).
2. The country: 34 provinces, 3,321 communes, 20 million survey responses. The generator writes the
   aggregates scoring reads (tallies per campaign × commune × factor × channel, monthly feedback figures,
   dossier statistics) instead of raw rows. Timed: assessments_compute of the 34 provinces' criteria
   sets one after the other (each province has its own set), beside the same bare queries province by
   province.

Needs PostgreSQL: DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/portal_bench) names
the server; a throw-away database portal_bench_scoring_<pid> is made there and dropped at the end.
The country is left out when the province's pace foretells more than COUNTRY_BUDGET_SECONDS for it.
Usage: make bench   (or: .venv/bin/python bench/scoring.py [--responses N] [--feedback N] [--country-runs N]
       [--skip province|country])
"""

import argparse
import datetime
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
PROVINCE_COMMUNES, PROVINCE_DISTRICTS = 209, 10
COUNTRY_PROVINCES, COUNTRY_COMMUNES, COUNTRY_RESPONSES = 34, 3321, 20_000_000
TARGET_PROVINCE_SECONDS, TARGET_COUNTRY_SECONDS = 2.0, 60.0
COUNTRY_BUDGET_SECONDS = 300  # the country's timed runs, as the province's per-commune time foretells them
# One-stop pages as the demo data fills them: two sessions a weekday and Saturday morning, the nine
# facilities, six counter officers, and most of the province's catalogue handled.
SESSIONS = [(day, opens, closes) for day in range(5) for opens, closes in [(7, 11), (13, 17)]] + [(5, 7, 11)]
OFFICERS, CATALOGUE, HANDLED, DISCLOSURES = 6, 120, 100, 20
REFRESH_DAY = datetime.date(YEAR, 11, 15)  # the day feedback_monthly_refresh counts overdue items on


def fail(message: str) -> None:
    print(f"bench/scoring.py: {message}", file=sys.stderr)
    sys.exit(2)


def timed(function, runs: int = 3, before=None) -> list[float]:
    """Wall times of ``runs`` calls; ``before`` runs untimed ahead of each."""
    timings = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return timings


# --- Writing rows fast ------------------------------------------------------------------------------


def copy_rows(model, rows) -> int:
    """COPY ``rows`` (dicts by attribute name; fields left out take their default) into ``model``'s table."""
    from django.db import connection
    from django.db.models import JSONField

    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = {field.attname: field.get_default() for field in fields}
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = defaults | row
            copy.write_row(
                [json.dumps(values[f.attname]) if isinstance(f, JSONField) else values[f.attname] for f in fields]
            )
            written += 1
    return written


def fast_inserts() -> None:
    """For the generator's session: no wait on the log at commit and, as a superuser, no foreign-key
    triggers (every id it writes exists by construction)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET session_replication_role = replica")


def normal_inserts() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET synchronous_commit = on")


def vacuum(*models) -> None:
    """What autovacuum would have done by the time a year's data is in."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def analyze() -> None:
    """Fresh planner statistics for every table, as autovacuum keeps them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Units ------------------------------------------------------------------------------------------


def units_make(code: str, name: str, communes: int, districts: int, first_code: int):
    from communes.models import Commune, District, DivisionType, Province
    from communes.text import fold

    province = Province.objects.create(code=code, name=name, division_type=DivisionType.PROVINCE)
    district_rows = District.objects.bulk_create(
        District(
            code=f"{code[-1]}{index:02d}",
            name=f"{name} {index + 1}",
            search_name=fold(f"{name} {index + 1}"),
            division_type=DivisionType.RURAL_DISTRICT,
            province=province,
        )
        for index in range(districts)
    )
    rows = Commune.objects.bulk_create(
        (
            Commune(
                code=f"{first_code + index:05d}",
                name=f"{name} xã {index + 1}",
                search_name=fold(f"{name} xa {index + 1}"),
                division_type=DivisionType.COMMUNE,
                province=province,
                district=district_rows[index % districts] if districts else None,
            )
            for index in range(communes)
        ),
        batch_size=2000,
    )
    return province, rows


# --- Data stored as the portal stores it (the province) ---------------------------------------------

RESPONSES = """
INSERT INTO surveys_response (
    campaign_id, commune_id, channel, submitted_on, language, answers, comment, comment_redacted,
    comment_reviewed, visit_code_id, kiosk_id, client_id, device, content_hash, flags, burst, excluded,
    exclusion_reason, excluded_by_id,
    score_0, score_1, score_2, score_3, score_4, score_5, score_6, score_7
)
SELECT
    %(campaign)s,
    (%(communes)s::int[])[1 + i %% %(commune_count)s],
    CASE WHEN i %% 10 < 7 THEN 'kiosk' ELSE 'link' END,
    %(last_day)s::date - i %% 90,
    'vi', %(answers)s::jsonb, '', '', false, NULL,
    CASE WHEN i %% 10 < 7 THEN (%(kiosks)s::int[])[1 + i %% %(commune_count)s] END,
    CASE WHEN i %% 10 < 7 THEN ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid END,
    CASE WHEN i %% 10 < 7 THEN '' ELSE lpad(to_hex(i), 32, '0') END,
    encode(sha256(i::text::bytea), 'hex'), '', '', false, '', NULL,
    {scores}
FROM generate_series(%(first)s, %(last)s) AS i
"""
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

    from bench.surveys import random_answers
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
                RESPONSES.format(scores=scores),
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
    from communes.workdays import add_working_days

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
    from django.utils import timezone

    from communes.models import (
        CommuneProcedure,
        CounterOfficer,
        Facility,
        FacilityKind,
        OneStopShop,
        OpeningHours,
        Procedure,
    )

    today = timezone.localdate()
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


# --- What is timed ----------------------------------------------------------------------------------


def bare_queries(commune_ids: list[int], start: datetime.date, end: datetime.date) -> dict[str, str]:
    """The five grouped reads behind the computation, as raw SQL over the same rows, without the
    scoring logic (no merging of predecessors, no metric, no points)."""
    return {
        "survey": (
            "SELECT t.commune_id, q.code, t.slot, sum(t.answered), sum(t.satisfied) FROM surveys_tally t "
            "JOIN surveys_campaign c ON c.id = t.campaign_id JOIN surveys_questionnaire q ON q.id = c.questionnaire_id "
            "WHERE t.commune_id = ANY(%(ids)s::bigint[]) AND t.channel IN ('code', 'kiosk') "
            "AND c.ends_on BETWEEN %(start)s AND %(end)s GROUP BY 1, 2, 3"
        ),
        "feedback": (
            "SELECT commune_id, sum(received), sum(in_competence), sum(on_time), sum(late), sum(rated), "
            "sum(unsatisfied) FROM feedback_monthlyfigures WHERE commune_id = ANY(%(ids)s::bigint[]) "
            "AND month BETWEEN %(first)s AND %(last)s GROUP BY 1"
        ),
        "dossier": (
            "SELECT commune_id, count(*), sum(received), sum(resolved_early), sum(resolved_on_time), "
            "sum(resolved_late), sum(late_with_apology), sum(submitted_online), sum(paid_online), sum(digitised) "
            "FROM communes_dossierstatistics WHERE commune_id = ANY(%(ids)s::bigint[]) "
            "AND month BETWEEN %(first)s AND %(last)s GROUP BY 1"
        ),
        # Calendar days here: the deadline in working days is part of the scoring logic.
        "disclosure": (
            "SELECT commune_id, category, count(*), count(*) FILTER (WHERE published_on <= decision_date + 7) "
            "FROM communes_disclosure WHERE commune_id = ANY(%(ids)s::bigint[]) "
            "AND published_on BETWEEN %(start)s AND %(end)s GROUP BY 1, 2"
        ),
        "profile": (
            "SELECT s.commune_id, s.phone <> '', s.verified_on, "
            "(SELECT count(*) FROM communes_openinghours h WHERE h.shop_id = s.id), "
            "(SELECT count(*) FROM communes_counterofficer o WHERE o.shop_id = s.id), "
            "(SELECT count(*) FROM communes_facility f WHERE f.shop_id = s.id AND f.available), "
            "(SELECT count(*) FROM communes_communeprocedure p WHERE p.commune_id = s.commune_id) "
            "FROM communes_onestopshop s WHERE s.commune_id = ANY(%(ids)s::bigint[])"
        ),
    }


def bare_run(groups: list[list[int]], start: datetime.date, end: datetime.date) -> dict[str, float]:
    """Each bare query once per group of communes (a province); seconds per query, summed over groups."""
    from django.db import connection

    spent = dict.fromkeys(bare_queries([], start, end), 0.0)
    params_base = {"start": start, "end": end, "first": start.replace(day=1), "last": end.replace(day=1)}
    with connection.cursor() as cursor:
        for ids in groups:
            for name, sql in bare_queries(ids, start, end).items():
                began = time.perf_counter()
                cursor.execute(sql, params_base | {"ids": ids})
                cursor.fetchall()
                spent[name] += time.perf_counter() - began
    return spent


def sources_run(groups: list[list[int]], start: datetime.date, end: datetime.date) -> dict[str, float]:
    """The service's own reads (scoring.metrics.SOURCES), once per group of communes."""
    from scoring.metrics import SOURCES

    spent = dict.fromkeys(SOURCES, 0.0)
    for ids in groups:
        for name, source in SOURCES.items():
            began = time.perf_counter()
            source(ids, start, end)
            spent[name] += time.perf_counter() - began
    return spent


def cycle_open(provinces_communes, admin) -> list:
    from scoring.services import assessments_open, criteria_set_load, criteria_set_publish

    sets = []
    for province, _rows in provinces_communes:
        criteria_set = criteria_set_load(province=province, year=YEAR, by=admin)
        criteria_set = criteria_set_publish(criteria_set=criteria_set, by=admin)
        assessments_open(criteria_set=criteria_set, by=admin)
        sets.append(criteria_set)
    return sets


def self_assessments_fill(sets) -> None:
    """What the communes put forward themselves, written directly: 60–100% of each self-assessed
    criterion, and the dossier documents of 19 assessments in 20. The computation does not read them;
    the totals and stars it recounts do."""
    from django.db import connection
    from django.utils import timezone

    from scoring.models import Assessment, AssessmentDocument, RequiredDocument

    ids = [criteria_set.pk for criteria_set in sets]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scoring_line l SET self_score = round(c.max_points * (0.6 + 0.4 * random())::numeric, 2) "
            "FROM scoring_criterion c, scoring_assessment a "
            "WHERE c.id = l.criterion_id AND a.id = l.assessment_id AND c.measure = 'self' "
            "AND a.criteria_set_id = ANY(%s)",
            [ids],
        )
    documents = {}
    for set_id, document_id in RequiredDocument.objects.filter(criteria_set__in=ids, generated=False).values_list(
        "criteria_set_id", "pk"
    ):
        documents.setdefault(set_id, []).append(document_id)
    now = timezone.now()
    copy_rows(
        AssessmentDocument,
        (
            {"assessment_id": pk, "document_id": document, "file": "scoring/ho-so.pdf", "uploaded_at": now}
            for pk, set_id in Assessment.objects.filter(criteria_set__in=ids).values_list("pk", "criteria_set_id")
            if pk % 20
            for document in documents[set_id]
        ),
    )


def figures_change() -> None:
    """One more dossier received in every commune's January: every assessment finds new figures."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE communes_dossierstatistics SET received = received + 1 WHERE month = %s",
            [datetime.date(YEAR, 1, 1)],
        )


def compute_all(sets, admin) -> dict:
    from scoring.services import assessments_compute

    reports = [assessments_compute(criteria_set=criteria_set, by=admin) for criteria_set in sets]
    return {
        "assessments": sum(r.assessments for r in reports),
        "snapshots": sum(r.snapshots for r in reports),
        "adopted": sum(r.adopted for r in reports),
    }


def scale_measure(label: str, provinces_communes, admin, *, full_runs: int, same_runs: int) -> dict:
    from django.db.models import Count

    from scoring.models import Assessment

    sets = cycle_open(provinces_communes, admin)
    self_assessments_fill(sets)
    analyze()
    groups = [[commune.pk for commune in rows] for _province, rows in provinces_communes]
    start, end = sets[0].period_start, sets[0].period_end
    bare_run(groups, start, end)  # the first pass reads the tables into memory, as in production
    bare = [bare_run(groups, start, end) for _ in range(3)]
    sources = [sources_run(groups, start, end) for _ in range(3)]
    reports = []
    first = timed(lambda: reports.append(compute_all(sets, admin)), runs=1)
    full = timed(lambda: reports.append(compute_all(sets, admin)), runs=full_runs, before=figures_change)
    same = timed(lambda: reports.append(compute_all(sets, admin)), runs=same_runs)
    stars = dict(
        Assessment.objects.filter(criteria_set__in=sets)
        .values("stars")
        .order_by("stars")
        .annotate(n=Count("pk"))
        .values_list("stars", "n")
    )
    return {
        "label": label,
        "communes": sum(len(g) for g in groups),
        "sets": len(sets),
        "bare": bare,
        "sources": sources,
        "first": first,
        "full": full,
        "same": same,
        "reports": reports,
        "stars": stars,
    }


# --- Reporting --------------------------------------------------------------------------------------

SOURCE_NAMES = {
    "survey": "survey tallies (campaign × commune × factor × channel)",
    "feedback": "monthly feedback figures",
    "dossier": "monthly dossier statistics",
    "disclosure": "disclosures",
    "profile": "one-stop pages",
}


def median_text(timings: list[float]) -> str:
    return f"{statistics.median(timings):>9.3f}  {' '.join(f'{t:.3f}' for t in timings)}"


def report_scale(results: dict, target: float) -> None:
    bare_totals = [sum(run.values()) for run in results["bare"]]
    source_totals = [sum(run.values()) for run in results["sources"]]
    print(f"{'query':<58} {'median s':>9}  runs")
    print(f"{'bare aggregates: the five grouped queries, raw SQL':<58} {median_text(bare_totals)}")
    print(f"{'the service reads: scoring.metrics.SOURCES (ORM + Python)':<58} {median_text(source_totals)}")
    for source in results["bare"][0]:
        bare = statistics.median(run[source] for run in results["bare"])
        read = statistics.median(run[source] for run in results["sources"])
        print(f"  {SOURCE_NAMES[source]:<56} bare {bare:>7.3f} s, service {read:>7.3f} s")
    first_report, full_report, same_report = results["reports"][0], results["reports"][1], results["reports"][-1]
    print(
        f"{'assessments_compute, the first time (every line gets points)':<58} {median_text(results['first'])}\n"
        f"  ({first_report['snapshots']} snapshots stored and {first_report['adopted']} adopted)"
    )
    print(
        f"{'assessments_compute, new figures for every assessment':<58} {median_text(results['full'])}\n"
        f"  (one more dossier received in January everywhere: {full_report['snapshots']} snapshots stored and "
        f"{full_report['adopted']} adopted per run)"
    )
    print(
        f"{'assessments_compute again, nothing changed':<58} {median_text(results['same'])}\n"
        f"  ({same_report['snapshots']} snapshots stored)"
    )
    full = statistics.median(results["full"])
    print(
        f"per commune: {1000 * full / results['communes']:.2f} ms computing with new figures, "
        f"{1000 * statistics.median(results['same']) / results['communes']:.2f} ms with none; "
        f"the bare queries {1000 * statistics.median(bare_totals) / results['communes']:.3f} ms"
    )
    stars = ", ".join(f"{stars}★ {n}" for stars, n in sorted(results["stars"].items(), key=lambda x: x[0] or 0))
    print(f"results: {stars}")
    first = results["first"][0]

    def verdict(seconds: float) -> str:
        return f"{'met' if seconds <= target else 'NOT met'} ({seconds:.2f} s)"

    print(
        f"target ≤ {target:.0f} s for {results['label']}: the first computation {verdict(first)}, "
        f"a computation with new figures {verdict(full)}"
    )


def province_benchmark(args, admin) -> dict:
    rng = random.Random(209)  # noqa: S311  (made-up data)
    province, communes = units_make("99", "Thử Nghiệm", args.communes, PROVINCE_DISTRICTS, 90000)
    print(
        f"\nProvince: {len(communes)} communes in {PROVINCE_DISTRICTS} districts, data stored as the portal stores it"
    )
    surveys = surveys_store(province, communes, args.responses, admin)
    print(
        f"  {surveys['responses']:,} survey responses in {surveys['campaigns']} campaigns (pks-motcua ×2, pks07 ×1; "
        f"table and indexes {surveys['size']}) written in {surveys['generated']:.0f} s; "
        f"statistics_refresh of each campaign stored {surveys['tallies']:,} tallies in {surveys['refreshed']:.1f} s"
    )
    feedback = feedback_store(province, communes, args.feedback, rng)
    print(
        f"  {feedback['items']:,} feedback items written in {feedback['generated']:.1f} s; "
        f"feedback_monthly_refresh stored {feedback['months']:,} monthly rows in {feedback['refreshed']:.2f} s"
    )
    common = common_store([(province, communes)], rng)
    print(
        f"  {common['dossiers']:,} months of dossier statistics, {common['disclosures']:,} disclosures, "
        f"{common['shops']} one-stop pages ({len(SESSIONS)} sessions, 9 facilities, {OFFICERS} officers, "
        f"{HANDLED} of {CATALOGUE} procedures each) written in {common['generated']:.1f} s"
    )
    results = scale_measure(
        f"the province ({len(communes)} communes)", [(province, communes)], admin, full_runs=3, same_runs=2
    )
    report_scale(results, TARGET_PROVINCE_SECONDS)
    return results


def country_benchmark(args, admin) -> dict:
    rng = random.Random(3321)  # noqa: S311  (made-up data)
    per_province, extra = divmod(COUNTRY_COMMUNES, COUNTRY_PROVINCES)
    provinces_communes, first = [], 0
    start = time.perf_counter()
    for index in range(COUNTRY_PROVINCES):
        count = per_province + (1 if index < extra else 0)
        provinces_communes.append(units_make(f"{index + 1:02d}", f"Tỉnh {index + 1}", count, 0, first))
        first += count
    communes = sum(len(rows) for _p, rows in provinces_communes)
    print(
        f"\nCountry: {COUNTRY_PROVINCES} provinces, {communes:,} communes. The generator writes the aggregates "
        "scoring reads (survey tallies, monthly feedback figures, dossier statistics), not raw responses or items"
    )
    aggregates = country_aggregates_store(provinces_communes, COUNTRY_RESPONSES, admin, rng)
    common = common_store(provinces_communes, rng)
    print(
        f"  {aggregates['tallies']:,} tallies standing for {aggregates['represented']:,} responses "
        f"(2 campaigns a province), {aggregates['months']:,} monthly feedback rows, {common['dossiers']:,} months "
        f"of dossier statistics, {common['disclosures']:,} disclosures, {common['shops']:,} one-stop pages; "
        f"written in {time.perf_counter() - start:.0f} s"
    )
    print(f"  computed as {COUNTRY_PROVINCES} provinces, each with its own published criteria set, one after the other")
    results = scale_measure(
        f"the country ({communes:,} communes)", provinces_communes, admin, full_runs=args.country_runs, same_runs=1
    )
    report_scale(results, TARGET_COUNTRY_SECONDS)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=PROVINCE_COMMUNES, help="communes of the province (209)")
    parser.add_argument("--responses", type=int, default=2_000_000, help="survey responses (default 2,000,000)")
    parser.add_argument("--feedback", type=int, default=100_000, help="feedback items (default 100,000)")
    parser.add_argument("--country-runs", type=int, default=2, help="timed country computations (default 2)")
    parser.add_argument("--skip", choices=["province", "country"], help="leave one scale out")
    args = parser.parse_args()

    from bench.surveys import admin_connect, server_url

    # `timeout` and Ctrl-C end the run through the finally below, which drops the database.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    url = server_url()
    admin_connection = admin_connect(url)
    name = f"portal_bench_scoring_{os.getpid()}"
    try:
        admin_connection.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:  # noqa: BLE001  (any refusal ends the run with its reason)
        fail(f"could not create the throw-away database {name}: {error}")
    workdir = tempfile.mkdtemp(prefix="portal-bench-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="127.0.0.1",
        DEBUG="0",
        HTTPS="0",
        DATABASE_URL=urlsplit(url)._replace(path=f"/{name}").geturl(),
        VAR_DIR=workdir,
        LOG_LEVEL="WARNING",
    )
    try:
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection

        began = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        load_average = " ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"PostgreSQL {version}, {os.cpu_count()} cores (load average {load_average}), database {name}")
        admin = get_user_model().objects.create(email="bench-scoring@example.invalid", is_superuser=True)
        results = []
        if args.skip != "province":
            results.append(province_benchmark(args, admin))
        if args.skip != "country":
            foreseen = results and statistics.median(results[0]["full"]) / results[0]["communes"] * COUNTRY_COMMUNES
            if foreseen and foreseen * (args.country_runs + 4) > COUNTRY_BUDGET_SECONDS:
                print(
                    f"\nCountry: left out. At the province's pace one computation of {COUNTRY_COMMUNES:,} communes "
                    f"would take about {foreseen:.0f} s, and the country's runs over {COUNTRY_BUDGET_SECONDS} s; "
                    "the reads above show where the time goes"
                )
            else:
                results.append(country_benchmark(args, admin))
        if len(results) == 2:
            province, country = (statistics.median(r["full"]) / r["communes"] for r in results)
            print(
                f"\nper commune, computing with new figures: {1000 * province:.2f} ms in the province, "
                f"{1000 * country:.2f} ms in the country ({country / province:.2f}×: linear growth is 1×)"
            )
        print(f"whole benchmark: {time.perf_counter() - began:.0f} s")
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110  (Django may not have started; the drop below still runs)
            pass
        admin_connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_connection.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
