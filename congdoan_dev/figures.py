"""The measured figures, written once: `docs/figures.json`, and the README table made from it.

Every benchmark (`congdoan bench …`) and `congdoan nlp eval --record` write what they measured
into that one file, each figure under its own name (replacing the figure of the same name),
with the command that measured it, the date and the machine's load at the time. Nothing else
writes a figure by hand:

- the README's "Figures" table, between its two markers, is made from the file by
  `make figures` (`python -m congdoan_dev.figures`): the words of each row (what, target, the
  sentence around the numbers) live in the file's `readme` list, the numbers are `{name}`
  references to figures;
- the docs cite a figure inline as `<!-- fig NAME -->value<!-- /fig -->`, and `make figures`
  rewrites the value;
- the size of the shipped models is not measured but computed (`shipped_models_mb`) each time.

A trial run records elsewhere with `CONGDOAN_FIGURES_FILE=/tmp/figures.json` (a copy of the
file). `python -m congdoan_dev.figures --check` fails when the README or a doc is not what the file
says (for CI).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from congdoan.text.shipped import MODELS_DIR

ROOT = Path(__file__).resolve().parents[1]
# CONGDOAN_FIGURES_FILE: record into another file (a trial run that must not change the docs).
FIGURES_FILE = Path(os.environ.get("CONGDOAN_FIGURES_FILE") or ROOT / "docs" / "figures.json")
README = ROOT / "README.md"
DOCS = (ROOT / "docs" / "text.md", ROOT / "docs" / "monitoring.md", ROOT / "docs" / "contests.md")
BEGIN = "<!-- figures: begin (made by `make figures` from docs/figures.json; edit that file) -->"
END = "<!-- figures: end -->"
INLINE = re.compile(r"<!-- fig (?P<name>[\w.\-]+) -->(?P<value>.*?)<!-- /fig -->")
REFERENCE = re.compile(r"\{(?P<name>[a-z][\w.\-]*)\}")


def load(path: Path = FIGURES_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def save(data: dict[str, Any], path: Path = FIGURES_FILE) -> None:
    """Write the file atomically (a benchmark killed halfway leaves the old one whole)."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def machine_load() -> str:
    """The one-minute load average and the number of CPUs, as the figures file keeps them."""
    try:
        one = f"{os.getloadavg()[0]:.1f}"
    except OSError:
        one = "?"
    return f"{one} ({os.cpu_count() or '?'} CPUs)"


def command_line() -> str:
    """The command being run, as a person would type it again."""
    argv = list(sys.argv)
    if argv and Path(argv[0]).name in ("congdoan", "cli.py", "manage.py", "__main__.py"):
        argv[0] = "congdoan"
    return " ".join(argv)


def bench_command(name: str, argv: list[str]) -> str:
    """How benchmark `name` was started: `congdoan bench NAME -- ARGS…`."""
    return " ".join(["congdoan bench", name, *(["--", *argv] if argv else [])])


def record(
    name: str,
    value: float | str,
    unit: str = "",
    *,
    command: str = "",
    note: str = "",
    load_text: str = "",
    path: Path = FIGURES_FILE,
) -> None:
    """Put figure `name` in the file (replacing the one of that name), dated today."""
    record_many([(name, value, unit, note)], command=command, load_text=load_text, path=path)


def record_many(
    figures: Iterable[tuple[str, float | str, str, str]],
    *,
    command: str = "",
    load_text: str = "",
    path: Path = FIGURES_FILE,
) -> None:
    """Several figures of one run: (name, value, unit, note) each; one write."""
    data = load(path)
    by_name = {f["name"]: i for i, f in enumerate(data["figures"])}
    # One run: the same command, date and load for each of its figures.
    today = dt.date.today().isoformat()
    command = command or command_line()
    load_text = load_text or machine_load()
    for name, value, unit, note in figures:
        entry = {
            "name": name,
            "value": value,
            "unit": unit,
            "command": command,
            "date": today,
            "load": load_text,
            "note": note,
        }
        if name in by_name:
            data["figures"][by_name[name]] = entry
        else:
            by_name[name] = len(data["figures"])
            data["figures"].append(entry)
    save(data, path)


def record_eval(rows: Iterable[Any], *, command: str = "", path: Path = FIGURES_FILE) -> int:
    """The rows of `congdoan nlp eval` (congdoan.text.evaluate.Row) that name their figure:
    the figure, its `extra` figures, and for the accurate mode the accent-stripped figure and
    the loss. Accuracies are not changed by the machine's load ("—"). Returns how many."""
    measured: list[tuple[str, float | str, str, str]] = []
    for row in rows:
        if not row.figure or row.ours is None:
            continue
        unit = "" if "_f1_" in row.figure else "%"  # macro-F1 points, else a share
        measured.append((row.figure, round(row.ours, 2), unit, row.data))
        measured += [
            (
                name,
                round(row.extra[key], 2),
                "lines/s" if name.endswith("_per_s") else "%",
                row.data,
            )
            for key, name in row.extra_figures.items()
            if key in row.extra
        ]
        if row.stripped is not None and row.figure.endswith("_f1_accurate"):
            stem = row.figure.removesuffix("_f1_accurate")
            measured.append((f"{row.figure}_stripped", round(row.stripped, 2), unit, row.data))
            loss = round(row.ours - row.stripped, 1)
            measured.append((f"{stem}_accurate_stripped_loss", loss, "", row.data))
    if measured:
        record_many(measured, command=command, load_text="—", path=path)
    return len(measured)


def format_value(figure: dict[str, Any]) -> str:
    value, unit = figure["value"], figure.get("unit", "")
    if isinstance(value, bool):
        text = str(value)
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = f"{value:,.{_decimals(value)}f}"
    else:
        text = str(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "×" or unit.startswith("/") else f"{text} {unit}"


def _decimals(value: float) -> int:
    """As many decimals as the figure was recorded with (at most 2): 8.3 → 1, 95.22 → 2."""
    text = repr(value)
    return min(2, len(text.split(".")[1])) if "." in text and "e" not in text else 0


def figures_by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in data["figures"]}


def fill(template: str, figures: dict[str, dict[str, Any]]) -> str:
    """`template` with each `{name}` replaced by that figure's value and unit."""

    def one(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in figures:
            raise KeyError(f"docs/figures.json: no figure {name!r} (used in {template[:60]!r})")
        return format_value(figures[name])

    return REFERENCE.sub(one, template)


def _measured(template: str, figures: dict[str, dict[str, Any]]) -> str:
    """The dates and loads of the figures a README row shows: "2026-11-27; load 4–10"."""
    names = [m["name"] for m in REFERENCE.finditer(template)]
    dates = sorted({figures[n]["date"] for n in names})
    # An accuracy's load is "—": the load does not change it, so it is not shown.
    loads = sorted({str(figures[n]["load"]) for n in names if figures[n].get("load", "—") != "—"})
    when = " / ".join(dates)
    return f"{when}; load {', '.join(loads)}" if loads else when


def readme_table(data: dict[str, Any]) -> str:
    figures = figures_by_name(data)
    lines = [
        "| what | command | figure | target | measured (date; load average, CPUs) |",
        "|---|---|---|---|---|",
    ]
    for row in data["readme"]:
        cells = (
            row["what"],
            row["command"],
            fill(row["figure"], figures),
            row["target"],
            _measured(row["figure"], figures),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_readme(text: str, data: dict[str, Any]) -> str:
    start, end = text.index(BEGIN), text.index(END)
    return text[: start + len(BEGIN)] + "\n" + readme_table(data) + "\n" + text[end:]


def render_doc(text: str, data: dict[str, Any]) -> str:
    figures = figures_by_name(data)

    def one(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in figures:
            raise KeyError(f"docs/figures.json: no figure {name!r} (cited inline)")
        return f"<!-- fig {name} -->{format_value(figures[name])}<!-- /fig -->"

    return INLINE.sub(one, text)


def shipped_models_mb() -> float:
    """Size of every file under congdoan/text/models (what the wheel ships), in MB (10⁶ B)."""
    total = sum(
        p.stat().st_size
        for p in MODELS_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    return round(total / 1e6, 1)


def refresh_computed(data: dict[str, Any]) -> None:
    """The figures computed rather than measured (the shipped models' size)."""
    figures = figures_by_name(data)
    size = shipped_models_mb()
    old = figures.get("text.shipped_models")
    if old is None or old["value"] != size:
        record(
            "text.shipped_models",
            size,
            "MB",
            command="make figures (sum of the file sizes under congdoan/text/models)",
            note="computed, not measured",
            load_text="—",
        )
        data.update(load())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m congdoan_dev.figures",
        description="Write the README's figures table and the docs' cited figures from "
        "docs/figures.json.",
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; fail if a file is out of date"
    )
    args = parser.parse_args(argv)
    data = load()
    if not args.check:
        refresh_computed(data)
    stale = []
    for path, render in [(README, render_readme), *((doc, render_doc) for doc in DOCS)]:
        text = path.read_text(encoding="utf-8")
        new = render(text, data)
        if new == text:
            continue
        if args.check:
            stale.append(path.relative_to(ROOT))
        else:
            path.write_text(new, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: figures written")
    if stale:
        print(f"out of date (run make figures): {', '.join(map(str, stale))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
