"""A survey's responses as XLSX: one row per response, one column per question (per row of
a matrix), over the responses the viewer may read (`selectors.responses_for`). An anonymous
survey's file has no person, no unit and the hour only, as stored.
"""

from __future__ import annotations

import io
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from congdoan.surveys.models import Answer, Kind, Response, Role, Survey


def _safe(text: str) -> str:
    """openpyxl stores a string starting with "=" as a formula: keep a respondent's text a
    text (a leading apostrophe, as spreadsheets do)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else value


def export_xlsx(survey: Survey, responses: QuerySet[Response]) -> bytes:
    questions = list(survey.questions.prefetch_related("choices"))
    columns: list[tuple[int, int | None, str]] = []  # (question, matrix row, heading)
    for q in questions:
        if q.kind == Kind.MATRIX:
            for row in q.choices.all():
                if row.role == Role.ROW:
                    columns.append((q.pk, row.pk, f"{q.text} — {row.label}"))
        else:
            columns.append((q.pk, None, q.text))
    labels = {c.pk: c.label for q in questions for c in q.choices.all()}
    named = not survey.is_anonymous and not survey.is_public
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Câu trả lời"))
    head = [_("STT"), _("Thời điểm")]
    if named:
        head += [_("Đơn vị"), _("Người trả lời")]
    sheet.append(head + [heading[:250] for _q, _r, heading in columns])
    ordered = responses.select_related("unit", "member").order_by("submitted_at", "pk")
    values: dict[object, dict[tuple[int, int | None], list[str | float | int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for answer in Answer.objects.filter(response__in=responses).order_by("pk"):
        cell = values[answer.response_id][(answer.question_id, answer.row_id)]
        if answer.choice_id is not None:
            cell.append(labels.get(answer.choice_id, ""))
        elif answer.number is not None:
            cell.append(_number(answer.number))
        else:
            cell.append(_safe(answer.text))
    for n, response in enumerate(ordered, start=1):
        when = timezone.localtime(response.submitted_at).replace(tzinfo=None)
        line: list[object] = [n, when]
        if named:
            line += [
                response.unit.name if response.unit else "",
                response.member.full_name if response.member else "",
            ]
        got = values.get(response.pk, {})
        for qid, row_id, _heading in columns:
            parts = got.get((qid, row_id), [])
            if len(parts) == 1:
                line.append(parts[0])
            else:
                line.append("; ".join(str(p) for p in parts))
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
