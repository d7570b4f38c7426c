from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.collation import units_tree_order
from congdoan.orgs.models import Gender, Level, Member, Unit, UnitKind
from congdoan.orgs.selectors import AGE_BANDS, MemberFilter


class _TreeOrderIterator(ModelChoiceIterator):
    """Units depth first, siblings in Vietnamese order (not by code point, not by id)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in units_tree_order(self.queryset):
            yield self.choice(unit)


class UnitChoiceField(forms.ModelChoiceField):
    """A union drop-down: the tree indented, siblings in Vietnamese order ("Dương" before "Điện lực")."""

    iterator = _TreeOrderIterator

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
    employer_name = forms.CharField(
        label=_("Tên cơ quan, doanh nghiệp"), max_length=255, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _units()  # type: ignore[attr-defined]


class UnitRenameForm(forms.Form):
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    on_date = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class UnitMoveForm(forms.Form):
    new_parent = UnitChoiceField(label=_("Đơn vị cấp trên mới"), queryset=Unit.objects.none())
    on_date = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = _units()  # type: ignore[attr-defined]


class UnitMergeForm(forms.Form):
    target = UnitChoiceField(label=_("Sáp nhập vào đơn vị"), queryset=Unit.objects.none())
    on_date = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _units()  # type: ignore[attr-defined]


class MemberForm(forms.ModelForm):
    """A member's own details (the unit and the end of membership have their own forms)."""

    class Meta:
        model = Member
        fields = [
            "full_name",
            "gender",
            "date_of_birth",
            "joined_on",
            "card_number",
            "phone",
            "email",
            "is_union_member",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "joined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class MemberEndForm(forms.Form):
    on_date = forms.DateField(
        label=_("Ngày thôi sinh hoạt"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: chuyển công tác, nghỉ hưu, nghỉ việc."),
    )


class MemberRejoinForm(forms.Form):
    unit = UnitChoiceField(label=_("Sinh hoạt tại đơn vị"), queryset=Unit.objects.none())
    on_date = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class MemberFilterForm(forms.Form):
    """The member list's search box and filters (GET); a value it does not know is ignored."""

    q = forms.CharField(required=False, max_length=100)
    gender = forms.ChoiceField(
        required=False, label=_("Giới tính"), choices=[("", _("Mọi giới tính")), *Gender.choices]
    )
    age = forms.ChoiceField(
        required=False,
        label=_("Tuổi"),
        choices=[("", _("Mọi độ tuổi")), *((k, band.label) for k, band in AGE_BANDS.items())],
    )
    status = forms.ChoiceField(
        required=False,
        label=_("Trạng thái"),
        choices=[
            ("active", _("Đang sinh hoạt")),
            ("left", _("Đã thôi sinh hoạt")),
            ("all", _("Tất cả")),
        ],
    )
    card = forms.ChoiceField(
        required=False,
        label=_("Thẻ đoàn viên"),
        choices=[("", _("Có hoặc chưa có thẻ")), ("yes", _("Đã có thẻ")), ("no", _("Chưa có thẻ"))],
    )

    # The filters' Vietnamese names before issue 13.6 (?gioi_tinh=F&tuoi=…): lists filtered
    # that way were bookmarked and sent round, so they still filter (the English name wins).
    OLD_NAMES = {"gioi_tinh": "gender", "tuoi": "age", "trang_thai": "status", "the": "card"}

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and any(old in data for old in self.OLD_NAMES):
            data = data.copy()
            for old, new in self.OLD_NAMES.items():
                if old in data and new not in data:
                    data[new] = data[old]
        super().__init__(data, *args, **kwargs)

    def to_filter(self) -> MemberFilter:
        self.is_valid()  # fields that did clean are kept; the others count as "any"
        data = self.cleaned_data
        return MemberFilter(
            query=(data.get("q") or "").strip(),
            gender=data.get("gender") or "",
            age=data.get("age") or "",
            status=data.get("status") or "active",
            card=data.get("card") or "",
        )
