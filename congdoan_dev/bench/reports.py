"""`congdoan bench reports`: periodic reports at district and province scale.

Usage: congdoan bench reports -- [--units 200] [--members 20000] [--province-units 10000]
                                   [--province-members 1000000] [--districts 30] [--runs 3]
                                   [--skip-district] [--skip-province] [--database-url postgres://…]

Two parts, each in a child process connected to a database of its own:

1. the district (SQLite, a fresh file under var/): a city, one district with --units
   grassroots units and --members members, a year (2025) of synthetic activity (direct
   activities with attendance, press items, training sessions, concerns); the plan's stored
   figures refreshed (`plan.services.refresh_figures`); every unit submits its 2025 report;
   then timed (median of --runs): the district's annual report built (its figures, the
   consolidation of its 200 units' reports) and written as DOCX (target ≤ 2 s), and as PDF;
2. the province (PostgreSQL, database `congdoan_bench_reports`, made afresh): a city,
   --districts districts, --province-units units in all, --province-members members, the
   same kind of year; timed: the plan's figures for the whole province
   (`plan.selectors.figures_for`, the targets dashboard's numbers, target ≤ 3 s) and the
   dashboard page itself (/chi-tieu/ through Django's test Client as an administrator); then each
   district submits its 2025 report, and the city's consolidated report over them is built
   and written as DOCX (target ≤ 10 s).

Rows are written with bulk inserts (members in batches of 10,000). It prints figures, records
them in docs/figures.json (`congdoan_dev.figures`) and never fails on a timing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    Course,
    CourseTopic,
    PressItem,
    PressKind,
    TrainingAttendance,
    TrainingSession,
)
from congdoan.core.processes import run_child
from congdoan.feedback.models import Concern, Status
from congdoan.orgs.models import Level, Member, Unit, UnitKind, UnitPeriod
from congdoan.plan import selectors as plan_selectors
from congdoan.plan import services as plan_services
from congdoan.plan.periods import parse_period
from congdoan.reports import selectors, services
from congdoan.reports.exports import render
from congdoan_dev import figures
from congdoan_dev.bench.db import (
    postgres_create,
    postgres_url_for,
    sqlite_fresh,
)

BENCH_DB = "congdoan_bench_reports"
CHILD_FLAG = "CONGDOAN_BENCH_REPORTS_PART"
SQLITE_FILE = Path(__file__).resolve().parents[2] / "var" / "bench-reports.sqlite3"
YEAR = parse_period("2025")
FOUNDED = date(2015, 1, 1)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench reports")
    parser.add_argument("--units", type=int, default=200, help="grassroots units of the district")
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--province-units", type=int, default=10_000)
    parser.add_argument("--province-members", type=int, default=1_000_000)
    parser.add_argument("--districts", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-district", action="store_true")
    parser.add_argument("--skip-province", action="store_true")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL for the province")
    args = parser.parse_args(argv)
    if args.province_units < args.districts * 2 + 1:
        parser.error("--province-units must be at least two per district")
    return args


def run(argv: list[str]) -> None:
    args = _parse(argv)
    part = os.environ.get(CHILD_FLAG)
    if part == "district":
        _district(args, argv)
        return
    if part == "province":
        _province(args, argv)
        return
    base = {**os.environ, "TASKS_BACKEND": "immediate", "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "congdoan.config.cli", "bench", "reports", "--", *argv]
    if not args.skip_district:
        url = sqlite_fresh(SQLITE_FILE)
        env = {**base, CHILD_FLAG: "district", "DATABASE_URL": url}
        if run_child(cmd, env=env, check=False).returncode:
            raise SystemExit("the district part failed")
    if not args.skip_province:
        url = args.database_url or postgres_url_for(BENCH_DB)
        postgres_create(url, fresh=True)
        env = {**base, CHILD_FLAG: "province", "DATABASE_URL": url}
        if run_child(cmd, env=env, check=False).returncode:
            raise SystemExit("the province part failed")


# --- building -----------------------------------------------------------------------------


def _step(label: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = work()
    print(f"  {label}: {time.perf_counter() - started:.1f} s")
    return value


def _median(runs: int, work: Callable[[], Any]) -> float:
    work()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _levels() -> list[Level]:
    return [
        Level.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank, "is_grassroots": g}
        )[0]
        for code, name, rank, g in [
            ("lien-doan-tinh", "Liên đoàn Lao động tỉnh, thành phố", 1, False),
            ("cap-tren-co-so", "Công đoàn cấp trên trực tiếp cơ sở", 2, False),
            ("co-so", "Công đoàn cơ sở", 3, True),
        ]
    ]


def build_tree(*, districts: int, grassroots: int, members: int) -> tuple[Unit, list[Unit]]:
    """A city, `districts` districts and `grassroots` units spread over them, with ids given
    here (bulk inserts skip save()), their periods since 2015, and `members` members."""
    levels = _levels()
    next_id = (Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    rows: list[Unit] = []
    periods: list[UnitPeriod] = []

    def add(uid: int, parent: Unit | None, code: str, name: str, depth: int) -> Unit:
        path = f"{parent.path if parent else '/'}{uid}/"
        unit = Unit(
            pk=uid,
            code=code,
            name=name,
            level=levels[depth],
            kind=UnitKind.FEDERATION if depth < 2 else UnitKind.NON_STATE_ENTERPRISE,
            parent=parent,
            path=path,
            depth=depth,
            qr_token=f"r{uid}",
            founded_on=FOUNDED,
            employer_name="" if depth < 2 else name.replace("Công đoàn ", ""),
        )
        unit.fill_keys()
        rows.append(unit)
        periods.append(UnitPeriod(unit=unit, parent=parent, name=name, valid_from=FOUNDED))
        return unit

    city = add(next_id, None, "RB-HN", "LĐLĐ Thành phố (đo báo cáo)", 0)
    district_units = [
        add(next_id + 1 + d, city, f"RB-Q{d:02d}", f"LĐLĐ huyện số {d + 1} (đo báo cáo)", 1)
        for d in range(districts)
    ]
    uid = next_id + 1 + districts
    grassroots_units = []
    for i in range(grassroots):
        parent = district_units[i % districts]
        grassroots_units.append(
            add(uid, parent, f"RB-CS{i:06d}", f"Công đoàn Công ty số {i + 1}", 2)
        )
        uid += 1
    Unit.objects.bulk_create(rows, batch_size=2000)
    UnitPeriod.objects.bulk_create(periods, batch_size=5000)
    rng = random.Random(2025)
    ids = [u.pk for u in grassroots_units]
    members_of = [
        ids[n % len(ids)] if rng.random() < 0.5 else rng.choice(ids) for n in range(members)
    ]
    if connection.vendor == "postgresql":
        _copy_members(members_of)
        return city, district_units
    batch: list[Member] = []
    for n, unit_id in enumerate(members_of):
        m = Member(
            unit_id=unit_id,
            full_name=f"Đoàn viên số {n + 1}",
            card_number=f"RB{n:09d}",
            is_union_member=True,
        )
        m.fill_keys()
        batch.append(m)
        if len(batch) == 10_000:
            Member.objects.bulk_create(batch)
            batch = []
    Member.objects.bulk_create(batch)
    return city, district_units


def _copy_members(members_of: list[int]) -> None:
    """PostgreSQL's COPY for a million members (bulk_create takes minutes there); the same
    columns as the tree benchmark, keys filled as save() would."""
    now = timezone.now()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY orgs_member (unit_id, full_name, gender, date_of_birth, card_number, phone,"
            " email, is_union_member, left_on, created_at, name_folded, sort_key) FROM STDIN"
        ) as copy,
    ):
        for n, unit_id in enumerate(members_of):
            person = Member(full_name=f"Đoàn viên số {n + 1}")
            person.fill_keys()
            copy.write_row(
                (
                    unit_id,
                    person.full_name,
                    "F" if n % 2 else "M",
                    date(1970 + n % 35, 1 + n % 12, 1 + n % 28),
                    f"RB{n:09d}",
                    "",
                    "",
                    True,
                    None,
                    now,
                    person.name_folded,
                    person.sort_key,
                )
            )


def fill_year(*, units: list[int], attendance_per_activity: int, concerns_per_unit: int) -> None:
    """A year of synthetic activity in 2025 over the grassroots `units`."""
    rng = random.Random(7)
    kinds = [ActivityKind.values[i % len(ActivityKind.values)] for i in range(3)]
    activities = [
        Activity(
            unit_id=u,
            kind=kinds[k],
            title=f"Hoạt động {k + 1}",
            held_on=date(2025, 1 + (u + k * 4) % 12, 1 + u % 28),
            participants=rng.randint(20, 200),
        )
        for u in units
        for k in range(3)
    ]
    Activity.objects.bulk_create(activities, batch_size=5000)
    by_unit: dict[int, list[int]] = {}
    for unit_id, member_id in Member.objects.filter(unit_id__in=units).values_list("unit_id", "pk"):
        by_unit.setdefault(unit_id, []).append(member_id)
    attendance = []
    for a in Activity.objects.filter(unit_id__in=units).values_list("pk", "unit_id"):
        pool = by_unit.get(a[1], [])
        for member_id in rng.sample(pool, min(len(pool), attendance_per_activity)):
            attendance.append(Attendance(activity_id=a[0], member_id=member_id, source="sheet"))
    Attendance.objects.bulk_create(attendance, batch_size=10_000)
    PressItem.objects.bulk_create(
        [
            PressItem(
                unit_id=u,
                kind=PressKind.values[0],
                outlet="Báo Lao Động",
                title="Bài viết về công đoàn",
                happened_on=date(2025, 1 + u % 12, 10),
            )
            for u in units[::5]
        ],
        batch_size=5000,
    )
    course = Course.objects.create(
        unit_id=units[0], title="Kỹ năng truyền thông", topic=CourseTopic.values[0]
    )
    sessions = TrainingSession.objects.bulk_create(
        [
            TrainingSession(course=course, unit_id=u, held_on=date(2025, 4, 1 + i % 28))
            for i, u in enumerate(units[::20])
        ]
    )
    trainees = []
    for s in sessions:
        for member_id in by_unit.get(s.unit_id, [])[:10]:
            trainees.append(TrainingAttendance(session=s, member_id=member_id))
    TrainingAttendance.objects.bulk_create(trainees, batch_size=10_000)
    tz = timezone.get_current_timezone()
    concerns = []
    for u in units:
        for k in range(concerns_per_unit):
            created = timezone.make_aware(
                datetime(2025, 1, 1, 8) + timedelta(hours=rng.randint(0, 364 * 24)), tz
            )
            answered = rng.random() < 0.8
            concerns.append(
                Concern(
                    code=f"R{u:07d}{k:03d}",
                    unit_id=u,
                    assigned_unit_id=u,
                    text="bench",
                    search_text="bench",
                    topic="wages",
                    status=Status.CLOSED if answered else Status.IN_PROGRESS,
                    created_at=created,
                    due_at=created + timedelta(days=10),
                    answered_at=created + timedelta(days=3) if answered else None,
                    answered_on_time=answered,
                )
            )
    Concern.objects.bulk_create(concerns, batch_size=5000)


def _admin() -> User:
    return User.objects.create_superuser(
        "bench-reports@example.vn",
        "bench-mat-khau-123",
        full_name="Quản trị đo báo cáo",
        email="bench-reports@example.vn",
    )


def _docx(unit: Unit) -> int:
    doc = selectors.export_document(unit=unit, period=YEAR)
    return len(render(doc, "docx")[0])


# --- the district (SQLite) ----------------------------------------------------------------


def _district(args: argparse.Namespace, argv: list[str]) -> None:
    print(f"district part: {connection.vendor}, {args.units} units, {args.members:,} members")
    _step("migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    _city, (district,) = _step(
        "tree and members",
        lambda: build_tree(districts=1, grassroots=args.units, members=args.members),
    )
    units = list(Unit.objects.filter(parent=district).values_list("pk", flat=True))
    _step(
        "a year of activity",
        lambda: fill_year(units=units, attendance_per_activity=30, concerns_per_unit=20),
    )
    _step("plan figures refreshed", lambda: plan_services.refresh_figures(period=YEAR))
    admin = _admin()
    _step(
        f"{len(units)} units submit their 2025 report",
        lambda: [
            services.report_submit(actor=admin, unit=u, period=YEAR)
            for u in Unit.objects.filter(pk__in=units)
        ],
    )
    docx_s = _median(args.runs, lambda: _docx(district))
    pdf_s = _median(
        args.runs,
        lambda: render(selectors.export_document(unit=district, period=YEAR), "pdf"),
    )
    print(f"district annual report, DOCX: {docx_s:.2f} s (target ≤ 2 s); PDF: {pdf_s:.2f} s")
    note = f"{args.units} units, {args.members:,} members, SQLite"
    figures.record_many(
        [
            ("reports.district_annual_docx_s", round(docx_s, 2), "s", note),
            ("reports.district_annual_pdf_s", round(pdf_s, 2), "s", note),
        ],
        command=figures.bench_command("reports", argv),
    )


# --- the province (PostgreSQL) ------------------------------------------------------------


def _province(args: argparse.Namespace, argv: list[str]) -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("the province part runs on PostgreSQL only")
    grassroots = args.province_units - 1 - args.districts
    print(
        f"province part: {args.province_units:,} units, {args.province_members:,} members, "
        f"{args.districts} districts"
    )
    _step("migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    city, districts = _step(
        "tree and members",
        lambda: build_tree(
            districts=args.districts, grassroots=grassroots, members=args.province_members
        ),
    )
    units = list(Unit.objects.filter(depth=2).values_list("pk", flat=True))
    _step(
        "a year of activity",
        lambda: fill_year(units=units, attendance_per_activity=10, concerns_per_unit=5),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _step("plan figures refreshed", lambda: plan_services.refresh_figures(period=YEAR))
    dash_s = _median(args.runs, lambda: plan_selectors.figures_for(unit=city, period=YEAR))
    print(f"the plan's figures for the province: {dash_s:.2f} s (target ≤ 3 s)")
    admin = _admin()
    setup_test_environment()
    client = Client()
    client.force_login(admin)
    page = f"{reverse('plan:dashboard')}?unit={city.code}&period={YEAR.code}"

    def dashboard() -> None:
        response = client.get(page)
        if response.status_code != 200:
            raise SystemExit(f"the dashboard answered {response.status_code}")

    page_s = _median(args.runs, dashboard)
    print(f"the targets dashboard page for the province: {page_s:.2f} s (target ≤ 3 s)")
    started = time.perf_counter()
    for d in districts:
        services.report_submit(actor=admin, unit=d, period=YEAR)
    districts_s = time.perf_counter() - started
    print(f"  {len(districts)} districts submit (each built live): {districts_s:.1f} s")
    city_s = _median(args.runs, lambda: _docx(city))
    print(
        f"the city's consolidated report over {len(districts)} districts, DOCX: {city_s:.2f} s (target ≤ 10 s)"
    )
    note = (
        f"{args.province_units:,} units, {args.province_members:,} members, "
        f"{args.districts} districts, PostgreSQL"
    )
    figures.record_many(
        [
            ("reports.province_figures_s", round(dash_s, 2), "s", note),
            ("reports.province_dashboard_page_s", round(page_s, 2), "s", note),
            ("reports.city_consolidated_docx_s", round(city_s, 2), "s", note),
            ("reports.districts_submit_s", round(districts_s, 1), "s", note),
        ],
        command=figures.bench_command("reports", argv),
    )
