"""Surveys written in XLSForm (the format of ODK and KoboToolbox), read with pyxform.

`parse_xlsform(data, filename)` → `ParsedForm` (title, questions as `QuestionSpec`s) or an
`XLSFormError` whose message names every row that cannot be taken. Steps:
1. the bytes: at most XLSFORM_MAX_BYTES, an XLSX (a zip holding a workbook, no zip bomb:
   core.sheets' gate), with a `survey` sheet and, for choice questions, a `choices` sheet;
2. every row of the `survey` sheet as written (pyxform's reader keeps blank rows, so row
   numbers are the sheet's): a type we cannot ask (geopoint, image, audio, calculate,
   repeat…) is listed with its row; any such row and nothing is imported;
3. pyxform turns the workbook into its JSON form (`workbook_to_json`), which checks the
   rest (choice lists, names) — its error is shown after a Vietnamese sentence;
4. its tree becomes questions: select_one / select_multiple → single / multiple choice;
   text → free text; integer / decimal → a number, or a scale when its constraint reads
   ". >= 1 and . <= n"; a group of select_one questions on one list shown as a table
   (appearance table-list, or label / list-nolabel rows) → a matrix; any other group → its
   questions under the group's label as a section; notes and metadata are left out.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from congdoan.core.sheets import SheetError, read_table
from congdoan.core.uploads import format_size
from congdoan.surveys.models import Kind
from congdoan.surveys.services.surveys import MAX_QUESTIONS, QuestionSpec

XLSFORM_MAX_BYTES = 2 * 1024 * 1024
XLSFORM_MAX_ROWS = 1000

SELECT_ONE = {"select_one", "select one"}
SELECT_MULTIPLE = {"select_multiple", "select all that apply", "select multiple"}
BEGIN_GROUP = {"begin_group", "begin group"}
END_GROUP = {"end_group", "end group"}
SUPPORTED = (
    SELECT_ONE
    | SELECT_MULTIPLE
    | BEGIN_GROUP
    | END_GROUP
    | {"text", "integer", "int", "decimal", "note"}
)
# Filled in by the form's software (ODK, Kobo add some by themselves): nothing to ask.
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
}
_SCALE_CONSTRAINT = re.compile(r"^\s*\.\s*>=\s*1\s+and\s+\.\s*<=\s*(\d{1,2})\s*$")
_MATRIX_APPEARANCES = {"list-nolabel", "label"}


class XLSFormError(ValueError):
    """The file cannot be imported; the message (Vietnamese) says why, row by row."""


@dataclass
class ParsedForm:
    title: str
    questions: list[QuestionSpec] = field(default_factory=list)


def _max_bytes() -> int:
    return min(XLSFORM_MAX_BYTES, settings.UPLOAD_MAX_BYTES)


def _label(value: Any) -> str:
    """A label in one language: Vietnamese if the form has it, else the default, else any."""
    if isinstance(value, dict):
        for key, text in value.items():
            if "vi" in key.lower().split("(")[-1] or "việt" in key.lower():
                return str(text)
        return str(value.get("default") or next(iter(value.values()), ""))
    return str(value or "")


def _base_type(raw: str) -> str:
    text = " ".join(raw.strip().lower().split())
    for names in (SELECT_ONE, SELECT_MULTIPLE):
        for name in names:
            if text == name or text.startswith(name + " "):
                return name
    return text


def _check_rows(survey_rows: list[dict[str, Any]], has_choices: bool) -> None:
    problems: list[str] = []
    for index, row in enumerate(survey_rows):
        raw = str(row.get("type") or "").strip()
        if not raw:
            continue
        base = _base_type(raw)
        line = index + 2  # row 1 is the header
        if base in METADATA:
            continue
        if base not in SUPPORTED:
            problems.append(
                _("Dòng %(row)s: kiểu câu hỏi “%(type)s” chưa được hỗ trợ.")
                % {"row": line, "type": raw}
            )
        elif base in SELECT_ONE | SELECT_MULTIPLE and not has_choices:
            problems.append(
                _("Dòng %(row)s: câu “%(type)s” cần trang tính “choices” (các lựa chọn).")
                % {"row": line, "type": raw}
            )
        elif base in SELECT_ONE | SELECT_MULTIPLE and raw.lower().endswith(" or_other"):
            problems.append(
                _("Dòng %(row)s: lựa chọn “khác” (or_other) chưa được hỗ trợ.") % {"row": line}
            )
    if problems:
        raise XLSFormError(
            _("Tệp XLSForm có kiểu câu hỏi chưa hỗ trợ; chưa nhập gì.") + " " + " ".join(problems)
        )


def _required(node: dict[str, Any]) -> bool:
    value = str((node.get("bind") or {}).get("required", "")).strip().lower()
    return value in {"yes", "true", "true()", "1"}


def _choices(node: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(c.get("name", "")), _label(c.get("label")) or str(c.get("name", "")))
        for c in node.get("choices") or []
    ]


def _appearance(node: dict[str, Any]) -> str:
    return str((node.get("control") or {}).get("appearance", "")).strip().lower()


def _number_spec(node: dict[str, Any], section: str) -> QuestionSpec:
    constraint = str((node.get("bind") or {}).get("constraint", ""))
    match = _SCALE_CONSTRAINT.match(constraint)
    common: dict[str, Any] = {
        "text": _label(node.get("label")) or node.get("name", ""),
        "required": _required(node),
        "help_text": _label(node.get("hint")),
        "name": node.get("name", ""),
        "section": section,
    }
    if match and node["type"] in ("integer", "int") and 2 <= int(match.group(1)) <= 11:
        return QuestionSpec(kind=Kind.SCALE, scale_points=int(match.group(1)), **common)
    return QuestionSpec(kind=Kind.NUMBER, integer_only=node["type"] in ("integer", "int"), **common)


def _as_matrix(group: dict[str, Any]) -> QuestionSpec | None:
    """A group of select_one questions on one list, shown as a table → one matrix question."""
    children = [
        c
        for c in group.get("children") or []
        if c.get("type") != "note" and not str(c.get("name", "")).startswith("reserved_name")
    ]
    if not children or any(c.get("type") != "select one" for c in children):
        return None
    lists = {c.get("itemset") or c.get("list_name") for c in children}
    table_like = "table-list" in _appearance(group) or any(
        _appearance(c) in _MATRIX_APPEARANCES for c in group.get("children") or []
    )
    if len(lists) != 1 or not table_like:
        return None
    # table-list: pyxform moves the group's label into a note it generates
    notes = [
        _label(c.get("label"))
        for c in group.get("children") or []
        if str(c.get("name", "")).startswith("generated_table_list_label")
    ]
    return QuestionSpec(
        kind=Kind.MATRIX,
        text=_label(group.get("label")) or next(iter(notes), "") or str(group.get("name", "")),
        required=any(_required(c) for c in children),
        name=str(group.get("name", "")),
        rows=[(str(c.get("name", "")), _label(c.get("label")) or c["name"]) for c in children],
        columns=_choices(children[0]),
    )


def _walk(nodes: list[dict[str, Any]], section: str, out: list[QuestionSpec]) -> None:
    for node in nodes:
        kind = node.get("type")
        if kind == "group":
            if (node.get("control") or {}).get("bodyless") or node.get("name") == "meta":
                continue
            matrix = _as_matrix(node)
            if matrix is not None:
                matrix.section = section
                out.append(matrix)
            else:
                label = _label(node.get("label")) or section
                _walk(node.get("children") or [], label, out)
            continue
        common: dict[str, Any] = {
            "text": _label(node.get("label")) or str(node.get("name", "")),
            "required": _required(node),
            "help_text": _label(node.get("hint")),
            "name": str(node.get("name", "")),
            "section": section,
        }
        if kind == "select one":
            out.append(QuestionSpec(kind=Kind.SINGLE, options=_choices(node), **common))
        elif kind == "select all that apply":
            out.append(QuestionSpec(kind=Kind.MULTIPLE, options=_choices(node), **common))
        elif kind == "text":
            out.append(QuestionSpec(kind=Kind.TEXT, **common))
        elif kind in ("integer", "int", "decimal"):
            out.append(_number_spec(node, section))
        # notes, metadata: nothing to answer


def too_large() -> XLSFormError:
    return XLSFormError(
        _("Tệp lớn hơn giới hạn %(size)s: hãy chia nhỏ biểu mẫu.")
        % {"size": format_size(_max_bytes())}
    )


def parse_xlsform(data: bytes, filename: str = "form.xlsx") -> ParsedForm:
    """The survey an XLSForm describes (see the module's steps). Raises XLSFormError."""
    limit = _max_bytes()
    if len(data) > limit:
        raise too_large()
    if data[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
        raise XLSFormError(
            _("Tệp không phải bảng tính XLSX: hãy tải lên biểu mẫu XLSForm dạng .xlsx.")
        )
    try:
        read_table(data, filename, max_rows=XLSFORM_MAX_ROWS, max_bytes=limit)
    except SheetError as exc:
        raise XLSFormError(str(exc)) from exc
    try:
        book = get_xlsform(io.BytesIO(data), file_type=".xlsx")
    except PyXFormError as exc:
        raise XLSFormError(
            _("Không đọc được tệp XLSX: tệp bị hỏng hoặc không phải bảng tính.")
        ) from exc
    names = {str(n).strip().lower() for n in book.sheet_names or []}
    if "survey" not in names:
        raise XLSFormError(_("Tệp thiếu trang tính “survey” (danh sách câu hỏi) của XLSForm."))
    survey_rows = list(book.survey or [])
    _check_rows(survey_rows, has_choices="choices" in names and bool(book.choices))
    try:
        form = workbook_to_json(
            book, form_name="survey", fallback_form_name=PurePath(filename).stem or "survey"
        )
    except PyXFormError as exc:
        raise XLSFormError(_("Tệp XLSForm có lỗi: %(error)s") % {"error": exc}) from exc
    questions: list[QuestionSpec] = []
    _walk(form.get("children") or [], "", questions)
    if not questions:
        raise XLSFormError(_("Tệp XLSForm không có câu hỏi nào để hỏi."))
    if len(questions) > MAX_QUESTIONS:
        raise XLSFormError(_("Một khảo sát có tối đa %(n)s câu hỏi.") % {"n": MAX_QUESTIONS})
    settings_rows = list(book.settings or [])
    title = str((settings_rows[0] if settings_rows else {}).get("form_title") or "").strip()
    return ParsedForm(title=title or PurePath(filename).stem, questions=questions)
