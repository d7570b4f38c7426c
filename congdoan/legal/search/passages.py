"""An article as the passages that can answer: the whole of it, then each clause."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from congdoan.legal.search.engine import Passage


def clause_text(clause: dict[str, Any]) -> str:
    points = " ".join(
        f"{p.get('letter', '')}) {p.get('text', '')}" for p in clause.get("points", [])
    )
    return f"{clause.get('text', '')} {points}".strip()


def article_passages(
    key: int,
    number: str,
    title: str,
    text: str,
    clauses: Sequence[dict[str, Any]],
    context: str = "",
    secondary: bool = False,
) -> list[Passage]:
    out = [
        Passage(
            key=key,
            clause="",
            title=title,
            text=text,
            context=context,
            number=number,
            secondary=secondary,
        )
    ]
    if len(clauses) > 1:
        out.extend(
            Passage(
                key=key,
                clause=str(c.get("number", "")),
                title=title,
                text=clause_text(c),
                secondary=secondary,
            )
            for c in clauses
        )
    return out
