"""The API under load, through gunicorn, each endpoint beside a bare Django view measured in the same run
(issue 18): what a phone's reads cost, what an unchanged read costs with its ETag (304, no body), and
what a retried POST costs when its Idempotency-Key finds the first answer (no second item).

On the demo's data in PostgreSQL, with Redis as the cache (the rate limits' counters, raised here so that
wrk is never refused). Prints requests per second, the ratio to the bare view, p50/p99 and the errors
(target: none).

Needs PostgreSQL (DATABASE_URL, see bench/common.py), Redis (REDIS_URL, default redis://127.0.0.1:6379/2)
and wrk. Usage: make bench   (or: .venv/bin/python bench/api.py [--seconds N])
"""

import argparse
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    DEFAULT_REDIS_URL,
    database_migrate,
    fail,
    gunicorn_start,
    gunicorn_stop,
    redis_url,
    throwaway_django,
)
from bench.pages import GUNICORN, demo_load

CONNECTIONS = 64
UNLIMITED = "100000000"

# One request shape per run: a GET (with optional headers) or a POST with a body, and the figures as
# JSON at the end.
WRK_SCRIPT = """
wrk.method = %(method)s
wrk.body = %(body)s
wrk.headers["Content-Type"] = "application/json"
%(headers)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "errors": %%d, "status": %%d, "p50_ms": %%f, "p99_ms": %%f}\\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk(port: int, path: str, *, seconds: int, workdir: str, method="GET", body=None, headers=None) -> dict:
    script = Path(workdir) / "wrk-api.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "method": json.dumps(method),
            "body": json.dumps(json.dumps(body)) if body is not None else "nil",
            "headers": "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()),
        }
    )
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rate"] = figures["requests"] / figures["seconds"]
    return figures


def fetch(port: int, path: str, *, method="GET", body=None, headers=None) -> tuple[int, dict, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def endpoints() -> dict:
    """The reads a phone makes, on the demo's records."""
    from feedback.models import Feedback
    from scoring.models import Decision

    item = Feedback.objects.filter(status="resolved").order_by("pk").first()
    commune = item.commune
    decision = Decision.objects.filter(status=Decision.Status.APPROVED).order_by("-year").first()
    return {
        "provinces": "/api/v1/provinces/",
        "commune": f"/api/v1/communes/{commune.pk}/",
        "one-stop page": f"/api/v1/communes/{commune.pk}/one-stop/",
        "feedback list (a commune)": f"/api/v1/feedback/?commune={commune.pk}",
        "feedback item": f"/api/v1/feedback/{item.code}/",
        "ranking": f"/api/v1/provinces/{decision.province_id}/rankings/{decision.year}/",
        "Open311 requests": f"/open311/v2/requests.json?jurisdiction_id={commune.province.code}",
    }


def feedback_body() -> dict:
    from feedback.models import Category, Feedback

    item = Feedback.objects.order_by("pk").first()
    category = Category.objects.filter(province=item.commune.province, active=True).first()
    return {
        "commune": item.commune_id,
        "category": category.pk,
        "title": "Đèn đường hỏng",
        "description": "Hai cột đèn trước nhà văn hóa không sáng.",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=8, help="seconds per line under wrk (default 8)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        fail("wrk is needed: apt-get install wrk")
    cache = redis_url()
    if cache is None:
        fail(f"this benchmark needs Redis (the rate limits' counters): set REDIS_URL (default {DEFAULT_REDIS_URL})")
    limits = dict.fromkeys(
        (
            "API_RATE_ADDRESS_PER_MINUTE",
            "API_RATE_ADDRESS_WRITES_PER_HOUR",
            "API_RATE_PRINCIPAL_PER_MINUTE",
            "API_RATE_PRINCIPAL_WRITES_PER_MINUTE",
        ),
        UNLIMITED,
    )
    with throwaway_django("portal_api", REDIS_URL=cache, **limits) as (name, workdir):
        from django.db import connections

        database_migrate(name)
        demo_load()
        reads, body = endpoints(), feedback_body()
        connections.close_all()  # gunicorn's workers open their own
        server, port = gunicorn_start(workdir, GUNICORN)
        try:
            print(f"gunicorn {' '.join(GUNICORN)}; wrk -t2 -c{CONNECTIONS}, {args.seconds} s a line\n")
            print(f"{'':<34} {'KB':>5} {'req/s':>8} {'× bare':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")

            def line(label: str, path: str, baseline: float | None, **request) -> float:
                status, _headers, content = fetch(port, path, **request)
                wrk(port, path, seconds=2, workdir=workdir, **request)  # warm the workers
                figures = wrk(port, path, seconds=args.seconds, workdir=workdir, **request)
                ratio = figures["rate"] / baseline if baseline else 1.0
                errors = figures["errors"] + figures["status"]
                print(
                    f"{label:<34} {len(content) / 1024:>5.1f} {figures['rate']:>8.0f} {ratio:>7.2f} "
                    f"{figures['p50_ms']:>8.1f} {figures['p99_ms']:>8.1f} {errors:>7}  ({status})"
                )
                return figures["rate"]

            bare = line("bare view (baseline)", "/bench/bare", None)
            for label, path in reads.items():
                line(label, path, bare)
            path = reads["feedback list (a commune)"]
            etag = fetch(port, path)[1]["ETag"]
            line("the same list, If-None-Match (304)", path, bare, headers={"If-None-Match": etag})

            print()
            bare_post = line("bare POST (baseline)", "/bench/bare-post/", None, method="POST", body=body)
            key = {"Idempotency-Key": "bench-replay-1"}
            first = fetch(port, "/api/v1/feedback/", method="POST", body=body, headers=key)
            code = json.loads(first[2])["code"]
            line(
                "POST feedback, replayed (same key)",
                "/api/v1/feedback/",
                bare_post,
                method="POST",
                body=body,
                headers=key,
            )
            from feedback.models import Feedback

            made = Feedback.objects.filter(title=body["title"]).count()
            print(f"\nfeedback {code} sent once, then replayed under wrk: {made} item made (target: 1)")
        finally:
            gunicorn_stop(server)


if __name__ == "__main__":
    main()
