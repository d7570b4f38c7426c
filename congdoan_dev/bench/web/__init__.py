"""`congdoan bench web`: the weight and speed of the public home page, a product page and the
worker's concern form, served by gunicorn on this machine.

Usage: congdoan bench web -- [--requests 3000] [--duration 15] [--concurrency 50]
                               [--db sqlite|postgres] [--workers 3] [--threads 2]
                               [--connection close|keep-alive] [--seed demo|small]
                               [--skip-fcp] [--fcp-runs 3] [--skip-collectstatic] [--json FILE]

Steps:
1. a fresh database of its own (a new SQLite file under var/bench/ or the PostgreSQL database
   `congdoan_bench_web`, dropped and created again, on DATABASE_URL's server); the rest runs in
   a child process pointed at it, under `congdoan_dev.bench.web.settings` (the project's
   settings with `/bench/bare/` added to its URLs);
2. migrate; the demo district (its unions and news, `congdoan seed-demo --only orgs,content`)
   and one long article with a cover photo, written, approved and published through the
   content services (`seed.py`); `collectstatic` into var/bench/web-static, as a deployment
   does (again only when a static file changed);
3. gunicorn as docs/operations.md runs it (`--workers 3 --threads 2`, gthread), on
   127.0.0.1:<free port>;
4. weight: each page and the stylesheets and scripts it references, fetched as Chromium asks
   (`Accept-Encoding: gzip, deflate, br`): the bytes as this server sends them and the bytes
   with every text answer compressed (gzip level 6 where the server sent it as is);
5. speed: `--concurrency` clients at once against the bare view (the floor), the three pages,
   then the floor again, each for `--requests` requests or `--duration` seconds: requests per
   second, p50/p95 latency, each page's rate as a share of the floor's (the mean of its two
   runs), and the CPU the load generator used (it shares the machine with the server);
6. first contentful paint of the home and product pages in Chromium on a throttled line
   (`fcp.py`), unless `--skip-fcp` or Chromium is missing (then it says why).
It prints the figures, records them in docs/figures.json and never fails on a timing; it
exits non-zero only when a page did not answer 200.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings

from congdoan.core.processes import run_child
from congdoan_dev.bench.db import postgres_create, postgres_url_for

CHILD_FLAG = "CONGDOAN_BENCH_WEB_CHILD"
# A migrated, empty SQLite database to start from (the child writes it when it is missing).
TEMPLATE_ENV = "CONGDOAN_BENCH_WEB_TEMPLATE"
PG_DB = "congdoan_bench_web"
SETTINGS = "congdoan_dev.bench.web.settings"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench web")
    parser.add_argument("--requests", type=int, default=3000, help="requests per page at most")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per page at most")
    parser.add_argument("--concurrency", type=int, default=50, help="clients at the same time")
    parser.add_argument(
        "--db", choices=["sqlite", "postgres"], default="", help="default: DATABASE_URL's kind"
    )
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL server to create the bench database on"
    )
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn processes (docs/operations.md: 3)"
    )
    parser.add_argument(
        "--threads", type=int, default=2, help="threads per gunicorn process (gthread; 1 = sync)"
    )
    parser.add_argument(
        "--connection",
        choices=["close", "keep-alive"],
        default="close",
        help="one connection per request (close: as nginx talks to gunicorn) or one kept "
        "alive per client",
    )
    parser.add_argument(
        "--seed",
        choices=["demo", "small"],
        default="demo",
        help="demo: the demo district and its news; small: the tests' cast (quick)",
    )
    parser.add_argument("--skip-fcp", action="store_true", help="no Chromium run")
    parser.add_argument("--fcp-runs", type=int, default=3, help="Chromium runs per page")
    parser.add_argument(
        "--skip-collectstatic",
        action="store_true",
        help="serve static files from the app folders (WhiteNoise's finders) without collecting",
    )
    parser.add_argument("--json", default="", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if min(args.requests, args.concurrency, args.workers, args.threads, args.fcp_runs) < 1:
        parser.error("--requests, --concurrency, --workers, --threads and --fcp-runs must be ≥ 1")
    if args.duration <= 0:
        parser.error("--duration must be positive")
    if not args.db:
        current = os.environ.get("DATABASE_URL", "")
        args.db = "postgres" if current.startswith(("postgres://", "postgresql://")) else "sqlite"
    return args


def migrated_template(bench_dir: Path) -> Path:
    """Where a migrated empty SQLite database of the current migrations is kept: migrating
    from nothing takes most of a quick run. Named after the migration files (their names and
    sizes), so a changed migration makes a new one; `migrate` runs on the copy anyway."""
    digest = hashlib.sha1()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(f"{config.label}/{path.name}:{path.stat().st_size}\n".encode())
    return bench_dir / f"web-migrated-{digest.hexdigest()[:12]}.sqlite3"


def run(argv: list[str]) -> None:
    args = parse(argv)
    if os.environ.get(CHILD_FLAG) == "1":
        from congdoan_dev.bench.web import child  # lazy: needs the bench settings, child only

        raise SystemExit(child.main(args))
    bench_dir = Path(settings.VAR_DIR) / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    run_dir = bench_dir / f"web-{os.getpid()}"  # this run's database and media
    run_dir.mkdir()
    if args.db == "postgres":
        url = postgres_url_for(PG_DB, args.database_url)
        postgres_create(url, fresh=True)
    else:
        url = f"sqlite:///{run_dir / 'web.sqlite3'}"
        template = migrated_template(bench_dir)
        if template.exists():
            shutil.copyfile(template, run_dir / "web.sqlite3")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": url,
        CHILD_FLAG: "1",
        "CONGDOAN_BENCH_WEB_STATIC": str(bench_dir / "web-static"),
        "MEDIA_ROOT": str(run_dir / "media"),
        "TASKS_BACKEND": "database",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        "DEBUG": "false",
        TEMPLATE_ENV: str(migrated_template(bench_dir)) if args.db == "sqlite" else "",
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # a local cache per process: nothing shared with other runs
    cmd = [sys.executable, "-m", "congdoan_dev.bench.web", *argv]
    try:
        code = run_child(cmd, env=env, check=False).returncode
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    raise SystemExit(code)
