"""Readers for the public evaluation sets in ``../shared/datasets`` (never shipped).

The location comes from ``CONGDOAN_DATASETS`` or defaults to ``<repo>/../shared/datasets``.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

from congdoan.text import shipped

REPO_ROOT = Path(__file__).resolve().parents[2]

SENTIMENTS = {"0": "negative", "1": "neutral", "2": "positive"}
TOPICS = {"0": "lecturer", "1": "training_program", "2": "facility", "3": "others"}
HATE = {"0": "clean", "1": "offensive", "2": "hate"}


def datasets_dir() -> Path:
    env = os.environ.get("CONGDOAN_DATASETS")
    return Path(env) if env else (REPO_ROOT.parent / "shared" / "datasets").resolve()


def available(name: str = "") -> bool:
    return (datasets_dir() / name).exists()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSON-lines file (one object a line, blank lines skipped): the project's
    own hand-written sets in ``congdoan/text/data`` are read this way."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def uit_vsfc(split: str, task: str) -> tuple[list[str], list[str]]:
    """(texts, labels) of UIT-VSFC; task is "sentiment" or "topic"."""
    folder = datasets_dir() / "uit_vsfc" / split
    texts = _lines(folder / "sents.txt")
    names = SENTIMENTS if task == "sentiment" else TOPICS
    raw = _lines(folder / ("sentiments.txt" if task == "sentiment" else "topics.txt"))
    labels = [names[x.strip()] for x in raw]
    if len(texts) != len(labels):
        raise ValueError(f"UIT-VSFC {split}: {len(texts)} sentences but {len(labels)} labels")
    return texts, labels


def vihsd(split: str) -> tuple[list[str], list[str]]:
    """(texts, labels) of ViHSD: clean / offensive / hate."""
    texts: list[str] = []
    labels: list[str] = []
    with (datasets_dir() / "vihsd" / f"{split}.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["free_text"] or "")
            labels.append(HATE[row["label_id"].strip()])
    return texts, labels


def classifier_split(name: str, split: str) -> tuple[list[str], list[str]]:
    """``split`` of the data set a shipped classifier (:mod:`congdoan.text.shipped`) is
    trained and evaluated on."""
    name = shipped.classifier_name(name)
    if shipped.DATASET[name] == "vihsd":
        return vihsd(split)
    return uit_vsfc(split, "sentiment" if name == shipped.SENTIMENT else "topic")


def accent_test() -> list[str]:
    return _lines(datasets_dir() / "vi_accent_test" / "test.txt")


def spelling_test() -> tuple[list[str], list[str]]:
    """(noisy, correct) line pairs of vi_spelling_test."""
    folder = datasets_dir() / "vi_spelling_test"
    noisy = _lines(folder / "testset_6000.txt")
    clean = _lines(folder / "groundtruth_6000.txt")
    if len(noisy) != len(clean):
        raise ValueError("vi_spelling_test: noisy and ground-truth files differ in length")
    return noisy, clean
