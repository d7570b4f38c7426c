from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from congdoan.accounts import services
from congdoan.accounts.forms import LoginForm, TokenForm
from congdoan.orgs.selectors import user_appointments

PENDING_USER = "congdoan_2fa_user"
PENDING_BACKEND = "congdoan_2fa_backend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/bang-dieu-khien/"


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, _("E-mail/số điện thoại hoặc mật khẩu không đúng."))
        elif any(True for _d in devices_for_user(user, confirmed=True)):
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = user.backend  # type: ignore[attr-defined]
            return redirect(f"/tai-khoan/xac-thuc/?next={_next_url(request)}")
        else:
            auth_login(request, user)
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def otp_view(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_USER)
    if not user_id:
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is None:
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
    return redirect("core:home")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    has_2fa = any(True for _d in devices_for_user(request.user, confirmed=True))
    return render(
        request,
        "accounts/profile.html",
        {"has_2fa": has_2fa, "appointments": user_appointments(user=request.user)},
    )


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    device = services.totp_pending_device(user=request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(user=request.user, token=form.cleaned_data["token"]):  # type: ignore[arg-type]
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return redirect("accounts:profile")
        form.add_error("token", _("Mã xác thực không đúng. Hãy thử lại với mã mới trên ứng dụng."))
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr_svg": services.totp_qr_svg(device), "secret": services.totp_secret_b32(device)},
    )


@login_required
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    services.totp_disable(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Đã tắt xác thực hai lớp."))
    return redirect("accounts:profile")
