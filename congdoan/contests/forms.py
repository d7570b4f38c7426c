"""The officer's forms (plain HTML forms: no JavaScript needed)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.contests.models import (
    MAX_OPTIONS,
    Contest,
    Eligibility,
    PrizeKind,
    Question,
    QuestionKind,
    ReviewOutcome,
    Round,
    Topic,
)
from congdoan.orgs.models import Unit

OPTION_SLOTS = min(6, MAX_OPTIONS)
LETTERS = "ABCDEF"


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return "— " * max(0, obj.depth - 1) + obj.name


class ContestForm(forms.ModelForm[Contest]):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị tổ chức"))
    eligible_unit = UnitChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Đơn vị dự thi"),
        help_text=_(
            "Đoàn viên của đơn vị này và các đơn vị trực thuộc được dự thi. Để trống: đơn vị tổ chức."
        ),
    )

    class Meta:
        model = Contest
        fields = [
            "unit",
            "title",
            "description",
            "rules",
            "eligibility",
            "eligible_unit",
            "prediction_question",
            "certificate_signer",
            "certificate_signer_title",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "rules": forms.Textarea(attrs={"rows": 8}),
            "eligibility": forms.RadioSelect,
        }

    def __init__(
        self, *args: Any, units: QuerySet[Unit], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        ordered = units.order_by("path")
        self.fields["unit"].queryset = ordered  # type: ignore[attr-defined]
        self.fields["eligible_unit"].queryset = ordered  # type: ignore[attr-defined]
        self.fields["eligibility"].choices = Eligibility.choices  # type: ignore[attr-defined]
        if editing:
            del self.fields["unit"]


def _local_input(value: Any) -> str:
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(value.strftime("%Y-%m-%dT%H:%M"))


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, str):
            return value
        return _local_input(value) or None


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Tên vòng thi"), max_length=255, required=False)
    opens_at = forms.DateTimeField(
        label=_("Mở lúc"), widget=DateTimeLocal, input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
    )
    closes_at = forms.DateTimeField(
        label=_("Đóng lúc"),
        widget=DateTimeLocal,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    questions_per_attempt = forms.IntegerField(label=_("Số câu mỗi lượt"), min_value=1, initial=20)
    time_limit_minutes = forms.IntegerField(
        label=_("Thời gian mỗi lượt (phút)"), min_value=1, max_value=1440, initial=15
    )
    attempts_allowed = forms.IntegerField(label=_("Số lượt được thi"), min_value=1, initial=1)
    shuffle_questions = forms.BooleanField(
        label=_("Đảo thứ tự câu hỏi"), required=False, initial=True
    )
    shuffle_options = forms.BooleanField(
        label=_("Đảo thứ tự phương án"), required=False, initial=True
    )
    ask_prediction = forms.BooleanField(label=_("Có câu hỏi dự đoán"), required=False, initial=True)

    def __init__(
        self, *args: Any, topics: list[Topic], instance: Round | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "opens_at": instance.opens_at,
                "closes_at": instance.closes_at,
                "questions_per_attempt": instance.questions_per_attempt,
                "time_limit_minutes": instance.time_limit_seconds // 60,
                "attempts_allowed": instance.attempts_allowed,
                "shuffle_questions": instance.shuffle_questions,
                "shuffle_options": instance.shuffle_options,
                "ask_prediction": instance.ask_prediction,
            }
            for key, value in (instance.topic_mix or {}).items():
                kwargs["initial"][f"mix_{key}"] = value
        super().__init__(*args, **kwargs)
        self.topics = topics
        for topic in topics:
            self.fields[f"mix_{topic.pk}"] = forms.IntegerField(
                label=_("Số câu chủ đề “%(name)s”") % {"name": topic.name},
                min_value=0,
                required=False,
            )

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["time_limit_seconds"] = int(data.pop("time_limit_minutes")) * 60
        data["topic_mix"] = {str(t.pk): int(data.pop(f"mix_{t.pk}") or 0) for t in self.topics}
        return data

    @staticmethod
    def default_initial() -> dict[str, Any]:
        start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(days=7)
        return {"opens_at": start, "closes_at": start + timedelta(days=14)}


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Tên chủ đề"), max_length=200)


class QuestionForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.none(), required=False, label=_("Chủ đề"))
    kind = forms.ChoiceField(
        label=_("Loại câu hỏi"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Nội dung câu hỏi"), widget=forms.Textarea(attrs={"rows": 3}))
    image = forms.ImageField(label=_("Hình ảnh (không bắt buộc)"), required=False)
    explanation = forms.CharField(
        label=_("Giải thích đáp án (căn cứ pháp lý)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, contest: Contest, question: Question | None = None, **kwargs: Any
    ) -> None:
        if question is not None and "initial" not in kwargs:
            initial: dict[str, Any] = {
                "topic": question.topic_id,
                "kind": question.kind,
                "text": question.text,
                "explanation": question.explanation,
            }
            for i, option in enumerate(question.options.all()[:OPTION_SLOTS]):
                initial[f"option_{i}"] = option.text
                initial[f"correct_{i}"] = option.is_correct
            kwargs["initial"] = initial
        kwargs.setdefault("initial", {}).setdefault("kind", QuestionKind.SINGLE)
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(contest=contest)  # type: ignore[attr-defined]
        for i in range(OPTION_SLOTS):
            self.fields[f"option_{i}"] = forms.CharField(
                label=_("Phương án %(letter)s") % {"letter": LETTERS[i]},
                max_length=1000,
                required=False,
            )
            self.fields[f"correct_{i}"] = forms.BooleanField(
                label=_("%(letter)s là đáp án đúng") % {"letter": LETTERS[i]}, required=False
            )

    def option_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"option_{i}"], self[f"correct_{i}"]) for i in range(OPTION_SLOTS)]

    def options(self) -> list[tuple[str, bool]]:
        return [
            (
                self.cleaned_data.get(f"option_{i}") or "",
                bool(self.cleaned_data.get(f"correct_{i}")),
            )
            for i in range(OPTION_SLOTS)
        ]


class PrizeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại giải"), choices=PrizeKind.choices)
    name = forms.CharField(label=_("Tên giải"), max_length=200, initial="Giải Nhất")
    count = forms.IntegerField(label=_("Số giải"), min_value=1, max_value=1000, initial=1)
    amount_vnd = forms.IntegerField(
        label=_("Giá trị mỗi giải (đồng)"), min_value=0, initial=0, required=False
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Kết luận"),
        choices=[
            (ReviewOutcome.VALID, _("Hợp lệ")),
            (ReviewOutcome.DISQUALIFIED, _("Loại khỏi xếp hạng")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp câu hỏi (.xlsx hoặc .csv)"))


class CertificatesForm(forms.Form):
    finishers = forms.BooleanField(
        label=_("Cấp cả cho mọi người đã hoàn thành bài thi (không chỉ người đạt giải)"),
        required=False,
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500, required=False)
