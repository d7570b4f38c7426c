"""Forms of the officers' studio: a product's fields, its files, the workflow's small forms,
and the filters of the lists. Each works as a plain HTML form (no JavaScript needed); the
writes themselves are content.services' work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.content.models import (
    Audience,
    Highlight,
    ProductKind,
    ProductStatus,
    Sharing,
    Theme,
)
from congdoan.content.richtext import text_to_html
from congdoan.core.uploads import format_size
from congdoan.orgs.models import Unit

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The phone's own date and time picker (`type=datetime-local`), in the unit's time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (two inputs may share it: the camera and the gallery)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def split_tags(text: str) -> list[str]:
    """ "an toàn, Tháng công nhân ,," → ["an toàn", "Tháng công nhân"] (no repeats, order kept)."""
    seen: dict[str, None] = {}
    for part in (text or "").replace(";", ",").split(","):
        tag = " ".join(part.split())[:60]
        if tag and tag.casefold() not in {t.casefold() for t in seen}:
            seen[tag] = None
    return list(seen)


class ProductForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"), empty_label=None)
    kind = forms.ChoiceField(choices=ProductKind.choices, label=_("Loại sản phẩm"))
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    summary = forms.CharField(
        label=_("Bản ngắn — Nhanh, Ngắn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vài câu cho mạng xã hội và loa phát thanh; chữ thường, không định dạng."),
    )
    body = forms.CharField(
        label=_("Bản đầy đủ — Sâu, Rõ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "long", "data-editor": ""}),
        help_text=_(
            "Mỗi đoạn cách nhau một dòng trống. Dòng bắt đầu bằng “- ” thành danh sách, "
            "“## ” thành tiêu đề nhỏ; **chữ đậm**, *chữ nghiêng*. Có thể dùng HTML đơn giản."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        label=_("Chủ đề"),
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices,
        required=False,
        label=_("Đối tượng"),
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Nhãn"),
        required=False,
        max_length=500,
        help_text=_("Cách nhau bằng dấu phẩy."),
    )
    is_digital = forms.BooleanField(label=_("Sản phẩm số (đăng trên mạng)"), required=False)
    sharing = forms.ChoiceField(
        choices=Sharing.choices,
        label=_("Chia sẻ cho"),
        help_text=_("Các đơn vị được chia sẻ tìm thấy và dùng lại sản phẩm trong thư viện."),
    )
    highlight = forms.ModelChoiceField(
        queryset=Highlight.objects.none(),
        required=False,
        label=_("Mốc sự kiện trong năm"),
        empty_label=_("— không gắn với mốc nào —"),
        help_text=_("Sản phẩm hiện trên lịch truyền thông, cạnh mốc đã chọn."),
    )
    event_starts_at = forms.DateTimeField(
        label=_("Sự kiện bắt đầu"), required=False, widget=DateTimeLocalInput()
    )
    event_ends_at = forms.DateTimeField(
        label=_("Sự kiện kết thúc"), required=False, widget=DateTimeLocalInput()
    )
    event_place = forms.CharField(label=_("Địa điểm"), required=False, max_length=255)
    camera = MultipleFileField(
        label=_("Chụp ảnh"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/*", "capture": "environment", "data-shrink": ""}
        ),
    )
    photos = MultipleFileField(
        label=_("Chọn ảnh có sẵn"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "data-shrink": ""}),
    )
    attachments = MultipleFileField(
        label=_("Video, âm thanh hoặc PDF"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "video/*,audio/*,application/pdf,.pdf"}),
    )

    def __init__(
        self, *args: Any, units: list[Unit], highlights: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        highlight_field = self.fields["highlight"]
        assert isinstance(highlight_field, forms.ModelChoiceField)
        highlight_field.queryset = (
            highlights if highlights is not None else Highlight.objects.none()
        )
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        if len(units) == 1:
            unit_field.widget = forms.HiddenInput()
        self.fields["attachments"].help_text = _("Mỗi tệp tối đa %(limit)s.") % {
            "limit": format_size(settings.UPLOAD_MAX_BYTES)
        }

    def clean_body(self) -> str:
        return text_to_html(self.cleaned_data.get("body") or "")

    def clean_tags(self) -> list[str]:
        return split_tags(self.cleaned_data.get("tags") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("event_starts_at"), data.get("event_ends_at")
        if data.get("kind") == ProductKind.EVENT and not starts:
            self.add_error("event_starts_at", _("Sự kiện cần có thời gian bắt đầu."))
        if starts and ends and ends < starts:
            self.add_error("event_ends_at", _("Sự kiện kết thúc trước khi bắt đầu."))
        return data

    def fields_for_service(self) -> dict[str, Any]:
        """The product's own fields, as content.services takes them (files apart)."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "kind",
                "title",
                "summary",
                "body",
                "audiences",
                "tags",
                "is_digital",
                "sharing",
                "event_starts_at",
                "event_ends_at",
                "event_place",
                "highlight",
            )
        } | {"themes": list(data["themes"])}

    def uploads(self) -> list[Any]:
        return [*self.cleaned_data["camera"], *self.cleaned_data["photos"]]


class ReuseForm(forms.Form):
    """Which of the officer's units a reused copy belongs to (asked only when they write for
    several; with one, the field is absent from the page and that unit is taken)."""

    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Bản sao thuộc đơn vị"),
        empty_label=None,
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        field.error_messages["invalid_choice"] = _(
            "Bạn không thể đưa bản sao vào đơn vị này: chọn một đơn vị bạn viết cho."
        )
        self.units = units

    def chosen(self) -> Unit:
        return self.cleaned_data.get("unit") or self.units[0]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("a comment on a product", "Ý kiến"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Lý do trả lại (tác giả sẽ đọc)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(label=_("Đăng lúc"), widget=DateTimeLocalInput())


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", _("Mọi trạng thái")), *ProductStatus.choices]
    )
    waiting = forms.BooleanField(required=False)
    page = forms.IntegerField(required=False, min_value=1)


class LibraryFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    theme = forms.CharField(required=False, max_length=40)
    kind = forms.ChoiceField(required=False, choices=[("", _("Mọi loại")), *ProductKind.choices])
    unit = forms.CharField(required=False, max_length=40)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1)


class VersionsForm(forms.Form):
    a = forms.IntegerField(min_value=1, required=False)
    b = forms.IntegerField(min_value=1, required=False)
