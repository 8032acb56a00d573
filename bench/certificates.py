"""Certificates benchmark on PostgreSQL and Redis: signed star certificates, one by one and as a batch,
each beside a baseline measured in the same run.

1. Per certificate: certificate_issue of a planned certificate (render the template, lay it out with
   WeasyPrint, sign it with pyHanko with the visible stamp, store the file and its record), beside
   WeasyPrint's bare render of the same HTML (the certificate template rendered once, then only
   weasyprint.HTML(string=html, base_url=…).write_pdf() timed) and a bare pyHanko signature of the same
   PDF (signers.sign_pdf with a SimpleSigner from the same PKCS#12, no visible stamp), each alone.
   Medians of RUNS runs after one untimed warm-up each; target: the pipeline ≤ 1.3× render + sign.
2. A batch: a province of 209 communes, recognised by one approved decision, issued by a real Celery
   worker (`celery -A portal worker -c 2 --pool prefork`) on Redis, timed from certificates_queue until
   every document (209 certificates and the decision with its annex) is valid; target ≤ 60 s. Beside
   it, what two processes at the single-process pace of part 1 would take. The worker's processes are
   sampled meanwhile (/proc/<pid>/status: VmRSS, VmHWM) for their peak memory, beside the same figures
   of the idle worker before the batch.

Data: the assessments are opened by the scoring services; their final results (status final, points
and stars) are written directly, as the cycle's appraisal is not what is measured; the decision is
drafted and approved by decision_draft and decision_approve.

Needs PostgreSQL: DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/portal_bench) names
the server; a throw-away database portal_bench_certificates_<pid> is made there and dropped at the end.
Needs Redis: BENCH_BROKER_URL (default redis://127.0.0.1:6379/12, an index of its own) carries the
tasks, on a queue of this run's own that is deleted at the end.
Usage: make bench   (or: .venv/bin/python bench/certificates.py [--communes N] [--runs N] [--workers N])
"""

import argparse
import contextlib
import io
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

# The repository first: this file's folder, first on the path of a script, would stand for the apps.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, database_migrate, fail, throwaway_django, timed, units_make

PROVINCE_COMMUNES, PROVINCE_DISTRICTS, YEAR = 209, 10, 2025
RUNS, WORKERS = 7, 2
TARGET_RATIO, TARGET_BATCH_SECONDS = 1.3, 60.0
BATCH_DEADLINE_SECONDS = 300  # the batch is given up (and reported unfinished) after this
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/12"

# Commune names with the diacritics the fonts must carry: 15 × 15 different names.
# fmt: off
FIRST = ["Quảng", "Hải", "Đức", "Phú", "Tân", "Thanh", "Vĩnh", "Xuân", "Hưng", "Gia", "Thượng", "Nghĩa", "Cẩm",
         "Lộc", "Yên"]
SECOND = ["Minh", "Hòa", "Lộc", "Phong", "Thịnh", "Trạch", "Điền", "Sơn", "Thủy", "Khê", "Hợp", "Lưu", "Đông",
          "Ninh", "Tiến"]
# fmt: on


def broker_url() -> str:
    import redis

    url = os.environ.get("BENCH_BROKER_URL") or DEFAULT_BROKER_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError) as error:
        fail(f"cannot reach Redis at {url} ({error}).\nStart it, or point BENCH_BROKER_URL at one.")
    return url


# --- Data ---------------------------------------------------------------------------------------------


def recognition_make(communes: int, admin):
    """A province of ``communes`` communes, each with a final result of 1–5 stars, all recognised by one
    approved decision. Returns the decision."""
    import datetime

    from django.db import connection

    from communes.models import Commune
    from core.text import fold
    from scoring.models import Assessment, Status
    from scoring.services import (
        assessments_open,
        criteria_set_load,
        criteria_set_publish,
        decision_approve,
        decision_draft,
        decision_issue,
    )

    province, rows = units_make("98", "Quảng Thử", communes, PROVINCE_DISTRICTS, 80000)
    for index, commune in enumerate(rows):
        first, second = divmod(index, len(SECOND))
        commune.name = f"{FIRST[first % len(FIRST)]} {SECOND[second]}"
        commune.search_name = fold(commune.name)
    Commune.objects.bulk_update(rows, ["name", "search_name"])
    criteria_set = criteria_set_publish(
        criteria_set=criteria_set_load(province=province, year=YEAR, by=admin), by=admin
    )
    assessments_open(criteria_set=criteria_set, by=admin)
    # The final results, written directly: points from 52 to 99, the stars of their band.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scoring_assessment SET status = %s, total = 52 + (id * 37) %% 48, "
            "stars = CASE WHEN 52 + (id * 37) %% 48 >= 90 THEN 5 WHEN 52 + (id * 37) %% 48 >= 80 THEN 4 "
            "WHEN 52 + (id * 37) %% 48 >= 70 THEN 3 WHEN 52 + (id * 37) %% 48 >= 60 THEN 2 ELSE 1 END, "
            "finalized_at = now() WHERE criteria_set_id = %s",
            [Status.FINAL, criteria_set.pk],
        )
    assessments = Assessment.objects.filter(criteria_set=criteria_set).select_related("criteria_set")
    decision = decision_draft(
        province=province,
        year=YEAR,
        signer_name="Nguyễn Văn Thử",
        assessments=assessments,
        by=admin,
    )
    signed_on = datetime.date(YEAR + 1, 1, 15)
    decision = decision_issue(decision=decision, number="1234/QĐ-UBND", signed_on=signed_on, by=admin)
    return decision_approve(decision=decision, by=admin)


# --- Part 1: one certificate ------------------------------------------------------------------------


def certificate_html(certificate) -> tuple[str, str]:
    """The certificate's HTML as the pipeline renders it, and the base URL render_pdf lays it out with."""
    from django.conf import settings
    from django.template.loader import render_to_string

    from scoring.services.certificates import TEMPLATES, certificate_context

    html = render_to_string(TEMPLATES[certificate.kind], certificate_context(certificate))
    return html, (settings.BASE_DIR / "static").as_uri() + "/"


def pkcs12_signer():
    """A pyHanko SimpleSigner from the PKCS#12 file the portal signs with (SIGNING_PKCS12_PATH, else the
    development key that the pipeline made under VAR_DIR)."""
    from django.conf import settings
    from pyhanko.sign import signers

    from scoring.services.certificates.signing import development_pkcs12_path

    path, password = development_pkcs12_path(), None
    if settings.SIGNING_PKCS12_PATH:
        path, password = settings.SIGNING_PKCS12_PATH, settings.SIGNING_PKCS12_PASSWORD.encode() or None
    return signers.SimpleSigner.load_pkcs12(str(path), passphrase=password)


def bare_sign(pdf: bytes, signer) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def single_measure(decision, runs: int) -> dict:
    """The pipeline on ``runs`` + 1 planned certificates (the first untimed), then the two baselines on
    the HTML and PDF of the last one, then the pipeline's own two steps on them (where the time goes),
    each with an untimed warm-up."""
    import weasyprint
    from django.utils import timezone
    from pypdf import PdfReader

    from scoring.models import Certificate
    from scoring.services.certificates import TEMPLATES, certificate_context, certificate_issue
    from scoring.services.certificates.documents import render_pdf, stamp_box
    from scoring.services.certificates.issue import stamp_lines
    from scoring.services.certificates.signing import sign_pdf, signer_info

    planned = list(
        Certificate.objects.filter(decision=decision, kind=Certificate.Kind.CERTIFICATE).order_by("pk")[: runs + 1]
    )
    queue = iter(planned)
    issued = []
    pipeline = timed(lambda: issued.append(certificate_issue(next(queue).pk)), runs=runs + 1)[1:]
    last = issued[-1]
    if last.status != Certificate.Status.VALID:
        fail(f"certificate_issue left {last.serial} {last.status}: {last.error}")

    html, base_url = certificate_html(last)
    pdfs = []
    render = timed(lambda: pdfs.append(weasyprint.HTML(string=html, base_url=base_url).write_pdf()), runs=runs + 1)[1:]
    signer = pkcs12_signer()
    signed = []
    sign = timed(lambda: signed.append(bare_sign(pdfs[-1], signer)), runs=runs + 1)[1:]
    info = signer_info()
    stamp = stamp_lines(info.subject, timezone.localtime())
    ours = {
        "render_pdf": timed(lambda: render_pdf(TEMPLATES[last.kind], certificate_context(last)), runs=runs + 1)[1:],
        "sign_pdf": timed(lambda: sign_pdf(pdfs[-1], stamp_lines=stamp, box=stamp_box(last.kind)), runs=runs + 1)[1:],
    }
    with last.file.open("rb") as handle:
        stored = handle.read()
    return {
        "pipeline": pipeline,
        "render": render,
        "sign": sign,
        "ours": ours,
        "serial": last.serial,
        "signer": f"{info.subject}{', a development key' if info.development else ''}",
        "sizes": {"pipeline": len(stored), "render": len(pdfs[-1]), "sign": len(signed[-1])},
        "pages": len(PdfReader(io.BytesIO(stored)).pages),
    }


# --- Part 2: the batch ------------------------------------------------------------------------------


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid`` in kB (empty when the process is gone)."""
    figures = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                figures[key] = int(value.split()[0])
    return figures


def children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


class Sampler:
    """The peak VmHWM and VmRSS of the worker's main process and of every pool process seen."""

    def __init__(self, main_pid: int):
        self.main_pid = main_pid
        self.peaks: dict[int, dict[str, int]] = {}

    def sample(self) -> None:
        for pid in [self.main_pid, *children(self.main_pid)]:
            figures = proc_status(pid)
            if figures:
                peak = self.peaks.setdefault(pid, {"VmRSS": 0, "VmHWM": 0})
                for key, value in figures.items():
                    peak[key] = max(peak[key], value)

    def pool(self) -> dict[int, dict[str, int]]:
        return {pid: figures for pid, figures in self.peaks.items() if pid != self.main_pid}


@contextlib.contextmanager
def running_worker(queue: str, processes: int, log_path: Path):
    """A prefork worker of ``processes`` processes on ``queue``, started as tests/celery_worker.py starts
    one (the environment, thus the throw-away database, VAR_DIR and broker, is this process's); yields it
    once it says it is ready."""
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "portal", "worker", "-c", str(processes), "--pool", "prefork",
                "--queues", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "INFO",
            ],
            env={**os.environ}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while "ready." not in log_path.read_text():
                if worker.poll() is not None or time.monotonic() > deadline:
                    fail(f"the Celery worker did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.1)
            while len(children(worker.pid)) < processes and time.monotonic() < deadline:
                time.sleep(0.1)
            yield worker
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def queue_empty(url: str, queue: str) -> int:
    """Drop the messages waiting in ``queue``; how many there were."""
    import redis

    client = redis.Redis.from_url(url)
    with client.pipeline() as pipe:
        held, _deleted = pipe.llen(queue).delete(queue).execute()
    return held


def queue_forget(url: str, queue: str) -> None:
    """The broker as it was: ``queue``, its bindings and, when nothing else is left in the database,
    kombu's bookkeeping."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    if {key.decode() for key in client.scan_iter()} <= {"_kombu.binding_deadlines"}:
        client.delete("_kombu.binding_deadlines")


def batch_measure(decision, processes: int, workdir: str, url: str, queue: str) -> dict:
    from django.db.models import Count, Q
    from django.utils import timezone

    from scoring.models import Certificate
    from scoring.services.certificates import certificates_queue

    documents = Certificate.objects.filter(decision=decision)
    log_path = Path(workdir) / "worker.log"
    with running_worker(queue, processes, log_path) as worker:
        sampler = Sampler(worker.pid)
        sampler.sample()
        idle = {pid: dict(figures) for pid, figures in sampler.pool().items()}
        idle_main = dict(sampler.peaks.get(worker.pid, {}))
        since = timezone.now()  # the first run's documents are valid already: each must be issued again
        began = time.perf_counter()
        queued = certificates_queue(decision, force=True)
        total = documents.count()
        counts = {}
        while time.perf_counter() - began < BATCH_DEADLINE_SECONDS and worker.poll() is None:
            sampler.sample()
            counts = documents.aggregate(
                valid=Count("pk", filter=Q(status=Certificate.Status.VALID, issued_at__gte=since)),
                failed=Count("pk", filter=Q(status=Certificate.Status.FAILED)),
            )
            if counts["valid"] == total:
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - began
        sampler.sample()
        main_peak = dict(sampler.peaks.get(worker.pid, {}))
    held = queue_empty(url, queue)
    errors = list(documents.exclude(error="").values_list("serial", "error")[:5])
    return {
        "queued": queued,
        "total": total,
        "valid": counts.get("valid", 0),
        "failed": counts.get("failed", 0),
        "elapsed": elapsed,
        "idle": idle,
        "idle_main": idle_main,
        "pool": sampler.pool(),
        "main": main_peak,
        "left_in_queue": held,
        "errors": errors,
        "log": log_path.read_text()[-3000:],
    }


# --- Reporting --------------------------------------------------------------------------------------


def median_text(timings: list[float]) -> str:
    return f"{1000 * statistics.median(timings):>8.1f}  {' '.join(f'{1000 * t:.0f}' for t in timings)}"


def report_single(results: dict) -> None:
    print(
        f"\n1. One certificate ({results['pages']} page, A4 landscape; signed by {results['signer']}), "
        f"medians of {len(results['pipeline'])} runs\n{'':<62} {'median ms':>9}  runs (ms)"
    )
    for label, timings in [
        ("WeasyPrint bare: HTML(string=…).write_pdf() of the same HTML", results["render"]),
        ("pyHanko bare: signers.sign_pdf, same PDF, no stamp", results["sign"]),
        ("our pipeline: certificate_issue (render, sign, stamp, store)", results["pipeline"]),
        ("  its step render_pdf: same template and context", results["ours"]["render_pdf"]),
        ("  its step sign_pdf: same PDF, with the visible stamp", results["ours"]["sign_pdf"]),
    ]:
        print(f"{label:<62} {median_text(timings)}")
    sizes = results["sizes"]
    print(
        f"  sizes: bare render {sizes['render'] / 1024:.0f} KiB, bare signature {sizes['sign'] / 1024:.0f} KiB, "
        f"stored certificate {sizes['pipeline'] / 1024:.0f} KiB ({results['serial']})"
    )
    pipeline = statistics.median(results["pipeline"])
    baseline = statistics.median(results["render"]) + statistics.median(results["sign"])
    ratio = pipeline / baseline
    print(
        f"pipeline / (render + sign) = {1000 * pipeline:.0f} / {1000 * baseline:.0f} ms = {ratio:.2f}×: "
        f"target ≤ {TARGET_RATIO}× {'met' if ratio <= TARGET_RATIO else 'NOT met'}"
    )


def megabytes(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def report_batch(results: dict, single: dict | None, processes: int) -> None:
    total, elapsed = results["total"], results["elapsed"]
    print(
        f"\n2. The batch: {total} documents ({total - 1} certificates and the decision with its annex), "
        f"a Celery worker of {processes} prefork processes on Redis"
    )
    print(f"  certificates_queue queued {results['queued']} tasks")
    finished = results["valid"] == total
    line = f"  from certificates_queue to {'all' if finished else results['valid']} valid: {elapsed:.1f} s"
    if finished:
        per_document = 1000 * elapsed * processes / total
        line += f" ({total / elapsed:.1f} documents/s, {per_document:.0f} ms per document per process)"
    print(line)
    if single:
        pace = statistics.median(single["pipeline"])
        print(
            f"  beside: {total} × the single-process pipeline ({1000 * pace:.0f} ms) over {processes} processes "
            f"= {total * pace / processes:.1f} s"
        )
    if results["failed"] or not finished:
        print(f"  failed now: {results['failed']}; errors: {results['errors']}")
        print(f"  worker log, end:\n{results['log']}")
    if results["left_in_queue"]:
        print(f"  {results['left_in_queue']} messages were still in the queue")
    verdict = "met" if finished and elapsed <= TARGET_BATCH_SECONDS else "NOT met"
    print(f"target ≤ {TARGET_BATCH_SECONDS:.0f} s for {total - 1} certificates: {verdict} ({elapsed:.1f} s)")

    pool, idle, main = results["pool"], results["idle"], results["main"]
    each = ", ".join(
        f"{megabytes(figures['VmHWM'])} (idle {megabytes(idle[pid]['VmRSS']) if pid in idle else '–'})"
        for pid, figures in sorted(pool.items())
    )
    together = sum(figures["VmHWM"] for figures in pool.values()) + main.get("VmHWM", 0)
    print(
        f"peak worker memory (VmHWM): pool processes {each}; main process {megabytes(main.get('VmHWM', 0))} "
        f"(idle {megabytes(results['idle_main'].get('VmRSS', 0))}); {megabytes(together)} together "
        "(the sum of the peaks, shared pages counted in each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=PROVINCE_COMMUNES, help="communes recognised (209)")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed runs of each single measure ({RUNS})")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"worker processes of the batch ({WORKERS})")
    args = parser.parse_args()
    if args.runs < 1:
        fail("--runs must be at least 1")

    url = broker_url()
    # `timeout` and Ctrl-C end the run through throwaway_django's way out, which drops the database.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    # No result backend: the run follows the documents' rows, not the tasks' return values.
    queue = f"bench-certificates-{uuid.uuid4().hex[:12]}"
    with (
        throwaway_django("portal_bench_certificates", CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND="") as (
            name,
            workdir,
        ),
        contextlib.ExitStack() as cleanup,
    ):
        cleanup.callback(queue_forget, url, queue)
        from django.contrib.auth import get_user_model

        from portal.celery import app
        from scoring.services.certificates import certificates_plan

        began = time.perf_counter()
        database_migrate(name)
        admin = get_user_model().objects.create(email="bench-certificates@example.invalid", is_superuser=True)
        # The scoring tasks go to a queue of this run's own (set once: Celery keeps its router), which no
        # worker reads yet: the tasks that approval queues are dropped, and the batch below is timed from
        # its own certificates_queue.
        app.conf.task_always_eager = False
        app.conf.task_routes = {"scoring.tasks.*": {"queue": queue}}
        start = time.perf_counter()
        decision = recognition_make(args.communes, admin)
        approval_tasks = queue_empty(url, queue)
        stars = sorted(decision.entries.values_list("stars", flat=True))
        print(
            f"\nProvince: {args.communes} communes recognised by decision {decision.number} (approved), "
            + ", ".join(f"{n}★ {stars.count(n)}" for n in range(1, 6))
            + f"; made in {time.perf_counter() - start:.1f} s. The approval queued {approval_tasks} tasks "
            "(dropped: the batch below queues its own)"
        )
        print(f"  planned: {len(certificates_plan(decision))} documents")
        single = single_measure(decision, args.runs)
        report_single(single)
        batch = batch_measure(decision, args.workers, workdir, url, queue)
        report_batch(batch, single, args.workers)
        print(f"\nwhole benchmark: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
