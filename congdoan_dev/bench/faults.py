"""`congdoan bench faults`: nothing acknowledged is lost while the database, the worker and
the providers fail.

Usage: congdoan bench faults -- [--quick] [--clients 100] [--phase-seconds 40]
                                [--db-down-seconds 5] [--refuse-seconds 60] [--pace 1.0]
                                [--settle-seconds 180] [--workers 3] [--threads 4]

Steps:
1. start a PostgreSQL of its own: `initdb` a data folder under /tmp, a free port, `pg_ctl`
   (binaries from /usr/lib/postgresql/*/bin; the machine's own server is never touched);
   the rest runs in a child process pointed at it;
2. migrate, create a district with 20 grassroots unions and one district officer with an
   e-mail (urgent alerts climb to the district); start a fake SMTP server and a fake Zalo OA
   on loopback, gunicorn (gthread), `congdoan worker` and `congdoan scheduler`, with
   TASKS_BACKEND=database and the outbox's backoff shortened (OUTBOX_BACKOFF_SECONDS=1);
3. three phases, each `--phase-seconds` of `--clients` concurrent clients sending concerns
   (one every `--pace` seconds each; one in ten through the signed Zalo webhook, one in five
   urgent): (a) the database stops for `--db-down-seconds` and starts again; (b) the worker
   is killed (SIGKILL) and started again; (c) the SMTP and Zalo fakes refuse for
   `--refuse-seconds`. A client sends the same concern again after a 503 (after its
   Retry-After) or a broken connection, until it is acknowledged or the phase is over;
4. after each phase, wait until every stored concern is triaged (and, after (c), until the
   outbox has delivered what the fakes refused), then print: sent, acknowledged, stored,
   triaged, duplicated, lost (acknowledged but not stored), and the answers clients saw.
Target: every acknowledged concern stored once and triaged; no 500. `--quick`: 20 clients,
20-second phases, refusing for 10 seconds. It prints figures and never fails on a timing; it
exits non-zero when an acknowledged concern is lost or a 500 was answered.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.utils import timezone

from congdoan.core.processes import popen_child, run_child
from congdoan.feedback.models import Concern
from congdoan.feedback.tests.fakes.smtp import FakeSmtpServer
from congdoan.feedback.tests.fakes.zalo import FakeZaloOA
from congdoan.orgs.models import Appointment, Position, Unit
from congdoan.outbox.models import MessageStatus, OutboundMessage
from congdoan_dev import figures
from congdoan_dev.bench.feedback import _make_units

CHILD_FLAG = "CONGDOAN_BENCH_FAULTS_CHILD"
ZALO_APP_ID = "bench-app"
ZALO_SECRET = "bench-oa-secret"
ZALO_TOKEN = "bench-access-token"
OFFICER_EMAIL = "vanphong@bench-px.vn"
MARKER = re.compile(r"\[F([a-z])-(\d+)-(\d+)\]")

TEXTS = [
    "Công ty chậm trả lương tháng này đã {d} ngày, công nhân rất khó khăn.",
    "Tổ {d} phải tăng ca đến 21 giờ mà không được trả tiền làm thêm giờ.",
    "Cong ty chua dong bao hiem xa hoi cho cong nhan tu thang {d}.",
    "Xưởng {d} nóng quá, quạt hỏng mấy ngày chưa sửa.",
]
URGENT = "Sáng nay xưởng {d} có công nhân bị tai nạn lao động, kẹp tay ở máy dập, đang cấp cứu."


@dataclass
class Options:
    clients: int
    phase_seconds: float
    db_down_seconds: float
    refuse_seconds: float
    pace: float
    settle_seconds: float
    workers: int
    threads: int


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="congdoan bench faults")
    parser.add_argument(
        "--quick", action="store_true", help="20 clients, 20 s phases, 10 s refusal"
    )
    parser.add_argument("--clients", type=int)
    parser.add_argument("--phase-seconds", type=float)
    parser.add_argument("--db-down-seconds", type=float, default=5.0)
    parser.add_argument("--refuse-seconds", type=float)
    parser.add_argument(
        "--pace", type=float, default=1.0, help="seconds between a client's concerns"
    )
    parser.add_argument("--settle-seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    quick = bool(args.quick)
    return Options(
        clients=args.clients or (20 if quick else 100),
        phase_seconds=args.phase_seconds or (20.0 if quick else 40.0),
        db_down_seconds=args.db_down_seconds,
        refuse_seconds=args.refuse_seconds or (10.0 if quick else 60.0),
        pace=args.pace,
        settle_seconds=args.settle_seconds,
        workers=args.workers,
        threads=args.threads,
    )


def postgres_bin() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian's layout)."""
    found = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not found:
        raise SystemExit("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
    return found[-1]


def as_server_user(root: Path) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its binaries as the `postgres` system
    user (who then owns the benchmark's folder); otherwise as ourselves."""
    if os.geteuid() != 0:
        return []

    try:
        user = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise SystemExit("running as root needs a 'postgres' system user for PostgreSQL") from exc
    os.chown(root, user.pw_uid, user.pw_gid)
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", "--"]


def free_port() -> int:

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- tally ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients of one phase sent and heard."""

    sent: set[str] = field(default_factory=set)
    acknowledged: set[str] = field(default_factory=set)
    requests: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, marker: str, answer: str, acknowledged: bool) -> None:
        with self.lock:
            self.sent.add(marker)
            self.requests += 1
            self.answers[answer] += 1
            if acknowledged:
                self.acknowledged.add(marker)


def describe_answer(
    status: int | None, headers: dict[str, str] | None = None, error: str = ""
) -> str:
    if status is None:
        return f"no answer ({error})" if error else "no answer"
    if status == 503:
        return (
            "503 + Retry-After" if (headers or {}).get("retry-after") else "503 without Retry-After"
        )
    return str(status)


def stored_counts(texts: list[str]) -> Counter[str]:
    """How many stored concerns carry each marker."""
    counts: Counter[str] = Counter()
    for text in texts:
        found = MARKER.search(text)
        if found:
            counts[found.group(0)] += 1
    return counts


@dataclass
class PhaseResult:
    name: str
    sent: int
    acknowledged: int
    stored: int
    triaged: int
    duplicated: int
    lost: int
    answers: Counter[str]
    requests: int
    extra: str = ""

    stored_rows: int = 0
    # Phase (c): messages sent after a refused try, by channel; seconds until the outbox drained.
    retried: Counter[str] = field(default_factory=Counter)
    drained_seconds: float | None = None

    @property
    def clean(self) -> bool:
        return (
            self.lost == 0
            and self.duplicated == 0
            and self.triaged == self.stored_rows
            and self.answers.get("500", 0) == 0
        )

    def lines(self) -> list[str]:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(self.answers.items()))
        return [
            self.name,
            f"  sent {self.sent} concerns in {self.requests} requests; acknowledged {self.acknowledged}; "
            f"stored {self.stored}; triaged {self.triaged}; duplicated {self.duplicated}; "
            f"lost (acknowledged, not stored) {self.lost}",
            f"  answers: {answers}",
            *([f"  {self.extra}"] if self.extra else []),
        ]


# --- parent: the database of its own ---------------------------------------------------------


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # so that the `finally` blocks stop what was started


def run(argv: list[str]) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, _exit_on_signal)
    if os.environ.get(CHILD_FLAG) == "1":
        raise SystemExit(_child(parse(argv)))
    parse(argv)  # fail early on bad options
    pg = postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="congdoan-faults-"))
    data = root / "data"
    port = free_port()
    sudo = as_server_user(root)
    run_child(
        [
            *sudo,
            str(pg / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    ctl = [*sudo, str(pg / "pg_ctl"), "-D", str(data), "-l", str(root / "postgres.log")]
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    )
    try:
        run_child([*ctl, "-o", options, "-w", "start"], check=True, stdout=subprocess.DEVNULL)
        run_child(
            [
                *sudo,
                str(pg / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "congdoan",
            ],
            check=True,
        )
        print(f"PostgreSQL of its own: {pg.parent.name} on 127.0.0.1:{port}, data in {data}")
        env = {
            **os.environ,
            CHILD_FLAG: "1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/congdoan",
            "CONGDOAN_FAULTS_PG_CTL": json.dumps([*ctl, "-o", options]),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("REDIS_URL", None)
        cmd = [sys.executable, "-m", "congdoan.config.cli", "bench", "faults", "--", *argv]
        child = popen_child(cmd, env=env, death_signal=signal.SIGTERM)
        try:
            code = child.wait()
        finally:
            if child.poll() is None:
                child.terminate()
                child.wait(timeout=60)
    finally:
        run_child([*ctl, "-m", "immediate", "stop"], check=False, stdout=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)
    raise SystemExit(code)


# --- child: connected to that database --------------------------------------------------------


class Stack:
    """gunicorn, the worker and the scheduler, with the fakes' addresses in their settings."""

    def __init__(self, options: Options, env: dict[str, str], log_dir: Path) -> None:
        self.options = options
        self.env = env
        self.log_dir = log_dir
        self.port = free_port()
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        # Like a service manager (systemd's Restart=always): a process that exits is started
        # again within a second, and counted.
        self.exits: Counter[str] = Counter()
        self.held: set[str] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.watcher = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self.stopping.wait(1.0):
            with self.lock:
                for name, proc in list(self.procs.items()):
                    if name not in self.held and proc.poll() is not None:
                        self.exits[f"{name} (exit {proc.returncode})"] += 1
                        self.start(name)

    def start(self, name: str) -> None:
        cli = [sys.executable, "-m", "congdoan.config.cli"]
        commands = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "congdoan.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.options.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(self.options.threads),
                "--worker-connections",
                str(self.options.threads * 2),
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            "worker": [*cli, "worker"],
            "scheduler": [*cli, "scheduler"],
        }
        log = (self.log_dir / f"{name}.log").open("ab")
        self.procs[name] = popen_child(
            commands[name],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            new_session=True,
            death_signal=signal.SIGTERM,
        )

    def kill_and_restart(self, name: str, pause: float) -> None:
        with self.lock:
            self.held.add(name)
        self.kill(name)
        time.sleep(pause)
        with self.lock:
            self.start(name)
            self.held.discard(name)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.get(name)
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop(self) -> None:
        self.stopping.set()
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)

    def wait_ready(self, timeout: float = 60) -> None:

        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start in time; see its log")


def _setup_data() -> list[str]:

    codes = _make_units()
    district = Unit.objects.get(code="BENCH-PX")
    user = get_user_model().objects.create_user(
        username="vanphong-bench",
        email=OFFICER_EMAIL,
        password=hashlib.sha256(os.urandom(16)).hexdigest(),
    )
    position, _ = Position.objects.get_or_create(
        code="bench-chanh-van-phong", defaults={"name": "Chánh Văn phòng"}
    )
    Appointment.objects.create(
        unit=district,
        position=position,
        full_name="Văn phòng (đo)",
        user=user,
        manages=True,
        is_office=True,
        started_on=date(2020, 1, 1),
    )
    return codes


def _zalo_body(text: str, msg_id: str, sender: str) -> tuple[bytes, str]:
    ts = str(int(time.time() * 1000))
    body = json.dumps(
        {
            "app_id": ZALO_APP_ID,
            "event_name": "user_send_text",
            "sender": {"id": sender},
            "recipient": {"id": "oa"},
            "message": {"text": text, "msg_id": msg_id},
            "timestamp": ts,
        },
        ensure_ascii=False,
    ).encode()
    mac = hashlib.sha256(
        ZALO_APP_ID.encode() + body + ts.encode() + ZALO_SECRET.encode()
    ).hexdigest()
    return body, f"mac={mac}"


def _client(
    index: int,
    phase: str,
    port: int,
    codes: list[str],
    options: Options,
    tally: Tally,
    stop: threading.Event,
) -> None:
    """Send concerns until `stop`; each one again after a 503 or a broken connection."""

    rng = random.Random(f"{phase}-{index}")
    base = f"http://127.0.0.1:{port}"
    n = 0
    with httpx.Client(timeout=httpx.Timeout(30.0, connect=5.0)) as http:
        while not stop.is_set():
            n += 1
            marker = f"[F{phase}-{index}-{n}]"
            template = URGENT if rng.random() < 0.2 else rng.choice(TEXTS)
            text = f"{marker} {template.format(d=rng.randint(2, 12))}"
            by_zalo = index % 10 == 0
            code = rng.choice(codes)
            while True:
                status: int | None = None
                headers: dict[str, str] = {}
                error = ""
                try:
                    if by_zalo:
                        body, mac = _zalo_body(
                            f"#{code} {text}", f"{phase}-{index}-{n}", f"zalo-{index}"
                        )
                        response = http.post(
                            f"{base}/kenh/zalo/",
                            content=body,
                            headers={"Content-Type": "application/json", "X-ZEvent-Signature": mac},
                        )
                    else:
                        response = http.post(
                            f"{base}/api/v1/feedback",
                            json={"text": text, "unit": code, "anonymous": True},
                        )
                    status = response.status_code
                    headers = {k.lower(): v for k, v in response.headers.items()}
                except httpx.HTTPError as exc:  # refused, reset, or no answer within 30 s
                    status, error = None, type(exc).__name__
                acknowledged = status in (200, 201)
                tally.record(marker, describe_answer(status, headers, error), acknowledged)
                if acknowledged or (status is not None and status not in (502, 503, 504)):
                    break
                if stop.is_set() and status is not None:
                    break
                wait = float(headers.get("retry-after", "1") or 1) if status == 503 else 0.5
                time.sleep(min(wait, 5.0) * (0.5 + rng.random()))
            if stop.wait(options.pace * (0.5 + rng.random())):
                break


def _phase_load(phase: str, port: int, codes: list[str], options: Options, fault: Any) -> Tally:
    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=_client, args=(i, phase, port, codes, options, tally, stop), daemon=True
        )
        for i in range(options.clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(options.phase_seconds / 4)
    fault()
    remaining = options.phase_seconds * 3 / 4
    time.sleep(max(0.0, remaining))
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    return tally


def _settle(phase: str, tally: Tally, options: Options, *, outbox_since: Any = None) -> PhaseResult:
    """Wait until every stored concern of the phase is triaged (and the outbox drained)."""

    limit = time.monotonic() + options.settle_seconds
    started = time.monotonic()
    extra = ""
    by_channel: Counter[str] = Counter()
    drained: float | None = None
    while True:
        try:
            rows = list(
                Concern.objects.filter(text__startswith=f"[F{phase}-").values_list(
                    "text", "triaged_at"
                )
            )
            waiting = 0
            if outbox_since is not None:
                waiting = OutboundMessage.objects.filter(
                    created_at__gte=outbox_since,
                    status__in=[MessageStatus.QUEUED, MessageStatus.SENDING],
                ).count()
        except DatabaseError:
            connection.close()
            time.sleep(1)
            continue
        untriaged = sum(1 for _, at in rows if at is None)
        if (untriaged == 0 and waiting == 0) or time.monotonic() > limit:
            break
        time.sleep(1)
    counts = stored_counts([text for text, _ in rows])
    if outbox_since is not None:
        by_status = Counter(
            OutboundMessage.objects.filter(created_at__gte=outbox_since).values_list(
                "status", flat=True
            )
        )
        by_channel = Counter(
            OutboundMessage.objects.filter(
                created_at__gte=outbox_since, status=MessageStatus.SENT, attempts__gt=1
            ).values_list("channel", flat=True)
        )
        drained = time.monotonic() - started
        extra = (
            f"outbox: {dict(sorted(by_status.items()))}; sent after a refused try: "
            f"{dict(sorted(by_channel.items()))}; drained {drained:.0f}s after the load"
        )
    return PhaseResult(
        name=phase,
        sent=len(tally.sent),
        acknowledged=len(tally.acknowledged),
        stored=len(counts),
        triaged=sum(1 for _, at in rows if at is not None),
        stored_rows=len(rows),
        duplicated=sum(1 for n in counts.values() if n > 1),
        lost=len(tally.acknowledged - set(counts)),
        answers=tally.answers,
        requests=tally.requests,
        extra=extra,
        retried=by_channel,
        drained_seconds=drained,
    )


def _child(options: Options) -> int:

    log_dir = Path(tempfile.mkdtemp(prefix="congdoan-faults-logs-"))
    print(
        f"clients: {options.clients}, phases of {options.phase_seconds:.0f}s, database down "
        f"{options.db_down_seconds:.0f}s, providers refusing {options.refuse_seconds:.0f}s; "
        f"CPUs: {os.cpu_count()}; load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; logs in {log_dir}"
    )
    call_command("migrate", verbosity=0, interactive=False)
    codes = _setup_data()
    connection.close()
    smtp = FakeSmtpServer().start()
    zalo = FakeZaloOA(access_token=ZALO_TOKEN).start()
    env = {
        **os.environ,
        "TASKS_BACKEND": "database",
        "FEEDBACK_RATE_LIMIT_PER_MINUTE": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "5",
        "ZALO_OA_API_BASE": zalo.url,
        "ZALO_OA_ACCESS_TOKEN": ZALO_TOKEN,
        "ZALO_APP_ID": ZALO_APP_ID,
        "ZALO_OA_SECRET_KEY": ZALO_SECRET,
        "OUTBOX_BACKOFF_SECONDS": "1",
        "OUTBOX_BACKOFF_MAX_SECONDS": "5",
        "OUTBOX_MAX_ATTEMPTS": "1000",
        "OUTBOX_FLUSH_EVERY_SECONDS": "2",
        "OUTBOX_HTTP_TIMEOUT": "5",
        "SCHEDULER_TICK_SECONDS": "1",
        "LOG_LEVEL": "ERROR",
    }
    env.pop(CHILD_FLAG, None)
    stack = Stack(options, env, log_dir)
    pg_ctl = json.loads(os.environ["CONGDOAN_FAULTS_PG_CTL"])
    results: list[PhaseResult] = []
    try:
        for name in ("web", "worker", "scheduler"):
            stack.start(name)
        stack.wait_ready()
        stack.watcher.start()

        def restart_database() -> None:
            run_child([*pg_ctl, "-m", "fast", "-w", "stop"], check=True, stdout=subprocess.DEVNULL)
            time.sleep(options.db_down_seconds)
            run_child([*pg_ctl, "-w", "start"], check=True, stdout=subprocess.DEVNULL)

        def kill_worker() -> None:
            stack.kill_and_restart("worker", pause=2.0)

        def refuse() -> None:
            smtp.refuse()
            zalo.fail_next(10_000, status=503)
            time.sleep(options.refuse_seconds)
            smtp.refuse(False)
            with zalo.state.lock:
                zalo.state.script.clear()

        phases = [
            ("a", f"the database stops for {options.db_down_seconds:.0f}s", restart_database),
            ("b", "the worker is killed (SIGKILL) and started again", kill_worker),
            ("c", f"the SMTP and Zalo fakes refuse for {options.refuse_seconds:.0f}s", refuse),
        ]
        for phase, title, fault in phases:
            print(f"phase ({phase}): {title} …", flush=True)
            since = timezone.now()
            tally = _phase_load(phase, stack.port, codes, options, fault)
            connection.close()
            result = _settle(phase, tally, options, outbox_since=since if phase == "c" else None)
            result.name = f"({phase}) {title}"
            with stack.lock:
                if stack.exits:  # processes that did not survive the fault by themselves
                    exits = ", ".join(f"{k} × {v}" for k, v in sorted(stack.exits.items()))
                    result.extra += f"{'; ' if result.extra else ''}exited and restarted: {exits}"
                    stack.exits.clear()
            results.append(result)
            print("\n".join(result.lines()), flush=True)
    finally:
        stack.stop()
        smtp.stop()
        zalo.stop()
    print(
        f"mail delivered to the fake SMTP server: {len(smtp.messages)}; requests to the fake Zalo OA: "
        f"{len(zalo.requests)}"
    )
    verdict = all(r.clean for r in results)
    print(
        "every acknowledged concern stored once and triaged, no 500"
        if verdict
        else "NOT MET: see above"
    )
    if len(results) == len(phases):
        _record(results, options)
    return 0 if verdict else 1


def _record(results: list[PhaseResult], options: Options) -> None:
    """The figures of a complete run, in docs/figures.json (congdoan_dev.figures)."""
    a, b, c = results
    clients = f"{options.clients} clients"
    measured: list[tuple[str, float | str, str, str]] = [
        ("faults.db_restart_stored", a.stored, "", f"(a) the database stopped; {clients}"),
        ("faults.db_restart_503", a.answers.get("503", 0), "", "clean 503s with Retry-After"),
        ("faults.worker_killed_stored", b.stored, "", "(b) the worker killed"),
        ("faults.channels_refused_stored", c.stored, "", "(c) SMTP and Zalo refused"),
        ("faults.refused_emails", c.retried.get("email", 0), "", "sent after a refused try"),
        ("faults.zalo_receipts", c.retried.get("zalo", 0), "", "sent after a refused try"),
        ("faults.lost", sum(r.lost for r in results), "", ""),
        ("faults.duplicated", sum(r.duplicated for r in results), "", ""),
        ("faults.answers_500", sum(r.answers.get("500", 0) for r in results), "", ""),
    ]
    if c.drained_seconds is not None:
        measured.append(("faults.recovery", round(c.drained_seconds), "s", "outbox drained"))
    figures.record_many(measured)
