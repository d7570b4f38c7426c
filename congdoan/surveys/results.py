"""What a survey's answers add up to, question by question, over the responses a viewer may
read (`selectors.responses_for`): counts per choice, scale distributions with their mean,
matrices as counts per row and column, numbers summarised, free texts grouped by topic
(`grouping.group_texts`). Each result draws its chart (`chart_svg`). Three queries a survey,
whatever its size: the questions with their choices, the counts, the texts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from congdoan.core import charts
from congdoan.core.vndate import vn_number
from congdoan.surveys.grouping import TextGroup, group_texts
from congdoan.surveys.models import Answer, Kind, Question, Response, Role, Survey

MAX_TEXTS = 5000  # free texts grouped per question (the newest)


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    labels: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    groups: list[TextGroup] = field(default_factory=list)

    @property
    def has_chart(self) -> bool:
        return self.question.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.MATRIX)

    @property
    def table(self) -> list[tuple[str, int, float | None]]:
        return [
            (label, n, round(100 * n / self.answered, 1) if self.answered else None)
            for label, n in zip(self.labels, self.counts, strict=False)
        ]

    @property
    def matrix_table(self) -> list[tuple[str, list[int]]]:
        return list(zip(self.rows, self.matrix, strict=False))


def question_results(
    survey: Survey, responses: QuerySet[Response], *, only: int | None = None
) -> list[QuestionResult]:
    """Each question's result (of question `only` alone when given: its chart)."""
    questions = list(survey.questions.prefetch_related("choices"))
    if only is not None:
        questions = [q for q in questions if q.pk == only]
    answers = Answer.objects.filter(response__in=responses, question__in=[q.pk for q in questions])
    counts: dict[tuple[int, int | None, int | None], int] = {}
    for row in (
        answers.filter(choice__isnull=False)
        .values("question", "row", "choice")
        .annotate(n=Count("pk"))
    ):
        counts[(row["question"], row["row"], row["choice"])] = row["n"]
    answered = dict(
        answers.values("question")
        .annotate(n=Count("response", distinct=True))
        .values_list("question", "n")
    )
    numbers: dict[int, list[float]] = defaultdict(list)
    texts: dict[int, list[str]] = defaultdict(list)
    wanted_numbers = [q.pk for q in questions if q.kind in (Kind.SCALE, Kind.NUMBER)]
    for qid, number in answers.filter(question_id__in=wanted_numbers).values_list(
        "question", "number"
    ):
        if number is not None:
            numbers[qid].append(number)
    wanted_texts = [q.pk for q in questions if q.kind == Kind.TEXT]
    for qid, text in (
        answers.filter(question_id__in=wanted_texts)
        .order_by("-response__submitted_at")
        .values_list("question", "text")[: MAX_TEXTS * max(1, len(wanted_texts))]
    ):
        texts[qid].append(text)
    results = []
    for q in questions:
        result = QuestionResult(question=q, answered=answered.get(q.pk, 0))
        choices = list(q.choices.all())
        if q.kind in (Kind.SINGLE, Kind.MULTIPLE):
            options = [c for c in choices if c.role == Role.OPTION]
            result.labels = [c.label for c in options]
            result.counts = [counts.get((q.pk, None, c.pk), 0) for c in options]
        elif q.kind == Kind.MATRIX:
            rows = [c for c in choices if c.role == Role.ROW]
            cols = [c for c in choices if c.role == Role.COLUMN]
            result.rows = [r.label for r in rows]
            result.labels = [c.label for c in cols]
            result.matrix = [[counts.get((q.pk, r.pk, c.pk), 0) for c in cols] for r in rows]
        elif q.kind in (Kind.SCALE, Kind.NUMBER):
            values = numbers.get(q.pk, [])
            if values:
                result.mean = round(sum(values) / len(values), 2)
                result.minimum, result.maximum = min(values), max(values)
            if q.kind == Kind.SCALE:
                points = q.scale_points or 5
                result.labels = [_scale_label(q, p) for p in range(1, points + 1)]
                result.counts = [
                    sum(1 for v in values if round(v) == p) for p in range(1, points + 1)
                ]
        elif q.kind == Kind.TEXT:
            result.groups = group_texts(texts.get(q.pk, [])[:MAX_TEXTS])
        results.append(result)
    return results


def _scale_label(question: Question, point: int) -> str:
    if point == 1 and question.low_label:
        return f"1 — {question.low_label}"
    if point == question.scale_points and question.high_label:
        return f"{point} — {question.high_label}"
    return str(point)


def chart_svg(result: QuestionResult, *, width: int = charts.BAR_WIDTH) -> str:
    q = result.question
    if q.kind == Kind.MATRIX:
        return charts.stacked_rows(
            result.rows, result.labels, result.matrix, title=q.text, width=width
        )
    note = ""
    if q.kind == Kind.SCALE and result.mean is not None:
        note = _("Điểm trung bình: %(mean)s / %(max)s (%(n)s người trả lời)") % {
            "mean": f"{result.mean:.2f}".replace(".", ","),
            "max": q.scale_points,
            "n": vn_number(result.answered),
        }
    elif q.kind == Kind.MULTIPLE:
        note = _("Chọn nhiều: %(n)s người trả lời") % {"n": vn_number(result.answered)}
    base = result.answered if q.kind == Kind.MULTIPLE else None
    return charts.bar_chart(
        result.labels, result.counts, title=q.text, note=note, base=base, width=width
    )
