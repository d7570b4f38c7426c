"""Settings as production sees them: each case starts a fresh process with the environment a
server would have (settings are read once, at import)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

SCRIPT = """
import json, django
from django.conf import settings
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
         "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_PROXY_SSL_HEADER",
         "X_FRAME_OPTIONS", "ALLOWED_HOSTS"]
out = {name: getattr(settings, name) for name in names}
setup_test_environment()  # (adds "testserver" to ALLOWED_HOSTS: read above, before)
c = Client()
plain = c.get("/tai-khoan/dang-nhap/", headers={"host": "example.org"})
out["http_status"] = plain.status_code
out["http_location"] = plain.get("Location", "")
secure = c.get("/tai-khoan/dang-nhap/", secure=True, headers={"host": "example.org"})
out["https_status"] = secure.status_code
cookie = secure.cookies.get(settings.CSRF_COOKIE_NAME)
out["csrf_cookie_secure"] = bool(cookie and cookie["secure"])
out["hsts"] = secure.get("Strict-Transport-Security", "")
print("RESULT " + json.dumps(out, default=str))
"""


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTEST") and k not in {"REDIS_URL", "DEBUG"}
    }
    env.update(
        CONGDOAN_PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        SITE_URL="https://example.org",
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="congdoan.config.settings",
        CONGDOAN_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    )
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    done = _run(["-c", "import django; django.setup()"], env)
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr
    assert not (tmp_path / "secret_key").exists()  # no key invented on a server


def test_production_passes_the_deploy_check_without_warnings(tmp_path):
    done = _run(
        ["-m", "congdoan.config.cli", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path),
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_deploy_check_catches_a_weak_secret_key(tmp_path):
    done = _run(
        ["-m", "congdoan.config.cli", "check", "--deploy"],
        _production_env(tmp_path, SECRET_KEY="court"),
    )
    assert "security.W009" in done.stdout + done.stderr


def test_production_cookies_are_secure_and_http_goes_to_https(tmp_path):
    done = _run(["-c", SCRIPT], _production_env(tmp_path))
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    seen = json.loads(line.removeprefix("RESULT "))
    assert seen["DEBUG"] is False
    assert seen["SESSION_COOKIE_SECURE"] is True and seen["CSRF_COOKIE_SECURE"] is True
    assert seen["SESSION_COOKIE_HTTPONLY"] is True
    assert seen["SECURE_SSL_REDIRECT"] is True
    assert seen["http_status"] == 301 and seen["http_location"].startswith("https://example.org/")
    assert seen["https_status"] == 200
    assert seen["csrf_cookie_secure"] is True
    assert seen["hsts"].startswith("max-age=31536000")
    assert seen["ALLOWED_HOSTS"] == ["example.org"]


def test_development_cookies_are_not_marked_secure():
    # Tests run with the development settings: a laptop on http://127.0.0.1 must still log in.
    assert django_settings.PRODUCTION is False
    assert django_settings.SESSION_COOKIE_SECURE is False
