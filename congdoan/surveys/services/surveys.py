"""Building a survey: the survey itself, its questions (from the page, an XLSForm or a
template, all as `QuestionSpec`s), opening and closing it. Every write is audited.

Questions change only while the survey is a draft (`rules.can_edit_questions`): once members
answer, a question must keep meaning what it said. Opening and closing are conditional
UPDATEs on the status, so two officers pressing at once change it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.audit.services import audit_record
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import can_manage_unit
from congdoan.surveys import rules
from congdoan.surveys.models import Audience, Choice, Kind, Question, Role, Source, Status, Survey

MAX_QUESTIONS = 200
MAX_CHOICES = 60
MAX_SCALE_POINTS = 11


@dataclass
class QuestionSpec:
    """A question as the builder, the XLSForm import and the templates describe it."""

    kind: str
    text: str
    required: bool = False
    help_text: str = ""
    name: str = ""
    section: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    rows: list[tuple[str, str]] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)
    scale_points: int | None = None
    low_label: str = ""
    high_label: str = ""
    number_min: float | None = None
    number_max: float | None = None
    integer_only: bool = True


def check_spec(spec: QuestionSpec) -> None:
    """Raises ValidationError (Vietnamese) when the question cannot be asked as described."""
    if spec.kind not in Kind.values:
        raise ValidationError(_("Loại câu hỏi không hợp lệ."))
    if not spec.text.strip():
        raise ValidationError(_("Câu hỏi chưa có nội dung."))
    if spec.kind in (Kind.SINGLE, Kind.MULTIPLE):
        if len(spec.options) < 2:
            raise ValidationError(
                _("Câu “%(q)s” cần ít nhất hai lựa chọn.") % {"q": spec.text[:80]}
            )
        if len(spec.options) > MAX_CHOICES:
            raise ValidationError(_("Một câu hỏi có tối đa %(n)s lựa chọn.") % {"n": MAX_CHOICES})
    if spec.kind == Kind.MATRIX:
        if not spec.rows or len(spec.columns) < 2:
            raise ValidationError(
                _("Câu dạng bảng “%(q)s” cần ít nhất một dòng và hai cột.") % {"q": spec.text[:80]}
            )
        if len(spec.rows) > MAX_CHOICES or len(spec.columns) > MAX_SCALE_POINTS:
            raise ValidationError(
                ngettext(
                    "Câu dạng bảng có tối đa %(n)s dòng và %(cols)s cột.",
                    "Câu dạng bảng có tối đa %(n)s dòng và %(cols)s cột.",
                    MAX_CHOICES,
                )
                % {"n": MAX_CHOICES, "cols": MAX_SCALE_POINTS}
            )
    if spec.kind == Kind.SCALE and not (2 <= (spec.scale_points or 0) <= MAX_SCALE_POINTS):
        raise ValidationError(_("Thang điểm có từ 2 đến %(n)s mức.") % {"n": MAX_SCALE_POINTS})
    if (
        spec.kind == Kind.NUMBER
        and spec.number_min is not None
        and spec.number_max is not None
        and spec.number_min > spec.number_max
    ):
        raise ValidationError(_("Giá trị nhỏ nhất lớn hơn giá trị lớn nhất."))


def _write_question(survey: Survey, spec: QuestionSpec, position: int) -> Question:
    question = Question.objects.create(
        survey=survey,
        position=position,
        kind=spec.kind,
        text=spec.text.strip()[:500],
        help_text=spec.help_text.strip()[:300],
        required=spec.required,
        name=spec.name[:64],
        section=spec.section.strip()[:200],
        scale_points=spec.scale_points if spec.kind == Kind.SCALE else None,
        low_label=spec.low_label[:80],
        high_label=spec.high_label[:80],
        number_min=spec.number_min,
        number_max=spec.number_max,
        integer_only=spec.integer_only,
    )
    _write_choices(question, spec)
    return question


def _write_choices(question: Question, spec: QuestionSpec) -> None:
    rows: list[Choice] = []
    groups = (
        [(Role.OPTION, spec.options)]
        if spec.kind in (Kind.SINGLE, Kind.MULTIPLE)
        else [(Role.ROW, spec.rows), (Role.COLUMN, spec.columns)]
        if spec.kind == Kind.MATRIX
        else []
    )
    for role, items in groups:
        for i, (value, label) in enumerate(items):
            rows.append(
                Choice(
                    question=question,
                    role=role,
                    position=i,
                    value=(value or str(i + 1))[:64],
                    label=label.strip()[:300],
                )
            )
    Choice.objects.bulk_create(rows)


def _check_times(opens_at: datetime, closes_at: datetime | None) -> None:
    if closes_at is not None and closes_at <= opens_at:
        raise ValidationError(_("Thời điểm đóng phải sau thời điểm mở."))


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    description: str = "",
    audience: str = Audience.MEMBERS,
    is_anonymous: bool = True,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    questions: Sequence[QuestionSpec] = (),
    source: str = Source.PAGE,
    template: str = "",
) -> Survey:
    """A draft survey of `unit` with its questions (all or nothing). `actor` None: the
    command line or the demo (no person; the audit entry says so)."""
    if actor is not None and not can_manage_unit(actor, unit):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError(_("Khảo sát chưa có tên."))
    if len(questions) > MAX_QUESTIONS:
        raise ValidationError(_("Một khảo sát có tối đa %(n)s câu hỏi.") % {"n": MAX_QUESTIONS})
    opens = opens_at or timezone.now()
    _check_times(opens, closes_at)
    for spec in questions:
        check_spec(spec)
    survey = Survey.objects.create(
        unit=unit,
        title=title.strip()[:200],
        description=description.strip(),
        audience=audience,
        is_anonymous=is_anonymous,
        opens_at=opens,
        closes_at=closes_at,
        source=source,
        template=template,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for i, spec in enumerate(questions):
        _write_question(survey, spec, i)
    audit_record(
        actor=actor,
        action="surveys.survey.create",
        target=survey,
        changes={"source": source, "questions": len(questions), "audience": audience},
    )
    return survey


SURVEY_FIELDS = ("title", "description", "audience", "is_anonymous", "opens_at", "closes_at")


@transaction.atomic
def survey_update(*, actor: Any, survey: Survey, **values: Any) -> Survey:
    """Change the survey's own fields. Audience and anonymity only while it is a draft (the
    answers already given were given under the other terms)."""
    if not rules.can_manage_survey(actor, survey):
        raise PermissionDenied
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    changed: dict[str, Any] = {}
    for name in SURVEY_FIELDS:
        if name not in values or getattr(survey, name) == values[name]:
            continue
        if name in ("audience", "is_anonymous") and survey.status != Status.DRAFT:
            raise ValidationError(
                _("Không đổi được đối tượng hay chế độ ẩn danh sau khi khảo sát đã mở.")
            )
        changed[name] = values[name]
        setattr(survey, name, values[name])
    if not survey.title.strip():
        raise ValidationError(_("Khảo sát chưa có tên."))
    _check_times(survey.opens_at, survey.closes_at)
    if changed:
        survey.save()
        audit_record(
            actor=actor,
            action="surveys.survey.update",
            target=survey,
            changes={"fields": sorted(changed)},
        )
    return survey


def _set_status(actor: Any, survey: Survey, old: str, new: str, action: str) -> bool:
    if actor is not None and not rules.can_manage_survey(actor, survey):
        raise PermissionDenied
    done = Survey.objects.filter(pk=survey.pk, status=old).update(status=new) == 1
    if done:
        survey.status = new
        audit_record(actor=actor, action=action, target=survey)
    return done


@transaction.atomic
def survey_open(*, actor: Any, survey: Survey) -> bool:
    """Publish a draft (members may answer from `opens_at`). False when it was not a draft."""
    if not survey.questions.exists():
        raise ValidationError(_("Khảo sát chưa có câu hỏi nào."))
    return _set_status(actor, survey, Status.DRAFT, Status.OPEN, "surveys.survey.open")


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey) -> bool:
    """Stop taking answers now. False when it was not open."""
    return _set_status(actor, survey, Status.OPEN, Status.CLOSED, "surveys.survey.close")


@transaction.atomic
def survey_reopen(*, actor: Any, survey: Survey) -> bool:
    return _set_status(actor, survey, Status.CLOSED, Status.OPEN, "surveys.survey.reopen")


@transaction.atomic
def survey_delete(*, actor: Any, survey: Survey) -> None:
    """Only a draft (an opened survey's answers are kept)."""
    if not rules.can_manage_survey(actor, survey):
        raise PermissionDenied
    if survey.status != Status.DRAFT or survey.responses.exists():
        raise ValidationError(_("Chỉ xóa được khảo sát còn là bản nháp."))
    audit_record(actor=actor, action="surveys.survey.delete", target=survey)
    survey.delete()


def _editable(actor: Any, survey: Survey) -> None:
    if not rules.can_manage_survey(actor, survey):
        raise PermissionDenied
    if not rules.can_edit_questions(actor, survey):
        raise ValidationError(_("Khảo sát đã mở: không sửa câu hỏi được nữa."))


@transaction.atomic
def question_add(*, actor: Any, survey: Survey, spec: QuestionSpec) -> Question:
    _editable(actor, survey)
    check_spec(spec)
    if survey.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(_("Một khảo sát có tối đa %(n)s câu hỏi.") % {"n": MAX_QUESTIONS})
    last = survey.questions.aggregate(m=Max("position"))["m"]
    question = _write_question(survey, spec, 0 if last is None else last + 1)
    audit_record(
        actor=actor,
        action="surveys.question.add",
        target=survey,
        changes={"question": question.text, "kind": question.kind},
    )
    return question


@transaction.atomic
def question_update(*, actor: Any, question: Question, spec: QuestionSpec) -> Question:
    survey = question.survey
    _editable(actor, survey)
    check_spec(spec)
    position = question.position
    question.delete()  # a draft has no answers: rewriting keeps choices and rows simple
    new = _write_question(survey, spec, position)
    audit_record(
        actor=actor, action="surveys.question.update", target=survey, changes={"question": new.text}
    )
    return new


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    survey = question.survey
    _editable(actor, survey)
    audit_record(
        actor=actor,
        action="surveys.question.delete",
        target=survey,
        changes={"question": question.text},
    )
    question.delete()


@transaction.atomic
def question_move(*, actor: Any, question: Question, up: bool) -> None:
    """Swap the question with the one before (up) or after it."""
    survey = question.survey
    _editable(actor, survey)
    ordered = list(survey.questions.select_for_update().order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for i, q in enumerate(ordered):
        if q.position != i:
            Question.objects.filter(pk=q.pk).update(position=i)
    audit_record(
        actor=actor,
        action="surveys.question.move",
        target=survey,
        changes={"question": question.text, "direction": "up" if up else "down"},
    )
