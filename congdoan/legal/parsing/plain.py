"""A law as issued, in plain text (copied from vbpl.vn or thuvienphapluat.vn, or a DOCX's lines).

The layout is fixed by the rules for drafting legal documents: a header (issuer, "Số:
145/2020/NĐ-CP", "Hà Nội, ngày 14 tháng 12 năm 2020", the type and name in capitals), a
preamble ("Căn cứ …"), then chapters ("Chương I" + title), sections ("Mục 1. …"), articles
("Điều 1. Phạm vi điều chỉnh") with clauses and points, and a closing part (the adoption
sentence, signature, "Nơi nhận:", appendices) where article-like lines of forms must not be read
as articles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from congdoan.legal.parsing.common import (
    build_article,
    check_numbering,
    clause_warnings,
    clean_line,
    issuer_of,
    kind_of,
    tidy_title,
    vn_date,
)
from congdoan.legal.parsing.types import LawFormatError, ParsedArticle, ParsedLaw

ARTICLE_RE = re.compile(r"^Điều (\d+[a-zđ]?)\s*[.:]\s*(.*)$")
_CHAPTER_RE = re.compile(r"^Chương ([IVXLCDM]+|\d+)\b\s*(?:[.:\-–]\s*)?(.*)$")
_SECTION_RE = re.compile(r"^Mục (\d+)\b\s*(?:[.:\-–]\s*)?(.*)$")
_NUMBER = r"(\d+[a-z]?/\d{4}/[A-ZĐ0-9][A-ZĐa-zđ0-9\-]*)"
# "Số: 145/2020/NĐ-CP", "Luật số: 45/2019/QH14" anywhere in a header line; without the colon
# only at the start of a line ("Luật số 45/2019/QH14"), so that the preamble's "Căn cứ Nghị
# định số 05/2015/NĐ-CP" is never taken for the document's own number.
_NUMBER_RE = re.compile(r"(?:\b[Ss]ố|SỐ)(?: hiệu)?\s*:\s*" + _NUMBER)
_NUMBER_START_RE = re.compile(
    r"^(?:(?:Bộ luật|Luật|Pháp lệnh|Nghị quyết|LUẬT)\s+số|Số|SỐ)(?: hiệu)?\s+" + _NUMBER
)
# "Hà Nội, ngày 14 tháng 12 năm 2020" (not the dates of the laws the preamble cites)
_PLACE_DATE_RE = re.compile(r"^[^,;]{2,40}, ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")
_ADOPTED_RE = re.compile(
    r"^(?:Bộ luật|Luật|Nghị quyết|Pháp lệnh) này (?:đã )?được .*thông qua ngày (\d{1,2}) tháng "
    r"(\d{1,2}) năm (\d{4})"
)
# "Bộ luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2021": the document's own date,
# not the date a contract or an agreement it speaks of takes effect ("có hiệu lực từ ngày ký").
_EFFECTIVE_RE = re.compile(
    r"(?:Bộ luật|Luật|Nghị định|Thông tư liên tịch|Thông tư|Nghị quyết|Quyết định|Pháp lệnh) "
    r"này có hiệu lực(?: thi hành)?(?: kể)? từ ngày (?:(\d{1,2}) tháng (\d{1,2}) năm (\d{4})"
    r"|(\d{1,2})/(\d{1,2})/(\d{4})|(ký))"
)
_SIGNATURE_RE = re.compile(
    r"^(?:TM\.|KT\.|Q\.|TL\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|BỘ TRƯỞNG|"
    r"THỨ TRƯỞNG|PHỤ LỤC|MẪU SỐ)"
)
_TYPE_LINE_RE = re.compile(
    r"^(?:BỘ LUẬT|LUẬT|NGHỊ ĐỊNH|THÔNG TƯ LIÊN TỊCH|THÔNG TƯ|NGHỊ QUYẾT|QUYẾT ĐỊNH|PHÁP LỆNH)"
    r"(?:\s|$)"
)
_RULE_RE = re.compile(r"^[-_=*.–—\s]+$")  # the "-------" under the header's names
# The issuing body as the header prints it (the number's suffix is asked first).
_HEADER_ISSUERS = {
    "QUỐC HỘI": "Quốc hội",
    "CHÍNH PHỦ": "Chính phủ",
    "THỦ TƯỚNG CHÍNH PHỦ": "Thủ tướng Chính phủ",
    "ỦY BAN THƯỜNG VỤ QUỐC HỘI": "Ủy ban Thường vụ Quốc hội",
    "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI": "Bộ Lao động - Thương binh và Xã hội",
    "BỘ NỘI VỤ": "Bộ Nội vụ",
    "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM": "Tổng Liên đoàn Lao động Việt Nam",
}


@dataclass
class _Reading:
    """What one pass over the lines found."""

    header: list[str] = field(default_factory=list)  # cells of the lines before the body
    closing: list[str] = field(default_factory=list)  # lines after the last article
    articles: list[ParsedArticle] = field(default_factory=list)
    numbered: list[tuple[str, int]] = field(default_factory=list)


def _cells(raw: str) -> list[str]:
    return [cell for cell in (clean_line(part) for part in raw.split("\t")) if cell]


def _is_heading(rest: str, in_article: bool) -> bool:
    """A chapter or section line, not a sentence such as "Mục 3 Chương III được sửa đổi …":
    its title is missing (it is on the next line) or in capitals, as the drafting rules
    print it; between articles a title in mixed case is taken too."""
    return not rest or rest.isupper() or (not in_article and rest[:1].isupper())


@dataclass
class _Open:
    """The article being read."""

    number: str
    title: str
    line: int
    chapter: str
    section: str
    body: list[str] = field(default_factory=list)


def _read(text: str) -> _Reading:
    """Split the text into header, articles (with chapter and section) and closing part.

    A line is, in this order: an article heading, a chapter or section heading, a header
    line (before the first heading), the start of the closing part (the adoption sentence,
    a signature in capitals, "Nơi nhận:", an appendix), the title of the chapter or section
    just opened, or a line of the open article's body.
    """
    reading = _Reading()
    chapter = section = ""
    waiting = ""  # "chapter" / "section" while its title is on a line still to come
    current: _Open | None = None
    in_body = False

    def finish() -> None:
        if current is not None:
            reading.articles.append(
                build_article(
                    current.number,
                    current.title,
                    current.body,
                    chapter=current.chapter,
                    section=current.section,
                )
            )
            reading.numbered.append((current.number, current.line))

    for line_no, raw in enumerate(text.split("\n"), start=1):
        cells = _cells(raw)
        if not cells:
            continue
        line = " | ".join(cells)
        if reading.closing:
            reading.closing.append(line)
            continue
        article = ARTICLE_RE.match(line)
        chapter_match = _CHAPTER_RE.match(line)
        section_match = _SECTION_RE.match(line)
        if article:
            finish()
            in_body, waiting = True, ""
            current = _Open(article.group(1), article.group(2).strip(), line_no, chapter, section)
        elif chapter_match and _is_heading(chapter_match.group(2), current is not None):
            finish()
            in_body, current = True, None
            chapter, section = f"Chương {chapter_match.group(1)}", ""
            chapter, waiting = _titled(chapter, chapter_match.group(2), "chapter")
        elif section_match and _is_heading(section_match.group(2), current is not None):
            finish()
            in_body, current = True, None
            section, waiting = _titled(
                f"Mục {section_match.group(1)}", section_match.group(2), "section"
            )
        elif not in_body:
            reading.header.extend(cells)
        elif (
            line.startswith("Nơi nhận")
            or _ADOPTED_RE.match(line)
            or (line.isupper() and _SIGNATURE_RE.match(line))
        ):
            finish()
            current = None
            reading.closing.append(line)
        elif waiting == "chapter":
            chapter, waiting = f"{chapter}. {line}", ""
        elif waiting == "section":
            section, waiting = f"{section}. {line}", ""
        elif current is not None:
            current.body.append(line)
    finish()
    return reading


def _titled(heading: str, rest: str, kind: str) -> tuple[str, str]:
    """(the heading with its title, what is still waited for: "" or `kind`)."""
    return (f"{heading}. {rest}", "") if rest else (heading, kind)


def _header_title(cells: list[str]) -> str:
    """The type and name in capitals ("NGHỊ ĐỊNH" + "QUY ĐỊNH CHI TIẾT …"), lines joined."""
    words: list[str] = []
    for cell in cells:
        if _RULE_RE.match(cell):
            continue
        if words:
            if not cell.isupper():
                break
            words.append(cell)
        elif _TYPE_LINE_RE.match(cell) and cell.isupper() and ":" not in cell:
            words.append(cell)
    return tidy_title(" ".join(words)) if words else ""


def _effective(
    articles: list[ParsedArticle], closing: list[str], issued: date | None
) -> date | None:
    """The date the law takes effect, from its "Hiệu lực thi hành" article first."""
    ordered = sorted(articles, key=lambda a: "hiệu lực" not in a.title.lower())
    for text in [a.text for a in ordered] + closing:
        match = _EFFECTIVE_RE.search(text)
        if match:
            if match.group(7):
                return issued
            parts = match.groups()[0:3] if match.group(1) else match.groups()[3:6]
            return vn_date(*parts)
    return None


def parse_plain(text: str, *, law_id: str = "", title: str = "") -> ParsedLaw:
    """The law a plain text holds; `law_id` and `title`, when given, win over the header.

    Raises LawFormatError when there is no article, when no document number is found or
    given, or when article numbers repeat or go backwards (the line is named).
    """
    reading = _read(text)
    if not reading.articles:
        raise LawFormatError(
            "Không tìm thấy điều nào: văn bản pháp luật phải có các dòng bắt đầu bằng "
            "“Điều 1.”, “Điều 2.” …"
        )
    warnings = check_numbering(reading.numbered)
    found = next((m for c in reading.header if (m := _NUMBER_RE.search(c))), None) or next(
        (m for c in reading.header if (m := _NUMBER_START_RE.match(c))), None
    )
    law_id = law_id.strip() or (found.group(1).rstrip(".") if found else "")
    if not law_id:
        raise LawFormatError(
            "Không tìm thấy số hiệu văn bản (dòng “Luật số: 45/2019/QH14” hoặc "
            "“Số: 145/2020/NĐ-CP” ở đầu văn bản): hãy nhập số hiệu."
        )
    title = clean_line(title) if title.strip() else _header_title(reading.header)
    if not title:
        title = f"Văn bản số {law_id}"
        warnings.append("Không tìm thấy tên văn bản ở phần đầu; tạm đặt tên theo số hiệu")
    issued = next(
        (vn_date(*m.groups()) for cell in reading.header if (m := _PLACE_DATE_RE.match(cell))),
        None,
    )
    if issued is None:
        for line in reading.closing:
            adopted = _ADOPTED_RE.match(line)
            if adopted:
                issued = vn_date(*adopted.groups())
                break
    named = next((_HEADER_ISSUERS[c] for c in reading.header if c in _HEADER_ISSUERS), "")
    for article in reading.articles:
        warnings.extend(clause_warnings(article))
    return ParsedLaw(
        law_id=law_id,
        title=title,
        kind=kind_of(law_id, title),
        issuer=issuer_of(law_id) or named,
        issued_on=issued,
        effective_from=_effective(reading.articles, reading.closing, issued),
        articles=reading.articles,
        warnings=warnings,
    )
