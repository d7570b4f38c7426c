"""The security baseline: CSP on every page, CSRF on the login form, login throttling (axes),
two-factor login (TOTP), and uploads that browsers never run."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, re_path
from django.views.static import serve
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from congdoan.audit.models import AuditEntry
from congdoan.config.urls import urlpatterns as project_urlpatterns

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-rat-dai-123"
LOGIN = "/tai-khoan/dang-nhap/"


# The project's URLs plus MEDIA served the way a development server (or a careless proxy)
# would serve it, for the uploads test below (@pytest.mark.urls points here).
def _serve_media(request: Any, path: str) -> Any:
    return serve(request, path, document_root=str(django_settings.MEDIA_ROOT))


urlpatterns = [re_path(r"^media/(?P<path>.*)$", _serve_media), *project_urlpatterns]


def _plain_paths(patterns: list[Any], prefix: str = "") -> list[str]:
    """Every URL of the project that takes no argument (walks includes)."""
    found: list[str] = []
    for p in patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            found += _plain_paths(p.url_patterns, prefix + route.lstrip("^"))
        elif isinstance(p, URLPattern):
            full = (prefix + route).lstrip("^").rstrip("$")
            if any(ch in full for ch in "<([\\^?*+"):
                continue
            found.append("/" + full)
    return sorted(set(found))


def test_every_page_sends_a_content_security_policy(cast):
    paths = _plain_paths(get_resolver().url_patterns)
    assert "/" in paths and LOGIN in paths and "/don-vi/" in paths
    paths += ["/don-vi/PX-A/", "/khong-co-trang-nay/"]  # a page with an argument, a 404
    visitors: dict[str, Client] = {"anonymous": Client(raise_request_exception=False)}
    for name, user in (
        ("admin", cast.admin),
        ("officer", cast.district_officer),
        ("member", cast.member_user),
    ):
        c = Client(raise_request_exception=False)
        c.force_login(user, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
        visitors[name] = c
    missing = []
    for name, c in visitors.items():
        for url in paths:
            response = c.get(url)
            policy = response.get("Content-Security-Policy", "")
            if "default-src 'self'" not in policy and "default-src 'none'" not in policy:
                missing.append(f"{name} {url} {response.status_code}")
    assert not missing, "pages without a Content-Security-Policy: " + ", ".join(missing)


def test_pages_allow_no_inline_script():
    policy = Client().get(LOGIN)["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", policy)
    assert script is not None and "'unsafe-inline'" not in script.group(1)
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_login_form_is_refused_without_a_csrf_token(cast):
    c = Client(enforce_csrf_checks=True)
    response = c.post(LOGIN, {"username": cast.officer_a.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in c.session


def test_login_form_works_with_the_csrf_token_from_the_page(cast):
    c = Client(enforce_csrf_checks=True)
    page = c.get(LOGIN).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = c.post(
        LOGIN,
        {
            "username": cast.officer_a.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert response.status_code == 302
    assert c.session["_auth_user_id"] == str(cast.officer_a.pk)


def test_login_is_locked_after_too_many_failures(cast, settings):
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    c = Client(REMOTE_ADDR="203.0.113.7")
    email = cast.officer_a.email
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = c.post(LOGIN, {"username": email, "password": "sai-mat-khau"})
        assert response.status_code == 200  # the form again, with an error
    response = c.post(LOGIN, {"username": email, "password": "sai-mat-khau"})
    assert response.status_code == 429
    # Now even the right password is refused, from this address and for this account.
    response = c.post(LOGIN, {"username": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in c.session
    attempt = AccessAttempt.objects.get(username=email)
    assert attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
    assert attempt.ip_address == "203.0.113.7"
    # Another person from another address still logs in.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert (
        other.post(LOGIN, {"username": cast.officer_b.email, "password": PASSWORD}).status_code
        == 302
    )


def test_behind_a_proxy_one_person_locked_out_does_not_lock_out_everyone(cast, settings):
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    settings.PROXY_CLIENT_IP_HEADER = "X-Real-IP"
    # nginx connects from 127.0.0.1 and says who the client is.
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.50")
    for _ in range(3):
        attacker.post(LOGIN, {"username": "nobody@example.vn", "password": "sai-mat-khau"})
    assert (
        attacker.post(LOGIN, {"username": cast.officer_b.email, "password": PASSWORD}).status_code
        == 429
    )
    assert AccessAttempt.objects.get(username="nobody@example.vn").ip_address == "203.0.113.50"
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.20")
    assert (
        colleague.post(LOGIN, {"username": cast.officer_a.email, "password": PASSWORD}).status_code
        == 302
    )


def test_proxy_header_is_ignored_unless_configured(cast, settings):
    settings.PROXY_CLIENT_IP_HEADER = ""
    c = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_REAL_IP="10.9.9.9")
    c.force_login(cast.admin, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
    c.post("/don-vi/PX-A/chuyen/", {"new_parent": cast.other_district.pk, "on_date": "2025-07-01"})
    assert AuditEntry.objects.filter(action="unit.move").get().ip == "192.0.2.1"


def test_login_throttling_is_off_in_tests_unless_asked(cast):
    assert django_settings.AXES_ENABLED is False


@pytest.fixture
def officer_with_2fa(cast: Any) -> tuple[Any, TOTPDevice]:
    device = TOTPDevice.objects.create(user=cast.officer_a, name="authenticator", confirmed=True)
    return cast.officer_a, device


def test_password_alone_does_not_log_in_a_user_with_2fa(officer_with_2fa):
    user, _device = officer_with_2fa
    c = Client()
    response = c.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/xac-thuc/")
    assert "_auth_user_id" not in c.session
    assert c.get("/bang-dieu-khien/").status_code == 302  # still sent to the login page


def test_user_with_2fa_logs_in_with_password_then_valid_code(officer_with_2fa):
    user, device = officer_with_2fa
    c = Client()
    c.post(LOGIN, {"username": user.email, "password": PASSWORD})
    code = f"{totp(device.bin_key):06d}"
    response = c.post("/tai-khoan/xac-thuc/", {"token": code})
    assert response.status_code == 302
    assert c.session["_auth_user_id"] == str(user.pk)
    assert c.session.get("otp_device_id") == device.persistent_id
    assert c.get("/bang-dieu-khien/").status_code == 200


def test_user_with_2fa_is_refused_with_a_wrong_code(officer_with_2fa):
    user, device = officer_with_2fa
    c = Client()
    c.post(LOGIN, {"username": user.email, "password": PASSWORD})
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = c.post("/tai-khoan/xac-thuc/", {"token": wrong})
    assert response.status_code == 200
    assert "_auth_user_id" not in c.session
    # django-otp then throttles the device: even the right code waits a moment.
    assert (
        c.post("/tai-khoan/xac-thuc/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 200
    )
    assert "_auth_user_id" not in c.session


def test_second_factor_page_without_a_password_step_goes_back_to_login(officer_with_2fa):
    _user, device = officer_with_2fa
    response = Client().post("/tai-khoan/xac-thuc/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302 and response["Location"].endswith(LOGIN)


@pytest.mark.urls("congdoan.core.tests.test_security")
@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("trang.html", b"<script>alert(1)</script>"),
        ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("tep.js", b"alert(1)"),
        ("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n"),
    ],
)
def test_uploaded_files_are_served_as_inert_downloads(settings, tmp_path, name, body):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / name).write_bytes(body)
    response = Client().get(f"/media/uploads/{name}")
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    content_type = response["Content-Type"].split(";")[0]
    assert content_type not in {
        "text/html",
        "image/svg+xml",
        "application/xhtml+xml",
        "text/javascript",
        "application/javascript",
        "text/xml",
    }


def test_missing_media_answers_with_the_same_headers():
    response = Client().get("/media/khong-co.html")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
