"""The child of `congdoan bench web`: connected to the fresh bench database, under the bench's
settings. Seeds, starts gunicorn, measures, prints and records (see the package's docstring)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection

from congdoan_dev.bench.measure import free_port, loadavg, percentile, stop_server, tree_cpu
from congdoan_dev.bench.web import TEMPLATE_ENV, client, fcp, report, seed
from congdoan_dev.bench.web.breakdown import breakdown
from congdoan_dev.bench.web.urls import BARE_PATH, BASE_PATH

FORM_PATH = "/y-kien/gui/"


def _collect_static(skip: bool) -> str:
    """Collect the static files as a deployment does, unless nothing changed since the last run
    (compressing them all takes a minute on two cores). What the run serves them from."""
    root = Path(settings.STATIC_ROOT)
    if skip:
        root.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing one
        return "the app folders (not collected: --skip-collectstatic)"
    stamp = root / ".collected"
    newest = max(
        (
            storage.path(path)
            for finder in finders.get_finders()
            for path, storage in finder.list(None)
        ),
        key=lambda p: os.stat(p).st_mtime,
    )
    if stamp.exists() and os.stat(newest).st_mtime <= stamp.stat().st_mtime:
        return f"{root} (collected by an earlier run, nothing changed since)"
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.touch()
    return f"{root} (collected in {time.perf_counter() - started:.0f}s)"


def _keep_template() -> None:
    """Keep the migrated, still empty SQLite database for the next run (see
    `migrated_template`): written beside, then renamed, so a run at the same time never copies
    half a file."""
    template = os.environ.get(TEMPLATE_ENV, "")
    if not template or Path(template).exists() or connection.vendor != "sqlite":
        return
    connection.close()
    partial = Path(f"{template}.{os.getpid()}")
    shutil.copyfile(connection.settings_dict["NAME"], partial)
    partial.replace(template)
    for old in Path(template).parent.glob("web-migrated-*.sqlite3"):
        if old != Path(template):  # made for migrations that have changed since
            old.unlink(missing_ok=True)


def _start_server(port: int, workers: int, threads: int, log_path: Path) -> subprocess.Popen[bytes]:
    """gunicorn as docs/operations.md runs it (the same settings module as this process)."""
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
        "--timeout",
        "60",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    env = {k: v for k, v in os.environ.items() if k != "CONGDOAN_BENCH_WEB_CHILD"}
    log = log_path.open("wb")
    return subprocess.Popen(
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_ready(port: int, server: subprocess.Popen[bytes], log_path: Path) -> None:
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        if server.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
                continue
        tail = log_path.read_text(errors="replace")[-2000:]
        raise SystemExit(f"gunicorn exited with {server.returncode}:\n{tail}")
    raise SystemExit(f"gunicorn did not start in 60 s (its log: {log_path})")


def _speed(
    port: int, server_pid: int, targets: dict[str, str], args: argparse.Namespace
) -> dict[str, Any]:
    """The floor, each page, the floor again; each after a short warm-up."""
    keep_alive = args.connection == "keep-alive"
    order = [("bare", BARE_PATH), ("base", BASE_PATH), *targets.items(), ("bare-again", BARE_PATH)]
    results: dict[str, Any] = {}
    for name, path in order:
        asyncio.run(
            client.load(
                port,
                path,
                total=min(args.requests, args.workers * args.threads * 10),
                concurrency=min(args.concurrency, args.workers * args.threads),
                seconds=10,
                keep_alive=keep_alive,
            )
        )
        server_before = tree_cpu(server_pid)
        result = asyncio.run(
            client.load(
                port,
                path,
                total=args.requests,
                concurrency=args.concurrency,
                seconds=args.duration,
                keep_alive=keep_alive,
            )
        )
        server_after = tree_cpu(server_pid)
        ms = [x * 1000 for x in result.latencies]
        results[name] = {
            "path": path,
            "sent": result.sent,
            "ok": result.ok,
            "statuses": dict(result.statuses),
            "seconds": round(result.elapsed, 2),
            "rate": round(result.rate, 1),
            "p50_ms": round(percentile(ms, 50), 1) if ms else None,
            "p95_ms": round(percentile(ms, 95), 1) if ms else None,
            "client_cores": round(result.client_cpu / result.elapsed, 2) if result.elapsed else 0,
            "server_cores": (
                round((server_after - server_before) / result.elapsed, 2)
                if server_before is not None and server_after is not None and result.elapsed
                else None
            ),
            # gunicorn's CPU time per answer: what a request costs, whatever else the
            # machine runs at the time (the rate is not: it waits for free cores).
            "server_cpu_ms": (
                round((server_after - server_before) / result.sent * 1000, 2)
                if server_before is not None and server_after is not None and result.sent
                else None
            ),
        }
        report.print_speed_row(name, results[name])
    return results


def main(args: argparse.Namespace) -> int:
    db = connection.settings_dict
    label = (
        f"PostgreSQL {db['NAME']}" if connection.vendor == "postgresql" else f"SQLite {db['NAME']}"
    )
    print(
        f"database: {label} (fresh); CPUs: {os.cpu_count()}; gunicorn: {args.workers} workers × "
        f"{args.threads} threads; clients: {args.concurrency} ({args.connection}); at most "
        f"{args.requests} requests or {args.duration:g}s per page; load average before: "
        f"{loadavg()}"
    )
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    _keep_template()
    seeded = seed.seed(args.seed)
    print(
        f"seeded ({args.seed}) in {time.perf_counter() - started:.1f}s: {seeded.units} grassroots "
        f"unions, {seeded.news} public products, the article {seeded.product_path} with a "
        f"{seeded.photo_bytes / 1024:.0f} KB cover photo"
    )
    print(f"static files: {_collect_static(args.skip_collectstatic)}")
    pages = {"home": "/", "product": seeded.product_path, "form": FORM_PATH}
    connection.close()

    port = free_port()
    log_path = Path(settings.VAR_DIR) / "bench" / f"web-gunicorn-{os.getpid()}.log"
    server = _start_server(port, args.workers, args.threads, log_path)
    try:
        # While gunicorn boots (seconds): where each page's time goes, in this process.
        runs = min(30, max(3, args.requests // 10))  # a quick run (the test's) does a few
        parts = {
            name: breakdown(path, runs=runs)
            for name, path in [("bare", BARE_PATH), ("base", BASE_PATH), *pages.items()]
        }
        report.print_breakdown(parts)
        connection.close()
        summary: dict[str, Any] = {
            "vendor": connection.vendor,
            "pages": pages,
            "seed": args.seed,
            "breakdown": {
                name: {**asdict(b), "python_ms": b.python_ms} for name, b in parts.items()
            },
        }
        _wait_ready(port, server, log_path)
        weights = {name: client.page_weight(port, path) for name, path in pages.items()}
        report.print_weights(
            weights,
            Path(settings.STATIC_ROOT),
            settings.STATIC_URL,
            settings.WHITENOISE_USE_FINDERS,
        )
        summary["weight"] = {
            name: {
                "html": asdict(w.html),
                "assets": [asdict(a) for a in w.assets],
                "sent": w.sent,
                "compressed": w.compressed,
            }
            for name, w in weights.items()
        }
        speed = _speed(port, server.pid, pages, args)
        summary["speed"] = speed
        report.print_shares(speed, pages)
        summary["fcp"] = _paint(port, pages, args)
    finally:
        stop_server(server)
    log_path.unlink()  # the server answered every page: nothing in it to keep
    report.record(summary, args)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    bad = [name for name, w in weights.items() if w.html.status != 200]
    bad += [name for name in speed if speed[name]["ok"] == 0]
    if bad:
        print(f"pages that did not answer 200: {', '.join(sorted(set(bad)))}")
    return 1 if bad else 0


def _paint(port: int, pages: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    shown = {name: pages[name] for name in ("home", "product")}
    if args.skip_fcp:
        print("first contentful paint: skipped (--skip-fcp)")
        return {"skipped": "--skip-fcp"}
    reason = fcp.unavailable()
    if reason:
        print(f"first contentful paint: SKIPPED — {reason}")
        return {"skipped": reason}
    try:
        paints = fcp.measure(f"http://127.0.0.1:{port}", shown, args.fcp_runs)
    except Exception as exc:  # the browser's failure must not lose the figures measured
        print(f"first contentful paint: FAILED — {type(exc).__name__}: {str(exc)[:500]}")
        return {"failed": f"{type(exc).__name__}: {str(exc)[:500]}"}
    report.print_paints(paints, args.fcp_runs)
    return {
        name: {
            "fcp_ms": p.fcp,
            "load_ms": p.load,
            "fcp_median_ms": round(p.fcp_median),
            "load_median_ms": round(p.load_median),
            "bytes": p.bytes,
            "images": p.images,
        }
        for name, p in paints.items()
        if p.fcp
    }
