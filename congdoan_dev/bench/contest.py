"""`congdoan bench contest`: participants answering a contest's questions through a real server.

Usage: congdoan bench contest -- [--participants 2000] [--questions 20] [--bank 40]
                                   [--concurrency 20] [--workers 3] [--threads 2]
                                   [--connection close|keep-alive] [--db sqlite|postgres]
                                   [--cache redis|database] [--retry-rate 0.1]
                                   [--second-tab-rate 0.02] [--baseline-requests 2000]
                                   [--max-seconds 1200] [--record]

Steps:
1. a fresh database of its own: PostgreSQL `congdoan_bench_contest` (dropped and created
   again) on the server of DATABASE_URL (default 127.0.0.1:5432), or a new SQLite file under
   var/bench/; the rest runs in a child process pointed at it, migrated;
2. seed (`measure` does this on any database, a test's too): a district with 10 unions, a
   published contest for its members, one open round drawing `--questions` questions of two
   topics from a bank of `--bank` (a quarter multiple choice, 4 options each), `--participants`
   members with logins, each a participant with an attempt started through the service
   (`services.attempts.attempt_start`) and a session made on the server (`django_session`
   rows as a login leaves them: the bench skips argon2, which would measure the login);
3. gunicorn (`--workers` processes, gthread × `--threads`, as docs/operations.md runs it;
   sync with `--threads 1`) on 127.0.0.1, persistent database connections (DB_CONN_MAX_AGE),
   the cache (rate limits) in Redis (REDIS_URL, as in production; db 13 of 127.0.0.1) or in
   the database (`--cache database`);
4. the baseline: `GET /healthz?only=web` (the whole middleware stack, one query and a cache
   round trip) from the same number of clients: the floor of this server on this machine;
5. the load: `--concurrency` clients at a time, each taking one participant's attempt from
   start to end as the page's script does: `GET /api/v1/contests/attempts/{token}` (the
   questions, shown order), one `POST …/answers` per question (`--retry-rate` of the
   participants send each answer twice, as a phone on a bad line does; `--second-tab-rate`
   open a second tab half-way, which resumes the same attempt, answers the next question and
   changes an earlier answer), then `POST …/finish`;
6. print `N answers/s` (answer calls answered 200 per second of the load), `p50`/`p95`/`p99`
   of the answer calls, errors by status, the baseline beside them, the CPU used by the load
   generator and by gunicorn; then count: `sent N` (distinct attempt × question pairs the
   clients sent) and `stored N` (Answer rows), which must be equal, every stored answer the
   last one sent, retries answered `stored: false`, changes `changed: true`, every attempt
   finished.
It never fails on a timing; it exits non-zero when stored ≠ sent or an answer is wrong.
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from congdoan.accounts.middleware import SEEN_AT
from congdoan.accounts.models import User
from congdoan.contests.models import (
    Answer,
    Attempt,
    AttemptStatus,
    Contest,
    ContestStatus,
    Eligibility,
    Option,
    Participant,
    Question,
    QuestionKind,
    Round,
    Topic,
)
from congdoan.contests.services.attempts import attempt_start
from congdoan.core.processes import run_child
from congdoan.orgs import services as orgs_services
from congdoan.orgs.models import Level, Member, Unit, UnitKind
from congdoan_dev import figures
from congdoan_dev.bench.db import (
    fresh_database_url,
)
from congdoan_dev.bench.measure import (
    free_port,
    loadavg,
    named_cpu,
    percentile,
    stop_server,
    tree_cpu,
)

CHILD_FLAG = "CONGDOAN_BENCH_CONTEST_CHILD"
PG_DB = "congdoan_bench_contest"
REDIS_DB = "redis://127.0.0.1:6379/13"
DISTRICT = "BENCH-TT"
UNITS = 10
API = "/api/v1/contests/attempts"
LOGIN_BACKEND = "congdoan.accounts.backends.EmailOrPhoneBackend"
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench contest")
    add = parser.add_argument
    add("--participants", type=int, default=2000, help="participants, one attempt each")
    add("--questions", type=int, default=20, help="questions per attempt")
    add("--bank", type=int, default=40, help="questions in the bank (two topics)")
    add("--concurrency", type=int, default=20, help="participants answering at the same time")
    add("--workers", type=int, default=3, help="gunicorn processes (docs/operations.md: 3)")
    add("--threads", type=int, default=2, help="threads per gunicorn process (gthread; 1 = sync)")
    add(
        "--connection",
        choices=["close", "keep-alive"],
        default="close",
        help="a connection per request (close: as nginx talks to gunicorn) or one kept-alive "
        "connection per participant (a phone talking to gunicorn directly)",
    )
    add(
        "--fast-path",
        choices=["on", "off"],
        default="on",
        help="the answer call's short road in front of the middleware (contests/fastpath.py)",
    )
    add("--db", choices=["sqlite", "postgres"], default="", help="default: DATABASE_URL's kind")
    add("--database-url", default="", help="PostgreSQL server to create the bench database on")
    add(
        "--cache",
        choices=["redis", "database"],
        default="redis",
        help=f"where rate limits are counted: Redis ({REDIS_DB}, as in production) or the database",
    )
    add("--redis-url", default=REDIS_DB, help="the Redis of --cache redis")
    add(
        "--retry-rate",
        type=float,
        default=0.1,
        help="share of participants sending each answer twice",
    )
    add("--second-tab-rate", type=float, default=0.02, help="share opening a second tab half-way")
    add("--baseline-requests", type=int, default=2000, help="GET /healthz calls (0: none)")
    add("--max-seconds", type=float, default=1200.0, help="stop starting participants after this")
    add("--record", action="store_true", help="record the figures in docs/figures.json")
    args = parser.parse_args(argv)
    if min(args.participants, args.questions, args.concurrency, args.workers, args.threads) < 1:
        parser.error("--participants, --questions, --concurrency, --workers, --threads must be ≥ 1")
    if args.bank < args.questions:
        parser.error("--bank must hold at least --questions questions")
    for rate in (args.retry_rate, args.second_tab_rate):
        if not 0 <= rate <= 1:
            parser.error("the rates are shares in [0, 1]")
    if not args.db:
        current = os.environ.get("DATABASE_URL", "")
        args.db = "postgres" if current.startswith(("postgres://", "postgresql://")) else "sqlite"
    return args


# --- parent: a fresh database, then the same command again as the child ------------------------


def run(argv: list[str]) -> None:
    args = parse(argv)
    if os.environ.get(CHILD_FLAG) == "1":
        raise SystemExit(_child(args, argv))
    bench_dir = Path(settings.VAR_DIR) / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    url = fresh_database_url(
        args.db, name=PG_DB, sqlite_path=bench_dir / "contest.sqlite3", server_url=args.database_url
    )
    env = {**os.environ, "DATABASE_URL": url, CHILD_FLAG: "1", "PYTHONUNBUFFERED": "1"}
    env["LOG_LEVEL"] = "WARNING"
    env.pop("REDIS_URL", None)  # the child chooses the server's cache (--cache)
    cmd = [sys.executable, "-m", "congdoan.config.cli", "bench", "contest", "--", *argv]
    raise SystemExit(run_child(cmd, env=env, check=False).returncode)


def _child(args: argparse.Namespace, argv: list[str]) -> int:
    db = connection.settings_dict
    label = (
        f"PostgreSQL {db['NAME']}" if connection.vendor == "postgresql" else f"SQLite {db['NAME']}"
    )
    print(f"database: {label} (fresh); CPUs: {os.cpu_count()}; load average before: {loadavg()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.perf_counter() - started:.1f}s")
    result = measure(args, logs=Path(settings.VAR_DIR) / "bench")
    if args.record and result.ok:
        _record(result, args, argv)
    return 0 if result.ok else 1


# --- the run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One participant as the load generator sees them: the attempt and the cookies a login
    would have left; whether they retry every answer, and open a second tab."""

    token: str
    session_key: str
    csrf: str
    retry: bool
    second_tab: bool
    address: str  # the phone's address, as nginx passes it on (X-Real-IP)


@dataclass
class Load:
    statuses: Counter[str] = field(default_factory=Counter)  # "answer 200", "finish 409", …
    answer_ms: list[float] = field(default_factory=list)  # answer calls answered 200
    other_ms: list[float] = field(default_factory=list)  # GET state and finish, 200
    answered: int = 0  # answer calls answered 200 (retries and second tabs included)
    # (token, question id) → the option ids last sent and answered 200.
    sent: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    anomalies: Counter[str] = field(default_factory=Counter)  # a retry stored, a change not…
    participants: int = 0  # participants who got to the end
    elapsed: float = 0.0
    server_cpu: float | None = None  # gunicorn's CPU seconds (the baseline's)

    def count(self, what: str, status: int | str) -> None:
        self.statuses[f"{what} {status}"] += 1


@dataclass
class Result:
    load: Load
    baseline: Load | None
    stored: int
    wrong: int
    unfinished: int
    server_cpu: float | None
    client_cpu: float
    connection: str
    database_cpu: float | None = None  # every postgres process's CPU seconds during the load
    redis_cpu: float | None = None

    @property
    def ok(self) -> bool:
        return (
            self.stored == len(self.load.sent)
            and not self.wrong
            and not self.unfinished
            and not self.load.anomalies
            and self.load.participants > 0
        )


def measure(args: argparse.Namespace, *, logs: Path) -> Result:
    """Everything after the migration, on the current database (a test's too)."""
    started = time.perf_counter()
    warm_count = _warm_count(args)
    plans, rng = _seed(args, args.participants + warm_count), random.Random(20261207)
    warm, plans = plans[:warm_count], plans[warm_count:]
    print(
        f"seeded {args.participants} participants (and {warm_count} to warm the server up) "
        f"with attempts of {args.questions} questions (bank {args.bank}) and sessions made on "
        f"the server (no argon2 login) in {time.perf_counter() - started:.1f}s"
    )
    connection.close()
    port = free_port()
    server = _start_server(args, port, logs / "contest-gunicorn.log")
    keep_alive = args.connection == "keep-alive"
    baseline: Load | None = None
    try:
        _wait_ready(port, server, logs, timeout=60)
        # Every worker imports and connects on its first calls: not part of the figures.
        asyncio.run(_baseline(port, warm_count * 2, min(args.concurrency, warm_count), keep_alive))
        asyncio.run(_load(port, warm, args, rng, keep_alive, min(args.concurrency, warm_count)))
        if args.baseline_requests:
            before = tree_cpu(server.pid)
            baseline = asyncio.run(
                _baseline(port, args.baseline_requests, args.concurrency, keep_alive)
            )
            after = tree_cpu(server.pid)
            if before is not None and after is not None:
                baseline.server_cpu = after - before
        client_before, server_before = time.process_time(), tree_cpu(server.pid)
        db_before, redis_before = named_cpu(["postgres"]), named_cpu(["redis-server"])
        load = asyncio.run(_load(port, plans, args, rng, keep_alive, args.concurrency))
        client_cpu = time.process_time() - client_before
        server_after = tree_cpu(server.pid)
        db_after, redis_after = named_cpu(["postgres"]), named_cpu(["redis-server"])
    finally:
        stop_server(server)
    server_cpu = server_after - server_before if None not in (server_before, server_after) else None  # type: ignore[operator]
    stored, wrong = _verify(load)
    tokens = [plan.token for plan in plans[: load.participants]]
    unfinished = (
        Attempt.objects.filter(token__in=tokens).exclude(status=AttemptStatus.FINISHED).count()
    )
    result = Result(
        load, baseline, stored, wrong, unfinished, server_cpu, client_cpu, args.connection
    )
    if db_before is not None and db_after is not None and connection.vendor == "postgresql":
        result.database_cpu = db_after - db_before
    if redis_before is not None and redis_after is not None and args.cache == "redis":
        result.redis_cpu = redis_after - redis_before
    _report(result, args)
    return result


# --- seeding -------------------------------------------------------------------------------


def _warm_count(args: argparse.Namespace) -> int:
    """Participants who warm the server up before the figures: a few per thread."""
    return args.workers * args.threads * 3


def _seed(args: argparse.Namespace, count: int) -> list[Plan]:
    district, units = _make_units()
    now = timezone.now()
    contest = Contest.objects.create(
        unit=district,
        title="Tìm hiểu pháp luật lao động (đo hiệu năng)",
        slug=f"bench-{get_random_string(8).lower()}",
        eligibility=Eligibility.MEMBERS,
        eligible_unit=district,
        prediction_question="Có bao nhiêu người trả lời đúng tất cả các câu hỏi?",
        status=ContestStatus.PUBLISHED,
        published_at=now,
    )
    topics = [
        Topic.objects.create(contest=contest, name=name)
        for name in ("Bộ luật Lao động", "Luật Công đoàn")
    ]
    for i in range(args.bank):
        kind = QuestionKind.MULTIPLE if i % 4 == 3 else QuestionKind.SINGLE
        question = Question.objects.create(
            contest=contest,
            topic=topics[i % 2],
            kind=kind,
            text=f"Câu {i + 1}: người lao động được nghỉ bao nhiêu ngày phép năm?",
        )
        Option.objects.bulk_create(
            Option(
                question=question,
                position=p,
                text=f"Phương án {p + 1}",
                is_correct=p == 0 or (kind == QuestionKind.MULTIPLE and p == 1),
            )
            for p in range(4)
        )
    first = args.questions // 2
    round_ = Round.objects.create(
        contest=contest,
        number=1,
        title="Vòng 1",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        questions_per_attempt=args.questions,
        topic_mix={str(topics[0].pk): first, str(topics[1].pk): args.questions - first},
        time_limit_seconds=3 * 3600,
        attempts_allowed=1,
    )
    people = _make_people(count, units, contest)
    plans: list[Plan] = []
    rng = random.Random(7)
    sessions = []
    expire = now + timedelta(days=1)
    for participant, user in people:
        attempt = attempt_start(participant=participant, round=round_)
        store = SessionStore()
        key = get_random_string(32, CSRF_CHARS.lower())
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: LOGIN_BACKEND,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            SEEN_AT: int(time.time()),
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expire)
        )
        plans.append(
            Plan(
                token=attempt.token,
                session_key=key,
                csrf=get_random_string(32, CSRF_CHARS),
                retry=rng.random() < args.retry_rate,
                second_tab=rng.random() < args.second_tab_rate,
                address=f"10.{len(plans) >> 16 & 255}.{len(plans) >> 8 & 255}.{len(plans) & 255}",
            )
        )
    Session.objects.bulk_create(sessions, batch_size=1000)
    return plans


def _make_units() -> tuple[Unit, list[Unit]]:
    upper, _ = Level.objects.get_or_create(
        code="bench-cap-tren", defaults={"name": "Cấp trên (đo)", "rank": 2, "is_grassroots": False}
    )
    base, _ = Level.objects.get_or_create(
        code="bench-co-so", defaults={"name": "Cơ sở (đo)", "rank": 3, "is_grassroots": True}
    )
    district = orgs_services.unit_create(
        actor=None,
        code=DISTRICT,
        name="LĐLĐ huyện (đo cuộc thi)",
        level=upper,
        parent=None,
        kind=UnitKind.FEDERATION,
        on_date=date(2020, 1, 1),
    )
    return district, [
        orgs_services.unit_create(
            actor=None,
            code=f"{DISTRICT}-{i:02d}",
            name=f"Công đoàn Công ty {i:02d}",
            level=base,
            parent=district,
            kind=UnitKind.NON_STATE_ENTERPRISE,
            on_date=date(2020, 1, 1),
        )
        for i in range(1, UNITS + 1)
    ]


def _make_people(count: int, units: list[Unit], contest: Contest) -> list[tuple[Participant, User]]:
    """Members with logins, and each one's participant (made in bulk: joining is not measured)."""
    password = make_password(None)  # unusable: nobody logs in, the sessions are made
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-thi-{i:06d}", full_name=f"Người dự thi {i:06d}", password=password
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    members = []
    for i, user in enumerate(users):
        member = Member(unit=units[i % len(units)], full_name=user.full_name, user=user)
        member.fill_keys()
        members.append(member)
    Member.objects.bulk_create(members, batch_size=1000)
    participants = Participant.objects.bulk_create(
        [
            Participant(contest=contest, user=m.user, member=m, full_name=m.full_name, unit=m.unit)
            for m in members
        ],
        batch_size=1000,
    )
    return list(zip(participants, users, strict=True))


# --- the server ----------------------------------------------------------------------------


def database_url() -> str:
    """The URL of the database this process uses now (a test's database in the tests)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user, password = quote(db.get("USER") or ""), quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


def _start_server(args: argparse.Namespace, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable, "-m", "gunicorn", "congdoan.config.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers),
        "--worker-class", "gthread" if args.threads > 1 else "sync",
        "--threads", str(args.threads),
        "--keep-alive", "30", "--backlog", "2048", "--timeout", "60",
        "--log-level", "warning",
    ]  # fmt: skip
    if args.connection == "close":
        # Bounded, as the feedback bench found: a gthread worker otherwise accepts every
        # waiting connection and queues them behind its own threads while other workers idle.
        cmd += ["--worker-connections", str(args.threads * 2)]
    env = {k: v for k, v in os.environ.items() if k != CHILD_FLAG and not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url(),
        DB_CONN_MAX_AGE=os.environ.get("DB_CONN_MAX_AGE", "60"),
        TASKS_BACKEND="database",
        LOG_LEVEL="WARNING",
        # As behind nginx (docs/operations.md): the phone's address, for the per-address limits.
        PROXY_CLIENT_IP_HEADER="X-Real-IP",
        DJANGO_SETTINGS_MODULE="congdoan.config.settings",
        CONTESTS_ANSWER_FAST_PATH="1" if args.fast_path == "on" else "0",
    )
    env.pop("REDIS_URL", None)
    if args.cache == "redis":
        env["REDIS_URL"] = args.redis_url
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    return subprocess.Popen(
        cmd,
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_ready(port: int, server: subprocess.Popen[bytes], logs: Path, timeout: float) -> None:
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if server.poll() is not None:
            raise SystemExit(
                f"gunicorn exited with {server.returncode}; see {logs}/contest-gunicorn.log"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start in time")


# --- the clients ---------------------------------------------------------------------------


class Conn:
    """One HTTP/1.1 connection of one tab: kept alive, or a new one per request (`close`)."""

    def __init__(
        self, port: int, keep_alive: bool, cookie: str = "", csrf: str = "", address: str = ""
    ) -> None:
        self.port, self.keep_alive = port, keep_alive
        self.cookie, self.csrf, self.address = cookie, csrf, address
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def call(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        """The status and the JSON body (None when not JSON)."""
        body = b"" if payload is None else json.dumps(payload).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if self.cookie:
            head += f"Cookie: {self.cookie}\r\n"
        if self.address:
            head += f"X-Real-IP: {self.address}\r\n"
        if method != "GET":
            head += f"X-CSRFToken: {self.csrf}\r\nContent-Type: application/json\r\n"
            head += f"Content-Length: {len(body)}\r\n"
        if not self.keep_alive:
            head += "Connection: close\r\n"
        request = head.encode() + b"\r\n" + body
        fresh = self.writer is None
        if fresh:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            return await self._exchange(request)
        except (ConnectionError, asyncio.IncompleteReadError):
            await self.close()
            if fresh:
                raise
            # The server closed an idle kept-alive connection: once more on a new one.
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            return await self._exchange(request)

    async def _exchange(self, request: bytes) -> tuple[int, Any]:
        assert self.reader is not None and self.writer is not None
        self.writer.write(request)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before the answer")
        length, chunked, closing = 0, False, not self.keep_alive
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                closing = True
        if chunked:
            body = b""
            while size := int((await self.reader.readline()).strip() or b"0", 16):
                body += await self.reader.readexactly(size + 2)
                body = body[:-2]
            await self.reader.readline()
        else:
            body = await self.reader.readexactly(length) if length else b""
        if closing:
            await self.close()
        status = int(status_line.split()[1])
        try:
            return status, json.loads(body) if body else None
        except ValueError:
            return status, None


async def _timed(
    conn: Conn, method: str, path: str, payload: Any = None
) -> tuple[int | str, Any, float]:
    t0 = time.perf_counter()
    try:
        status, data = await asyncio.wait_for(conn.call(method, path, payload), timeout=30)
    except TimeoutError:
        await conn.close()
        return "timeout", None, 0.0
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
        await conn.close()
        return type(exc).__name__, None, 0.0
    return status, data, (time.perf_counter() - t0) * 1000


async def _baseline(port: int, total: int, concurrency: int, keep_alive: bool) -> Load:
    load = Load()
    counter = iter(range(total))
    started = time.perf_counter()

    async def client() -> None:
        conn = Conn(port, keep_alive)
        try:
            for _ in counter:
                status, _data, ms = await _timed(conn, "GET", "/healthz?only=web")
                load.count("healthz", status)
                if status == 200:
                    load.answered += 1
                    load.other_ms.append(ms)
        finally:
            await conn.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    load.elapsed = time.perf_counter() - started
    return load


def _choice(question: dict[str, Any], rng: random.Random) -> list[int]:
    ids = [option["id"] for option in question["options"]]
    if question["kind"] == QuestionKind.MULTIPLE:
        return sorted(rng.sample(ids, rng.randint(1, min(2, len(ids)))))
    return [rng.choice(ids)]


async def _answer(
    load: Load, conn: Conn, plan: Plan, question: int, options: list[int], *, again: bool
) -> bool:
    """One answer call; `again`: the same answer was answered 200 before (a retry)."""
    status, data, ms = await _timed(
        conn, "POST", f"{API}/{plan.token}/answers", {"question": question, "options": options}
    )
    load.count("answer", status)
    if status != 200 or not isinstance(data, dict):
        return False
    load.answered += 1
    load.answer_ms.append(ms)
    key = (plan.token, question)
    before = load.sent.get(key)
    if again and (data.get("stored") or data.get("changed")):
        load.anomalies["a repeated answer was stored again"] += 1
    elif before is None and not data.get("stored"):
        load.anomalies["a first answer was not stored"] += 1
    elif before is not None and before != options and not data.get("changed"):
        load.anomalies["a changed answer was not marked changed"] += 1
    load.sent[key] = options
    return True


async def _participant(
    port: int, plan: Plan, load: Load, rng: random.Random, keep_alive: bool
) -> None:
    cookie = f"sessionid={plan.session_key}; csrftoken={plan.csrf}"
    tab = Conn(port, keep_alive, cookie, plan.csrf, plan.address)
    other: Conn | None = None
    try:
        status, state, ms = await _timed(tab, "GET", f"{API}/{plan.token}")
        load.count("state", status)
        if status != 200 or not isinstance(state, dict):
            return
        load.other_ms.append(ms)
        questions = state["questions"]
        half = len(questions) // 2
        for i, question in enumerate(questions):
            if plan.second_tab and i == half:
                other = Conn(port, keep_alive, cookie, plan.csrf, plan.address)
                status, resumed, ms = await _timed(other, "GET", f"{API}/{plan.token}")
                load.count("state", status)
                if status == 200 and isinstance(resumed, dict):
                    if sorted(resumed["answered"]) != sorted(q["id"] for q in questions[:half]):
                        load.anomalies["a second tab did not resume the answers"] += 1
                    # The next question from the second tab; then a change to an earlier one.
                    options = _choice(question, rng)
                    await _answer(load, other, plan, question["id"], options, again=False)
                    earlier = questions[0]
                    changed = [
                        o["id"]
                        for o in earlier["options"]
                        if [o["id"]] != load.sent.get((plan.token, earlier["id"]))
                    ][:1]
                    await _answer(load, other, plan, earlier["id"], changed, again=False)
                    continue
            options = _choice(question, rng)
            if await _answer(load, tab, plan, question["id"], options, again=False) and plan.retry:
                await _answer(load, tab, plan, question["id"], options, again=True)
        status, _data, ms = await _timed(tab, "POST", f"{API}/{plan.token}/finish", {})
        load.count("finish", status)
        if status == 200:
            load.other_ms.append(ms)
            load.participants += 1
    finally:
        await tab.close()
        if other is not None:
            await other.close()


async def _load(
    port: int,
    plans: list[Plan],
    args: argparse.Namespace,
    rng: random.Random,
    keep_alive: bool,
    concurrency: int,
) -> Load:
    load = Load()
    queue = iter(plans)
    started = time.perf_counter()
    stop_at = started + args.max_seconds

    async def client() -> None:
        for plan in queue:
            if time.perf_counter() > stop_at:
                return
            await _participant(port, plan, load, rng, keep_alive)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    load.elapsed = time.perf_counter() - started
    return load


# --- counting and the report ---------------------------------------------------------------


def _verify(load: Load) -> tuple[int, int]:
    """Answer rows stored for the attempts the clients used, and how many differ from the
    last answer sent (or were never sent)."""
    tokens = {token for token, _q in load.sent}
    rows = Answer.objects.filter(attempt__token__in=tokens).values_list(
        "attempt__token", "question_id", "option_ids"
    )
    stored, wrong = 0, 0
    for token, question, option_ids in rows.iterator(chunk_size=5000):
        stored += 1
        if sorted(option_ids) != sorted(load.sent.get((token, question)) or [-1]):
            wrong += 1
    return stored, wrong


def _rate(load: Load) -> float:
    return load.answered / load.elapsed if load.elapsed else 0.0


def _report(result: Result, args: argparse.Namespace) -> None:
    load, ms = result.load, result.load.answer_ms
    print(
        f"server: gunicorn {args.workers} workers × {args.threads} threads "
        f"(answer fast path {args.fast_path}) "
        f"({'gthread' if args.threads > 1 else 'sync'}), connection {result.connection}, "
        f"cache {args.cache}; clients: {args.concurrency} at a time"
    )
    if result.baseline is not None and result.baseline.other_ms:
        base = result.baseline
        print(
            f"baseline GET /healthz?only=web: {_rate(base):.0f} requests/s, p50 "
            f"{percentile(base.other_ms, 50):.0f} ms, p95 {percentile(base.other_ms, 95):.0f} ms "
            f"({base.answered} of {sum(base.statuses.values())} answered 200"
            + (
                f"; gunicorn {base.server_cpu / max(1, base.answered) * 1000:.2f} ms CPU a call)"
                if base.server_cpu is not None
                else ")"
            )
        )
    print(
        f"load: {load.participants} participants finished in {load.elapsed:.1f}s; "
        f"{sum(load.statuses.values())} calls ({sum(load.statuses.values()) / max(load.elapsed, 1e-9):.0f}/s)"
    )
    print(f"{_rate(load):.0f} answers/s")
    if ms:
        print(f"p50 {percentile(ms, 50):.0f} ms")
        print(f"p95 {percentile(ms, 95):.0f} ms")
        print(
            f"answer calls: p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms, mean "
            f"{statistics.fmean(ms):.1f} ms; state and finish calls p95 "
            f"{percentile(load.other_ms, 95):.0f} ms"
        )
    errors = {k: v for k, v in load.statuses.items() if not k.endswith(" 200")}
    print("errors: " + (", ".join(f"{k}×{v}" for k, v in sorted(errors.items())) or "none"))
    if result.server_cpu is not None:
        print(
            f"CPU: gunicorn {result.server_cpu:.1f}s = {result.server_cpu / load.elapsed:.2f} "
            f"core(s), {result.server_cpu / max(1, sum(load.statuses.values())) * 1000:.2f} ms a "
            f"call; load generator {result.client_cpu:.1f}s = "
            f"{result.client_cpu / load.elapsed:.2f} core(s); load average {loadavg()}"
        )
        calls = max(1, sum(load.statuses.values()))
        for label, cpu in (("PostgreSQL", result.database_cpu), ("Redis", result.redis_cpu)):
            if cpu is not None:
                print(
                    f"CPU: {label} {cpu:.1f}s = {cpu / load.elapsed:.2f} core(s), "
                    f"{cpu / calls * 1000:.2f} ms a call (every process of it on this machine)"
                )
    print(f"sent {len(load.sent)}")
    print(f"stored {result.stored}")
    verdict = "EQUAL" if result.stored == len(load.sent) else "MISMATCH"
    print(
        f"answers: {verdict}; stored differing from the last sent: {result.wrong}; attempts not "
        f"finished: {result.unfinished}; "
        + (
            ", ".join(f"{k}: {v}" for k, v in sorted(load.anomalies.items()))
            if load.anomalies
            else "retries stored nothing, changes replaced, second tabs resumed"
        )
    )


def _record(result: Result, args: argparse.Namespace, argv: list[str]) -> None:
    load = result.load
    note = f"{args.participants} participants, {args.concurrency} at a time, {args.workers}×{args.threads} gunicorn, {args.cache} cache"
    rows: list[tuple[str, float | str, str, str]] = [
        ("contest.answer_rate", round(_rate(load)), "/s", note),
        ("contest.answer_p50", round(percentile(load.answer_ms, 50)), "ms", note),
        ("contest.answer_p95", round(percentile(load.answer_ms, 95)), "ms", note),
        ("contest.answers_sent", len(load.sent), "", "distinct attempt × question pairs sent"),
        ("contest.answers_stored", result.stored, "", "Answer rows after the run"),
    ]
    calls = max(1, sum(load.statuses.values()))
    for name, cpu, what in (
        ("contest.server_cpu_ms", result.server_cpu, "gunicorn"),
        ("contest.database_cpu_ms", result.database_cpu, "PostgreSQL"),
        ("contest.redis_cpu_ms", result.redis_cpu, "Redis"),
    ):
        if cpu is not None:
            rows.append((name, round(cpu / calls * 1000, 2), "ms", f"{what} CPU a call, {note}"))
    if result.baseline is not None and result.baseline.answered:
        rows.append(
            (
                "contest.healthz_rate",
                round(_rate(result.baseline)),
                "/s",
                "GET /healthz?only=web, same server and clients",
            )
        )
    figures.record_many(rows, command=figures.bench_command("contest", argv))
