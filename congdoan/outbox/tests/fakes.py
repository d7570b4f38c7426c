"""Fakes on 127.0.0.1 of the providers behind the SMS adapters and the Zalo OA tokens.

- `FakeEsms`: eSMS.vn as developers.esms.vn documents it: ``POST /MainService.svc/json/
  SendMultipleMessage_V4_post_json/`` (JSON strings, CodeResult 100 with an SMSID, or 99, 101,
  103, 104, 108, 118, 124 for a RequestId seen in the last 24 hours) and ``GET
  /MainService.svc/json/GetSendStatus`` (CodeResponse 100 with SendStatus, 101, 105).
- `FakeZaloOAuth`: the Zalo OA API of the feedback fakes plus ``POST /v4/oa/access_token``
  (header ``secret_key``, form ``app_id`` and either ``code, code_verifier,
  grant_type=authorization_code`` or ``refresh_token, grant_type=refresh_token``): each
  refresh token works once, a replaced access token answers -124 (expired), an unknown one
  -216.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import time
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from congdoan.feedback.tests.fakes import FakeServer, FakeZaloOA, Recorded
from congdoan.outbox.channels.sms_esms import SEND_PATH, STATUS_PATH
from congdoan.publishing.zalo import TOKEN_PATH


class _WithGet(FakeServer):
    """FakeServer answers POST only; eSMS's status is a GET."""

    def __init__(self) -> None:
        super().__init__()
        server = self
        post_handler: type[BaseHTTPRequestHandler] = self.httpd.RequestHandlerClass  # type: ignore[assignment]

        class Handler(post_handler):  # type: ignore[valid-type,misc]
            def do_GET(self) -> None:
                rec = Recorded(
                    method="GET",
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=b"",
                )
                with server.state.lock:
                    server.state.requests.append(rec)
                status, payload = server.handle(rec)
                self._answer(status, payload)

        self.httpd.RequestHandlerClass = Handler


class FakeEsms(_WithGet):
    def __init__(
        self,
        api_key: str = "esms-api-key",
        secret_key: str = "esms-secret",
        brandnames: tuple[str, ...] = ("CONGDOAN",),
        balance: int = 100,
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.secret_key = secret_key
        self.brandnames = set(brandnames)
        self.balance = balance
        self.blocked: set[str] = set()
        self.request_ids: dict[str, float] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self._n = itertools.count(1)

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Messages accepted for delivery (not the sandbox's): [{"Phone", "Content", …}]."""
        return [m for m in self.messages.values() if m.get("Sandbox") != "1"]

    def handle(self, rec: Recorded) -> tuple[int, Any]:
        path = urlsplit(rec.path)
        if rec.method == "GET" and path.path == STATUS_PATH:
            return self._status(parse_qs(path.query))
        if rec.method == "POST" and path.path == SEND_PATH:
            return self._send(rec.json)
        return 404, {"Message": "Endpoint not found."}

    def _send(self, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            return 400, {"Message": "Request body is invalid."}
        if body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret_key:
            return 200, {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}
        if body.get("SmsType") not in ("1", "2", "8"):
            return 200, {"CodeResult": "118", "ErrorMessage": "SmsType is invalid"}
        if body.get("SmsType") in ("1", "2") and body.get("Brandname") not in self.brandnames:
            return 200, {"CodeResult": "104", "ErrorMessage": "Brandname is not registered"}
        phone = str(body.get("Phone") or "")
        if not (phone.isdigit() and phone.startswith("0") and len(phone) == 10):
            return 200, {"CodeResult": "108", "ErrorMessage": "Phone is invalid"}
        if phone in self.blocked:
            return 200, {"CodeResult": "99", "ErrorMessage": "Phone is blocked"}
        request_id = str(body.get("RequestId") or "")
        if request_id and time.time() - self.request_ids.get(request_id, 0) < 86400:
            return 200, {"CodeResult": "124", "ErrorMessage": "RequestId is duplicated"}
        if body.get("Sandbox") != "1":
            if self.balance <= 0:
                return 200, {"CodeResult": "103", "ErrorMessage": "Balance not enough"}
            self.balance -= 1
        if request_id:
            self.request_ids[request_id] = time.time()
        sms_id = f"{uuid.uuid4().hex}{next(self._n)}"
        self.messages[sms_id] = dict(body)
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms_id}

    def _status(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        def one(name: str) -> str:
            return (query.get(name) or [""])[0]

        if one("ApiKey") != self.api_key or one("SecretKey") != self.secret_key:
            return 200, {"CodeResponse": "101", "SMSID": one("RefId")}
        if one("RefId") not in self.messages:
            return 200, {"CodeResponse": "105", "ErrorMessage": "SMSID not found"}
        return 200, {
            "CodeResponse": "100",
            "SMSID": one("RefId"),
            "SendFailed": 0,
            "SendStatus": 5,
            "SendSuccess": 1,
            "TotalPrice": 850.0,
            "TotalReceiver": 1,
            "TotalSent": 1,
        }


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class FakeZaloOAuth(FakeZaloOA):
    def __init__(self, app_id: str, app_secret: str) -> None:
        super().__init__(access_token="")
        self.app_id = app_id
        self.app_secret = app_secret
        self.expired: set[str] = set()
        self.refresh_tokens: set[str] = set()  # valid, unused
        self.spent: list[str] = []
        self.codes: dict[str, str] = {}  # authorisation code → code_challenge
        self._n = itertools.count(1)

    def issue(self) -> tuple[str, str]:
        """New tokens (as a connect or a refresh would give); the old access token expires."""
        n = next(self._n)
        if self.access_token:
            self.expired.add(self.access_token)
        self.access_token = f"access-{n}"
        refresh = f"refresh-{n}"
        self.refresh_tokens.add(refresh)
        return self.access_token, refresh

    def grant_code(self, challenge: str) -> str:
        code = f"code-{next(self._n)}"
        self.codes[code] = challenge
        return code

    @property
    def token_requests(self) -> list[dict[str, str]]:
        return [
            {k: v[0] for k, v in parse_qs(rec.body.decode()).items()}
            for rec in self.requests
            if rec.path == TOKEN_PATH
        ]

    def handle(self, rec: Recorded) -> tuple[int, Any]:
        if rec.path == TOKEN_PATH:
            return self._token(rec)
        if rec.headers.get("access_token") in self.expired:
            return 200, {"error": -124, "message": "Access token has expired"}
        return super().handle(rec)

    def _refused(self, code: int, name: str, description: str) -> tuple[int, Any]:
        return 200, {"error": code, "error_name": name, "error_description": description}

    def _token(self, rec: Recorded) -> tuple[int, Any]:
        form = {k: v[0] for k, v in parse_qs(rec.body.decode()).items()}
        if rec.headers.get("secret_key") != self.app_secret or form.get("app_id") != self.app_id:
            return self._refused(-14002, "Invalid app", "app_id or secret_key is invalid")
        grant = form.get("grant_type")
        if grant == "refresh_token":
            token = form.get("refresh_token", "")
            if token not in self.refresh_tokens:
                return self._refused(-14014, "Invalid refresh token", "Refresh token is invalid")
            self.refresh_tokens.discard(token)
            self.spent.append(token)
        elif grant == "authorization_code":
            challenge = self.codes.pop(form.get("code", ""), None)
            if challenge is None or challenge != challenge_of(form.get("code_verifier", "")):
                return self._refused(-14019, "Invalid code", "Code or code_verifier is invalid")
        else:
            return self._refused(-14001, "Invalid parameter", "grant_type is invalid")
        access, refresh = self.issue()
        return 200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}


def esms_settings(server: FakeEsms) -> dict[str, Any]:
    return {
        "SMS_PROVIDER": "esms",
        "ESMS_API_BASE": server.url,
        "ESMS_API_KEY": server.api_key,
        "ESMS_SECRET_KEY": server.secret_key,
        "ESMS_BRANDNAME": sorted(server.brandnames)[0],
        "ESMS_SMS_TYPE": "2",
        "ESMS_SANDBOX": False,
    }


__all__ = ["FakeEsms", "FakeZaloOAuth", "challenge_of", "esms_settings"]
