from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from congdoan.accounts import selectors, services, zalo
from congdoan.accounts.backends import user_for_login
from congdoan.accounts.forms import (
    ApiTokenForm,
    LoginForm,
    OutboxPasswordResetForm,
    ReauthForm,
    SmsResetForm,
    SmsResetRequestForm,
    TokenForm,
)
from congdoan.accounts.models import User
from congdoan.accounts.reauth import mark_authenticated, recent_auth_required
from congdoan.accounts.twofactor import has_second_factor
from congdoan.core import ratelimit
from congdoan.core.request_context import client_ip
from congdoan.orgs.rules import officer_required
from congdoan.orgs.selectors import user_appointments

PENDING_USER = "congdoan_2fa_user"
PENDING_BACKEND = "congdoan_2fa_backend"
SMS_RESET_PHONE = "congdoan_reset_phone"
ZALO_LINK_CODE = "congdoan_zalo_link_code"


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _next_url(request: HttpRequest) -> str:
    return _safe_next(request, "/bang-dieu-khien/")


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error(None, _("E-mail/số điện thoại hoặc mật khẩu không đúng."))
        elif has_second_factor(user):
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = user.backend
            return redirect(f"/tai-khoan/xac-thuc/?next={_next_url(request)}")
        else:
            auth_login(request, user)
            return redirect(_next_url(request))
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


def otp_view(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_USER)
    if not user_id:
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        waiting = services.totp_wait_message(user=user)
        device = None if waiting else match_token(user, form.cleaned_data["token"].strip())
        if waiting:
            form.add_error("token", waiting)
        elif device is None:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
        else:
            backend = request.session.pop(PENDING_BACKEND, None)
            request.session.pop(PENDING_USER, None)
            auth_login(request, user, backend=backend)
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/otp.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("web:home")


@login_required
def reauth(request: HttpRequest) -> HttpResponse:
    """Confirm it is still you (password, or a TOTP code) before a security change."""
    form = ReauthForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        mark_authenticated(request)
        return redirect(_safe_next(request, "/tai-khoan/"))
    return render(
        request,
        "accounts/reauth.html",
        {"form": form, "next": _safe_next(request, "/tai-khoan/")},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    code = "" if user.zalo_user_id else str(request.session.get(ZALO_LINK_CODE, ""))
    code_until = zalo.link_code_pending(user=user, code=code)
    response = render(
        request,
        "accounts/profile.html",
        {
            "has_2fa": has_second_factor(user),
            "appointments": user_appointments(user=user),
            "zalo_code": code if code_until else "",
            "zalo_code_until": code_until,
            "zalo_oa_name": zalo.oa_name(),
            "zalo_oa_link": settings.ZALO_OA_LINK,
        },
    )
    if code_until:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def zalo_link_start(request: HttpRequest) -> HttpResponse:
    """A new one-time code to send to the union's Zalo OA; the account page shows it (kept in
    the session until it is spent or expires: a reload does not make another)."""
    code, _until = zalo.link_code_create(user=cast(User, request.user))
    request.session[ZALO_LINK_CODE] = code
    return redirect(reverse("accounts:profile") + "#zalo")


@login_required
@require_POST
def zalo_unlink(request: HttpRequest) -> HttpResponse:
    request.session.pop(ZALO_LINK_CODE, None)
    if zalo.zalo_unlink(actor=request.user, user=cast(User, request.user)):
        messages.success(request, _("Đã ngắt kết nối Zalo."))
    return redirect(reverse("accounts:profile") + "#zalo")


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = services.totp_pending_device(user=request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.totp_confirm(user=request.user, token=form.cleaned_data["token"])  # type: ignore[arg-type]
        if confirmed is not None:
            # This session just proved the code: it counts as verified from now on.
            otp_login(request, confirmed)
            messages.success(
                request,
                _("Đã bật xác thực hai lớp. Các mã API cũ đã bị thu hồi; hãy tạo mã mới nếu cần."),
            )
            return redirect("accounts:profile")
        form.add_error("token", _("Mã xác thực không đúng. Hãy thử lại với mã mới trên ứng dụng."))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": services.totp_qr_svg(device),
            "secret": services.totp_secret_b32(device),
        },
    )


@login_required
@recent_auth_required
def otp_disable(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.totp_disable(user=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Đã tắt xác thực hai lớp."))
        return redirect("accounts:profile")
    return render(request, "accounts/otp_disable.html")


@login_required
@recent_auth_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = SetPasswordForm(cast(User, request.user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_set(
            actor=request.user,
            user=request.user,  # type: ignore[arg-type]
            password=form.cleaned_data["new_password1"],
            how="change",
        )
        update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
        messages.success(request, _("Đã đổi mật khẩu. Các mã API cũ đã bị thu hồi."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@officer_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The officer's API tokens; a new token's key is shown once, in this response only.
    Creating one needs a recent password or code."""
    if request.method == "POST":
        return _api_token_create(request)
    return _api_tokens_page(request, ApiTokenForm(), "")


@recent_auth_required(next_url="/tai-khoan/ma-api/")
def _api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    new_key = ""
    if form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                actor=request.user,
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                scopes=form.scopes(),
                expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    return _api_tokens_page(request, form, new_key)


def _api_tokens_page(request: HttpRequest, form: ApiTokenForm, new_key: str) -> HttpResponse:
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(viewer=request.user), "new_key": new_key},
    )
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_of(viewer=request.user, pk=pk)
    if services.api_token_revoke(actor=request.user, token=token):
        messages.success(request, _("Đã thu hồi mã API “%(name)s”.") % {"name": token.name})
    return redirect("accounts:api_tokens")


# -- password reset ----------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Reset by e-mail (officers, and anyone with an e-mail): Django's signed one-time link."""

    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page; no automatic login (the login asks for the second factor)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        user: User = form.user
        services.password_set(
            actor=user, user=user, password=form.cleaned_data["new_password1"], how="reset_email"
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.success_url)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def sms_reset_request(request: HttpRequest) -> HttpResponse:
    """A member who logs in by phone asks for a code by SMS. The answer is the same whether
    or not the number has an account (no one learns who has one)."""
    form = SmsResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if ratelimit.hit(f"accounts:reset_sms_ip:{client_ip(request)}", limit=10, window=3600):
            user = User.objects.filter(phone=phone, is_active=True).first()
            if user is not None:
                services.reset_code_send(user=user)
        request.session[SMS_RESET_PHONE] = phone
        return redirect("accounts:sms_reset_verify")
    return render(request, "accounts/sms_reset_request.html", {"form": form})


def sms_reset_verify(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(SMS_RESET_PHONE)
    if not phone:
        return redirect("accounts:sms_reset")
    user = user_for_login(phone)
    form = SmsResetForm(user or User(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user is not None and services.reset_code_check(
            user=user, code=form.cleaned_data["code"]
        ):
            services.password_set(
                actor=user, user=user, password=form.cleaned_data["new_password1"], how="reset_sms"
            )
            request.session.pop(SMS_RESET_PHONE, None)
            messages.success(request, _("Đã đặt mật khẩu mới. Xin đăng nhập."))
            return redirect("accounts:login")
        form.add_error("code", _("Mã không đúng hoặc đã hết hạn. Hãy yêu cầu mã mới nếu cần."))
    return render(request, "accounts/sms_reset_verify.html", {"form": form, "phone": phone})


@officer_required
@require_POST
@recent_auth_required(next_url="/tai-khoan/")
def member_reset_link(request: HttpRequest, member_id: int) -> HttpResponse:
    """A union's officer makes a one-time reset link for one of its members (shown once, as
    a link and a QR code to scan with the member's phone)."""
    user = selectors.member_account_to_reset(viewer=request.user, member_id=member_id)
    link = request.build_absolute_uri(
        services.password_reset_link_by_officer(actor=request.user, user=user)
    )
    response = render(
        request,
        "accounts/member_reset_link.html",
        {"member_user": user, "link": link, "qr_svg": services.qr_svg(link)},
    )
    response["Cache-Control"] = "no-store"
    return response
