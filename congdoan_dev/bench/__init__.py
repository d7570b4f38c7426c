"""The benchmarks behind `congdoan bench NAME [-- ARGS…]`: one module per benchmark, each with
`run(argv: list[str]) -> None`. They print figures, record them in docs/figures.json
(`congdoan_dev.figures.record`), and never fail on a timing."""

from __future__ import annotations

import importlib
from types import ModuleType

# name → module; `congdoan bench --help` lists the names.
BENCHMARKS = {
    "tree": "congdoan_dev.bench.tree",  # the union tree at province scale (PostgreSQL)
    "text": "congdoan_dev.bench.text",  # the text toolkit: restoration, classification
    "library": "congdoan_dev.bench.library",  # library search and OCR
    "feedback": "congdoan_dev.bench.feedback",  # concern intake through a server, then triage
    "faults": "congdoan_dev.bench.faults",  # intake while the database, worker, SMTP fail
    "reports": "congdoan_dev.bench.reports",  # six-month and annual reports, consolidation
    "web": "congdoan_dev.bench.web",  # public pages: weight, speed against a bare view, paint
    "publish": "congdoan_dev.bench.publish",  # products to 3 fake channels through the outbox
    "legal": "congdoan_dev.bench.legal",  # workers' questions to the law: recall beside BM25, time
    "contest": "congdoan_dev.bench.contest",  # 2,000 participants answering through gunicorn
    "monitoring": "congdoan_dev.bench.monitoring",  # ingest, score and group 100,000 items
}


def benchmark(name: str) -> ModuleType:
    """The module of benchmark `name` (KeyError for an unknown name)."""
    return importlib.import_module(BENCHMARKS[name])
