from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.accounts.backends import canonical_login


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("E-mail hoặc số điện thoại"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def clean_username(self) -> str:
        """One spelling per identity, before the lockout counts it and before authenticating."""
        return canonical_login(self.cleaned_data["username"])


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực 6 số"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: “Phần mềm báo cáo của LĐLĐ huyện”."),
    )
