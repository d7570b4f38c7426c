from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.library.models import DocType, LayerChoice, Visibility
from congdoan.orgs.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field. Empty files pass here: the library refuses them with its own message."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("Tệp (chọn được nhiều tệp)"), required=True)  # type: ignore[assignment]
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Thuộc đơn vị"))
    visibility = forms.ChoiceField(
        choices=Visibility.choices, initial=Visibility.UNIT, label=_("Chia sẻ")
    )
    tags = forms.CharField(required=False, label=_("Nhãn"), help_text=_("Cách nhau bằng dấu phẩy."))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        self.fields["files"].widget.attrs.update(
            {"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.docx,.txt,.md"}
        )


class MetadataForm(forms.Form):
    issuer_parent = forms.CharField(label=_("Cơ quan chủ quản"), required=False, max_length=255)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=255)
    number = forms.CharField(label=_("Số, ký hiệu"), required=False, max_length=80)
    doc_type = forms.ChoiceField(
        label=_("Loại văn bản"), required=False, choices=[("", "—"), *DocType.choices]
    )
    place = forms.CharField(label=_("Địa danh"), required=False, max_length=120)
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    title = forms.CharField(label=_("Trích yếu"), required=False, max_length=500)
    recipients = forms.CharField(
        label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signer_capacity = forms.CharField(label=_("Thẩm quyền ký"), required=False, max_length=255)
    signer = forms.CharField(label=_("Người ký"), required=False, max_length=120)


class ShareForm(forms.Form):
    visibility = forms.ChoiceField(choices=Visibility.choices, label=_("Chia sẻ"))
    tags = forms.CharField(required=False, label=_("Nhãn"), max_length=255)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label=_("Tìm"))
    type = forms.ChoiceField(required=False, choices=[("", _("Mọi loại")), *DocType.choices])
    issuer = forms.CharField(required=False)
    year = forms.IntegerField(required=False, min_value=1945, max_value=2100)
    unit = forms.CharField(required=False)
    tag = forms.CharField(required=False)
    page = forms.IntegerField(required=False, min_value=1)


class LayerChoiceForm(forms.Form):
    """An officer's choice for a document's own text layers (services.layer_choices)."""

    choice = forms.ChoiceField(
        choices=LayerChoice.choices, label=_("Cách đọc lớp chữ"), widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:
            field = self.fields["choice"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
