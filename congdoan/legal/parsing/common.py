"""What the parsers share: cleaning a line, the clause splitter, numbering checks, names.

Every format (the Pháp điển markdown, plain text, DOCX) ends in the same structure, so the
pieces that decide it (what a clause is, when numbering is broken, how a document number names
its kind and issuer) live here once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from congdoan.legal.parsing.types import LawFormatError, ParsedArticle, ParsedClause, ParsedPoint

# "1. Người lao động …": a clause; "1.000 đồng" and "1.1." are not (a space must follow).
CLAUSE_RE = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
# "a) …", "đ) …": a point (Vietnamese letters: no f, j, w, z; đ comes after d).
POINT_RE = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
_LINK_RE = re.compile(r"\[([^\]\n]*)\]\((?:https?://|/)[^)\s]*\)")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+?)\1")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")
_INVISIBLE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_NUMBER_RE = re.compile(r"^(\d+)([a-zđ]*)$")

# The number's suffix tells what kind of document it is ("45/2019/QH14" is a law or a code,
# told apart by its title).
_SUFFIX_KINDS = (
    ("NĐ-CP", "nghi_dinh"),
    ("TTLT", "thong_tu"),
    ("TT-", "thong_tu"),
    ("NQ", "nghi_quyet"),
    ("QĐ", "quyet_dinh"),
    ("QH", "luat"),
)
# The document type as printed in a title or a Pháp điển note, longest first.
TYPE_WORDS = (
    ("Thông tư liên tịch", "thong_tu"),
    ("Bộ luật", "bo_luat"),
    ("Luật", "luat"),
    ("Nghị định", "nghi_dinh"),
    ("Thông tư", "thong_tu"),
    ("Nghị quyết", "nghi_quyet"),
    ("Quyết định", "quyet_dinh"),
    ("Pháp lệnh", "khac"),
    ("Lệnh", "khac"),
)
# Who issues what the suffix says, written as the body names itself.
_SUFFIX_ISSUERS = (
    ("NĐ-CP", "Chính phủ"),
    ("NQ-CP", "Chính phủ"),
    ("QĐ-TTg", "Thủ tướng Chính phủ"),
    ("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội"),
    ("BNV", "Bộ Nội vụ"),
    ("BCT", "Bộ Công Thương"),
    ("BYT", "Bộ Y tế"),
    ("BTC", "Bộ Tài chính"),
    ("TLĐ", "Tổng Liên đoàn Lao động Việt Nam"),
    ("UBTVQH", "Ủy ban Thường vụ Quốc hội"),
    ("QH", "Quốc hội"),
)
# Proper names that a title written in capitals loses when lowered.
_PROPER_NAMES = (
    "Bộ luật Lao động",
    "Luật Công đoàn",
    "Luật Bảo hiểm xã hội",
    "Luật Việc làm",
    "Luật An toàn, vệ sinh lao động",
    "Bộ Lao động - Thương binh và Xã hội",
    "Tổng Liên đoàn Lao động Việt Nam",
    "Công đoàn Việt Nam",
    "Việt Nam",
    "Quốc hội",
    "Chính phủ",
)


def clean_line(line: str) -> str:
    """One line as text: NFC, markdown links and emphasis reduced to their words, invisible
    characters dropped, runs of spaces made one, ends trimmed."""
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE_RE.sub("", line)
    line = _LINK_RE.sub(r"\1", line)
    line = _EMPHASIS_RE.sub(r"\2", line)
    return _SPACES_RE.sub(" ", line).strip()


def split_clauses(body: str) -> list[ParsedClause]:
    """The clauses of an article's body, each with its points.

    Steps, line by line:
    1. "1. …" opens a clause (its lead text is the rest of the line);
    2. "a) …" opens a point of the open clause (before any clause it is just text);
    3. any other line (a table row, a "- …" item, a closing paragraph) joins the text of what
       is open: the open point, else the open clause; text before the first clause is the
       article's lead and belongs to no clause.
    """
    clauses: list[ParsedClause] = []
    for raw in body.split("\n"):
        line = raw.strip()
        if not line:
            continue
        clause = CLAUSE_RE.match(line)
        if clause:
            clauses.append(ParsedClause(number=clause.group(1), text=clause.group(2)))
            continue
        if not clauses:
            continue
        current = clauses[-1]
        point = POINT_RE.match(line)
        if point:
            current.points.append(ParsedPoint(letter=point.group(1), text=point.group(2)))
        elif current.points:
            current.points[-1].text += "\n" + line
        else:
            current.text += "\n" + line
    return clauses


def clause_warnings(article: ParsedArticle) -> list[str]:
    """Clause numbers that repeat or go backwards inside an article: odd (often a quoted
    amendment the splitter took for clauses) but not a reason to refuse the file."""
    warnings: list[str] = []
    previous = 0
    for clause in article.clauses:
        number = int(clause.number)
        if number == previous:
            warnings.append(f"Điều {article.number}: khoản {number} lặp lại")
        elif number < previous:
            warnings.append(f"Điều {article.number}: khoản {number} đứng sau khoản {previous}")
        previous = number
    return warnings


def build_article(
    number: str,
    title: str,
    body_lines: Iterable[str],
    *,
    chapter: str = "",
    section: str = "",
    effective_from: date | None = None,
    source_note: str = "",
    related: list[str] | None = None,
) -> ParsedArticle:
    """An article from its heading and the cleaned lines of its body (blank lines dropped),
    its clauses split from the text."""
    text = "\n".join(line for line in body_lines if line)
    return ParsedArticle(
        number=number,
        title=title,
        text=text,
        clauses=split_clauses(text),
        chapter=chapter,
        section=section,
        effective_from=effective_from,
        source_note=source_note,
        related=related or [],
    )


def number_key(number: str) -> tuple[int, str]:
    """Sort key of an article number: "20" < "20a" < "21"."""
    match = _NUMBER_RE.match(number)
    if not match:
        return (10**9, number)
    return (int(match.group(1)), match.group(2))


def check_numbering(numbered: list[tuple[str, int]]) -> list[str]:
    """Refuse articles that go backwards or repeat; return a warning per gap.

    `numbered` is (article number, line number) in the order of the file. A repeat or a step
    back means two texts were pasted together or a heading was mistyped: importing would put
    the wrong text under an article, so the whole file is refused (LawFormatError naming the
    line). A gap is normal in amending laws and excerpts, so it is only a warning.
    """
    warnings: list[str] = []
    seen: dict[str, int] = {}
    previous: str | None = None
    for number, line in numbered:
        if number in seen:
            raise LawFormatError(
                f"dòng {line}: Điều {number} lặp lại (đã có ở dòng {seen[number]})"
            )
        if previous is not None:
            before, now = number_key(previous), number_key(number)
            if now < before:
                raise LawFormatError(f"dòng {line}: Điều {number} đứng sau Điều {previous}")
            if now[0] > before[0] + 1:
                missing = (
                    f"Điều {before[0] + 1}"
                    if now[0] == before[0] + 2
                    else f"Điều {before[0] + 1}–{now[0] - 1}"
                )
                warnings.append(f"dòng {line}: thiếu {missing} (sau Điều {previous})")
        seen[number] = line
        previous = number
    return warnings


def kind_of(law_id: str, title: str = "") -> str:
    """The kind (types.KINDS) from the title's first words, else from the number's suffix."""
    lowered = title.strip().lower()
    for word, kind in TYPE_WORDS:
        if lowered.startswith(word.lower() + " ") or lowered == word.lower():
            return kind
    suffix = law_id.split("/", 2)[-1] if law_id.count("/") >= 2 else law_id
    for marker, kind in _SUFFIX_KINDS:
        if marker in suffix:
            return kind
    return "khac"


def issuer_of(law_id: str) -> str:
    """The issuing body that the number's suffix names ("" when the suffix is unknown)."""
    suffix = law_id.split("/", 2)[-1] if law_id.count("/") >= 2 else ""
    for marker, issuer in _SUFFIX_ISSUERS:
        if marker in suffix:
            return issuer
    return ""


def tidy_title(title: str, type_word: str = "") -> str:
    """A document title written the usual way: "Bộ luật Lao động", "Nghị định quy định …".

    Titles come in capitals (plain text: "BỘ LUẬT LAO ĐỘNG") or without their type word (the
    Pháp điển note: "Nghị định số … Quy định về tuổi nghỉ hưu", `type_word` then says
    "Nghị định"). The type word is written in its usual case and the rest follows it in lower
    case, except a law's name, which keeps its capital (Bộ luật Lao động, Luật Công đoàn).
    """
    title = clean_line(title).rstrip(" .;,")
    if title.isupper():
        title = title.lower()
        for name in _PROPER_NAMES:
            title = title.replace(name.lower(), name)
    for word, _kind in TYPE_WORDS:
        if title.lower() == word.lower() or title.lower().startswith(word.lower() + " "):
            type_word, title = word, title[len(word) :].strip()
            break
    if not type_word:
        return title[:1].upper() + title[1:]
    if not title:
        return type_word
    if type_word in ("Bộ luật", "Luật", "Pháp lệnh"):
        rest = title[:1].upper() + title[1:]
    elif title[1:2].isupper():  # an acronym keeps its capitals
        rest = title
    else:
        rest = title[:1].lower() + title[1:]
    return f"{type_word} {rest}"


def vn_date(day: str, month: str, year: str) -> date | None:
    """A date from its printed parts; None when it does not exist (31 tháng 2)."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def decode_text(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM) or UTF-16 with BOM, nothing guessed.

    Older Vietnamese files in TCVN3 or VNI would decode as nonsense under a guessed code page,
    so anything else is refused with a message that says how to fix it.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise LawFormatError(f"Tệp UTF-16 bị hỏng ở byte {error.start}.") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LawFormatError(
            f"Tệp không phải văn bản UTF-8 (byte lạ ở vị trí {error.start}): có thể tệp dùng "
            "bảng mã cũ (TCVN3, VNI, Windows-1258). Hãy mở tệp và lưu lại với bảng mã UTF-8."
        ) from error
