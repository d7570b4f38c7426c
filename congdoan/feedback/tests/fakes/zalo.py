"""A fake Zalo Official Account API: `POST /v3.0/oa/message/cs` (customer-service message).

Answers like Zalo: always HTTP 200 with `{"error": 0, "message": "Success", "data": {...}}`,
or a negative error code (-216 invalid access token, -201 invalid parameters).
"""

from __future__ import annotations

import itertools
from typing import Any

from congdoan.feedback.tests.fakes.base import FakeServer, Recorded

SEND_PATH = "/v3.0/oa/message/cs"


class FakeZaloOA(FakeServer):
    def __init__(self, access_token: str = "test-oa-token") -> None:
        super().__init__()
        self.access_token = access_token
        self._ids = itertools.count(1)

    @property
    def sent(self) -> list[dict[str, str]]:
        """Messages accepted: [{"user_id": …, "text": …}]."""
        out = []
        for rec in self.requests:
            if (
                rec.path == SEND_PATH
                and isinstance(rec.json, dict)
                and rec.headers.get("access_token") == self.access_token
            ):
                out.append(
                    {
                        "user_id": rec.json["recipient"]["user_id"],
                        "text": rec.json["message"]["text"],
                    }
                )
        return out

    def handle(self, rec: Recorded) -> tuple[int, Any]:
        if rec.path != SEND_PATH:
            return 404, {"error": 404, "message": "Not found"}
        if rec.headers.get("access_token") != self.access_token:
            return 200, {"error": -216, "message": "Access token is invalid"}
        body = rec.json
        try:
            user_id = body["recipient"]["user_id"]
            text = body["message"]["text"]
        except (TypeError, KeyError):
            return 200, {"error": -201, "message": "Parameters are invalid"}
        if not isinstance(user_id, str) or not user_id or not isinstance(text, str) or not text:
            return 200, {"error": -201, "message": "Parameters are invalid"}
        if len(text) > 2000:
            return 200, {"error": -201, "message": "Text length exceeds 2000"}
        return 200, {
            "error": 0,
            "message": "Success",
            "data": {"message_id": f"zmsg{next(self._ids)}", "user_id": user_id},
        }
