"""The two header columns of an administrative page, separated from Tesseract's word boxes.

Read row by row (page segmentation mode 4), the header of a document under Nghị định 30
comes out with its two columns run together: "LIÊN ĐOÀN LAO ĐỘNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA
VIỆT NAM". When a word of the motto is misread, nothing in the text says where the issuer
ends and the motto begins, and the metadata reader took "CỘNG HÒA XÃ HỘI…" for an issuer.
The TSV output gives each word's box, so (steps):
1. group the words into Tesseract's lines, in reading order;
2. from the top, a header line is split at its widest gap between two words when that gap is
   wide (LEFT_GAP of the page width) and lies about the middle of the page; a line wholly in
   the left or the right half belongs to that column; the first line that spans the middle
   without such a gap (the centred type line, or the body) ends the header;
3. the header is written again column by column: the left block (issuer, number) first, then
   the right block (motto, place and date), each line in its own order.
Pure functions, no Django: tested on TSV text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

# A gap between two words of one line that separates the columns: this share of the page width…
COLUMN_GAP = 0.04
# …with its middle in this band of the page width.
MIDDLE_BAND = (0.3, 0.7)
# A header has at most this many lines.
MAX_HEADER_LINES = 10


@dataclass(frozen=True)
class Word:
    left: int
    right: int
    text: str


def _lines(tsv: str) -> tuple[int, list[list[Word]]]:
    """The page width and the words of each line, in Tesseract's order."""
    width = 0
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            level, left, w = int(row["level"]), int(row["left"]), int(row["width"])
        except (KeyError, TypeError, ValueError):
            continue
        if level == 1:
            width = max(width, left + w)
        text = (row.get("text") or "").strip()
        if level == 5 and text:
            key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
            lines.setdefault(key, []).append(Word(left, left + w, text))
    return width, [sorted(words, key=lambda word: word.left) for words in lines.values()]


def _header_columns(width: int, lines: list[list[Word]]) -> tuple[int, list[str], list[str]] | None:
    """How many of the page's first lines are the header, and its left and right columns;
    None when the page has no two-column header (nothing to change)."""
    if not width or not lines:
        return None
    left: list[str] = []
    right: list[str] = []
    split = 0
    count = 0
    for words in lines[:MAX_HEADER_LINES]:
        gaps = [(words[k + 1].left - words[k].right, k) for k in range(len(words) - 1)]
        gap, k = max(gaps) if gaps else (0, -1)
        middle = (words[k].right + words[k + 1].left) / 2 / width if gaps else 0
        if gap >= COLUMN_GAP * width and MIDDLE_BAND[0] <= middle <= MIDDLE_BAND[1]:
            left.append(" ".join(w.text for w in words[: k + 1]))
            right.append(" ".join(w.text for w in words[k + 1 :]))
            split += 1
        elif words[-1].right <= 0.55 * width:
            left.append(" ".join(w.text for w in words))
        elif words[0].left >= 0.45 * width:
            right.append(" ".join(w.text for w in words))
        else:
            break
        count += 1
    if not split:
        return None
    return count, left, right


def reorder_header(text: str, tsv: str) -> str:
    """The page's text with its header written column by column (see the module's steps).
    The text is left as it is unless its first lines are exactly the TSV's lines."""
    width, lines = _lines(tsv)
    found = _header_columns(width, lines)
    if found is None:
        return text
    count, left, right = found
    rows = text.split("\n")
    taken = 0
    index = 0
    while index < len(rows) and taken < count:
        if rows[index].strip():
            if " ".join(rows[index].split()) != " ".join(w.text for w in lines[taken]):
                return text  # Tesseract's text and its boxes disagree: keep its text
            taken += 1
        index += 1
    if taken < count:
        return text
    return "\n".join([*left, *right, *rows[index:]])
