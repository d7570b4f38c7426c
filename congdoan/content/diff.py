"""What changed between two versions of a product, word by word, for the studio's page.

The full version is compared as plain text (its HTML taken off, see richtext.py): an officer
reads "which words changed", not which tags. `difflib.SequenceMatcher` over words (spaces and
line breaks kept as their own tokens, so the result reads back as the text) gives runs of
kept, removed and added words.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from congdoan.content.models import ProductVersion
from congdoan.content.richtext import html_to_text

_TOKENS = re.compile(r"\s+|[^\s]+")

Op = Literal["equal", "delete", "insert"]


@dataclass(frozen=True)
class DiffPart:
    op: Op
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    parts: list[DiffPart]

    @property
    def changed(self) -> bool:
        return any(part.op != "equal" for part in self.parts)


def word_diff(old: str, new: str) -> list[DiffPart]:
    """Runs of kept / removed / added text that turn `old` into `new`."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts: list[DiffPart] = []

    def add(op: Op, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if parts and parts[-1].op == op:
            parts[-1] = DiffPart(op, parts[-1].text + text)
        else:
            parts.append(DiffPart(op, text))

    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
            continue
        if tag in ("delete", "replace"):
            add("delete", a[i1:i2])
        if tag in ("insert", "replace"):
            add("insert", b[j1:j2])
    return parts


def version_diff(a: ProductVersion, b: ProductVersion) -> list[FieldDiff]:
    """Title, short version and full version (as text) from version `a` to version `b`."""
    return [
        FieldDiff("title", word_diff(a.title, b.title)),
        FieldDiff("summary", word_diff(a.summary, b.summary)),
        FieldDiff("body", word_diff(html_to_text(a.body), html_to_text(b.body))),
    ]
