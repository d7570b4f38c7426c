"""The rendered-and-OCR'd pairs that the figures and the model build read."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from congdoan.text.garbled.decode import GarbleRepairer
from congdoan.text.vietnamese import nfc


def data_dir() -> Path:
    """Where the rendered-and-OCR'd pairs are (``CONGDOAN_GARBLED_DATA``, else ``var/garbled``
    of the repository; built by ``python -m congdoan_dev.textbuild.garbled_data``)."""
    env = os.environ.get("CONGDOAN_GARBLED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "var" / "garbled"


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """(printed line, true line) pairs of a ``.tsv`` file of the garbled data."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            seen, _, truth = line.rstrip("\n").partition("\t")
            if truth:
                out.append((nfc(seen), nfc(truth)))
    return out


PAGE = 24  # lines read as one text in the figures (a page of the rendered data)


def repair_pages(repairer: GarbleRepairer, lines: Sequence[str]) -> list[str]:
    """The lines repaired a page (``PAGE`` lines) at a time, each page as one text."""
    out: list[str] = []
    for start in range(0, len(lines), PAGE):
        out += [r.text for r in repairer.repair_lines(lines[start : start + PAGE])]
    return out
