"""Page benchmarks: each page's time and query count beside a bare Django view measured in the same run.

Runs on a throw-away SQLite database with Bắc Giang (pre-2025) and Bắc Ninh (current) loaded, and the
demo one-stop-shop data of four communes, 300 demo feedback items and the demo survey campaigns.
Usage: make bench   (or: .venv/bin/python bench/run.py [--requests N])
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="portal-bench-")
    os.makedirs(f"{workdir}/static")  # WhiteNoise expects STATIC_ROOT to exist
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS="testserver",
        HTTPS="0",
        DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
        VAR_DIR=workdir,
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from communes.models import Commune, District, Province
    from communes.services import units_load
    from demo.communes import communes_demo_ensure
    from demo.feedback import feedback_demo_ensure
    from demo.surveys import surveys_demo_ensure
    from feedback.models import Feedback

    call_command("migrate", verbosity=0)
    units_load(province="Bắc Giang", period="legacy")
    units_load(province="Bắc Ninh", period="current")
    communes_demo_ensure()
    feedback_demo_ensure()
    surveys_demo_ensure()
    quang_minh = Commune.objects.get(code="07792")
    # The demo's feedback went to the ward that took Quảng Minh over in 2025.
    item = Feedback.objects.filter(commune__in=[quang_minh, *quang_minh.successors.all()]).order_by("pk").first()

    pages = {
        "bare view (baseline)": "/bench/bare",
        "home: provinces and districts": "/",
        "province page, 99 communes": Province.objects.current().get(code="24").get_absolute_url(),
        "district page, 17 communes": District.objects.get(code="222").get_absolute_url(),
        "commune page, full one-stop shop": quang_minh.get_absolute_url(),
        "commune page with survey chart": item.commune.get_absolute_url(),
        "procedure page with QR": f"{quang_minh.get_absolute_url()}procedures/1.001193/",
        "disclosure list": f"{quang_minh.get_absolute_url()}disclosures/",
        "search 'quang minh'": "/communes/?q=quang+minh",
        "feedback list with figures": f"{quang_minh.get_absolute_url()}feedback/",
        "feedback tracking page": item.get_absolute_url(),
    }
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="bench.urls", STORAGES=storages):
        client = Client()
        print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11} {'queries':>8}")
        baseline = None
        for name, url in pages.items():
            for _ in range(10):  # warm caches and template loaders
                client.get(url)
            timings = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            median = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[-1]
            baseline = baseline or median
            print(f"{name:<34} {median:>10.2f} {p95:>8.2f} {median / baseline:>11.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
