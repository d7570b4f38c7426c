"""The official Pháp điển (consolidated code) as markdown: one file per subject, many documents.

A subject file (e.g. đề mục 20.2 "Lao động") interleaves the articles of the main law with the
decree and circular articles that implement them. Each block starts with the Pháp điển id
("Điều 20.2.LQ.113. Nghỉ hằng năm": LQ = the law or code; "20.2.NĐ.3.8" = article 8 of the
subject's third decree; "20.2.TT.x.y" = circulars); the next line, the source note, names the
real document and article ("(Điều 8 Nghị định số 145/2020/NĐ-CP Quy định … ngày 14/12/2020 của
Chính phủ, có hiệu lực thi hành kể từ ngày 01/02/2021 )"). So the note, not the id, says which
document an article belongs to; the id only serves to place the articles that the closing
"## Danh sách điều khoản" lists by heading but whose text the file lacks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from congdoan.legal.parsing.common import (
    build_article,
    clause_warnings,
    clean_line,
    issuer_of,
    kind_of,
    number_key,
    tidy_title,
    vn_date,
)
from congdoan.legal.parsing.types import LawFormatError, ParsedArticle, ParsedLaw

TEXT_MARK = "## VĂN BẢN"
LIST_MARK = "## Danh sách điều khoản"
# "Điều 20.2.LQ.113. Nghỉ hằng năm", "Điều 20.2.NĐ.3.8. Trợ cấp thôi việc …"
_ID = r"Điều (?P<subject>\d+\.\d+)\.(?P<kind>[A-ZĐ]+)\.(?:(?P<doc>\d+)\.)?(?P<num>\d+[a-zđ]?)\."
HEAD_RE = re.compile(r"^" + _ID + r"\s*(?P<title>.*)$")
_REF_RE = re.compile(_ID)
# A heading or a cross reference glued to the end of the line before it (the site lost a
# line break): split them off before reading the line.
_GLUED_RE = re.compile(
    r"(?<=[^\s;])(?=Điều \d+\.\d+\.[A-ZĐ]+\.[\d.]+\.\s)"
    r"|(?<=\S)(?=\((?:Điều|Chương|Mục) này có nội dung liên quan)"
)
_RELATED_RE = re.compile(r"^\((?:Điều|Chương|Mục) này có nội dung liên quan")
_CHAPTER_RE = re.compile(r"^Chương ([IVXLCDM]+)\.?(?:\s+(.+))?$")
_SECTION_RE = re.compile(r"^Mục (\d+)\.?(?:\s+(.+))?$")
_NOTE_RE = re.compile(
    r"^\((?:(?:Điểm [a-zđ] )?Khoản \d+ )?Điều (?P<num>\d+[a-zđ]?) (?P<type>Bộ luật|Luật|Nghị định|"
    r"Thông tư liên tịch|Thông tư|Nghị quyết|Quyết định|Pháp lệnh|Lệnh) số "
    r"(?P<id>[^\s,()]+?)[.,]?(?P<rest>(?:[\s,].*)?)\)$"
)
_NOTE_TITLE_RE = re.compile(
    r"^\s+(?P<title>.+?)\s+ngày (?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}) của (?P<issuer>[^,]+?)\s*,"
)
_EFFECTIVE_RE = re.compile(r"có hiệu lực(?: thi hành)?(?: kể)? từ ngày (\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass
class _Block:
    """One "Điều 20.2.…" block as read, before it is given to its document."""

    key: tuple[str, str, str]  # (subject, kind, doc): the id's group, "LQ" has doc ""
    number: str  # the id's last part
    title: str
    line: int
    chapter: str = ""
    section: str = ""
    note: str = ""
    body: list[str] = field(default_factory=list)
    refs: list[tuple[tuple[str, str, str], str]] = field(default_factory=list)


@dataclass
class _Document:
    law_id: str
    type_word: str
    title: str = ""
    issuer: str = ""
    issued_on: date | None = None
    effective_from: date | None = None
    first_effective: list[date] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    articles: list[tuple[ParsedArticle, int]] = field(default_factory=list)


def _segments(text: str) -> list[tuple[int, str]]:
    """(line number, cleaned text) for each non-blank piece, glued headings split off."""
    pieces: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        for part in _GLUED_RE.split(raw):
            cleaned = clean_line(part)
            if cleaned:
                pieces.append((number, cleaned))
    return pieces


def _is_heading(match: re.Match[str] | None, in_block: bool) -> bool:
    """A chapter or section heading, not a body line such as "Mục 2 Chương này …": inside
    an article only a bare "Chương VII" / "Mục 2" or one with a title in capitals."""
    if match is None:
        return False
    rest = match.group(2) or ""
    return not in_block or not rest or rest.isupper()


def _refs(line: str) -> list[tuple[tuple[str, str, str], str]]:
    return [
        ((ref.group("subject"), ref.group("kind"), ref.group("doc") or ""), ref.group("num"))
        for ref in _REF_RE.finditer(line)
    ]


def parse_phap_dien(text: str) -> list[ParsedLaw]:
    """Every document of a Pháp điển subject file, each with its articles in number order.

    Steps:
    1. read the "## VĂN BẢN" part block by block, keeping the chapter and section (they are
       the main law's, so only "LQ" articles take them) and each block's source note;
    2. give each block to the document its note names (an amended article stays with the
       document it belongs to; its effective date is the amendment's);
    3. from "## Danh sách điều khoản", add the articles known only by heading, where the
       id's group maps to one document whose article numbers match the ids;
    4. refuse a document that holds the same article twice; warn about gaps.
    """
    pieces = _segments(text)
    has_text_mark = any(line == TEXT_MARK for _, line in pieces)
    blocks: list[_Block] = []
    listed: list[_Block] = []
    part = "before" if has_text_mark else "text"
    chapter = section = ""
    waiting: str = ""  # "chapter" or "section" while its title line is still to come
    block: _Block | None = None
    for line_no, line in pieces:
        if line == TEXT_MARK:
            part, block = "text", None
            continue
        if line == LIST_MARK:
            part, block, chapter, section, waiting = "list", None, "", "", ""
            continue
        if part == "before" or line.startswith("#"):
            continue
        head = HEAD_RE.match(line)
        chapter_match = _CHAPTER_RE.match(line)
        section_match = _SECTION_RE.match(line)
        if head:
            waiting = ""
            key = (head.group("subject"), head.group("kind"), head.group("doc") or "")
            main = key[1] == "LQ"
            block = _Block(
                key=key,
                number=head.group("num"),
                title=head.group("title").strip(),
                line=line_no,
                chapter=chapter if main else "",
                section=section if main else "",
            )
            (blocks if part == "text" else listed).append(block)
            continue
        in_block = part == "text" and block is not None
        if chapter_match and _is_heading(chapter_match, in_block):
            block = None
            chapter, section = f"Chương {chapter_match.group(1)}", ""
            if chapter_match.group(2):
                chapter += ". " + chapter_match.group(2).strip()
            else:
                waiting = "chapter"
            continue
        if section_match and _is_heading(section_match, in_block):
            block = None
            section = f"Mục {section_match.group(1)}"
            if section_match.group(2):
                section += ". " + section_match.group(2).strip()
            else:
                waiting = "section"
            continue
        if waiting and not _RELATED_RE.match(line):
            if waiting == "chapter":
                chapter += ". " + line
            else:
                section += ". " + line
            waiting = ""
            continue
        if block is None or part == "list":
            continue
        if _RELATED_RE.match(line):
            block.refs.extend(_refs(line))
        elif not block.note and not block.body and _NOTE_RE.match(line):
            block.note = line
        else:
            block.body.append(line)
    if not blocks:
        raise LawFormatError(
            "Không tìm thấy điều nào dạng “Điều 20.2.LQ.1. …” trong tệp Pháp điển."
        )
    return _assemble(blocks, listed)


def _assemble(blocks: list[_Block], listed: list[_Block]) -> list[ParsedLaw]:
    """The documents from the blocks (steps 2–4 of parse_phap_dien)."""
    documents: dict[str, _Document] = {}
    owners: dict[tuple[str, str, str], set[str]] = {}
    numbers_match: dict[tuple[str, str, str], bool] = {}
    sourced: list[tuple[_Block, str, str]] = []  # (block, law id, article number)
    for block in blocks:
        note = _NOTE_RE.match(block.note) if block.note else None
        if note is None:
            continue
        law_id = note.group("id")
        document = documents.setdefault(law_id, _Document(law_id, note.group("type")))
        _read_note(document, note)
        owners.setdefault(block.key, set()).add(law_id)
        same = note.group("num") == block.number
        numbers_match[block.key] = numbers_match.get(block.key, True) and same
        sourced.append((block, law_id, note.group("num")))
    # An id group whose blocks all come from one document, numbered as that document numbers
    # them, names that document for the blocks without a note and the listed headings.
    resolved = {
        key: next(iter(ids)) for key, ids in owners.items() if len(ids) == 1 and numbers_match[key]
    }
    for block in blocks:
        if block.note:
            continue
        if block.key not in resolved:
            raise LawFormatError(
                f"dòng {block.line}: không rõ Điều {'.'.join(filter(None, block.key))}."
                f"{block.number} thuộc văn bản nào (thiếu dòng nguồn “(Điều … số …)” ngay "
                "sau tiêu đề)."
            )
        law_id = resolved[block.key]
        documents[law_id].warnings.append(
            f"dòng {block.line}: Điều {block.number} không có dòng nguồn; xếp vào văn bản "
            f"{law_id} theo mã Pháp điển"
        )
        sourced.append((block, law_id, block.number))

    listed_main = {
        block.number: block for block in listed if block.key in resolved and block.key[1] == "LQ"
    }
    for block, law_id, number in sourced:
        dates = _EFFECTIVE_RE.findall(block.note)
        chapter, section = block.chapter, block.section
        if block.key[1] == "LQ" and not chapter and number in listed_main:
            chapter, section = listed_main[number].chapter, listed_main[number].section
        article = build_article(
            number,
            block.title,
            block.body,
            chapter=chapter,
            section=section,
            effective_from=vn_date(*dates[-1]) if dates else None,
            source_note=block.note,
            related=_related(block.refs, resolved),
        )
        documents[law_id].articles.append((article, block.line))

    for block in listed:
        law_id = resolved.get(block.key, "")
        if not law_id:
            continue
        document = documents[law_id]
        if any(article.number == block.number for article, _ in document.articles):
            continue
        document.articles.append(
            (
                ParsedArticle(
                    number=block.number,
                    title=block.title,
                    text="",
                    chapter=block.chapter,
                    section=block.section,
                ),
                block.line,
            )
        )
    return [_law(document) for document in documents.values()]


def _read_note(document: _Document, note: re.Match[str]) -> None:
    """Take the document's title, issuer and dates from a note (the first note that has
    them; later notes of the same document usually carry only the effective date)."""
    rest = note.group("rest")
    dates = _EFFECTIVE_RE.findall(rest)
    if dates and (own := vn_date(*dates[0])):
        document.first_effective.append(own)
    if document.title:
        return
    titled = _NOTE_TITLE_RE.match(rest)
    if not titled:
        return
    document.title = tidy_title(titled.group("title"), note.group("type"))
    document.issuer = titled.group("issuer").strip()
    document.issued_on = vn_date(titled.group("d"), titled.group("m"), titled.group("y"))
    document.effective_from = vn_date(*dates[0]) if dates else None


def _related(
    refs: list[tuple[tuple[str, str, str], str]], resolved: dict[tuple[str, str, str], str]
) -> list[str]:
    """The cross references that point into documents of this file, as "law_id:article"."""
    names: list[str] = []
    for key, number in refs:
        if key in resolved:
            name = f"{resolved[key]}:{number}"
            if name not in names:
                names.append(name)
    return names


def _law(document: _Document) -> ParsedLaw:
    """One document as a ParsedLaw: articles in number order, a repeat refused."""
    seen: dict[str, int] = {}
    for article, line in document.articles:
        if article.number in seen:
            raise LawFormatError(
                f"dòng {line}: Điều {article.number} của văn bản {document.law_id} lặp lại "
                f"(đã có ở dòng {seen[article.number]})"
            )
        seen[article.number] = line
    articles = sorted((a for a, _ in document.articles), key=lambda a: number_key(a.number))
    warnings = list(document.warnings)
    for before, after in pairwise(articles):
        low, high = number_key(before.number)[0], number_key(after.number)[0]
        if high > low + 1:
            missing = f"Điều {low + 1}" if high == low + 2 else f"Điều {low + 1}–{high - 1}"
            warnings.append(f"Văn bản {document.law_id}: thiếu {missing}")
    for article in articles:
        warnings.extend(clause_warnings(article))
    title = document.title
    if not title:
        title = f"{document.type_word} số {document.law_id}"
        warnings.append(f"Văn bản {document.law_id}: nguồn không ghi tên văn bản")
    effective = document.effective_from
    if effective is None and document.first_effective:
        effective = Counter(document.first_effective).most_common(1)[0][0]
    return ParsedLaw(
        law_id=document.law_id,
        title=title,
        kind=kind_of(document.law_id, title),
        issuer=issuer_of(document.law_id) or document.issuer,
        issued_on=document.issued_on,
        effective_from=effective,
        articles=articles,
        warnings=warnings,
    )
