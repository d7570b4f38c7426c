"""Forms of publishing: where a product goes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.publishing.models import ChannelAccount


class ChoicesForm(forms.Form):
    accounts = forms.ModelMultipleChoiceField(
        label=_("Đăng lên các kênh"),
        queryset=ChannelAccount.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, accounts: QuerySet[ChannelAccount], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["accounts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = accounts
