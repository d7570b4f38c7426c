"""A question bank from a sheet (XLSX or CSV): the questions kind of `congdoan.core.importer`.

Columns (headings found without diacritics, in the top rows): Chủ đề, Loại (một/nhiều),
Câu hỏi, Phương án A … Phương án F, Đáp án đúng ("B", or "A, C" for several), Giải thích.
Câu hỏi, Phương án A, Phương án B and Đáp án đúng are required: a sheet without one of them is
refused with the missing columns named. Each row is checked (the text, at least two options,
the answer letters name filled options, one correct option for a single-choice question, the
same question twice in the file); a question already in the bank with the same text is a valid
row that writes nothing (importing a file twice adds nothing). Applying writes the rows through
`contests.question_save` (new topics created), with one audit entry with the counts.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Font

from congdoan.audit.services import audit_record
from congdoan.contests.models import Contest, Question, QuestionKind, Topic
from congdoan.contests.services.contests import (
    OptionInput,
    check_options,
    question_save,
    topic_create,
)
from congdoan.core import importer
from congdoan.core.importer import ImportResult, Kind, Preview, Row, Sheet, SheetError
from congdoan.core.vndate import vn_number
from congdoan.orgs.scoping import Viewer
from congdoan.text import fold

__all__ = ["QUESTIONS", "SheetError", "check_sheet", "column_labels", "import_questions"]

LETTERS = "ABCDEF"
OPTION_FIELDS = tuple(f"option_{c.lower()}" for c in LETTERS)
FIELDS = ("topic", "kind", "text", *OPTION_FIELDS, "correct", "explanation")
REQUIRED = ("text", "option_a", "option_b", "correct")

HEADINGS: dict[str, str] = {
    "chu de": "topic",
    "topic": "topic",
    "loai": "kind",
    "loai cau hoi": "kind",
    "type": "kind",
    "cau hoi": "text",
    "noi dung cau hoi": "text",
    "noi dung": "text",
    "question": "text",
    "dap an dung": "correct",
    "dap an": "correct",
    "correct": "correct",
    "answer": "correct",
    "giai thich": "explanation",
    "explanation": "explanation",
    "stt": "",
    "so thu tu": "",
    "ghi chu": "",
    "no": "",
}
for _c in LETTERS:
    HEADINGS[f"phuong an {_c.lower()}"] = f"option_{_c.lower()}"
    HEADINGS[f"option {_c.lower()}"] = f"option_{_c.lower()}"
    HEADINGS[_c.lower()] = f"option_{_c.lower()}"


def column_labels(columns: list[str]) -> list[str]:
    labels: dict[str, str] = {
        "topic": _("Chủ đề"),
        "kind": _("Loại"),
        "text": _("Câu hỏi"),
        "correct": _("Đáp án đúng"),
        "explanation": _("Giải thích"),
    }
    for c in LETTERS:
        labels[f"option_{c.lower()}"] = _("Phương án %(letter)s") % {"letter": c}
    return [str(labels.get(c, c)) for c in columns]


def _no_header(headers: list[str]) -> str:
    columns, _unknown = importer.match_headers(headers, kind=QUESTIONS)
    missing = column_labels([f for f in REQUIRED if f not in columns])
    return _(
        "Thiếu cột bắt buộc: %(missing)s. Dòng tiêu đề cần có: Câu hỏi, Phương án A, Phương án B, "
        "Đáp án đúng. Các cột nhận được: %(headers)s."
    ) % {
        "missing": ", ".join(missing),
        "headers": ", ".join(h for h in headers if h) or "—",
    }


def _refused(count: int) -> str:
    return ngettext(
        "Tệp còn %(count)s dòng lỗi; chưa nhập câu hỏi nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        "Tệp còn %(count)s dòng lỗi; chưa nhập câu hỏi nào. Hãy sửa tệp, hoặc chọn chỉ nhập các dòng hợp lệ.",
        count,
    ) % {"count": vn_number(count)}


QUESTIONS = Kind(
    name="contests.questions",
    headings=HEADINGS,
    fields=FIELDS,
    required=REQUIRED,
    max_rows=lambda: int(settings.ORGS_IMPORT_MAX_ROWS),
    max_bytes=lambda: int(settings.ORGS_IMPORT_MAX_BYTES),
    no_header=_no_header,
    no_rows=lambda: _("Tệp chỉ có dòng tiêu đề, chưa có câu hỏi nào."),
    refused=_refused,
    audit_action="contests.question.import",
    audit=audit_record,
    header_rows=6,
    formulas=True,
)


def _kind_of(text: str, correct: int) -> str | None:
    key = fold(text).strip()
    if not key:
        return QuestionKind.MULTIPLE if correct > 1 else QuestionKind.SINGLE
    if key in {"mot", "1", "don", "single", "mot dap an"}:
        return QuestionKind.SINGLE
    if key in {"nhieu", "n", "multiple", "nhieu dap an"}:
        return QuestionKind.MULTIPLE
    return None


def _letters(text: str) -> list[str] | None:
    """ "B" → ["B"]; "A, C" / "A;C" / "A C" / "AC" → ["A", "C"]; anything else → None."""
    compact = re.sub(r"[\s,;/+&]|va|and", "", fold(text)).upper()
    if not compact or any(ch not in LETTERS for ch in compact):
        return None
    return sorted(set(compact))


def _check_row(line: int, raw: dict[str, str], existing: set[str], seen: dict[str, int]) -> Row:
    row = Row(line=line)
    if any(v.startswith("=") for v in raw.values()):
        row.errors.append(_("Dòng có ô chứa công thức; hãy dán dạng giá trị."))
        return row
    text = " ".join(raw.get("text", "").split())
    if not text:
        row.errors.append(_("Thiếu nội dung câu hỏi."))
    options = [(c, " ".join(raw.get(f"option_{c.lower()}", "").split())) for c in LETTERS]
    filled = {c: t for c, t in options if t}
    letters = _letters(raw.get("correct", ""))
    if letters is None:
        row.errors.append(
            _("Đáp án đúng “%(v)s” không hợp lệ: ghi chữ cái của phương án, ví dụ “B” hoặc “A, C”.")
            % {"v": raw.get("correct", "")}
        )
        letters = []
    for letter in letters:
        if letter not in filled:
            row.errors.append(
                _("Đáp án đúng là %(l)s nhưng phương án %(l)s để trống.") % {"l": letter}
            )
    kind = _kind_of(raw.get("kind", ""), len(letters))
    if kind is None:
        row.errors.append(
            _("Loại “%(v)s” không hợp lệ: ghi “một” hoặc “nhiều”.") % {"v": raw.get("kind", "")}
        )
        kind = QuestionKind.SINGLE
    inputs = [OptionInput(t, c in letters) for c, t in options if t]
    if letters and not row.errors:
        row.errors.extend(check_options(kind, inputs))
    gaps = [c for i, (c, t) in enumerate(options) if not t and any(t2 for _c, t2 in options[i:])]
    if gaps:
        row.errors.append(
            _("Phương án %(l)s để trống giữa các phương án khác.") % {"l": ", ".join(gaps)}
        )
    key = fold(text)
    if text and key in seen:
        row.errors.append(_("Trùng câu hỏi ở dòng %(line)s của tệp.") % {"line": seen[key]})
    elif text:
        seen[key] = line
    row.values = {
        "text": text,
        "kind": kind,
        "topic": " ".join(raw.get("topic", "").split())[:200],
        "options": [(o.text, o.is_correct) for o in inputs],
        "explanation": raw.get("explanation", "").strip(),
        "already": key in existing,
    }
    return row


def check_sheet(sheet: Sheet, *, contest: Contest) -> Preview:
    """Every row of `sheet` checked as a question of `contest`."""
    existing = {fold(" ".join(t.split())) for t in contest.questions.values_list("text", flat=True)}
    seen: dict[str, int] = {}
    raws = sheet.records()
    rows = [_check_row(line, raw, existing, seen) for line, raw in raws]
    preview = importer.preview_of(sheet, rows, kind=QUESTIONS)
    for row, (_line, raw) in zip(rows, raws, strict=True):
        row.cells = [raw.get(c, "") for c in preview.columns]
    already = sum(1 for r in rows if r.ok and r.values.get("already"))
    if already:
        preview.warnings.append(
            ngettext(
                "%(n)s câu hỏi đã có trong ngân hàng; không nhập lại.",
                "%(n)s câu hỏi đã có trong ngân hàng; không nhập lại.",
                already,
            )
            % {"n": vn_number(already)}
        )
    return preview


def import_questions(
    *, actor: Viewer, sheet: Sheet, contest: Contest, valid_only: bool = False
) -> ImportResult:
    """Write the sheet's questions in one transaction (see the module). The caller checked
    `rules.can_manage_contest`."""
    preview = check_sheet(sheet, contest=contest)
    topics: dict[str, Topic] = {}

    def write(row: Row) -> Any | None:
        if row.values.get("already"):
            return None
        name = row.values["topic"]
        topic = None
        if name:
            topic = topics.get(name) or topic_create(actor=actor, contest=contest, name=name)
            topics[name] = topic
        question: Question = question_save(
            actor=actor,
            contest=contest,
            text=row.values["text"],
            kind=row.values["kind"],
            options=[OptionInput(t, c) for t, c in row.values["options"]],
            topic=topic,
            explanation=row.values["explanation"],
            audit=False,
        )
        return question

    return importer.apply(
        preview, kind=QUESTIONS, actor=actor, valid_only=valid_only, write=write, target=contest
    )


TEMPLATE_HEADERS = [
    "STT",
    "Chủ đề",
    "Loại",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Phương án E",
    "Phương án F",
    "Đáp án đúng",
    "Giải thích",
]


def template_xlsx() -> bytes:
    """The sheet to fill: the headings, two example rows (one single, one multiple choice)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Câu hỏi"
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            1,
            "Hợp đồng lao động",
            "một",
            "Theo Bộ luật Lao động 2019, hợp đồng lao động gồm mấy loại?",
            "1 loại",
            "2 loại",
            "3 loại",
            "4 loại",
            "",
            "",
            "B",
            "Điều 20 Bộ luật Lao động 2019: không xác định thời hạn và xác định thời hạn.",
        ]
    )
    sheet.append(
        [
            2,
            "Công đoàn",
            "nhiều",
            "Những quyền nào sau đây là quyền của đoàn viên công đoàn?",
            "Được Công đoàn hướng dẫn, tư vấn pháp luật lao động",
            "Được Công đoàn đại diện khi bị xâm phạm quyền lợi",
            "Được miễn làm việc",
            "",
            "",
            "",
            "A, B",
            "Điều 19 Luật Công đoàn 2024.",
        ]
    )
    for column, width in zip(
        "ABCDEFGHIJKL", (6, 20, 8, 50, 24, 24, 24, 24, 20, 20, 12, 40), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
