"""Forms of the feedback pages: they only parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from congdoan.feedback.models import Topic, Urgency

# A worker's words pasted from Word, a PDF or a chat app can carry invisible control
# characters: a vertical tab (Word's line break), a form feed (a page break), a NUL. The
# worker cannot see them to delete them, so the public forms keep the words instead of
# refusing them: line-like controls become a new line, the others are dropped (PostgreSQL
# cannot store NUL). Views that use this are marked `accepts_control_characters`.
_LINE_LIKE = {c: "\n" for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)}
_WORKER_TEXT = {
    **{c: None for c in (*range(0x20), 0x7F) if chr(c) not in "\t\n\r"},
    **_LINE_LIKE,
}


def worker_input(data: QueryDict) -> QueryDict:
    """A copy of a public form's data without control characters (see above)."""
    cleaned = QueryDict(mutable=True)
    for key, values in data.lists():
        cleaned.setlist(key.translate(_WORKER_TEXT), [v.translate(_WORKER_TEXT) for v in values])
    return cleaned


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


class SubmitForm(forms.Form):
    unit = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Bạn muốn phản ánh, đề nghị điều gì?"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=_("Viết bằng lời của bạn, có dấu hay không dấu đều được."),
        required=False,
    )
    photo = forms.FileField(
        label=_("Ảnh kèm theo (nếu có)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Gửi ẩn danh"),
        required=False,
        initial=True,
        help_text=_(
            "Công đoàn cơ sở và người sử dụng lao động không biết bạn là ai; chỉ Văn phòng LĐLĐ huyện "
            "thấy số điện thoại bạn để lại."
        ),
    )
    contact_name = forms.CharField(
        label=_("Họ và tên (không bắt buộc)"), max_length=120, required=False
    )
    contact_phone = forms.CharField(
        label=_("Số điện thoại hoặc Zalo (không bắt buộc)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    wants_upper_level = forms.BooleanField(
        label=_("Gửi thẳng lên Liên đoàn Lao động cấp trên"),
        required=False,
        help_text=_("Chọn khi ý kiến liên quan đến công đoàn cơ sở hoặc cán bộ công đoàn của bạn."),
    )


class RecordForm(forms.Form):
    """An officer records what a worker said on the hotline or at a meeting."""

    unit = forms.ChoiceField(label=_("Công đoàn cơ sở"), required=False)
    source = forms.ChoiceField(
        label=_("Nghe được qua"),
        choices=[
            ("hotline", _("Đường dây nóng")),
            ("meeting", _("Hội nghị, đối thoại")),
            ("visit", _("Gặp trực tiếp")),
            ("other", _("Khác")),
        ],
    )
    text = forms.CharField(
        label=_("Nội dung ý kiến"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    is_anonymous = forms.BooleanField(
        label=_("Người lao động muốn ẩn danh"), required=False, initial=True
    )
    contact_name = forms.CharField(label=_("Họ và tên"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Số điện thoại"), max_length=30, required=False)
    wants_upper_level = forms.BooleanField(label=_("Chuyển lên cấp trên"), required=False)

    def __init__(
        self, *args: Any, units: list[Any] | None = None, home: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        unknown = (
            _("— Chưa rõ: gửi tới %(unit)s —") % {"unit": home.name} if home else _("— Chưa rõ —")
        )
        field.choices = [("", unknown)] + [(u.code, u.name) for u in (units or [])]


class CorrectForm(forms.Form):
    topic = forms.ChoiceField(label=_("Chủ đề"), choices=Topic.choices)
    urgency = forms.ChoiceField(label=_("Mức độ"), choices=Urgency.choices)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Giao cho cán bộ"), required=False)

    def __init__(self, *args: Any, officers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— Đơn vị xử lý —"))] + [
            (str(u.pk), u.get_full_name() or u.email) for u in (officers or [])
        ]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Trả lời người lao động"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    citation = forms.CharField(
        label=_("Căn cứ (điều luật, văn bản)"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: Điều 97 Bộ luật Lao động 2019 về kỳ hạn trả lương."),
    )
    citation_url = forms.CharField(label=_("Đường dẫn tới căn cứ"), max_length=200, required=False)
    whole_cluster = forms.BooleanField(
        label=_("Gửi cùng trả lời này cho các ý kiến đang mở trong cùng nhóm trùng lặp"),
        required=False,
    )


class AnswerCorrectForm(forms.Form):
    """Correct an answer already sent (a new version; the worker sees that it changed)."""

    text = forms.CharField(
        label=_("Trả lời đã sửa"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    citation = forms.CharField(
        label=_("Căn cứ (điều luật, văn bản)"), max_length=255, required=False
    )
    citation_url = forms.CharField(label=_("Đường dẫn tới căn cứ"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Lý do sửa (cán bộ xem, người lao động không thấy)"),
        max_length=500,
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Bạn hài lòng với trả lời ở mức nào?"),
        widget=forms.RadioSelect,
        choices=[
            ("5", _("5 — Rất hài lòng")),
            ("4", _("4 — Hài lòng")),
            ("3", _("3 — Bình thường")),
            ("2", _("2 — Chưa hài lòng")),
            ("1", _("1 — Không hài lòng")),
        ],
        required=False,
    )
    comment = forms.CharField(label=_("Nhận xét"), max_length=500, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Vì sao bạn chưa hài lòng?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ContactExportForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại"), max_length=30)
    format = forms.ChoiceField(label=_("Định dạng"), choices=[("json", "JSON"), ("xlsx", "XLSX")])
