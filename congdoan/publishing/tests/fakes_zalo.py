"""A local fake of Zalo's OpenAPI (openapi.zalo.me) and OAuth v4 server (oauth.zaloapp.com) on
127.0.0.1, answering as Zalo documents (and as its Java SDK, zaloplatform/zalo-java-sdk,
calls it):

- ``POST /v4/oa/access_token`` (header ``secret_key``; form ``app_id`` and either ``code,
  code_verifier, grant_type=authorization_code`` checked against the ``code_challenge`` of the
  permission page, or ``refresh_token, grant_type=refresh_token``, each refresh token once);
- with the header ``access_token``: ``GET /v2.0/oa/getoa``, ``POST /v2.0/article/create`` (a
  "normal" article → ``{"error": 0, "data": {"token"}}``), ``POST /v2.0/article/verify``
  (``{"token"}`` → ``{"data": {"id"}}``, or -214 while it is processed), ``POST
  /v2.0/article/update`` (``{"id", …the article}`` → ``{"data": {"token"}}``), ``GET
  /v2.0/article/getslice`` (``data.medias``, newest first) and ``POST /v2.0/oa/message`` (the
  broadcast of an article, a "media" template → ``{"data": {"message_id"}}``);
- errors as Zalo answers them, HTTP 200 with a negative ``error`` and a ``message``: -216 an
  unknown access token, -220 an expired one, -201 a parameter that is invalid, -248 content
  that breaks the platform's standards. Tests script the rest (quota -211, rate -32, 5xx) with
  `then()`, and `lose_create` / `lose_broadcast` make the fake do the work and answer 502
  (the answer lost on the way back).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
from typing import Any

from congdoan.publishing.tests.fakes import Answer, FakeServer, Request


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _ok(data: dict[str, Any]) -> Answer:
    return Answer(200, {"data": data, "error": 0, "message": "Success"})


def _error(code: int, message: str) -> Answer:
    return Answer(200, {"error": code, "message": message})


class FakeZalo(FakeServer):
    APP_ID = "4321987650"
    SECRET = "zalo-secret-key"
    OA_ID = "1122334455667788"
    OA_NAME = "Công đoàn PX-A"
    BANNED = "cờ bạc"  # content Zalo refuses (-248)

    def __init__(self) -> None:
        super().__init__()
        self._n = itertools.count(1)
        self.valid: set[str] = set()
        self.expired: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.codes: dict[str, str] = {}  # code → code_challenge
        self.articles: list[dict[str, Any]] = []  # every article made, oldest first
        self.pending: dict[str, str] = {}  # create's token → the article id
        self.broadcasts: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.processing_rounds = 0  # verify answers -214 this many times first
        self.broadcast_refusals: list[tuple[int, str]] = []  # the next broadcasts' errors
        self.lose_create = 0
        self.lose_broadcast = 0

    # -- tokens --------------------------------------------------------------------------

    def issue(self) -> tuple[str, str]:
        n = next(self._n)
        access, refresh = f"zalo-access-{n}", f"zalo-refresh-{n}"
        self.valid.add(access)
        self.refresh_tokens.add(refresh)
        return access, refresh

    def expire(self, access: str) -> None:
        self.valid.discard(access)
        self.expired.add(access)

    def grant_code(self, challenge: str) -> str:
        """The OA's admin agreed on the permission page: the code Zalo sends back."""
        code = f"zalo-code-{next(self._n)}"
        self.codes[code] = challenge
        return code

    def _token(self, request: Request) -> Answer:
        form = request.form
        if request.headers.get("secret_key") != self.SECRET or form.get("app_id") != self.APP_ID:
            return Answer(
                200,
                {"error": -14002, "error_name": "Invalid app", "error_description": "bad app"},
            )
        grant = form.get("grant_type")
        if grant == "authorization_code":
            challenge = self.codes.pop(form.get("code", ""), None)
            if challenge is None or challenge != challenge_of(form.get("code_verifier", "")):
                return Answer(
                    200,
                    {
                        "error": -14019,
                        "error_name": "Invalid code",
                        "error_description": "Code or code_verifier is invalid",
                    },
                )
        elif grant == "refresh_token":
            token = form.get("refresh_token", "")
            if token not in self.refresh_tokens:
                return Answer(
                    200,
                    {
                        "error": -14014,
                        "error_name": "Invalid refresh token",
                        "error_description": "Refresh token is invalid",
                    },
                )
            self.refresh_tokens.discard(token)
        else:
            return Answer(200, {"error": -14001, "error_description": "grant_type is invalid"})
        access, refresh = self.issue()
        return Answer(
            200, {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}
        )

    # -- the OpenAPI ---------------------------------------------------------------------

    def handle(self, request: Request) -> Answer:
        if request.path == "/v4/oa/access_token" and request.method == "POST":
            return self._token(request)
        token = request.headers.get("access_token", "")
        if token in self.expired:
            return _error(-220, "access_token is expired or removed")
        if token not in self.valid:
            return _error(-216, "Access token is invalid")
        body: Any = {}
        if request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                return _error(-201, "body is invalid!")
        route = (request.method, request.path)
        if route == ("GET", "/v2.0/oa/getoa"):
            return _ok({"oa_id": self.OA_ID, "name": self.OA_NAME, "num_follower": 1200})
        if route == ("POST", "/v2.0/article/create"):
            return self._create(body)
        if route == ("POST", "/v2.0/article/update"):
            return self._update(body)
        if route == ("POST", "/v2.0/article/verify"):
            article_id = self.pending.get(str(body.get("token") or ""))
            if article_id is None:
                return _error(-201, "token is invalid!")
            if self.processing_rounds:
                self.processing_rounds -= 1
                return _error(-214, "Article is being processed")
            return _ok({"id": article_id})
        if route == ("GET", "/v2.0/article/getslice"):
            offset = int(request.query.get("offset", "0"))
            limit = min(int(request.query.get("limit", "10")), 10)
            rows = [a for a in reversed(self.articles) if a["type"] == request.query.get("type")]
            medias = [
                {
                    "id": a["id"],
                    "type": a["type"],
                    "title": a["title"],
                    "status": a["status"],
                    "total_view": 0,
                    "total_share": 0,
                    "create_date": a["create_date"],
                    "thumb": a["cover"]["photo_url"],
                    "link": a["link"],
                }
                for a in rows[offset : offset + limit]
            ]
            return _ok({"medias": medias, "total": len(rows)})
        if route == ("POST", "/v2.0/oa/message"):
            return self._broadcast(body)
        return _error(-201, "Not supported this api")

    def _invalid(self, body: dict[str, Any]) -> Answer | None:
        """Zalo's checks of an article's fields, shared by create and update."""
        for field, limit in (("title", 150), ("author", 50), ("description", 300)):
            value = body.get(field)
            if not isinstance(value, str) or not value or len(value) > limit:
                return _error(-201, f"{field} is invalid!")
        cover = body.get("cover") or {}
        if body.get("type") != "normal" or not cover.get("photo_url"):
            return _error(-201, "cover is invalid!")
        blocks = body.get("body")
        if not isinstance(blocks, list) or not blocks:
            return _error(-201, "body is invalid!")
        text = " ".join(str(b.get("content", "")) for b in blocks if isinstance(b, dict))
        if self.BANNED in (body["title"] + " " + text).lower():
            return _error(-248, "Content violates Zalo's platform standards")
        return None

    def _update(self, body: dict[str, Any]) -> Answer:
        found = [a for a in self.articles if a["id"] == body.get("id")]
        if not found:
            return _error(-201, "id is invalid!")
        refused = self._invalid(body)
        if refused is not None:
            return refused
        found[0].update({k: v for k, v in body.items() if k != "id"})
        self.updates.append(dict(body))
        token = base64.b64encode(f"update-{body['id']}-{len(self.updates)}".encode()).decode()
        self.pending[token] = str(body["id"])
        return _ok({"token": token})

    def _create(self, body: dict[str, Any]) -> Answer:
        refused = self._invalid(body)
        if refused is not None:
            return refused
        article_id = f"a{next(self._n):06x}"
        token = base64.b64encode(f"token-{article_id}".encode()).decode()
        self.articles.append(
            {
                **body,
                "id": article_id,
                "create_date": int(time.time() * 1000),
                "link": f"https://zalo.me/article/{article_id}",
            }
        )
        self.pending[token] = article_id
        if self.lose_create:
            self.lose_create -= 1
            return Answer(502, None)
        return _ok({"token": token})

    def _broadcast(self, body: dict[str, Any]) -> Answer:
        target = (body.get("recipient") or {}).get("target")
        payload = ((body.get("message") or {}).get("attachment") or {}).get("payload") or {}
        elements = payload.get("elements") or [{}]
        if not isinstance(target, dict) or payload.get("template_type") != "media":
            return _error(-201, "recipient or message is invalid!")
        known = {a["id"] for a in self.articles}
        if elements[0].get("media_type") != "article" or elements[0].get("attachment_id") not in (
            known
        ):
            return _error(-201, "attachment_id is invalid!")
        if self.broadcast_refusals:
            return _error(*self.broadcast_refusals.pop(0))
        message_id = f"m{next(self._n):08x}"
        self.broadcasts.append({"message_id": message_id, **body})
        if self.lose_broadcast:
            self.lose_broadcast -= 1
            return Answer(502, None)
        return _ok({"message_id": message_id})

    def calls(self, method: str, path: str) -> int:
        return sum(1 for r in self.requests if r.method == method and r.path == path)


__all__ = ["FakeZalo", "challenge_of"]
