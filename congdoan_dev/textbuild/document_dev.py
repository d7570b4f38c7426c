"""Development set and grid for document context (:mod:`congdoan.text.context`).

Held-out corpus articles (news and Wikipedia lines of at least 800 characters that
:func:`~congdoan_dev.textbuild.corpus.held_out` keeps out of the language model), cut into
sentences in input form, marks stripped. Each article is restored as one document, then
every five articles as one file (several topics in one text). Prints syllable accuracy
without document context and for each setting of the grid.

    python -m congdoan_dev.textbuild.document_dev [--datasets DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from congdoan.text import context
from congdoan.text.datasets import datasets_dir
from congdoan.text.evaluate import syllable_accuracy
from congdoan.text.restore import Restorer
from congdoan.text.vietnamese import strip_marks
from congdoan_dev.textbuild.corpus import SENTENCE_RE, held_out_lines, input_like

FILES = (
    "baomoi_news/news_01.txt",
    "baomoi_news/news_02.txt",
    "viwiki/viwiki_01.txt",
    "viwiki/viwiki_02.txt",
)
MIN_ARTICLE = 800  # characters
MIN_SENTENCES = 5
GRID = {"weight": (0.7, 0.85, 0.95), "scale": (150.0, 375.0, 1000.0)}


def articles(datasets: Path, limit: int | None = None) -> list[list[str]]:
    """Held-out articles as lists of sentences in input form (accented)."""
    found: list[list[str]] = []
    for rel in FILES:
        for line in held_out_lines(datasets / "corpus" / rel):
            if len(line) < MIN_ARTICLE:
                continue
            sentences = [input_like(s) for s in SENTENCE_RE.split(line)]
            sentences = [s for s in sentences if len(s) >= 10]
            if len(sentences) >= MIN_SENTENCES:
                found.append(sentences)
                if limit is not None and len(found) >= limit:
                    return found
    return found


def score(restorer: Restorer, documents: list[list[str]], *, document: bool) -> float:
    gold: list[str] = []
    out: list[str] = []
    for sentences in documents:
        gold.extend(sentences)
        out.extend(restorer.restore_lines([strip_marks(s) for s in sentences], document=document))
    return syllable_accuracy(gold, out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    docs = articles(args.datasets or datasets_dir(), args.limit)
    files = [list(itertools.chain(*docs[i : i + 5])) for i in range(0, len(docs), 5)]
    restorer = Restorer()
    print(f"{len(docs)} articles, {sum(map(len, docs))} sentences")
    print(f"without document context: {score(restorer, docs, document=False):.2f} %")
    saved = context.WEIGHT, context.SCALE
    try:
        for weight, scale in itertools.product(GRID["weight"], GRID["scale"]):
            context.WEIGHT, context.SCALE = weight, scale
            one = score(restorer, docs, document=True)
            five = score(restorer, files, document=True)
            print(f"weight {weight:.2f} scale {scale:6.0f}: article {one:.2f} %, five {five:.2f} %")
    finally:
        context.WEIGHT, context.SCALE = saved


if __name__ == "__main__":
    main()
