"""A fake SMS gateway: `POST /send` with `Authorization: Bearer KEY`, JSON `{"to", "text"}`.

Answers `{"status": "ok", "id": …}`; 401 for a wrong key, 400 for a bad body.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from congdoan.feedback.tests.fakes.base import FakeServer, Recorded

_E164_VN = re.compile(r"^\+84\d{9,10}$")


class FakeSmsGateway(FakeServer):
    def __init__(self, api_key: str = "test-sms-key") -> None:
        super().__init__()
        self.api_key = api_key
        self._ids = itertools.count(1)

    @property
    def sent(self) -> list[dict[str, str]]:
        out = []
        for rec in self.requests:
            if (
                rec.path == "/send"
                and rec.headers.get("authorization") == f"Bearer {self.api_key}"
                and isinstance(rec.json, dict)
            ):
                out.append({"to": rec.json.get("to", ""), "text": rec.json.get("text", "")})
        return out

    def handle(self, rec: Recorded) -> tuple[int, Any]:
        if rec.path != "/send":
            return 404, {"status": "error", "error": "not found"}
        if rec.headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {"status": "error", "error": "unauthorized"}
        body = rec.json
        if not isinstance(body, dict):
            return 400, {"status": "error", "error": "body must be a JSON object"}
        to, text = body.get("to"), body.get("text")
        if not isinstance(to, str) or not _E164_VN.match(to):
            return 400, {"status": "error", "error": "invalid 'to'"}
        if not isinstance(text, str) or not text:
            return 400, {"status": "error", "error": "empty 'text'"}
        return 200, {"status": "ok", "id": f"sms{next(self._ids)}"}
