from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.audit.registry import action_choices
from congdoan.orgs.scoping import Viewer, units_in_scope

MAX_UNIT_CHOICES = 300


class AuditFilterForm(forms.Form):
    """The filters of the audit log (GET); every field may stay empty."""

    actor = forms.CharField(label=_("Người thực hiện"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Thao tác"), required=False)
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = list(
            units_in_scope(viewer)
            .order_by("depth", "name")
            .values_list("code", "name")[: MAX_UNIT_CHOICES + 1]
        )
        choices: dict[str, list[Any]] = {"action": [("", _("— Mọi thao tác —")), *action_choices()]}
        if len(units) > MAX_UNIT_CHOICES:
            # A province's tree is too long for a drop-down: the unit's code is typed instead.
            self.fields["unit"] = forms.CharField(
                label=_("Mã đơn vị"), required=False, max_length=40
            )
        else:
            choices["unit"] = [("", _("— Mọi đơn vị —")), *units]
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
