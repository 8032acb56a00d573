"""The dashboards benchmark's synthetic data (bench/dashboards.py measures the pages over it).

The province is bench/scoring_data.py's, stored as the portal stores it (survey responses and their
tallies, feedback items and their monthly figures, dossier statistics, disclosures, one-stop pages);
the dashboards' aggregates are then rebuilt from it by the portal's own ``dashboard_refresh``. The
country, and a small province for the query count, are written as the aggregates the dashboards read
(``CommuneMonth``, ``CategoryMonth``, dossier statistics): nothing reads their raw rows at request time,
so generating 20 million responses for them would only make the run longer.

Every unit gets two years of scoring results (stars and points), so the stars chart and the movers run.
"""

import datetime
import random
import time

from bench.common import copy_rows, fast_inserts, normal_inserts, units_make, vacuum
from bench.scoring_data import YEAR, common_store, dossier_rows, feedback_store, surveys_store

# feedback_store's categories, so every province's chart reads alike.
CATEGORIES = ["Đất đai", "Môi trường", "Giao thông", "Trật tự đô thị", "Khác"]
RESULT_YEARS = (YEAR - 1, YEAR)


def province_store(*, communes: int, districts: int, responses: int, feedback: int, admin) -> tuple:
    """The province as the portal stores it; returns it, its communes and what was written."""
    rng = random.Random(209)  # noqa: S311  (made-up data)
    province, rows = units_make("99", "Thử Nghiệm", communes, districts, 90000)
    surveys = surveys_store(province, rows, responses, admin)
    items = feedback_store(province, rows, feedback, rng)
    common = common_store([(province, rows)], rng)
    return province, rows, {"surveys": surveys, "feedback": items, "common": common}


def country_units(provinces: int, communes: int) -> list:
    """``communes`` communes shared out over ``provinces`` provinces without districts (as since 2025)."""
    per_province, extra = divmod(communes, provinces)
    result, first = [], 0
    for index in range(provinces):
        count = per_province + (1 if index < extra else 0)
        result.append(units_make(f"{index + 1:02d}", f"Tỉnh {index + 1}", count, 0, first))
        first += count
    return result


# --- Aggregates written directly -------------------------------------------------------------------


def _answer_days(answered: int, rng: random.Random) -> list[int]:
    """Answered items by whole days to the answer: most within the 14 days, a tail after."""
    buckets = [0] * rng.randint(15, 40)
    for _ in range(answered):
        day = min(int(rng.expovariate(1 / 5)), len(buckets) - 1)
        buckets[day] += 1
    return buckets


DOSSIER_COPIED = (
    "received",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_same_day",
    "submitted_online",
)


def _commune_months(communes, rng: random.Random, now: datetime.datetime):
    """CommuneMonth rows: a commune's usual volume, its visitors' mood, and monthly noise."""
    for commune in communes:
        visitors = rng.randint(120, 900)  # verified survey answers a month
        mood = rng.uniform(0.6, 0.98)
        volume = rng.randint(5, 50)  # feedback items a month
        for month in range(1, 13):
            row = {"commune_id": commune.pk, "month": datetime.date(YEAR, month, 1), "refreshed_at": now}
            answers = round(visitors * rng.uniform(0.7, 1.3))
            for slot in range(6):
                answered = round(answers * rng.uniform(0.93, 1.0))
                row[f"sipas_answered_{slot}"] = answered
                row[f"sipas_satisfied_{slot}"] = round(answered * min(1.0, mood * rng.uniform(0.92, 1.08)))
            received = max(0, round(volume * rng.uniform(0.5, 1.5)))
            competent = received - rng.randint(0, received // 10)
            still_open = rng.randint(0, competent // 8) if month >= 11 else 0
            answered = received - still_open
            late = rng.randint(0, competent // 6)
            overdue = rng.randint(0, still_open)
            row |= {
                "feedback_received": received,
                "feedback_in_competence": competent,
                "feedback_answered": answered,
                "feedback_on_time": max(0, competent - still_open - late),
                "feedback_late": late + overdue,
                "feedback_open_overdue": overdue,
                "feedback_disputed": rng.randint(0, answered // 15),
                "feedback_answer_days": _answer_days(answered, rng),
            }
            disclosed = rng.randint(0, 4)
            recognised, consultations, recommendations = rng.randint(0, 3), rng.randint(0, 2), rng.randint(0, 5)
            row |= {
                "disclosures": disclosed,
                "disclosures_on_time": rng.randint(0, disclosed),
                "matters_recognised": recognised,
                "matters_refused": rng.randint(0, 1),
                "consultations": consultations,
                "consultations_on_time": rng.randint(0, consultations),
                "recommendations": recommendations,
                "recommendations_on_time": rng.randint(0, recommendations),
            }
            yield row


def _category_months(communes, categories: dict[int, list[int]], rng: random.Random):
    """CategoryMonth rows: each commune-month's items shared out over its province's categories."""
    for commune in communes:
        for month in range(1, 13):
            for category in categories[commune.province_id]:
                received = rng.randint(0, 12)
                late = rng.randint(0, received // 5)
                yield {
                    "commune_id": commune.pk,
                    "month": datetime.date(YEAR, month, 1),
                    "category_id": category,
                    "received": received,
                    "on_time": received - late - rng.randint(0, 1 if received > late else 0),
                    "late": late,
                }


def aggregates_store(provinces_communes, rng: random.Random) -> dict:
    """Per commune and month of the year the dashboards' figures, per category the feedback, and the
    monthly dossier statistics, by COPY."""
    from django.db import transaction
    from django.utils import timezone

    from communes.models import DossierStatistics
    from feedback.models import Category
    from portal.models import CategoryMonth, CommuneMonth

    start = time.perf_counter()
    communes = [commune for _province, rows in provinces_communes for commune in rows]
    categories: dict[int, list[int]] = {}
    for province, _rows in provinces_communes:
        made = Category.objects.bulk_create(
            Category(province=province, name=name, time_limit_days=10, position=index)
            for index, name in enumerate(CATEGORIES)
        )
        categories[province.pk] = [category.pk for category in made]
    with transaction.atomic():
        fast_inserts()
        statistics = list(dossier_rows(communes, rng))
        # The dashboards' rows carry the month's dossier figures as the hourly refresh copies them.
        copied = {
            (row["commune_id"], row["month"]): {f"dossiers_{name}": row[name] for name in DOSSIER_COPIED}
            for row in statistics
        }
        months = copy_rows(
            CommuneMonth,
            (
                row | copied.get((row["commune_id"], row["month"]), {})
                for row in _commune_months(communes, rng, timezone.now())
            ),
        )
        by_category = copy_rows(CategoryMonth, _category_months(communes, categories, rng))
        dossiers = copy_rows(DossierStatistics, statistics)
        normal_inserts()
    vacuum(CommuneMonth, CategoryMonth, DossierStatistics)
    return {
        "months": months,
        "categories": by_category,
        "dossiers": dossiers,
        "generated": time.perf_counter() - start,
    }


def results_store(provinces_communes, admin, rng: random.Random) -> int:
    """Two years of results per commune: a published criteria set per province and year, and the
    assessments' points and stars (final the year before, provisional the last year), by COPY."""
    from django.db import transaction
    from django.utils import timezone

    from scoring.models import Assessment, CriteriaSet
    from scoring.models.assessments import Status

    now = timezone.now()
    sets = {}
    for province, _rows in provinces_communes:
        for year in RESULT_YEARS:
            sets[province.pk, year] = CriteriaSet.objects.create(
                province=province,
                year=year,
                name_vi=f"Bộ tiêu chí chính quyền thân thiện năm {year}",
                status=CriteriaSet.Status.PUBLISHED,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 9, 30),
                submission_deadline=datetime.date(year, 10, 31),
                appraisal_deadline=datetime.date(year, 12, 15),
                created_by=admin,
                published_at=now,
            ).pk

    def stars(points: float) -> int:
        return 5 if points >= 90 else 4 if points >= 80 else 3 if points >= 70 else 2 if points >= 60 else 1

    def rows():
        for province, communes in provinces_communes:
            for commune in communes:
                points = rng.uniform(55, 97)
                for year in RESULT_YEARS:
                    points = min(100.0, max(40.0, points + (rng.gauss(0, 4) if year == YEAR else 0)))
                    yield {
                        "criteria_set_id": sets[province.pk, year],
                        "commune_id": commune.pk,
                        "year": year,
                        "unit_name": f"{commune.name}, {province.name}",
                        "status": Status.PROVISIONAL if year == YEAR else Status.FINAL,
                        "self_total": round(points + rng.uniform(0, 5), 2),
                        "total": round(points, 2),
                        "stars": stars(points),
                        "appraised_at": now,
                        "published_at": now,
                        "finalized_at": now if year < YEAR else None,
                    }

    with transaction.atomic():
        fast_inserts()
        written = copy_rows(Assessment, rows())
        normal_inserts()
    vacuum(Assessment)
    return written
