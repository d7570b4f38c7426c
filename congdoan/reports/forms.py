from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NarrativeForm(forms.Form):
    number = forms.CharField(
        label=_("Số văn bản"),
        max_length=20,
        required=False,
        help_text=_("Ví dụ 08; để trống để điền tay khi in."),
    )
    results = forms.CharField(
        label=_("Kết quả đạt được (nhận xét)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    limitations = forms.CharField(
        label=_("Hạn chế, nguyên nhân"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_tasks = forms.CharField(
        label=_("Phương hướng, nhiệm vụ kỳ tới"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    proposals = forms.CharField(
        label=_("Đề xuất, kiến nghị"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
