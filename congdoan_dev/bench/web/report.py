"""What `congdoan bench web` prints, and the figures it records in docs/figures.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from congdoan_dev import figures
from congdoan_dev.bench.web import client, fcp
from congdoan_dev.bench.web.breakdown import Breakdown

WEIGHT_TARGET = 60 * 1024  # bytes: HTML + CSS + JS, compressed
SHARE_TARGET = 30.0  # % of the bare view's requests per second
FCP_TARGET_MS = 2000.0
NAMES = {
    "home": "home page",
    "product": "product page",
    "form": "concern form",
    "base": "the base template alone (/bench/base/: what every page pays before its content)",
}


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def _mark(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"


def print_weights(
    weights: dict[str, client.PageWeight], static_root: Path, static_url: str, use_finders: bool
) -> None:
    print(
        "\nweight (HTML + the CSS and JS it references, no images; bytes of the bodies; "
        f"target ≤ {_kb(WEIGHT_TARGET)} compressed):"
    )
    for name, weight in weights.items():
        html = weight.html
        print(
            f"  {NAMES[name]} {html.path} → {html.status}: as this server sends it "
            f"{_kb(weight.sent)}, compressed {_kb(weight.compressed)} — "
            f"{_mark(weight.compressed <= WEIGHT_TARGET)}"
        )
        for fetched in (html, *weight.assets):
            sent = (
                f"sent {fetched.encoding} {_kb(fetched.sent)}"
                if fetched.encoding
                else f"sent uncompressed {_kb(fetched.sent)}"
            )
            print(
                f"    {fetched.path[:70]}: {_kb(fetched.raw)} raw, {sent}, "
                f"gzip {_kb(fetched.gzipped)}"
            )
    plain_html = sorted({w.html.path[:50] for w in weights.values() if not w.html.encoding})
    if plain_html:
        print(
            f"  HTML sent uncompressed ({', '.join(plain_html)}): Django has no GZip middleware here; "
            "the target applies to the compressed figure (what nginx with `gzip on` sends)."
        )
    static = sorted({a.path for w in weights.values() for a in w.assets if not a.encoding})
    shadowed = [
        p for p in static if Path(f"{static_root / p.removeprefix(static_url)}.gz").exists()
    ]
    if shadowed:
        print(
            f"  static files sent uncompressed though their collected .gz/.br copies are in "
            f"{static_root}: {', '.join(shadowed)}"
            + (
                " — WHITENOISE_USE_FINDERS = True makes WhiteNoise serve each file from its "
                "app folder (the finders' copy replaces STATIC_ROOT's), where no compressed "
                "copy lies"
                if use_finders
                else ""
            )
        )


def print_breakdown(parts: dict[str, Breakdown]) -> None:
    print(
        "\nwhere a request's time goes, in this process (no server, no network; the median, "
        "a new visitor each time):"
    )
    for name, part in parts.items():
        print(
            f"  {name:<8} {part.total_ms:6.1f} ms: {part.queries} SQL queries {part.db_ms:5.1f} ms, "
            f"Python (middleware, view, template) {part.python_ms:5.1f} ms; "
            f"CPU {part.cpu_ms:5.1f} ms"
            + (f"; slowest query: {part.slowest_sql[:90]}…" if part.slowest_sql else "")
        )


def print_speed_row(name: str, row: dict[str, Any]) -> None:
    errors = {k: v for k, v in row["statuses"].items() if k != "200"}
    p50 = f"{row['p50_ms']:.0f}" if row["p50_ms"] is not None else "—"
    p95 = f"{row['p95_ms']:.0f}" if row["p95_ms"] is not None else "—"
    server = f"{row['server_cores']:.2f}" if row["server_cores"] is not None else "?"
    per = f", {row['server_cpu_ms']:.1f} ms each" if row["server_cpu_ms"] is not None else ""
    print(
        f"  {name:<10} {row['path'][:48]:<48} {row['rate']:>7.0f}/s  p50 {p50:>5} ms  "
        f"p95 {p95:>5} ms  ({row['ok']} × 200 in {row['seconds']:.1f}s; errors: "
        + (", ".join(f"{k}×{v}" for k, v in sorted(errors.items())) if errors else "none")
        + f"; CPU cores: load generator {row['client_cores']:.2f}, gunicorn {server}{per})"
    )


def floor_rate(speed: dict[str, Any]) -> float:
    """The bare view's requests per second: the mean of its run before and after the pages."""
    rates = [speed[k]["rate"] for k in ("bare", "bare-again") if speed[k]["ok"]]
    return sum(rates) / len(rates) if rates else 0.0


def print_shares(speed: dict[str, Any], pages: dict[str, str]) -> None:
    floor = floor_rate(speed)
    print(
        f"\nfloor (the bare view, same server and middleware): {floor:.0f}/s "
        f"(before the pages {speed['bare']['rate']:.0f}/s, after {speed['bare-again']['rate']:.0f}/s)"
    )
    floor_cpu = [speed[k]["server_cpu_ms"] for k in ("bare", "bare-again")]
    floor_ms = sum(floor_cpu) / 2 if None not in floor_cpu else None
    for name in ["base", *pages]:
        share = speed[name]["rate"] / floor * 100 if floor else 0.0
        speed[name]["share"] = round(share, 1)
        page_ms = speed[name]["server_cpu_ms"]
        cpu = (
            f"; by gunicorn's CPU per answer {page_ms:.1f} ms against the floor's "
            f"{floor_ms:.1f} ms = {floor_ms / page_ms * 100:.0f} %"
            if floor_ms and page_ms
            else ""
        )
        target = (
            ""
            if name == "base"
            else f" (target ≥ {SHARE_TARGET:.0f} %) — {_mark(share >= SHARE_TARGET)}"
        )
        print(
            f"  {NAMES[name]}: {speed[name]['rate']:.0f}/s = {share:.0f} % of the floor"
            f"{target}{cpu}"
        )
    busy = [k for k, v in speed.items() if v["client_cores"] >= 0.9]
    if busy:
        print(
            f"  note: the load generator used a whole core during {', '.join(busy)}: those rates "
            "are bounded by it, not only by the server"
        )


def print_paints(paints: dict[str, fcp.Paint], runs: int) -> None:
    print(
        f"\nfirst contentful paint, Chromium, {fcp.KBPS} kbit/s down and up, {fcp.LATENCY_MS} ms "
        f"latency, cache off, images included, 360 × 640 phone; median of {runs} "
        f"(target ≤ {FCP_TARGET_MS / 1000:.0f} s):"
    )
    for name, paint in paints.items():
        if not paint.fcp:
            print(f"  {NAMES[name]}: no first-contentful-paint entry")
            continue
        runs_text = ", ".join(f"{x / 1000:.2f}" for x in paint.fcp)
        print(
            f"  {NAMES[name]}: FCP {paint.fcp_median / 1000:.2f} s ({runs_text}) — "
            f"{_mark(paint.fcp_median <= FCP_TARGET_MS)}; load event "
            f"{paint.load_median / 1000:.2f} s; {_kb(paint.bytes)} received, "
            f"{paint.images} image(s)"
        )


def record(summary: dict[str, Any], args: argparse.Namespace) -> None:
    """Record the run's figures, unless it was the quick seed (not the demo district)."""
    if args.seed != "demo":
        print(f"\nfigures not recorded (--seed {args.seed}: not the demo district)")
        return
    vendor = summary["vendor"]
    clients = f"{args.concurrency} clients, {args.workers}×{args.threads} gunicorn, {vendor}"
    rows: list[tuple[str, float | str, str, str]] = []
    for name, weight in summary["weight"].items():
        rows.append(
            (f"web.weight.{name}", round(weight["compressed"] / 1024, 1), "KB", "compressed")
        )
        rows.append(
            (f"web.weight_sent.{name}", round(weight["sent"] / 1024, 1), "KB", "as gunicorn sends")
        )
    speed = summary["speed"]
    rows.append((f"web.rate.floor.{vendor}", round(floor_rate(speed)), "/s", clients))
    if speed["bare"]["server_cpu_ms"] is not None:
        cpu = (speed["bare"]["server_cpu_ms"] + speed["bare-again"]["server_cpu_ms"]) / 2
        rows.append((f"web.cpu.floor.{vendor}", round(cpu, 2), "ms", "gunicorn CPU per answer"))
    for name in ["base", *summary["pages"]]:
        row = speed[name]
        rows.append((f"web.rate.{name}.{vendor}", round(row["rate"]), "/s", clients))
        if row["p95_ms"] is not None:
            rows.append((f"web.p95.{name}.{vendor}", round(row["p95_ms"]), "ms", clients))
        rows.append((f"web.share.{name}.{vendor}", row.get("share", 0.0), "%", "of the floor"))
        if row["server_cpu_ms"] is not None:
            rows.append(
                (f"web.cpu.{name}.{vendor}", row["server_cpu_ms"], "ms", "gunicorn CPU per answer")
            )
    for name, paint in summary["fcp"].items():
        if isinstance(paint, dict) and "fcp_median_ms" in paint:
            rows.append(
                (
                    f"web.fcp.{name}",
                    round(paint["fcp_median_ms"] / 1000, 2),
                    "s",
                    f"{fcp.KBPS} kbit/s, {fcp.LATENCY_MS} ms, median of {args.fcp_runs}",
                )
            )
    # The child process runs as `python -m congdoan_dev.bench.web ARGS`: the bench's own ARGS.
    figures.record_many(rows, command=figures.bench_command("web", sys.argv[1:]))
    print(f"\nrecorded {len(rows)} figures in {figures.FIGURES_FILE}")
