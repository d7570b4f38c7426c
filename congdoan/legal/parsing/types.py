"""What a parser hands to the importer: a law as structured text, before any database row.

The structure is the one Vietnamese legal texts share (Luật Ban hành văn bản quy phạm pháp
luật): a document (law, code, decree, circular) holds chapters (Chương), sections (Mục),
articles (Điều), clauses (khoản, numbered 1., 2., …) and points (điểm, lettered a), b), …).
Every parser (the Pháp điển markdown, plain text, DOCX) produces these, so the importer and its
checks are written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# What kind of document a number says it is: the suffix of "45/2019/QH14", "145/2020/NĐ-CP",
# "10/2020/TT-BLĐTBXH". A code (Bộ luật) is told from a law by its title.
KINDS = ("bo_luat", "luat", "nghi_dinh", "thong_tu", "nghi_quyet", "quyet_dinh", "khac")


class LawFormatError(ValueError):
    """The text cannot be imported as it is: the message names the line and what is wrong
    (e.g. "dòng 120: Điều 15 đứng sau Điều 17"), so an officer can fix the file."""


@dataclass
class ParsedPoint:
    letter: str  # "a", "b", "đ" …
    text: str  # the point's text without its "a)" label


@dataclass
class ParsedClause:
    number: str  # "1", "2" … (as printed)
    text: str  # the clause's own lead text without "1."; its points follow in `points`
    points: list[ParsedPoint] = field(default_factory=list)


@dataclass
class ParsedArticle:
    number: str  # "113" (as printed; "20a" may occur in amending laws)
    title: str  # "Nghỉ hằng năm"
    text: str  # the whole body as printed, clauses and points included, paragraphs by "\n"
    clauses: list[ParsedClause] = field(default_factory=list)
    chapter: str = ""  # "Chương VII. THỜI GIỜ LÀM VIỆC, THỜI GIỜ NGHỈ NGƠI" ("" when unknown)
    section: str = ""  # "Mục 2. THỜI GIỜ NGHỈ NGƠI" ("" when none)
    effective_from: date | None = None  # when this article's text took effect, if the source says
    source_note: str = ""  # e.g. the Pháp điển's "(Điều 113 Bộ luật số 45/2019/QH14 …)"
    # Articles the source says are related, as "law_id:article" ("145/2020/NĐ-CP:8"); only
    # those in documents the same file holds (the Pháp điển's "(Điều này có nội dung liên quan …)")
    related: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        """False for an article known only by its heading (the Pháp điển lists some so)."""
        return bool(self.text.strip())


@dataclass
class ParsedLaw:
    law_id: str  # the number and symbol as issued: "45/2019/QH14", "145/2020/NĐ-CP"
    title: str  # "Bộ luật Lao động", "Nghị định quy định chi tiết … về điều kiện lao động …"
    kind: str = "khac"  # one of KINDS
    issuer: str = ""  # "Quốc hội", "Chính phủ", "Bộ Lao động - Thương binh và Xã hội"
    issued_on: date | None = None
    effective_from: date | None = None
    articles: list[ParsedArticle] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was odd but importable
