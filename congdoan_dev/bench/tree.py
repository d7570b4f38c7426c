"""`congdoan bench tree`: the union tree at province scale on PostgreSQL.

Usage: congdoan bench tree -- [--units 10000] [--members 1000000] [--keep] [--runs 5]
                                [--database-url postgres://…/congdoan_bench]

Steps:
1. pick the bench database (its own, `congdoan_bench` next to DATABASE_URL's server, or
   --database-url), create it if missing, and run the rest in a child process whose
   DATABASE_URL points at it (every selector and service uses the default connection);
2. migrate it; unless --keep finds a build of the same size, empty the tree and fill it with
   COPY: a city federation, ~30 district federations, grassroots units (one district holds
   exactly 500 units, one grassroots unit exactly 2,000 members), members spread over the
   grassroots units; then VACUUM ANALYZE;
3. time, median of --runs: the city's subtree member count (selector), the first page of the
   2,000-member unit (the selector alone, and the real page through Django's test Client as
   the city's officer), the officer's work for today (selectors, and the home page
   /bang-dieu-khien/ through the test Client, target < 1 s, and the scope's member counts
   that it loads after itself), and moving the 500-unit
   district to another parent and back (service).
It prints figures and never fails on a timing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import dj_database_url
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.core.processes import run_child
from congdoan.feedback.models import Concern, ConcernEvent, Status, Urgency
from congdoan.feedback.selectors import officer_today
from congdoan.library.selectors import documents_to_review
from congdoan.orgs import selectors, services
from congdoan.orgs.models import Appointment, Level, Member, Position, Unit, UnitKind
from congdoan_dev import figures
from congdoan_dev.bench.db import postgres_create, postgres_url_for

BENCH_DB = "congdoan_bench"
CHILD_FLAG = "CONGDOAN_BENCH_CHILD"
ROOT_CODE = "BENCH-HN"
MOVED_CODE = "BENCH-Q500"  # a district whose subtree has 500 units
BIG_CODE = "BENCH-U2000"  # a grassroots unit with 2,000 members
BIG_MEMBERS = 2000
MOVED_SUBTREE = 500
PASSWORD = "bench-mat-khau-123"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MALE_MIDDLE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Thu", "Ngọc", "Thanh", "Minh"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hoa",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Phương",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
]


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench tree")
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--concerns",
        type=int,
        default=100_000,
        help="workers' concerns over the grassroots units (for the officer's home page)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="reuse an existing build of the same size"
    )
    parser.add_argument(
        "--database-url",
        default="",
        help=f"PostgreSQL URL of the bench database (default: {BENCH_DB})",
    )
    args = parser.parse_args(argv)
    if args.units < MOVED_SUBTREE + 40:
        parser.error(f"--units must be at least {MOVED_SUBTREE + 40}")
    if args.members < BIG_MEMBERS + args.units:
        parser.error("--members must exceed 2,000 plus one per unit")
    return args


def _bench_url(explicit: str) -> str:
    return explicit or postgres_url_for(BENCH_DB)


def _ensure_database(url: str) -> None:
    if postgres_create(url, fresh=False):
        print(f"created database {dj_database_url.parse(url)['NAME']}")


def run(argv: list[str]) -> None:
    args = _parse(argv)
    if os.environ.get(CHILD_FLAG) != "1":
        url = _bench_url(args.database_url)
        _ensure_database(url)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            CHILD_FLAG: "1",
            "TASKS_BACKEND": "immediate",
            "PYTHONUNBUFFERED": "1",
        }
        cmd = [sys.executable, "-m", "congdoan.config.cli", "bench", "tree", "--", *argv]
        raise SystemExit(run_child(cmd, env=env, check=False).returncode)
    _run_in_bench_database(args, argv)


# --- in the child, connected to the bench database ----------------------------------------


def _run_in_bench_database(args: argparse.Namespace, argv: list[str]) -> None:

    if connection.vendor != "postgresql":
        raise SystemExit("the tree benchmark runs on PostgreSQL only")
    print(
        f"database {connection.settings_dict['NAME']} (PostgreSQL {connection.cursor().connection.info.server_version})"
    )
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    if args.keep and _build_matches(args):
        print("reusing the existing build (--keep)")
    else:
        started = time.perf_counter()
        _build(args)
        print(f"build: {time.perf_counter() - started:.1f} s")
    _measure(args, argv)


def _build_matches(args: argparse.Namespace) -> bool:

    return (
        Unit.objects.filter(code=ROOT_CODE).exists()
        and Unit.objects.count() == args.units
        and Member.objects.count() == args.members
    )


def _layout(units: int) -> list[tuple[int, int | None, str, int]]:
    """(id, parent id, code, depth) for every unit, parents first.

    Unit 1 is the city; units 2…31 are districts (one, MOVED_CODE, gets MOVED_SUBTREE - 1
    grassroots children); the rest are grassroots units spread over the other districts.
    """
    districts = 30
    rows: list[tuple[int, int | None, str, int]] = [(1, None, ROOT_CODE, 0)]
    for d in range(districts):
        rows.append((2 + d, 1, MOVED_CODE if d == 0 else f"BENCH-Q{d:02d}", 1))
    next_id = 2 + districts
    grassroots = units - 1 - districts
    for i in range(grassroots):
        parent = 2 if i < MOVED_SUBTREE - 1 else 3 + (i % (districts - 1))
        code = BIG_CODE if i == MOVED_SUBTREE else f"BENCH-CS{i:06d}"
        rows.append((next_id, parent, code, 2))
        next_id += 1
    return rows


def _build(args: argparse.Namespace) -> None:

    rng = random.Random(2026)
    tables = [
        "audit_auditentry",
        "orgs_appointment",
        "orgs_unitevent",
        "orgs_unitperiod",
        "orgs_member",
        "orgs_unit",
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE")
    User.objects.filter(email="bench-officer@example.vn").delete()

    levels = {
        code: Level.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank, "is_grassroots": g}
        )[0]
        for code, name, rank, g in [
            ("lien-doan-tinh", "Liên đoàn Lao động tỉnh, thành phố", 1, False),
            ("cap-tren-co-so", "Công đoàn cấp trên trực tiếp cơ sở", 2, False),
            ("co-so", "Công đoàn cơ sở", 3, True),
        ]
    }
    level_by_depth = [levels["lien-doan-tinh"].pk, levels["cap-tren-co-so"].pk, levels["co-so"].pk]
    layout = _layout(args.units)
    paths: dict[int, str] = {}
    now = timezone.now()
    founded = date(2015, 1, 1)
    kinds = [
        UnitKind.NON_STATE_ENTERPRISE,
        UnitKind.FDI_ENTERPRISE,
        UnitKind.SCHOOL,
        UnitKind.HEALTH,
        UnitKind.STATE_BODY,
    ]
    grassroots_ids: list[int] = []
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(
            "COPY orgs_unit (id, code, name, short_name, level_id, kind, parent_id, path, depth, employer_name,"
            " address, workers_count, qr_token, is_active, founded_on, created_at, search_text, sort_key) FROM STDIN"
        ) as copy:
            for uid, parent, code, depth in layout:
                paths[uid] = f"{paths[parent] if parent else '/'}{uid}/"
                if depth == 0:
                    name, kind = "LĐLĐ Thành phố (đo hiệu năng)", UnitKind.FEDERATION
                elif depth == 1:
                    name, kind = f"LĐLĐ quận, huyện số {uid - 1}", UnitKind.FEDERATION
                else:
                    grassroots_ids.append(uid)
                    name, kind = f"Công đoàn cơ sở Công ty số {uid}", kinds[uid % len(kinds)]
                # COPY skips save(): the model fills its own search and sort keys.
                keyed = Unit(
                    name=name, employer_name=name.replace("Công đoàn cơ sở ", ""), code=code
                )
                keyed.fill_keys()
                copy.write_row(
                    (
                        uid,
                        code,
                        name,
                        "",
                        level_by_depth[depth],
                        kind,
                        parent,
                        paths[uid],
                        depth,
                        keyed.employer_name,
                        "",
                        0,
                        f"b{uid}",
                        True,
                        founded,
                        now,
                        keyed.search_text,
                        keyed.sort_key,
                    )
                )
        with raw.copy(
            "COPY orgs_unitperiod (unit_id, parent_id, name, valid_from) FROM STDIN"
        ) as copy:
            for uid, parent, _code, _depth in layout:
                copy.write_row((uid, parent, f"unit {uid}", founded))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('orgs_unit', 'id'), %s)", [len(layout)]
        )
        print(f"  units: {len(layout):,} in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        big_id = next(uid for uid, _p, code, _d in layout if code == BIG_CODE)
        others = [uid for uid in grassroots_ids if uid != big_id]
        # Every other grassroots unit gets at least one member; the rest fall at random
        # (a few large enterprises, many small ones: a skewed draw).
        counts = dict.fromkeys(others, 1)
        weights = [rng.paretovariate(1.2) for _ in others]
        for uid in rng.choices(others, weights=weights, k=args.members - BIG_MEMBERS - len(others)):
            counts[uid] += 1
        counts[big_id] = BIG_MEMBERS
        card = 0
        with raw.copy(
            "COPY orgs_member (unit_id, full_name, gender, date_of_birth, card_number, phone, email,"
            " is_union_member, left_on, created_at, name_folded, sort_key) FROM STDIN"
        ) as copy:
            for uid, n in counts.items():
                for _ in range(n):
                    card += 1
                    female = rng.random() < 0.55
                    middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
                    full_name = f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}"
                    # About 3% have left the union (the big unit keeps all its 2,000).
                    left = date(2025, 6, 1) if uid != big_id and rng.random() < 0.03 else None
                    person = Member(full_name=full_name)
                    person.fill_keys()
                    copy.write_row(
                        (
                            uid,
                            full_name,
                            "F" if female else "M",
                            date(1970 + card % 35, 1 + card % 12, 1 + card % 28),
                            f"DV{card:09d}",
                            "",
                            "",
                            True,
                            left,
                            now,
                            person.name_folded,
                            person.sort_key,
                        )
                    )
        print(f"  members: {card:,} in {time.perf_counter() - started:.1f} s")

    officer = User.objects.create_user(
        "bench-officer@example.vn",
        PASSWORD,
        full_name="Cán bộ đo hiệu năng",
        email="bench-officer@example.vn",
    )
    position, _ = Position.objects.get_or_create(
        code="chu-tich", defaults={"name": "Chủ tịch", "is_leader": True}
    )
    root = Unit.objects.get(code=ROOT_CODE)
    Appointment.objects.create(
        unit=root,
        position=position,
        full_name=officer.full_name,
        user=officer,
        is_office=True,
        started_on=founded,
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"  vacuum analyze: {time.perf_counter() - started:.1f} s")


def _median(runs: int, work: Callable[[], Any], warmup: bool = True) -> tuple[float, Any]:
    if warmup:
        work()
    times = []
    value: Any = None
    for _ in range(runs):
        started = time.perf_counter()
        value = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def _fill_concerns(wanted: int) -> None:
    """Concerns over the grassroots units until there are ``wanted`` (kept between runs):
    a year of them, closed, and a tenth still open from the last 20 days (due 15 days
    after they came, so some are overdue), 5 % urgent, an event on each of the last day's;
    then ANALYZE, as after any bulk load."""

    have = Concern.objects.count()
    missing = wanted - have
    if missing <= 0:
        return
    started = time.perf_counter()
    rng = random.Random(11)
    units = list(Unit.objects.filter(depth=2).values_list("pk", flat=True))
    now = timezone.now()
    rows = []
    for i in range(missing):
        is_open = rng.random() < 0.1
        days = 20 if is_open else 365
        created = now - timedelta(minutes=rng.randint(1, days * 24 * 60))
        unit = rng.choice(units)
        rows.append(
            Concern(
                code=f"YK-B{have + i:08d}",
                unit_id=unit,
                assigned_unit_id=unit,
                text="bench",
                search_text="bench",  # what save() would fold; bulk_create skips save()
                topic="wages",
                urgency=Urgency.URGENT if rng.random() < 0.05 else Urgency.NORMAL,
                status=rng.choice([Status.TRIAGED, Status.IN_PROGRESS])
                if is_open
                else Status.CLOSED,
                created_at=created,
                due_at=created + timedelta(days=15),
            )
        )
    Concern.objects.bulk_create(rows, batch_size=5000)
    recent = Concern.objects.filter(created_at__gt=now - timedelta(days=1)).values_list(
        "pk", flat=True
    )
    ConcernEvent.objects.bulk_create(
        [ConcernEvent(concern_id=pk, kind="triage", created_at=now) for pk in recent],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE feedback_concern")
        cursor.execute("ANALYZE feedback_concernevent")
    print(f"  concerns: {missing:,} in {time.perf_counter() - started:.1f} s")


def _measure(args: argparse.Namespace, argv: list[str]) -> None:

    root = Unit.objects.get(code=ROOT_CODE)
    big = Unit.objects.get(code=BIG_CODE)
    officer = User.objects.get(email="bench-officer@example.vn")
    print(
        f"tree: {Unit.objects.count():,} units, {Member.objects.count():,} members; median of {args.runs} runs"
    )

    def count_city() -> int:
        return selectors.subtree_member_count(unit=Unit.objects.get(pk=root.pk))

    measured: list[tuple[str, float | str, str, str]] = []

    def keep(name: str, seconds: float, note: str) -> None:
        measured.append((name, round(seconds * 1000), "ms", note))

    seconds, total = _median(args.runs, count_city)
    print(f"subtree member count (city, {total:,} members): {seconds * 1000:.0f} ms")
    keep("tree.subtree_count", seconds, f"subtree member count, {total:,} members")

    def first_page() -> int:
        viewer = User.objects.get(pk=officer.pk)  # a fresh user: the scope is computed again
        page = selectors.unit_members(viewer=viewer, unit=big, page=1)
        return len(list(page.object_list))

    seconds, _ = _median(args.runs, first_page)
    print(
        f"member list selector, first page of a {BIG_MEMBERS:,}-member unit: {seconds * 1000:.0f} ms"
    )

    setup_test_environment()  # lets the test Client answer on the 'testserver' host
    client = Client()
    client.force_login(officer, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
    url = f"/don-vi/{BIG_CODE}/"

    def page() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return len(response.content)

    seconds, size = _median(args.runs, page)
    print(f"member list page {url} as the city's officer ({size:,} bytes): {seconds * 1000:.0f} ms")
    keep("tree.member_list", seconds, f"list page of a {BIG_MEMBERS:,}-member unit")

    _fill_concerns(args.concerns)

    def work_today() -> int:
        viewer = User.objects.get(pk=officer.pk)
        since = timezone.now() - timedelta(days=1)
        work = officer_today(viewer=viewer, since=since)
        documents_to_review(viewer=viewer)
        return int(work["counts"]["open"].count)

    seconds, open_count = _median(args.runs, work_today)
    print(
        f"officer's work for today, selectors, as the city's officer ({Concern.objects.count():,}"
        f" concerns, {open_count:,} open): {seconds * 1000:.0f} ms (target < 1000)"
    )
    keep("tree.officer_home_selectors", seconds, f"{Concern.objects.count():,} concerns")

    def home_page() -> int:
        response = client.get("/bang-dieu-khien/")
        if response.status_code != 200:
            raise SystemExit(f"GET /bang-dieu-khien/ answered {response.status_code}")
        return len(response.content)

    seconds, size = _median(args.runs, home_page)
    print(
        f"officer's home page /bang-dieu-khien/ as the city's officer ({size:,} bytes): "
        f"{seconds * 1000:.0f} ms (target < 1000)"
    )
    keep("tree.officer_home_page", seconds, f"{Concern.objects.count():,} concerns")

    def scope_partial() -> int:
        response = client.get("/bang-dieu-khien/pham-vi/", headers={"HX-Request": "true"})
        if response.status_code != 200:
            raise SystemExit(f"GET /bang-dieu-khien/pham-vi/ answered {response.status_code}")
        return len(response.content)

    seconds, size = _median(args.runs, scope_partial)
    print(
        f"  then its scope member counts, loaded after the page ({size:,} bytes): "
        f"{seconds * 1000:.0f} ms"
    )
    keep("tree.scope_member_count", seconds, "loads just after the page")

    moved = Unit.objects.get(code=MOVED_CODE)
    subtree = Unit.objects.filter(path__startswith=moved.path).count()
    targets = list(Unit.objects.filter(depth=1).exclude(pk=moved.pk).order_by("pk")[:2])
    times = []
    for i in range(args.runs):
        target = targets[i % 2]
        started = time.perf_counter()
        services.unit_move(actor=officer, unit=moved, new_parent=target, on_date=date.today())
        times.append(time.perf_counter() - started)
    services.unit_move(actor=officer, unit=moved, new_parent=root, on_date=date.today())
    print(f"move a {subtree:,}-unit subtree (unit_move): {statistics.median(times) * 1000:.0f} ms")
    keep("tree.subtree_move", statistics.median(times), f"move of a {subtree:,}-unit subtree")
    figures.record_many(measured, command=figures.bench_command("tree", argv))
