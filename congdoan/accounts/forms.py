from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from congdoan.accounts.backends import canonical_login
from congdoan.accounts.models import TOKEN_WRITE_SCOPES
from congdoan.accounts.services import totp_wait_message
from congdoan.accounts.twofactor import has_second_factor
from congdoan.core.phones import normalize_phone
from congdoan.outbox.services import email_enqueue


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


class ReauthForm(forms.Form):
    """The password, or (for an account with two-factor) a code from the authenticator."""

    secret = forms.CharField(
        label=_("Mật khẩu hoặc mã xác thực 6 số"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not has_second_factor(user):
            self.fields["secret"].label = _("Mật khẩu")

    def clean_secret(self) -> str:
        secret = self.cleaned_data["secret"]
        if self.user.check_password(secret):
            return secret
        if has_second_factor(self.user):
            waiting = totp_wait_message(user=self.user)
            if waiting:
                raise forms.ValidationError(waiting)
            if match_token(self.user, secret.strip()) is not None:
                return secret
        raise forms.ValidationError(_("Mật khẩu hoặc mã xác thực không đúng."))


EXPIRY_CHOICES = [
    ("30", _("30 ngày")),
    ("90", _("90 ngày")),
    ("365", _("1 năm")),
    ("0", _("Không hết hạn")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        help_text=_("Ví dụ: “Phần mềm báo cáo của LĐLĐ huyện”."),
    )
    writes = forms.MultipleChoiceField(
        label=_("Quyền ghi (ngoài quyền đọc)"),
        choices=list(TOKEN_WRITE_SCOPES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mã chỉ đọc là đủ cho phần lớn phần mềm báo cáo."),
    )
    expires_in = forms.ChoiceField(
        label=_("Hết hạn sau"), choices=EXPIRY_CHOICES, initial="90", required=False
    )

    def scopes(self) -> list[str]:
        return ["read", *self.cleaned_data["writes"]]

    def expires_at(self) -> Any:
        days = int(self.cleaned_data["expires_in"] or "90")
        return timezone.now() + timedelta(days=days) if days else None


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset by e-mail, the message queued through the outbox (retried, logged)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_enqueue(to=[to_email], subject=subject, body=body, purpose="account.reset_email")


class SmsResetRequestForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại đăng nhập"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError(_("Số điện thoại không hợp lệ."))
        return phone


class SmsResetForm(SetPasswordForm):
    code = forms.CharField(
        label=_("Mã 6 số trong tin nhắn"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    field_order = ["code", "new_password1", "new_password2"]
