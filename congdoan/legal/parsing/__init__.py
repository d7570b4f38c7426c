"""Legal texts into structure (types.py), before any database row: the importer's first step.

parse_file / parse_bytes pick the reader from the content: the Pháp điển markdown
(phap_dien.py, many documents per file), a DOCX (docx.py) or plain text (plain.py). Every
problem is a LawFormatError whose message an officer can act on; nothing here touches Django.
"""

from __future__ import annotations

import re
from pathlib import Path

from congdoan.legal.parsing.common import decode_text, split_clauses
from congdoan.legal.parsing.docx import parse_docx
from congdoan.legal.parsing.phap_dien import parse_phap_dien
from congdoan.legal.parsing.plain import parse_plain
from congdoan.legal.parsing.types import (
    LawFormatError,
    ParsedArticle,
    ParsedClause,
    ParsedLaw,
    ParsedPoint,
)

__all__ = [
    "MAX_BYTES",
    "LawFormatError",
    "ParsedArticle",
    "ParsedClause",
    "ParsedLaw",
    "ParsedPoint",
    "parse_bytes",
    "parse_docx",
    "parse_file",
    "parse_phap_dien",
    "parse_plain",
    "split_clauses",
]

MAX_BYTES = 20 * 1024 * 1024  # the longest code with its decrees is a few MB
# A Pháp điển block heading: "Điều 20.2.LQ.1. …"
_PHAP_DIEN_RE = re.compile(r"^Điều \d+\.\d+\.[A-ZĐ]+\.[\d.]+\.", re.MULTILINE)
# Signatures of files people upload by mistake, with what to do instead.
_OTHER_FORMATS = (
    (b"\xd0\xcf\x11\xe0", "Tệp Word 97–2003 (.doc) chưa đọc được: hãy lưu lại thành .docx."),
    (b"%PDF", "Tệp PDF chưa đọc được: hãy dùng bản .docx hoặc văn bản thuần (.txt)."),
    (b"{\\rtf", "Tệp RTF chưa đọc được: hãy lưu lại thành .docx."),
)


def _too_big(size: int) -> LawFormatError:
    return LawFormatError(
        f"Tệp quá lớn ({size / 1024 / 1024:.1f} MB; tối đa {MAX_BYTES // 1024 // 1024} MB)."
    )


def parse_bytes(data: bytes, *, law_id: str = "", title: str = "") -> list[ParsedLaw]:
    """The laws a file's content holds (one, except a Pháp điển file that holds several).

    Steps: refuse what is empty or too big; a ZIP is read as DOCX; known binary formats
    and anything else with NUL bytes are refused; text is decoded (UTF-8, or UTF-16 with a
    BOM) and read as Pháp điển markdown when it has "Điều 20.2.LQ.1." headings, else as
    plain text. `law_id` and `title` apply to a single-law file (they override its header).
    The messages do not name the file: the caller does.
    """
    if not data.strip():
        raise LawFormatError("Tệp rỗng.")
    if len(data) > MAX_BYTES:
        raise _too_big(len(data))
    if data.startswith(b"PK\x03\x04"):
        return [parse_docx(data, law_id=law_id, title=title)]
    for magic, message in _OTHER_FORMATS:
        if data.startswith(magic):
            raise LawFormatError(message)
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LawFormatError(
            "Tệp nhị phân không đọc được: chỉ nhận văn bản thuần (.txt, .md) hoặc .docx."
        )
    text = decode_text(data)
    if _PHAP_DIEN_RE.search(text):
        return parse_phap_dien(text)
    return [parse_plain(text, law_id=law_id, title=title)]


def parse_file(path: Path, *, law_id: str = "", title: str = "") -> list[ParsedLaw]:
    """The laws a file holds (parse_bytes), the size checked before the file is read."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _too_big(size)
    return parse_bytes(path.read_bytes(), law_id=law_id, title=title)
