"""`congdoan bench web`: a quick run through a real gunicorn (the tests' small cast, a few
requests per page, no Chromium) and the pieces it is made of. No timing is
asserted: only that every figure was measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from congdoan_dev.bench.web import client, parse, seed


def test_the_assets_of_a_page_are_its_local_stylesheets_and_scripts() -> None:
    html = (
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/css/app.css">'
        "<link rel=stylesheet href=/static/content/public.css>"
        '<link rel="canonical" href="/tin/a/">'
        '<script src="/static/vendor/htmx.min.js" defer></script><script>inline()</script>'
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="/static/css/app.css">'
    )
    assert client.referenced(html) == [
        "/static/css/app.css",
        "/static/content/public.css",
        "/static/vendor/htmx.min.js",
    ]


def test_options_default_to_fifty_clients_and_refuse_nonsense() -> None:
    args = parse(["--db", "sqlite"])
    assert (args.concurrency, args.seed, args.skip_fcp) == (50, "demo", False)
    for bad in (["--requests", "0"], ["--duration", "0"], ["--concurrency", "0"]):
        try:
            parse(bad)
        except SystemExit as exc:
            assert exc.code == 2
        else:
            raise AssertionError(f"{bad} was accepted")


def test_the_cover_photo_weighs_what_a_real_one_does() -> None:
    size = len(seed.photo())
    assert 100_000 < size < 600_000, size


def test_a_quick_run_measures_every_page_and_the_floor(tmp_path: Path) -> None:
    """The whole benchmark, small: fresh database, gunicorn, weights, load, (FCP)."""
    out = tmp_path / "web.json"
    figures = tmp_path / "figures.json"
    figures.write_text('{"figures": [], "readme": []}\n')
    argv = ["--seed", "small", "--requests", "20", "--duration", "2", "--concurrency", "8"]
    # Chromium on the throttled line takes seconds per page (the cover photo alone is five):
    # the quick run leaves it out, the real run measures it.
    argv += ["--workers", "1", "--skip-collectstatic", "--skip-fcp", "--json", str(out)]
    env = {**os.environ, "CONGDOAN_FIGURES_FILE": str(figures)}
    done = subprocess.run(
        [sys.executable, "-m", "congdoan_dev.bench.web", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = json.loads(out.read_text())
    assert set(summary["pages"]) == {"home", "product", "form"}
    assert summary["pages"]["product"].startswith("/tin/")
    for name, weight in summary["weight"].items():
        assert weight["html"]["status"] == 200, name
        assert weight["html"]["raw"] > 0 and weight["compressed"] > 0, name
        assert any(a["path"].endswith("app.css") for a in weight["assets"]), name
        assert 0 < weight["compressed"] <= weight["sent"] or weight["html"]["encoding"], name
    speed = summary["speed"]
    for name in ("bare", "base", "home", "product", "form", "bare-again"):
        assert speed[name]["ok"] > 0 and speed[name]["rate"] > 0, name
        assert speed[name]["p95_ms"] >= speed[name]["p50_ms"] > 0, name
    for name in ("base", "home", "product", "form"):
        assert speed[name]["share"] > 0
        assert summary["breakdown"][name]["total_ms"] > 0
    assert summary["fcp"] == {"skipped": "--skip-fcp"}
    assert "floor (the bare view" in done.stdout
    assert json.loads(figures.read_text())["figures"] == []  # a quick run records nothing
