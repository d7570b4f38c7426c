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
from django_otp.plugins.otp_totp.models import TOTPDevice

from congdoan.accounts import selectors, services
from congdoan.accounts.forms import ApiTokenForm, LoginForm, TokenForm
from congdoan.orgs.selectors import user_appointments
from congdoan.orgs.views import officer_required

PENDING_USER = "congdoan_2fa_user"
PENDING_BACKEND = "congdoan_2fa_backend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/bang-dieu-khien/"


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error(None, _("E-mail/số điện thoại hoặc mật khẩu không đúng."))
        elif any(True for _d in devices_for_user(user, confirmed=True)):
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = user.backend  # type: ignore[attr-defined]
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
            # This session just proved the code: it counts as verified from now on.
            otp_login(request, TOTPDevice.objects.get(user=request.user, confirmed=True))
            messages.success(request, _("Đã bật xác thực hai lớp."))
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
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    services.totp_disable(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Đã tắt xác thực hai lớp."))
    return redirect("accounts:profile")


@officer_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The officer's API tokens; a new token's key is shown once, in this response only."""
    form = ApiTokenForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            actor=request.user,
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
        )
        form = ApiTokenForm()
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
