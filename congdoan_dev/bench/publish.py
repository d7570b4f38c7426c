"""`congdoan bench publish`: products published to fake channels through the outbox and the
real worker; throughput, and a count of what every channel received (none lost or doubled).

Usage: congdoan bench publish -- [--products 1000] [--units 10] [--workers 2]
                                   [--db sqlite|postgres] [--fail-rate 0] [--lose-rate 0]
                                   [--republish-rate 0.05] [--backoff-max 8] [--max-seconds 600]

Steps:
1. prepare a fresh database of its own: a new SQLite file under var/bench/ or a new
   PostgreSQL database `congdoan_bench_publish` (dropped and created again) on the server of
   DATABASE_URL (default 127.0.0.1:5432); the rest runs in a child process pointed at it;
2. migrate it (`measure` does the rest, also on a test's database); create a district with
   `--units` grassroots unions, each with its Facebook page, YouTube channel and, where
   publishing posts to Zalo OA, its Zalo OA connected (credentials encrypted, as an officer's
   connect leaves them), and `--products` public news products spread over them, each with a
   cover photo, a small video and every account of its unit ticked (ChannelChoice): one
   outbox entry per product and channel;
3. start the fake platforms on 127.0.0.1 (fakes.py, fakes_zalo.py: publishing's test fakes of
   the Graph API, the YouTube Data API and Zalo's OpenAPI, one page/channel/OA per unit,
   every post counted per product), then `--workers` × `congdoan worker` (database task
   backend) and the outbox's flush every second (publish_flush.py: the scheduler's job that
   sends the retries), pointed at them;
4. publish: each product goes to PUBLISHED in a transaction whose commit runs content's
   on-published hook, as the studio does (publishing writes one Publication and one outbox
   message per ticked account, under one idempotency key); `--republish-rate` of them are
   published a second time at once (a second officer's click), which must add nothing;
5. wait until every outbox entry is sent or failed (or `--max-seconds`), stop the processes;
   print entries/s end to end (first publish → last entry sent), the time to drain (last
   publish → last entry sent), each entry's queue-to-sent latency, the attempts and retries,
   the faults injected, and the verification: per channel, posts received == products,
   lost == 0, doubled == 0, and each publication's remote id is its own product's post.

`--fail-rate F`: the fakes refuse that share of the requests (5xx, or the platform's rate-limit
answer), so the outbox retries with its policy (backoff shortened here: 1 s doubling up to
`--backoff-max` s). `--lose-rate F`: that share of the posts are made and then answered 502
(the sender never hears of them: Facebook takes no idempotency key, so the sender looks for
its post before posting again; YouTube resumes its upload session; Zalo looks for its
article, and does not send a broadcast whose answer it lost again).
It prints figures and never fails on a timing; it exits non-zero only when a post is lost or
doubled.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from congdoan.content import hooks
from congdoan.content.models import MediaKind, Product, ProductMedia, ProductStatus, Sharing
from congdoan.core.models import WorkerHeartbeat
from congdoan.core.processes import popen_child, run_child
from congdoan.orgs import services as orgs_services
from congdoan.orgs.models import Level, Unit, UnitKind
from congdoan.outbox.models import DeliveryAttempt, MessageStatus, OutboundMessage
from congdoan.publishing import services as publishing_services
from congdoan.publishing.models import (
    ChannelAccount,
    ChannelChoice,
    ChannelKind,
    Publication,
    PublicationStatus,
)
from congdoan.publishing.publications import OUTBOX_CHANNEL, PURPOSE, publish_to_chosen
from congdoan_dev import figures
from congdoan_dev.bench.db import (
    fresh_database_url,
)
from congdoan_dev.bench.fakes import BenchGoogle, BenchGraph, Faults, Tally, marker, product_of
from congdoan_dev.bench.measure import percentile

CHILD_FLAG = "CONGDOAN_BENCH_PUBLISH_CHILD"
PG_DB = "congdoan_bench_publish"
DISTRICT = "BENCH-XB"
VIDEO = "bench/publish-video.mp4"
PHOTO = "bench/publish-cover.jpg"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench publish")
    parser.add_argument("--products", type=int, default=1000, help="products to publish")
    parser.add_argument("--units", type=int, default=10, help="unions, each with its accounts")
    parser.add_argument("--workers", type=int, default=2, help="`congdoan worker` processes")
    parser.add_argument(
        "--db", choices=["sqlite", "postgres"], default="", help="default: DATABASE_URL's kind"
    )
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL server to create the bench database on"
    )
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of requests refused")
    parser.add_argument(
        "--lose-rate", type=float, default=0.0, help="share of posts made but answered 502"
    )
    parser.add_argument(
        "--republish-rate", type=float, default=0.05, help="share of products published twice"
    )
    parser.add_argument("--backoff-max", type=int, default=8, help="longest retry wait (s)")
    parser.add_argument("--video-kb", type=int, default=16, help="size of each product's video")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="wait at most this long")
    args = parser.parse_args(argv)
    if min(args.products, args.units, args.workers, args.video_kb, args.backoff_max) < 1:
        parser.error("--products, --units, --workers, --video-kb and --backoff-max must be ≥ 1")
    for rate in (args.fail_rate, args.lose_rate, args.republish_rate):
        if not 0 <= rate < 1:
            parser.error("the rates are shares in [0, 1)")
    if not args.db:
        current = os.environ.get("DATABASE_URL", "")
        args.db = "postgres" if current.startswith(("postgres://", "postgresql://")) else "sqlite"
    return args


# --- parent: prepare a fresh database, then re-run as the child ----------------------------


def run(argv: list[str]) -> None:
    args = parse(argv)
    if os.environ.get(CHILD_FLAG) == "1":
        raise SystemExit(_child(args, argv))
    bench_dir = Path(settings.VAR_DIR) / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    url = fresh_database_url(
        args.db, name=PG_DB, sqlite_path=bench_dir / "publish.sqlite3", server_url=args.database_url
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        CHILD_FLAG: "1",
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(bench_dir / "publish-media"),
        "SITE_URL": "https://congdoan.example.vn",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # the database task backend: nothing shared with other runs
    cmd = [sys.executable, "-m", "congdoan.config.cli", "bench", "publish", "--", *argv]
    raise SystemExit(run_child(cmd, env=env, check=False).returncode)


# --- child: connected to the bench database ---------------------------------------------------


@dataclass
class Platform:
    """One kind of account every unit has, and the fake platform behind it."""

    kind: str  # ChannelKind
    label: str
    server: Any  # a fake of congdoan_dev.bench.fakes (start, stop, url, tally)
    env: dict[str, str]  # where the workers find it
    connect: Callable[[Unit, int], None]  # connect unit number i's account


def _platforms(units: int, faults: Faults) -> list[Platform]:
    """Facebook, YouTube and, where publishing posts to Zalo OA, Zalo."""
    graph, google = BenchGraph(units, faults), BenchGoogle(units, faults)
    now = timezone.now()

    def facebook(unit: Unit, i: int) -> None:
        publishing_services.account_connect(
            actor=None,
            unit=unit,
            kind=ChannelKind.FACEBOOK_PAGE,
            external_id=graph.page_id(i),
            display_name=f"Trang Công đoàn {i:02d}",
            credentials={"access_token": graph.page_token(i), "page_id": graph.page_id(i)},
            refresh_token_expires_at=now + timedelta(days=80),
        )

    def youtube(unit: Unit, i: int) -> None:
        publishing_services.account_connect(
            actor=None,
            unit=unit,
            kind=ChannelKind.YOUTUBE,
            external_id=google.channel_id(i),
            display_name=f"Kênh Công đoàn {i:02d}",
            credentials={"access_token": google.access_token(i), "refresh_token": google.REFRESH},
            # Far enough that neither the sender nor the refresh job renews it during the run.
            access_token_expires_at=now + timedelta(hours=3),
        )

    platforms = [
        Platform(
            ChannelKind.FACEBOOK_PAGE,
            "Facebook",
            graph,
            {"FACEBOOK_GRAPH_BASE": graph.url},
            facebook,
        ),
        Platform(
            ChannelKind.YOUTUBE,
            "YouTube",
            google,
            {
                "YOUTUBE_API_BASE": google.url,
                "GOOGLE_OAUTH_TOKEN_URL": google.url + "/token",
                "GOOGLE_OAUTH_CLIENT_ID": "bench-client",
                "GOOGLE_OAUTH_CLIENT_SECRET": "bench-secret",
                "YOUTUBE_UPLOAD_CHUNK_BYTES": str(256 * 1024),
            },
            youtube,
        ),
    ]
    if ChannelKind.ZALO_OA in OUTBOX_CHANNEL:
        platforms.append(_zalo(units, faults, now))
    return platforms


def _zalo(units: int, faults: Faults, now: Any) -> Platform:
    from congdoan_dev.bench.fakes_zalo import BenchZalo  # lazy: needs Zalo's test fake

    zalo = BenchZalo(units, faults)

    def connect(unit: Unit, i: int) -> None:
        publishing_services.account_connect(
            actor=None,
            unit=unit,
            kind=ChannelKind.ZALO_OA,
            external_id=zalo.oa_id(i),
            display_name=f"Zalo OA Công đoàn {i:02d}",
            credentials={"access_token": zalo.access_token(i), "refresh_token": f"r{i}"},
            access_token_expires_at=now + timedelta(hours=20),
            refresh_token_expires_at=now + timedelta(days=90),
        )

    env = {
        "ZALO_OA_API_BASE": zalo.url,
        "ZALO_OAUTH_BASE": zalo.url,
        "ZALO_APP_ID": zalo.APP_ID,
        "ZALO_APP_SECRET_KEY": zalo.SECRET,
    }
    return Platform(ChannelKind.ZALO_OA, "Zalo OA", zalo, env, connect)


def _child(args: argparse.Namespace, argv: list[str]) -> int:
    db = connection.settings_dict
    label = (
        f"PostgreSQL {db['NAME']}" if connection.vendor == "postgresql" else f"SQLite {db['NAME']}"
    )
    print(f"database: {label} (fresh); CPUs: {os.cpu_count()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.perf_counter() - started:.1f}s")
    result = measure(args, logs=Path(settings.VAR_DIR) / "bench")
    if result.timing is not None:
        _record(result, args, argv)
    return 1 if result.bad else 0


@dataclass(frozen=True)
class Result:
    channels: list[str]
    timing: Timing | None
    bad: int  # posts lost or doubled


def measure(args: argparse.Namespace, *, logs: Path) -> Result:
    """Everything after the migration, on the current database: the unions, accounts and
    products, the fakes, the workers and the flush (their output in `logs`), publishing,
    draining, the report and the verification."""
    faults = Faults(fail_rate=args.fail_rate, lose_rate=args.lose_rate)
    platforms = _platforms(args.units, faults)
    entries = args.products * len(platforms)
    print(
        f"workers: {args.workers}; products: {args.products} × {len(platforms)} channels "
        f"({', '.join(p.label for p in platforms)}) = {entries} outbox entries; units: "
        f"{args.units}; fail rate {args.fail_rate}, lose rate {args.lose_rate}, published "
        f"twice {args.republish_rate}"
    )
    started = time.perf_counter()
    units = _make_units(args.units)
    for platform in platforms:
        platform.server.start()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for platform in platforms:
            for i, unit in enumerate(units):
                platform.connect(unit, i)
        products = _make_products(units, args.products, args.video_kb * 1024)
        print(
            f"created {len(units)} unions, their accounts and {len(products)} products in "
            f"{time.perf_counter() - started:.1f}s"
        )
        connection.close()
        procs = _start_processes(args, platforms, logs)
        _wait_workers(args.workers, procs, timeout=60)
        run = _publish(products, args.republish_rate)
        complete = _drain(entries, args.max_seconds)
    finally:
        _stop(procs)
        for platform in platforms:
            platform.server.stop()
    timing = _timing(run, entries)
    _report_attempts(faults)
    bad = _verify(platforms, set(products), entries, complete)
    return Result([p.label for p in platforms], timing, bad)


def _make_units(count: int) -> list[Unit]:
    upper, _ = Level.objects.get_or_create(
        code="bench-cap-tren", defaults={"name": "Cấp trên (đo)", "rank": 2, "is_grassroots": False}
    )
    base, _ = Level.objects.get_or_create(
        code="bench-co-so", defaults={"name": "Cơ sở (đo)", "rank": 3, "is_grassroots": True}
    )
    district = orgs_services.unit_create(
        actor=None,
        code=DISTRICT,
        name="LĐLĐ huyện (đo xuất bản)",
        level=upper,
        parent=None,
        kind=UnitKind.FEDERATION,
        on_date=date(2020, 1, 1),
    )
    return [
        orgs_services.unit_create(
            actor=None,
            code=f"{DISTRICT}-{i:02d}",
            name=f"Công đoàn Công ty {i:02d}",
            level=base,
            parent=district,
            kind=UnitKind.NON_STATE_ENTERPRISE,
            on_date=date(2020, 1, 1),
        )
        for i in range(count)
    ]


def _make_products(units: list[Unit], count: int, video_bytes: int) -> dict[int, int]:
    """`count` approved public news products (bench number → product id), each with a cover
    photo and a video (YouTube takes the video, Facebook and Zalo the photo), every account
    of its unit ticked."""
    media_root = Path(settings.MEDIA_ROOT)
    for name, size in ((VIDEO, video_bytes), (PHOTO, 2048)):
        (media_root / name).parent.mkdir(parents=True, exist_ok=True)
        (media_root / name).write_bytes(random.Random(7).randbytes(size))
    accounts: dict[int, list[ChannelAccount]] = {}
    for account in ChannelAccount.objects.all():
        accounts.setdefault(account.unit_id, []).append(account)
    with transaction.atomic():
        rows = Product.objects.bulk_create(
            Product(
                unit=units[n % len(units)],
                title=f"Hội nghị người lao động năm 2027 {marker(n)}",
                slug=f"hoi-nghi-{n}",
                summary="Công đoàn tổ chức hội nghị người lao động: quyền lợi, tiền lương, "
                f"an toàn lao động. Bản tin số {n}.",
                body=f"<p>Sáng nay, đoàn viên dự hội nghị số {n}.</p><p>Thoả ước mới được ký.</p>",
                tags=["hội nghị", "người lao động"],
                status=ProductStatus.APPROVED,
                sharing=Sharing.PUBLIC,
            )
            for n in range(count)
        )
        media = ProductMedia.objects.bulk_create(
            ProductMedia(product=p, kind=kind, file=name, content_type=ctype, size=size)
            for p in rows
            for kind, name, ctype, size in (
                (MediaKind.PHOTO, PHOTO, "image/jpeg", 2048),
                (MediaKind.VIDEO, VIDEO, "video/mp4", video_bytes),
            )
        )
        covers = {m.product_id: m for m in media if m.kind == MediaKind.PHOTO}
        for product in rows:
            product.cover = covers[product.pk]
        Product.objects.bulk_update(rows, ["cover"], batch_size=500)
        ChannelChoice.objects.bulk_create(
            ChannelChoice(product=p, account=a) for p in rows for a in accounts[p.unit_id]
        )
    return {n: product.pk for n, product in enumerate(rows)}


# --- the processes -----------------------------------------------------------------------------


def _database_url() -> str:
    """The URL of the database this process uses now (a test's database in the tests)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user, password = quote(db.get("USER") or ""), quote(db.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{db.get('HOST') or ''}{port}/{db['NAME']}"


def _start_processes(
    args: argparse.Namespace, platforms: list[Platform], logs: Path
) -> list[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if k != CHILD_FLAG}
    for platform in platforms:
        env.update(platform.env)
    env.update(
        DATABASE_URL=_database_url(),
        TASKS_BACKEND="database",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        SITE_URL=settings.SITE_URL,
        # The retry policy, shortened so that a run with faults drains in seconds.
        OUTBOX_BACKOFF_SECONDS="1",
        OUTBOX_BACKOFF_MAX_SECONDS=str(args.backoff_max),
        OUTBOX_FLUSH_EVERY_SECONDS="1",
        OUTBOX_SENDING_LEASE_SECONDS="30",
        OUTBOX_HTTP_TIMEOUT="10",
        SCHEDULER_TICK_SECONDS="0.5",
        WORKER_POLL_SECONDS="0.1",
    )
    logs.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "congdoan.config.cli"]
    flush = [sys.executable, "-m", "congdoan_dev.bench.publish_flush"]
    commands = [[*cli, "worker", "--queues", "default"]] * args.workers + [flush]
    names = [f"worker-{i}" for i in range(args.workers)] + ["flush"]
    procs = []
    for name, command in zip(names, commands, strict=True):
        with (logs / f"publish-{name}.log").open("wb") as out:
            procs.append(popen_child(command, env=env, stdout=out, stderr=subprocess.STDOUT))
    return procs


def _wait_workers(count: int, procs: list[subprocess.Popen[bytes]], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while WorkerHeartbeat.objects.count() < count:
        dead = [p for p in procs if p.poll() is not None]
        if dead:
            raise SystemExit(
                f"a process exited with {dead[0].returncode}: see var/bench/publish-*.log"
            )
        if time.monotonic() > deadline:
            raise SystemExit("the workers did not start: see var/bench/publish-worker-*.log")
        time.sleep(0.1)
    connection.close()


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- publishing and draining --------------------------------------------------------------


@dataclass(frozen=True)
class PublishRun:
    began: datetime  # the first publish (wall clock, as the database's timestamps)
    ended: datetime  # the last
    seconds: float


def _publish(products: dict[int, int], republish_rate: float) -> PublishRun:
    """Each product published as the studio does it (the hook runs on commit); some published
    a second time at once, as a second officer's click would (it must add nothing)."""
    rng = random.Random(11)
    republished = 0
    began = timezone.now()
    t0 = time.perf_counter()
    for pk in products.values():
        with transaction.atomic():
            Product.objects.filter(pk=pk).update(
                status=ProductStatus.PUBLISHED, published_at=timezone.now()
            )
            hooks.published_on_commit(pk)
        if rng.random() < republish_rate:
            publish_to_chosen(Product.objects.select_related("unit").get(pk=pk))
            republished += 1
    seconds = time.perf_counter() - t0
    print(
        f"published {len(products)} products in {seconds:.2f}s → {len(products) / seconds:.0f} "
        f"products/s ({republished} of them twice)"
    )
    return PublishRun(began, timezone.now(), seconds)


def _drain(entries: int, max_seconds: float) -> bool:
    """Wait until every entry is sent or failed; False when `max_seconds` ran out first."""
    t0 = time.perf_counter()
    while True:
        statuses = _statuses(OutboundMessage.objects.filter(purpose=PURPOSE))
        waiting = statuses.get(MessageStatus.QUEUED, 0) + statuses.get(MessageStatus.SENDING, 0)
        if sum(statuses.values()) >= entries and not waiting:
            return True
        if time.perf_counter() - t0 > max_seconds:
            print(f"gave up waiting after {max_seconds:.0f}s: {statuses}")
            return False
        time.sleep(0.2)


def _statuses(rows: Any) -> dict[str, int]:
    return dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


# --- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    sent: int
    end_to_end: float  # first publish → last entry sent (s)
    drain: float  # last publish → last entry sent (s)


def _timing(run: PublishRun, entries: int) -> Timing | None:
    sent = OutboundMessage.objects.filter(purpose=PURPOSE, status=MessageStatus.SENT)
    last = sent.aggregate(last=Max("sent_at"))["last"]
    if last is None:
        print("nothing was sent")
        return None
    timing = Timing(
        sent=sent.count(),
        end_to_end=(last - run.began).total_seconds(),
        drain=max(0.0, (last - run.ended).total_seconds()),
    )
    print(
        f"end to end (first publish → last entry sent): {timing.sent} of {entries} entries in "
        f"{timing.end_to_end:.2f}s → {timing.sent / timing.end_to_end:.1f} entries/s; time to "
        f"drain (last publish → last entry sent): {timing.drain:.2f}s"
    )
    waits = [(s - c).total_seconds() for c, s in sent.values_list("created_at", "sent_at") if s]
    print(
        f"queued → sent per entry: p50 {percentile(waits, 50):.2f}s, p95 {percentile(waits, 95):.2f}s, "
        f"max {max(waits):.2f}s, mean {statistics.fmean(waits):.2f}s"
    )
    return timing


def _report_attempts(faults: Faults) -> None:
    attempts = DeliveryAttempt.objects.filter(message__purpose=PURPOSE)
    failed = attempts.filter(ok=False).count()
    retried = OutboundMessage.objects.filter(purpose=PURPOSE, attempts__gt=1).count()
    ms = list(attempts.filter(ok=True).values_list("duration_ms", flat=True))
    print(
        f"attempts: {attempts.count()}, {failed} of them failed (→ retries); {retried} entries "
        f"needed more than one"
        + (f"; a successful attempt took p50 {percentile(ms, 50):.0f} ms" if ms else "")
    )
    injected = ", ".join(f"{k} × {v}" for k, v in sorted(faults.injected.items()))
    print(f"faults injected: {injected or 'none'}")


def _check(label: str, tally: Tally, expected: set[int]) -> int:
    """One line per channel: received, lost, doubled; returns lost + doubled."""
    lost, doubled = tally.lost(expected), tally.doubled()
    extra = sum(c - 1 for c in doubled.values())
    print(
        f"{label}: received {sum(tally.posts.values())} for {len(expected)} products — lost "
        f"{len(lost)}, doubled {extra}"
        + (f"; lost: {lost[:10]}" if lost else "")
        + (f"; doubled: {dict(list(doubled.items())[:10])}" if doubled else "")
    )
    return len(lost) + extra


def _verify(platforms: list[Platform], expected: set[int], entries: int, complete: bool) -> int:
    """Print the verification; return how many posts are lost or doubled."""
    number_of = {pk: product_of(title) for pk, title in Product.objects.values_list("pk", "title")}
    bad = 0
    for platform in platforms:
        tally = platform.server.tally()
        bad += _check(platform.label, tally, expected)
        # Each publication's remote id must be its own product's post on the platform.
        wrong = sum(
            1
            for pk, remote in Publication.objects.filter(kind=platform.kind).values_list(
                "product_id", "remote_id"
            )
            if tally.ids.get(remote) != number_of.get(pk)
        )
        if wrong:
            print(f"  {platform.label}: {wrong} publications name a post that is not theirs")
            bad += wrong
        if hasattr(platform.server, "tally_broadcasts"):
            # Zalo: each article is also sent to the OA's followers, once.
            broadcasts = platform.server.tally_broadcasts()
            bad += _check(f"{platform.label} broadcasts", broadcasts, expected)
            unclear = Publication.objects.filter(kind=platform.kind, progress__has_key="note")
            print(
                f"  broadcasts not sent again after an unclear answer (at most once, noted on "
                f"the publication): {unclear.count()}"
            )
    publications = Publication.objects.filter(product__unit__code__startswith=DISTRICT)
    print(
        f"publications: {publications.count()} for {entries} expected "
        f"({_statuses(publications)}); outbox entries: "
        f"{OutboundMessage.objects.filter(purpose=PURPOSE).count()}"
        + ("" if complete else " (not all delivered in time)")
    )
    stale = publications.filter(message__status=MessageStatus.SENT).exclude(
        status=PublicationStatus.PUBLISHED
    )
    print(f"publications not marked published though their entry was sent: {stale.count()}")
    print("VERIFIED: none lost, none doubled" if not bad else f"NOT CLEAN: {bad} lost or doubled")
    return bad


def _record(result: Result, args: argparse.Namespace, argv: list[str]) -> None:
    timing = result.timing
    assert timing is not None
    vendor = connection.vendor
    note = (
        f"{args.products} products × {len(result.channels)} channels "
        f"({', '.join(result.channels)}), {args.workers} worker(s), fail rate {args.fail_rate}, "
        f"lose rate {args.lose_rate}"
    )
    figures.record_many(
        [
            (
                f"publish.entries_rate.{vendor}",
                round(timing.sent / timing.end_to_end, 1),
                "/s",
                note + "; first publish → last entry sent",
            ),
            (f"publish.drain_seconds.{vendor}", round(timing.drain, 1), "s", note),
            (f"publish.lost_or_doubled.{vendor}", result.bad, "", note),
        ],
        command=figures.bench_command("publish", argv),
    )
