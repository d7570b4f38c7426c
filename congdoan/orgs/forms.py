from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Level, Unit, UnitKind


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("— Chọn đơn vị —"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


def _units() -> Any:
    return Unit.objects.filter(is_active=True).order_by("path")


class UnitCreateForm(forms.Form):
    code = forms.SlugField(label=_("Mã đơn vị"), max_length=40)
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    level = forms.ModelChoiceField(
        label=_("Cấp"), queryset=Level.objects.filter(is_active=True), empty_label=_("— Chọn cấp —")
    )
    kind = forms.ChoiceField(label=_("Loại hình"), choices=UnitKind.choices)
    parent = UnitChoiceField(label=_("Đơn vị cấp trên"), queryset=_units(), required=False)
    employer_name = forms.CharField(label=_("Tên cơ quan, doanh nghiệp"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _units()  # type: ignore[attr-defined]


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    on_date = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class UnitMoveForm(forms.Form):
    new_parent = UnitChoiceField(label=_("Đơn vị cấp trên mới"), queryset=Unit.objects.none())
    on_date = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = _units()  # type: ignore[attr-defined]


class UnitMergeForm(forms.Form):
    target = UnitChoiceField(label=_("Sáp nhập vào đơn vị"), queryset=Unit.objects.none())
    on_date = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _units()  # type: ignore[attr-defined]
