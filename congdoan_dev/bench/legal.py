"""`congdoan bench legal`: how well and how fast a worker's question finds the law.

Usage: congdoan bench legal -- [--words-only] [--runs 1]

In a child process with a fresh SQLite file under var/bench/: the Pháp điển file of the Labour
Code with its decrees and circulars (../shared/datasets/labour_code_2019) is imported through
`congdoan legal import`'s service; with the embedding model installed, each text's meaning is
embedded (cached in var/bench/legal-vectors.npz by text digest, so a second run is quick).
Then the worker questions of congdoan_dev/bench/data/ — the development set (tuned on) and the
test set (held apart, never tuned on) — are asked through `legal.selectors.ask`, and for each
set it prints Recall@1, Recall@5 and MRR (over the first 10) of:
- **ours**: the product's ranking (words, segmentation, workers' vocabulary, clauses, meaning);
- **ours, words only**: the same without meaning (when the model is installed);
- **BM25 (bm25s)**: plain BM25 over the same articles (title and text), bm25s' own tokenizer;
- **BM25, folded**: the same over text and questions folded (no marks), the fair baseline for
  questions typed without marks.
A question counts as found at k when any article that answers it is in the first k. Then the
answer time of `ask` over every question (p50, p95, ms). Prints figures, records them in
docs/figures.json, and never fails on a timing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management import call_command

from congdoan.core.processes import run_child
from congdoan.text import fold
from congdoan.text.datasets import datasets_dir
from congdoan_dev import figures
from congdoan_dev.bench.db import sqlite_fresh

CHILD_FLAG = "CONGDOAN_BENCH_LEGAL_CHILD"
DATA = Path(__file__).resolve().parent / "data"
SETS = (("dev", DATA / "legal_questions_dev.jsonl"), ("test", DATA / "legal_questions_test.jsonl"))
TOP = 10


def _var() -> Path:
    return Path(settings.BASE_DIR) / "var" / "bench"


@dataclass
class Question:
    text: str
    answers: set[tuple[str, str]]
    tags: list[str]


def load_questions(path: Path) -> list[Question]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            answers = {(a["law_id"], str(a["article"])) for a in row["answers"]}
            out.append(Question(row["q"], answers, list(row.get("tags", []))))
    return out


@dataclass
class Scores:
    r1: float
    r5: float
    mrr: float


def score(ranked: Sequence[Sequence[tuple[str, str]]], questions: Sequence[Question]) -> Scores:
    r1 = r5 = mrr = 0.0
    for found, q in zip(ranked, questions, strict=True):
        rank = next((i + 1 for i, key in enumerate(found[:TOP]) if key in q.answers), None)
        if rank is not None:
            r1 += rank == 1
            r5 += rank <= 5
            mrr += 1.0 / rank
    n = max(len(questions), 1)
    return Scores(round(r1 / n, 3), round(r5 / n, 3), round(mrr / n, 3))


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench legal")
    parser.add_argument("--words-only", action="store_true", help="without the embedding model")
    parser.add_argument("--runs", type=int, default=1, help="timing passes over the questions")
    return parser.parse_args(argv)


def run(argv: list[str]) -> None:
    args = _parse(argv)
    if os.environ.get(CHILD_FLAG):
        _child(args, argv)
        return
    source = datasets_dir() / "labour_code_2019" / "phap_dien_20.2_lao_dong.md"
    if not source.is_file():
        raise SystemExit(f"needs {source} (../shared/datasets): the Labour Code to search")
    db = _var() / "legal.sqlite3"
    sqlite_fresh(db)
    env = {
        **os.environ,
        CHILD_FLAG: "1",
        "DATABASE_URL": f"sqlite:///{db}",
        "TASKS_BACKEND": "immediate",
        "LEGAL_EMBEDDINGS": "0" if args.words_only else "1",
        "PYTHONUNBUFFERED": "1",
    }
    cmd = [sys.executable, "-m", "congdoan.config.cli", "bench", "legal", "--", *argv]
    if run_child(cmd, env=env, check=False).returncode:
        raise SystemExit("the legal benchmark failed")


def _child(args: argparse.Namespace, argv: list[str]) -> None:
    from congdoan.legal import embedding, selectors, services
    from congdoan.legal.parsing import parse_file

    source = datasets_dir() / "labour_code_2019" / "phap_dien_20.2_lao_dong.md"
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    report = services.import_laws(parse_file(source), source=source.name, embed_later=False)
    print(
        f"imported {len(report.laws)} documents, {report.articles} articles "
        f"in {time.perf_counter() - started:.1f} s"
    )
    semantic = embedding.available()
    if semantic:
        _embed_cached()
    built = selectors.search_index()
    articles = _articles(built.versions)
    rows: list[tuple[str, float | str, str, str]] = []
    note = f"{len(built.versions)} articles in force, SQLite"
    times: list[float] = []
    for name, path in SETS:
        questions = load_questions(path)
        ours, elapsed = _ours(questions, selectors.ask, runs=args.runs)
        times.extend(elapsed)
        results = {"ours": score(ours, questions)}
        if semantic:
            words = [
                [articles[h.key] for h in built.index.search(q.text, top=TOP)] for q in questions
            ]
            results["ours, words only"] = score(words, questions)
        results["BM25 (bm25s)"] = score(_bm25(articles, built, questions, folded=False), questions)
        results["BM25, folded"] = score(_bm25(articles, built, questions, folded=True), questions)
        held = "held apart" if name == "test" else "tuned on"
        print(f"\n{name} set ({len(questions)} questions, {held}):")
        for label, s in results.items():
            print(f"  {label:<20} Recall@1 {s.r1:.3f}  Recall@5 {s.r5:.3f}  MRR {s.mrr:.3f}")
        no_marks = [i for i, q in enumerate(questions) if "no_marks" in q.tags]
        if no_marks:
            sub = score([ours[i] for i in no_marks], [questions[i] for i in no_marks])
            print(
                f"  ours, {len(no_marks)} questions without marks: Recall@1 {sub.r1:.3f}  "
                f"Recall@5 {sub.r5:.3f}"
            )
        mode = "words+meaning" if semantic else "words"
        s, b = results["ours"], results["BM25 (bm25s)"]
        rows += [
            (f"legal.{name}_recall1", s.r1, "", f"{len(questions)} questions, {mode}"),
            (f"legal.{name}_recall5", s.r5, "", f"{len(questions)} questions, {mode}"),
            (f"legal.{name}_mrr", s.mrr, "", f"{len(questions)} questions, {mode}"),
            (f"legal.{name}_bm25_recall1", b.r1, "", "bm25s, same articles"),
            (f"legal.{name}_bm25_recall5", b.r5, "", "bm25s, same articles"),
            (f"legal.{name}_bm25_mrr", b.mrr, "", "bm25s, same articles"),
        ]
        only = results.get("ours, words only")
        if only is not None:
            rows += [
                (f"legal.{name}_words_recall1", only.r1, "", "without the embedding model"),
                (f"legal.{name}_words_recall5", only.r5, "", "without the embedding model"),
            ]
    times.sort()
    p50 = statistics.median(times) * 1000
    p95 = times[int(0.95 * (len(times) - 1))] * 1000
    print(
        f"\nanswer time (ask, {len(times)} questions): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        "(target ≤ 100 ms)"
    )
    rows.append(("legal.ask_p95_ms", round(p95, 1), "ms", note))
    figures.record_many(rows, command=figures.bench_command("legal", argv))


def _articles(versions: dict[int, int]) -> dict[int, tuple[str, str]]:
    from congdoan.legal.models import Article

    return {
        a.pk: (a.law.law_id, a.number)
        for a in Article.objects.select_related("law").filter(pk__in=list(versions))
    }


def _ours(
    questions: Sequence[Question], ask: Callable[..., Any], *, runs: int
) -> tuple[list[list[tuple[str, str]]], list[float]]:
    ranked: list[list[tuple[str, str]]] = []
    elapsed: list[float] = []
    ask("khởi động")  # the index is built once per process: not a worker's wait
    for _ in range(max(runs, 1)):
        ranked = []
        for q in questions:
            started = time.perf_counter()
            result = ask(q.text, top=TOP)
            elapsed.append(time.perf_counter() - started)
            ranked.append([(h.article.law.law_id, h.article.number) for h in result.articles])
    return ranked, elapsed


def _bm25(
    articles: dict[int, tuple[str, str]], built: Any, questions: Sequence[Question], *, folded: bool
) -> list[list[tuple[str, str]]]:
    import bm25s

    keys = list(articles)
    whole = {p.key: f"{p.title}\n{p.text}" for p in built.index.passages if not p.clause}
    corpus = [whole[k] for k in keys]
    prep: Callable[[str], str] = fold if folded else (lambda s: s)
    retriever = bm25s.BM25()
    with contextlib.redirect_stdout(io.StringIO()):  # bm25s prints its progress regardless
        retriever.index(
            bm25s.tokenize([prep(t) for t in corpus], show_progress=False), show_progress=False
        )
    tokens = bm25s.tokenize([prep(q.text) for q in questions], show_progress=False)
    docs, _scores = retriever.retrieve(tokens, k=TOP, show_progress=False)
    return [[articles[keys[int(i)]] for i in row] for row in docs]


def _embed_cached() -> None:
    """Fill the versions' vectors from var/bench/legal-vectors.npz, embedding what is missing."""
    from congdoan.legal import embedding
    from congdoan.legal.models import ArticleVersion

    cache_file = _var() / "legal-vectors.npz"
    cache: dict[str, np.ndarray] = {}
    if cache_file.is_file():
        with np.load(cache_file) as data:
            cache = {k: data[k] for k in data.files}
    missing = []
    for version in ArticleVersion.objects.select_related("article"):
        texts = embedding.passage_texts(version)
        stored = cache.get(version.digest)
        if stored is not None and stored.shape[0] == len(texts):
            ArticleVersion.objects.filter(pk=version.pk).update(vectors=stored.tobytes())
        else:
            missing.append(version.pk)
    if missing:
        print(f"embedding {len(missing)} article texts (cached for the next run)…")
        started = time.perf_counter()
        embedding.embed_versions(missing)
        print(f"  {time.perf_counter() - started:.0f} s")
    for digest, raw in ArticleVersion.objects.exclude(vectors=None).values_list(
        "digest", "vectors"
    ):
        if raw is not None:
            cache[digest] = np.frombuffer(bytes(raw), dtype=np.float16).reshape(-1, 384)
    np.savez(cache_file, *[], **cache)  # type: ignore[arg-type]
