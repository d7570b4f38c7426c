"""The app's forms: plain HTML forms that work without JavaScript. The services check the
values again (a form is only the first gate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.activities.models import (
    MAX_AMOUNT_VND,
    MAX_PEOPLE,
    ActivityKind,
    ChannelKind,
    CourseTopic,
    ExampleKind,
    PressKind,
)
from congdoan.orgs.models import Level, Unit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT_ERRORS = {
    "min_value": _("Số tiền không được âm."),
    "max_value": _("Số tiền quá lớn (tối đa 1.000 tỷ đồng): kiểm tra lại số đã nhập."),
    "invalid": _("Nhập số tiền bằng chữ số, không dấu chấm, ví dụ 15000000."),
}
COUNT_ERRORS = {
    "min_value": _("Số người không được âm."),
    "max_value": _("Số người quá lớn: kiểm tra lại số đã nhập."),
    "invalid": _("Nhập một số."),
}


def amount_field(label: Any, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_AMOUNT_VND,
        required=required,
        initial=0,
        error_messages=AMOUNT_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def count_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_PEOPLE,
        required=False,
        initial=0,
        error_messages=COUNT_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class _UnitForm(forms.Form):
    unit = UnitField(queryset=Unit.objects.none(), label=_("Đơn vị"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        if len(units) == 1:
            field.initial = units[0].pk


def _not_future(value: Any) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Ngày này chưa tới."))
    return value


class ActivityForm(_UnitForm):
    kind = forms.ChoiceField(label=_("Loại hoạt động"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Tên hoạt động"), max_length=255)
    held_on = forms.DateField(label=_("Ngày tổ chức"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    participants = count_field(_("Số người tham dự"))
    beneficiaries = count_field(_("Số người được hỗ trợ (Tết Sum vầy, Mái ấm, hỗ trợ khó khăn)"))
    amount_vnd = amount_field(_("Kinh phí (đồng)"))
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Danh sách ký tên (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )


class PressForm(_UnitForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=PressKind.choices)
    outlet = forms.CharField(label=_("Cơ quan báo chí"), max_length=200)
    title = forms.CharField(label=_("Nội dung"), max_length=255)
    happened_on = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET)
    link = forms.URLField(
        label=_("Đường dẫn bài báo"), required=False, max_length=500, assume_scheme="https"
    )

    def clean_happened_on(self) -> Any:
        return _not_future(self.cleaned_data.get("happened_on"))


class ExampleForm(_UnitForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=ExampleKind.choices)
    title = forms.CharField(label=_("Tên gương điển hình, mô hình hay"), max_length=255)
    summary = forms.CharField(
        label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ExampleActionForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú, lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CourseForm(_UnitForm):
    title = forms.CharField(label=_("Tên lớp, khóa tập huấn"), max_length=255)
    topic = forms.ChoiceField(label=_("Chủ đề"), choices=CourseTopic.choices)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(_UnitForm):
    held_on = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    level = forms.ModelChoiceField(
        label=_("Cấp đối tượng"),
        queryset=Level.objects.filter(is_active=True),
        required=False,
        empty_label=_("Mọi cấp"),
    )


class TrainingAttendanceForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    certificate_number = forms.CharField(label=_("Số chứng nhận"), max_length=40, required=False)


class ChannelForm(_UnitForm):
    kind = forms.ChoiceField(label=_("Loại kênh"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200, required=False)
    url = forms.URLField(
        label=_("Đường dẫn"), max_length=500, required=False, assume_scheme="https"
    )
    started_on = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_WIDGET)
    is_active = forms.BooleanField(label=_("Đang sử dụng"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:  # a new channel is in use; the box shows on the edit page only
            del self.fields["is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.setdefault("is_active", True)
        return data


class PostsForm(_UnitForm):
    channel_kind = forms.ChoiceField(label=_("Kênh"), choices=ChannelKind.choices)
    day = forms.DateField(label=_("Ngày"), widget=DATE_WIDGET)
    count = forms.IntegerField(
        label=_("Số bài đăng"), min_value=0, max_value=10_000, error_messages=COUNT_ERRORS
    )

    def clean_day(self) -> Any:
        return _not_future(self.cleaned_data.get("day"))


class BudgetForm(_UnitForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    communication_vnd = amount_field(_("Chi cho tuyên truyền (đồng)"), required=True)
    total_vnd = amount_field(_("Tổng chi hoạt động (đồng)"), required=True)
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        comm, total = data.get("communication_vnd"), data.get("total_vnd")
        if comm is not None and total is not None and comm > total:
            self.add_error(
                "communication_vnd",
                _("Chi cho tuyên truyền không thể lớn hơn tổng chi hoạt động."),
            )
        return data
