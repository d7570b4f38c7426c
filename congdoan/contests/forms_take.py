"""Forms of the participant's pages: joining by phone (name, number, unit or workplace), the
SMS code, the unit of a logged-in phone participant, the prediction at the end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.phones import normalize_phone
from congdoan.orgs.models import Unit

#: The largest prediction taken (a national contest has about a million participants).
MAX_PREDICTION = 100_000_000


class PlaceForm(forms.Form):
    """Where a phone participant works: a unit of the contest's subtree, or as text."""

    unit = forms.ModelChoiceField(
        label=_("Đơn vị (công đoàn cơ sở)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— Chọn đơn vị —"),
    )
    workplace = forms.CharField(label=_("Hoặc ghi nơi làm việc"), max_length=255, required=False)

    def __init__(self, *args: Any, units: list[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units or []]).order_by(
            "sort_key"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unit") and not (data.get("workplace") or "").strip():
            raise forms.ValidationError(_("Xin chọn đơn vị hoặc ghi nơi làm việc của bạn."))
        return data


class PhoneForm(PlaceForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    field_order = ["full_name", "phone", "unit", "workplace"]

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("Số điện thoại không hợp lệ."))
        return phone


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã xác nhận (6 chữ số)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Mã gồm 6 chữ số.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}
        ),
    )


class FinishForm(forms.Form):
    prediction = forms.IntegerField(
        label=_("Dự đoán của bạn"), min_value=0, max_value=MAX_PREDICTION, required=False
    )

    def __init__(self, *args: Any, ask: bool = False, question: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ask:
            self.fields["prediction"].required = True
            if question:
                self.fields["prediction"].label = question
        else:
            del self.fields["prediction"]
