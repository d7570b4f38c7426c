"""Find the documents a text cites ("Chương trình số 03/CTr-BCH ngày 15/01/2025 của Ban Chấp
hành Tổng Liên đoàn", "Kế hoạch số 45/KH-LĐLĐ ngày 12/3/2025", "Công văn số 112/LĐLĐ").

Matching runs on the folded text (same length as the text), so that OCR output that lost
its marks is read as well; the cited number and issuer are copied from the original text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import regex

from congdoan.library.metadata import DOC_TYPE_BY_NAME, number_key
from congdoan.text import fold

_TYPES = "|".join(sorted(DOC_TYPE_BY_NAME, key=len, reverse=True))
_REF_RE = regex.compile(
    r"(?:\b(?P<type>" + _TYPES + r")\s+(?:so\s*:?\s*)?|\bso\s*:?\s*)"
    r"(?P<num>\d{1,5}[a-z]?/[a-z\d][a-z\d\-/.&]*[a-z\d])"
    r"(?:\s*,?\s*ngay\s+(?P<d>\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(?P<m>\d{1,2})\s*(?:[/.-]|\s+nam\s+)\s*(?P<y>\d{4}))?"
    r"(?:\s+cua\s+(?P<issuer>[^,.;:()\n]{3,120}))?"
)
_ISSUER_STOP = regex.compile(
    r"\s+(?:ve|ve viec|nham|da|duoc|thi|va|huong dan|quy dinh|trien khai)\s"
)


@dataclass(frozen=True)
class Reference:
    raw: str
    doc_type: str
    number: str
    key: str
    cited_date: date | None
    issuer: str


def find_references(text: str, *, own_key: str = "") -> list[Reference]:
    """The references in `text`, once each, in order, leaving out the document's own number."""
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)
    seen: set[tuple[str, date | None]] = set()
    found: list[Reference] = []
    for m in _REF_RE.finditer(folded):
        number = text[m.start("num") : m.end("num")]
        key = number_key(number)
        if key == own_key or "/" not in key:
            continue
        if m["type"] is None and m.start() < 400 and not found and m.start() == folded.find("so"):
            # "Số: 21/KH-…" at the top is the document's own number, not a citation.
            continue
        cited: date | None = None
        if m["y"]:
            try:
                cited = date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                cited = None
        issuer = ""
        if m["issuer"]:
            span_start = m.start("issuer")
            piece = folded[span_start : m.end("issuer")]
            stop = _ISSUER_STOP.search(piece)
            end = span_start + (stop.start() if stop else len(piece))
            issuer = text[span_start:end].strip()
        end = m.end("issuer") if issuer else (m.end("y") if m["y"] else m.end("num"))
        if issuer:
            end = m.start("issuer") + len(issuer)
        marker = (key, cited)
        if marker in seen:
            continue
        seen.add(marker)
        found.append(
            Reference(
                raw=text[m.start() : end].strip()[:400],
                doc_type=DOC_TYPE_BY_NAME.get(m["type"] or "", ""),
                number=number,
                key=key,
                cited_date=cited,
                issuer=issuer[:255],
            )
        )
    return found
