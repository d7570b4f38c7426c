"""`congdoan bench feedback`: intake through a real server, then triage through the worker.

Usage: congdoan bench feedback -- [--requests 5000] [--concurrency 100] [--db sqlite|postgres]
                                    [--workers cores+1] [--threads 4] [--connection close]
                                    [--max-seconds 120] [--triage-workers 1] [--skip-triage]

Steps:
1. prepare a fresh database of its own: a new SQLite file under var/bench/ or a new
   PostgreSQL database `congdoan_bench_feedback` (dropped and created again) on the server of
   DATABASE_URL (default 127.0.0.1:5432); the rest runs in a child process pointed at it;
2. migrate it and create a district with 20 grassroots unions;
3. start gunicorn (`--workers` processes; gthread with `--threads` threads and at most
   2 × threads connections each, or sync with `--threads 1`) on 127.0.0.1:<free port>
   serving congdoan.config.wsgi with TASKS_BACKEND=database and
   FEEDBACK_RATE_LIMIT_PER_MINUTE=0 (the per-address limit would otherwise turn the load
   generator's one address into 429s);
4. fire `POST /api/v1/feedback` from `--concurrency` concurrent clients (asyncio; one
   connection per request like many phones posting once each, or `--connection
   keep-alive`) until `--requests` were sent or `--max-seconds` passed; print requests/s,
   p50/p95/p99 latency, errors by kind, the CPU the load generator and the gunicorn
   processes used during the run (the load generator must not be the bottleneck), and the
   concerns stored against the 201 answers (they must be equal);
5. triage: one by one and one batch in this process, then `congdoan worker --batch`
   (`--triage-workers` processes) over the queued tasks: concerns triaged per second; and
   the text analysis alone.
It prints figures and never fails on a timing; it exits non-zero only when stored ≠ accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Max, Min
from django_tasks_db.models import DBTaskResult

from congdoan.core.processes import run_child
from congdoan.feedback.models import Concern
from congdoan.feedback.triage import TRIAGE_BATCH, analyse_many, triage_one, triage_pending
from congdoan.feedback.triage.clustering import signature_of
from congdoan.orgs import services
from congdoan.orgs.models import Level, Unit, UnitKind
from congdoan_dev import figures
from congdoan_dev.bench.db import (
    postgres_create,
    postgres_url_for,
    sqlite_fresh,
)
from congdoan_dev.bench.measure import free_port, loadavg, percentile, stop_server, tree_cpu

CHILD_FLAG = "CONGDOAN_BENCH_FEEDBACK_CHILD"
PG_DB = "congdoan_bench_feedback"
DISTRICT = "BENCH-PX"
UNITS = 20

# Realistic concerns (some typed without diacritics, as on a phone).
TEMPLATES = [
    "Công ty chậm trả lương tháng {m} đã {d} ngày, công nhân rất khó khăn.",
    "Tổ {t} phải tăng ca đến {h} giờ tối mà không được trả tiền làm thêm giờ.",
    "Cong ty chua dong bao hiem xa hoi cho cong nhan tu thang {m}.",
    "Xưởng {t} nóng quá, quạt hỏng {d} ngày chưa sửa, nhiều người bị say nắng.",
    "Nhà vệ sinh khu {t} bẩn và thiếu nước, đề nghị công đoàn kiến nghị.",
    "Xin hỏi chế độ thai sản khi sinh con thứ hai được nghỉ mấy tháng?",
    "Tien an ca {h} nghin mot suat qua thap, com khong du no.",
    "Quản đốc tổ {t} thường xuyên quát mắng, xúc phạm công nhân nữ.",
    "Đề nghị công ty cho xe đưa đón công nhân ở xã {t} đi làm ca đêm.",
    "Hợp đồng lao động hết hạn tháng {m} mà chưa được ký lại.",
    "Thuong Tet nam nay cong ty noi se giam, anh chi em rat lo.",
    "Máy dập ở dây chuyền {t} không có che chắn, hôm qua có người bị thương ở tay.",
    "Xin công đoàn hỗ trợ gia đình chị {n} ở tổ {t} có chồng bị tai nạn.",
    "Phòng trọ gần khu công nghiệp tăng giá, đề nghị công đoàn hỗ trợ nhà ở.",
    "Đoàn phí trừ vào lương tháng {m} nhiều hơn mọi tháng, xin giải thích.",
]
NAMES = ["Lan", "Hoa", "Mai", "Hùng", "Dũng", "Trang", "Tuấn", "Yến"]


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench feedback")
    parser.add_argument("--requests", type=int, default=5000, help="intake requests in all")
    parser.add_argument("--concurrency", type=int, default=100, help="clients at the same time")
    parser.add_argument(
        "--db", choices=["sqlite", "postgres"], default="", help="default: DATABASE_URL's kind"
    )
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL server to create the bench database on"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help=(
            "gunicorn worker processes (default cores + 1: the database and the load generator"
            " share these cores; measured better than 2 × cores + 1 here)"
        ),
    )
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (gthread); 1 = sync"
    )
    parser.add_argument(
        "--connection",
        choices=["keep-alive", "close"],
        default="close",
        help="one connection per request (close: like many phones posting once each) or "
        "one kept-alive connection per client",
    )
    parser.add_argument(
        "--max-seconds", type=float, default=120.0, help="stop sending after this long"
    )
    parser.add_argument("--triage-workers", type=int, default=1, help="worker processes for triage")
    parser.add_argument("--skip-triage", action="store_true")
    args = parser.parse_args(argv)
    if min(args.requests, args.concurrency, args.workers, args.threads, args.triage_workers) < 1:
        parser.error(
            "--requests, --concurrency, --workers, --threads and --triage-workers must be positive"
        )
    if not args.db:
        current = os.environ.get("DATABASE_URL", "")
        args.db = "postgres" if current.startswith(("postgres://", "postgresql://")) else "sqlite"
    return args


# --- parent: prepare a fresh database, then re-run as the child ----------------------------


def _pg_url(explicit: str) -> str:
    return postgres_url_for(PG_DB, explicit)


def _fresh_pg(url: str) -> None:
    postgres_create(url, fresh=True)


def _var_dir() -> Path:

    return Path(settings.VAR_DIR)


def run(argv: list[str]) -> None:
    args = _parse(argv)
    if os.environ.get(CHILD_FLAG) == "1":
        raise SystemExit(_child(args))
    bench_dir = _var_dir() / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if args.db == "postgres":
        url = _pg_url(args.database_url)
        _fresh_pg(url)
    else:
        url = sqlite_fresh(bench_dir / "feedback.sqlite3")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        CHILD_FLAG: "1",
        "TASKS_BACKEND": "database",
        "FEEDBACK_RATE_LIMIT_PER_MINUTE": "0",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # the database task backend and a local cache: nothing shared
    cmd = [sys.executable, "-m", "congdoan.config.cli", "bench", "feedback", "--", *argv]
    raise SystemExit(run_child(cmd, env=env, check=False).returncode)


# --- child: connected to the bench database ---------------------------------------------------


def _child(args: argparse.Namespace) -> int:

    db = connection.settings_dict
    label = (
        f"PostgreSQL {db['NAME']}" if connection.vendor == "postgresql" else f"SQLite {db['NAME']}"
    )
    kind = (
        f"gthread × {args.threads} threads, {args.threads * 2} connections"
        if args.threads > 1
        else "sync"
    )
    print(
        f"database: {label} (fresh); CPUs: {os.cpu_count()}; gunicorn: {args.workers} workers "
        f"({kind}); clients: {args.concurrency} ({args.connection}); requests: {args.requests}; "
        f"load average before: {loadavg()}"
    )
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    codes = _make_units()
    connection.close()
    print(f"migrated and created {len(codes)} unions in {time.perf_counter() - started:.1f}s")
    assert settings.FEEDBACK_RATE_LIMIT_PER_MINUTE == 0

    port = free_port()
    log_path = _var_dir() / "bench" / "feedback-gunicorn.log"
    server = _start_server(port, args.workers, args.threads, log_path)
    keep_alive = args.connection == "keep-alive"
    try:
        _wait_ready(port, server, timeout=60)
        warm = asyncio.run(
            _load(
                port,
                codes,
                total=args.workers * 8,
                concurrency=args.workers,
                deadline=30,
                keep_alive=keep_alive,
            )
        )
        cpu_before = time.process_time()
        server_cpu_before = tree_cpu(server.pid)
        result = asyncio.run(
            _load(
                port,
                codes,
                total=args.requests,
                concurrency=args.concurrency,
                deadline=args.max_seconds,
                keep_alive=keep_alive,
            )
        )
        client_cpu = time.process_time() - cpu_before
        server_cpu_after = tree_cpu(server.pid)
        load_during = loadavg()
    finally:
        stop_server(server)
    accepted = warm.accepted + result.accepted
    _print_load(result)
    _record_intake(result, connection.vendor, args.concurrency)
    server_line = (
        f"{server_cpu_after - server_cpu_before:.2f}s = "
        f"{(server_cpu_after - server_cpu_before) / result.elapsed:.2f} core(s), "
        f"{(server_cpu_after - server_cpu_before) / max(1, result.sent) * 1000:.1f} ms per request"
        if server_cpu_before is not None and server_cpu_after is not None
        else "n/a"
    )
    print(
        f"CPU during the run: load generator {client_cpu:.2f}s = "
        f"{client_cpu / result.elapsed:.2f} core(s); gunicorn {server_line}; the database server "
        f"and other processes not counted; load average at the end: {load_during}"
    )

    stored = Concern.objects.filter(channel="api").count()
    print(
        f"stored: {stored} concerns for {accepted} accepted requests "
        f"(incl. {warm.accepted} warm-up) — {'EQUAL' if stored == accepted else 'MISMATCH'}"
    )
    connection.close()
    if not args.skip_triage:
        workers = args.triage_workers
        if connection.vendor != "postgresql" and workers > 1:
            print("SQLite: one triage worker (the database worker needs row locks for more)")
            workers = 1
        _triage(workers)
    return 0 if stored == accepted else 1


def _make_units() -> list[str]:

    upper, _ = Level.objects.get_or_create(
        code="bench-cap-tren", defaults={"name": "Cấp trên (đo)", "rank": 2, "is_grassroots": False}
    )
    base, _ = Level.objects.get_or_create(
        code="bench-co-so", defaults={"name": "Cơ sở (đo)", "rank": 3, "is_grassroots": True}
    )
    district = Unit.objects.filter(code=DISTRICT).first() or services.unit_create(
        actor=None,
        code=DISTRICT,
        name="LĐLĐ huyện (đo hiệu năng)",
        level=upper,
        parent=None,
        kind=UnitKind.FEDERATION,
        on_date=date(2020, 1, 1),
    )
    codes = []
    for i in range(1, UNITS + 1):
        code = f"{DISTRICT}-{i:02d}"
        if not Unit.objects.filter(code=code).exists():
            services.unit_create(
                actor=None,
                code=code,
                name=f"Công đoàn Công ty {i:02d}",
                level=base,
                parent=district,
                kind=UnitKind.NON_STATE_ENTERPRISE,
                on_date=date(2020, 1, 1),
            )
        codes.append(code)
    return codes


def _start_server(port: int, workers: int, threads: int, log_path: Path) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "congdoan.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        # Bounded: a gthread worker otherwise accepts every waiting connection and queues
        # them behind its own threads while other workers idle (p95 1.3 s instead of 0.5 s
        # at 100 clients); at 2 × threads the kernel's accept queue spreads the load.
        "--worker-connections",
        str(threads * 2),
        "--keep-alive",
        "30",
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    env = {**os.environ}
    env.pop(CHILD_FLAG, None)
    log = log_path.open("wb")
    return subprocess.Popen(
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_ready(port: int, server: subprocess.Popen[bytes], timeout: float) -> None:
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if server.poll() is not None:
            raise SystemExit(
                f"gunicorn exited with {server.returncode}; see var/bench/feedback-gunicorn.log"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start in time")


# --- load -------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    sent: int = 0
    accepted: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, 201 answers only
    statuses: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0


def _body(codes: list[str], rng: random.Random) -> bytes:
    text = rng.choice(TEMPLATES).format(
        m=rng.randint(1, 12),
        d=rng.randint(3, 40),
        t=rng.randint(1, 30),
        h=rng.randint(15, 35),
        n=rng.choice(NAMES),
    )
    payload = {"text": text, "unit": rng.choice(codes), "anonymous": True}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


class _Conn:
    """One client's HTTP/1.1 connection, reused while the server keeps it open."""

    def __init__(self, port: int, keep_alive: bool) -> None:
        self.port = port
        self.keep_alive = keep_alive
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def post(self, body: bytes) -> str:
        fresh = self.writer is None
        if fresh:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            return await self._exchange(body)
        except (ConnectionError, asyncio.IncompleteReadError):
            await self.close()
            if fresh:
                raise
            # The server closed an idle kept-alive connection: once more on a new one.
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            return await self._exchange(body)

    async def _exchange(self, body: bytes) -> str:
        assert self.reader is not None and self.writer is not None
        head = (
            f"POST /api/v1/feedback HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            + ("" if self.keep_alive else "Connection: close\r\n")
            + "\r\n"
        ).encode()
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before the answer")
        length, closing = 0, not self.keep_alive
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "connection" and value.strip().lower() == "close":
                closing = True
        if length:
            await self.reader.readexactly(length)
        if closing:
            await self.close()
        parts = status_line.split()
        return parts[1].decode() if len(parts) > 1 else "bad-response"


async def _load(
    port: int,
    codes: list[str],
    *,
    total: int,
    concurrency: int,
    deadline: float,
    keep_alive: bool = True,
) -> LoadResult:
    result = LoadResult()
    rng = random.Random(20261127)
    bodies = [_body(codes, rng) for _ in range(min(total, 2000))]
    counter = iter(range(total))
    started = time.perf_counter()
    stop_at = started + deadline

    async def client() -> None:
        conn = _Conn(port, keep_alive)
        try:
            for i in counter:
                if time.perf_counter() > stop_at:
                    return
                result.sent += 1
                t0 = time.perf_counter()
                try:
                    status = await asyncio.wait_for(conn.post(bodies[i % len(bodies)]), timeout=30)
                except TimeoutError:
                    result.statuses["timeout"] += 1
                    await conn.close()
                    continue
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    result.statuses[type(exc).__name__] += 1
                    await conn.close()
                    continue
                result.statuses[status] += 1
                if status == "201":
                    result.accepted += 1
                    result.latencies.append(time.perf_counter() - t0)
        finally:
            await conn.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result


def _record_intake(r: LoadResult, vendor: str, clients: int) -> None:
    ms = [x * 1000 for x in r.latencies]
    if not r.elapsed or not ms:
        return
    figures.record_many(
        [
            (
                f"feedback.intake_rate.{vendor}",
                round(r.accepted / r.elapsed),
                "/s",
                f"{clients} clients",
            ),
            (
                f"feedback.intake_p95.{vendor}",
                round(percentile(ms, 95)),
                "ms",
                f"{clients} clients",
            ),
        ]
    )


def _print_load(r: LoadResult) -> None:
    errors = {k: v for k, v in r.statuses.items() if k != "201"}
    rate = r.accepted / r.elapsed if r.elapsed else 0.0
    ms = [x * 1000 for x in r.latencies]
    print(
        f"intake: {r.sent} sent in {r.elapsed:.2f}s, {r.accepted} accepted (201) → {rate:.0f} intakes/s"
    )
    if ms:
        print(
            f"latency of 201s: p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
            f"p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms, mean {statistics.fmean(ms):.0f} ms"
        )
    print(
        "errors: "
        + (", ".join(f"{k}×{v}" for k, v in sorted(errors.items())) if errors else "none")
    )


# --- triage -----------------------------------------------------------------------------------


def _triage(workers: int) -> None:

    # 1. In this process (no queue, no process start): one concern at a time, then one batch.

    one_ids = list(
        Concern.objects.filter(triaged_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:50]
    )
    sample_ids = list(one_ids)
    if one_ids:
        t0 = time.perf_counter()
        for pk in one_ids:
            triage_one(concern_id=pk)
        per = (time.perf_counter() - t0) / len(one_ids)
        print(
            f"triage one by one in-process over {len(one_ids)} concerns: {per * 1000:.1f} ms each "
            f"→ {1 / per:.0f} concerns/s per process"
        )
    batch_ids = list(
        Concern.objects.filter(triaged_at__isnull=True).values_list("pk", flat=True)[:TRIAGE_BATCH]
    )
    if batch_ids:
        t0 = time.perf_counter()
        done = triage_pending(limit=TRIAGE_BATCH)
        elapsed = time.perf_counter() - t0
        sample_ids += batch_ids
        print(
            f"triage batch in-process: {done} concerns in {elapsed * 1000:.0f} ms "
            f"→ {done / elapsed:.0f} concerns/s per process"
        )
    # 2. The worker over the rest (tasks of the sample find their concern triaged and return).
    queued = DBTaskResult.objects.filter(status="READY").count()
    pending = Concern.objects.filter(triaged_at__isnull=True).count()
    connection.close()
    print(
        f"triage: {pending} concerns waiting, {queued} tasks queued; {workers} worker process(es)"
    )
    cmd = [sys.executable, "-m", "congdoan.config.cli", "worker", "--batch", "--queues", "default"]
    env = {k: v for k, v in os.environ.items() if k != CHILD_FLAG}
    started = time.perf_counter()
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(workers)
    ]
    failures = []
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            failures.append(err.decode(errors="replace")[-500:])
    elapsed = time.perf_counter() - started
    done = Concern.objects.filter(triaged_at__isnull=False).count() - len(sample_ids)
    failed_tasks = DBTaskResult.objects.filter(status="FAILED").count()
    triage_tasks = DBTaskResult.objects.filter(task_path__endswith="triage_concern")
    working = triage_tasks.filter(status="SUCCESSFUL").exclude(return_value=0).count()
    print(
        f"triage tasks: {triage_tasks.count()} run, {working} of them triaged a batch, "
        "the others found their concern triaged already"
    )
    print(
        f"triage: {done} of {pending} triaged in {elapsed:.2f}s (process start included) → "
        f"{done / elapsed:.0f} concerns/s; failed tasks: {failed_tasks}"
    )

    span = (
        DBTaskResult.objects.filter(task_path__endswith="triage_concern")
        .exclude(worker_ids=[])  # retired by a batch: never claimed by a worker
        .aggregate(first=Min("started_at"), last=Max("finished_at"))
    )
    if span["first"] and span["last"]:
        busy = (span["last"] - span["first"]).total_seconds()
        if busy > 0:
            print(
                f"triage: first task start → last task end {busy:.2f}s → {done / busy:.0f} concerns/s"
            )
            figures.record(
                f"feedback.triage_rate.{connection.vendor}",
                round(done / busy),
                "/s",
                note=f"{workers} worker(s), first task start → last task end",
            )
    # Each worker's first batch loads the models (restore, classifiers): seconds, once per
    # process. The batches after it show what a running worker sustains.
    batches = list(
        DBTaskResult.objects.filter(task_path__endswith="triage_concern")
        .exclude(worker_ids=[])
        .exclude(return_value=0)
        .order_by("started_at")
        .values_list("worker_ids", "return_value", "started_at", "finished_at")
    )
    first_seen: set[str] = set()
    steady: list[tuple[int, Any, Any]] = []
    for worker_ids, count, begun, ended in batches:
        key = ",".join(worker_ids)
        if key not in first_seen:
            first_seen.add(key)
            continue
        if begun and ended and isinstance(count, int):
            steady.append((count, begun, ended))
    if steady:
        concerns = sum(count for count, _b, _e in steady)
        busy = (max(e for *_x, e in steady) - min(b for _c, b, _e in steady)).total_seconds()
        per = statistics.median((e - b).total_seconds() / c for c, b, e in steady)
        print(
            f"triage after each worker's first batch (model loading): {concerns} concerns in "
            f"{len(steady)} batches, {busy:.2f}s → {concerns / busy:.0f} concerns/s with "
            f"{workers} worker(s); median batch {per * 1000:.2f} ms per concern"
        )
    for failure in failures:
        print("worker error:", failure)
    # The text analysis alone, batched as the triage does it.
    sample = list(Concern.objects.order_by("-pk").values_list("text", flat=True)[:200])
    if sample:
        t0 = time.perf_counter()
        analyse_many(sample)
        for text in sample:
            signature_of(text)
        per = (time.perf_counter() - t0) / len(sample)
        print(
            f"triage analysis alone (restore, classify, signature; no database; batch of "
            f"{len(sample)}): {per * 1000:.2f} ms per concern → {1 / per:.0f}/s per process"
        )
