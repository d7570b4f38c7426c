"""Forms of the surveys pages: the survey's settings, a question of the builder, the XLSForm
upload and the template, and the respondent's form built from the survey's questions
(`AnswerForm`: one plain form, no JavaScript, checked on the server)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.orgs.models import Unit
from congdoan.surveys.models import Audience, Kind, Question, Role, Survey
from congdoan.surveys.services.responses import MAX_TEXT, AnswerValue
from congdoan.surveys.services.surveys import MAX_SCALE_POINTS, QuestionSpec
from congdoan.surveys.services.templates import TEMPLATES

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The phone's own date and time picker, in the site's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class _UnitForm(forms.Form):
    unit = UnitField(
        queryset=Unit.objects.none(),
        label=gettext_lazy("Đơn vị tổ chức"),
        help_text=gettext_lazy(
            "Khảo sát dành cho đoàn viên của đơn vị này và các đơn vị cấp dưới."
        ),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if len(units) == 1:
            field.initial = units[0].pk


class SurveyForm(_UnitForm):
    title = forms.CharField(label=gettext_lazy("Tên khảo sát"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Lời giới thiệu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Ai trả lời"), choices=Audience.choices, initial=Audience.MEMBERS
    )
    is_anonymous = forms.BooleanField(
        label=gettext_lazy("Ẩn danh: câu trả lời không gắn với người trả lời"),
        required=False,
        initial=True,
    )
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Mở từ"), widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT]
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Đóng lúc"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Thời điểm đóng phải sau thời điểm mở."))
        return data


class SurveyEditForm(SurveyForm):
    """The settings of an existing survey (its unit stays)."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, units=Unit.objects.filter(pk=survey.unit_id), **kwargs)
        del self.fields["unit"]
        if survey.status != "draft":
            self.fields["audience"].disabled = True
            self.fields["is_anonymous"].disabled = True


def _lines(text: str) -> list[tuple[str, str]]:
    """One choice a line, blank lines left out: (value, label), values 1, 2, 3…"""
    labels = [" ".join(line.split()) for line in (text or "").splitlines()]
    return [(str(i), label) for i, label in enumerate((x for x in labels if x), start=1)]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Loại câu hỏi"), choices=Kind.choices)
    text = forms.CharField(label=gettext_lazy("Câu hỏi"), max_length=500)
    help_text = forms.CharField(
        label=gettext_lazy("Gợi ý (không bắt buộc)"), max_length=300, required=False
    )
    required = forms.BooleanField(label=gettext_lazy("Bắt buộc trả lời"), required=False)
    section = forms.CharField(
        label=gettext_lazy("Thuộc phần (không bắt buộc)"), max_length=200, required=False
    )
    options = forms.CharField(
        label=gettext_lazy("Các lựa chọn, mỗi dòng một lựa chọn (chọn một, chọn nhiều)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rows = forms.CharField(
        label=gettext_lazy("Các dòng của bảng, mỗi dòng một ý (câu dạng bảng)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    columns = forms.CharField(
        label=gettext_lazy("Các cột của bảng, mỗi dòng một mức (câu dạng bảng)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scale_points = forms.IntegerField(
        label=gettext_lazy("Số mức của thang điểm"),
        min_value=2,
        max_value=MAX_SCALE_POINTS,
        initial=5,
        required=False,
    )
    low_label = forms.CharField(
        label=gettext_lazy("Nhãn mức thấp nhất"), max_length=80, required=False
    )
    high_label = forms.CharField(
        label=gettext_lazy("Nhãn mức cao nhất"), max_length=80, required=False
    )

    def spec(self) -> QuestionSpec:
        d = self.cleaned_data
        return QuestionSpec(
            kind=d["kind"],
            text=d["text"],
            help_text=d.get("help_text") or "",
            required=bool(d.get("required")),
            section=d.get("section") or "",
            options=_lines(d.get("options") or ""),
            rows=_lines(d.get("rows") or ""),
            columns=_lines(d.get("columns") or ""),
            scale_points=(d.get("scale_points") or 5) if d["kind"] == Kind.SCALE else None,
            low_label=d.get("low_label") or "",
            high_label=d.get("high_label") or "",
        )

    @classmethod
    def initial_of(cls, question: Question) -> dict[str, Any]:
        def joined(role: str) -> str:
            return "\n".join(c.label for c in question.choices.all() if c.role == role)

        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "section": question.section,
            "options": joined(Role.OPTION),
            "rows": joined(Role.ROW),
            "columns": joined(Role.COLUMN),
            "scale_points": question.scale_points or 5,
            "low_label": question.low_label,
            "high_label": question.high_label,
        }


class ImportForm(_UnitForm):
    file = forms.FileField(
        label=gettext_lazy("Tệp XLSForm (.xlsx, có trang “survey” và “choices”)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Ai trả lời"), choices=Audience.choices, initial=Audience.MEMBERS
    )
    is_anonymous = forms.BooleanField(
        label=gettext_lazy("Ẩn danh: câu trả lời không gắn với người trả lời"),
        required=False,
        initial=True,
    )


class TemplateForm(_UnitForm):
    template = forms.ChoiceField(
        label=gettext_lazy("Mẫu"),
        choices=[(code, t.title) for code, t in TEMPLATES.items()],
        widget=forms.HiddenInput,
    )


# ---------------------------------------------------------------- the respondent's form


def field_name(question: Question, row_id: int | None = None) -> str:
    return f"q{question.pk}" if row_id is None else f"q{question.pk}_r{row_id}"


class AnswerForm(forms.Form):
    """One field per question (one per matrix row). Choices are the question's own ids, so a
    tampered id is "not one of the choices"; a missing required answer is named on its field."""

    submission_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        required_msg = {"required": _("Câu này là câu bắt buộc.")}
        for q in questions:
            choices = list(q.choices.all())
            options = [(str(c.pk), c.label) for c in choices if c.role == Role.OPTION]
            field: forms.Field
            if q.kind == Kind.SINGLE:
                field = forms.ChoiceField(
                    choices=options, widget=forms.RadioSelect, error_messages=required_msg
                )
            elif q.kind == Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=required_msg,
                )
            elif q.kind == Kind.SCALE:
                points = [(str(p), str(p)) for p in range(1, (q.scale_points or 5) + 1)]
                field = forms.ChoiceField(
                    choices=points, widget=forms.RadioSelect, error_messages=required_msg
                )
            elif q.kind == Kind.NUMBER:
                field = forms.FloatField(
                    min_value=q.number_min,
                    max_value=q.number_max,
                    step_size=1 if q.integer_only else None,
                    error_messages=required_msg,
                    widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
                )
            elif q.kind == Kind.TEXT:
                field = forms.CharField(
                    max_length=MAX_TEXT,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    error_messages=required_msg,
                )
            else:
                columns = [(str(c.pk), c.label) for c in choices if c.role == Role.COLUMN]
                for row in (c for c in choices if c.role == Role.ROW):
                    cell = forms.ChoiceField(
                        choices=columns, widget=forms.RadioSelect, error_messages=required_msg
                    )
                    cell.required = q.required
                    cell.label = row.label
                    self.fields[field_name(q, row.pk)] = cell
                continue
            field.required = q.required
            field.label = q.text
            field.help_text = q.help_text
            self.fields[field_name(q)] = field

    def values(self) -> dict[int, AnswerValue]:
        """The cleaned answers in the shape `response_submit` takes."""
        d = self.cleaned_data
        out: dict[int, AnswerValue] = {}
        for q in self.questions:
            if q.kind == Kind.MATRIX:
                cells = {
                    c.pk: int(d[field_name(q, c.pk)])
                    for c in q.choices.all()
                    if c.role == Role.ROW and d.get(field_name(q, c.pk))
                }
                out[q.pk] = cells or None
                continue
            value = d.get(field_name(q))
            if q.kind == Kind.SINGLE:
                out[q.pk] = [int(value)] if value else None
            elif q.kind == Kind.MULTIPLE:
                out[q.pk] = [int(v) for v in value] if value else None
            elif q.kind == Kind.SCALE:
                out[q.pk] = int(value) if value else None
            else:
                out[q.pk] = value
        return out
