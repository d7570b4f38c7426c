"""The fake Zalo OpenAPI of `congdoan bench publish`: publishing's test fake
(`congdoan.publishing.tests.fakes_zalo`: article create → token, verify → id, getslice, the
broadcast of an article, Zalo's errors as HTTP 200 with a negative `error`) for many OAs (one
per unit, each with its own token, each listing only its own articles), with every article and
broadcast counted per bench product and faults injected as `congdoan_dev.bench.fakes` does:
refused before anything is done (HTTP 503, or Zalo's -32 "too many calls"), or done and then
answered 502 (the answer lost)."""

from __future__ import annotations

from congdoan.publishing.tests.fakes import Answer, Request
from congdoan.publishing.tests.fakes_zalo import FakeZalo
from congdoan_dev.bench.fakes import Faults, Tally, tally_of

WRITES = ("/v2.0/article/create", "/v2.0/oa/message")


class BenchZalo(FakeZalo):
    """Zalo OpenAPI for `oas` OAs (OA id "20000000000000{i}", access token "zalo-bench-{i}")."""

    def __init__(self, oas: int, faults: Faults) -> None:
        super().__init__()
        self.faults = faults
        self.oa_of = {self.access_token(i): self.oa_id(i) for i in range(oas)}
        self.valid = set(self.oa_of)
        self.received = 0

    @staticmethod
    def oa_id(i: int) -> str:
        return f"{2000000000000000 + i}"

    @staticmethod
    def access_token(i: int) -> str:
        return f"zalo-bench-{i}"

    def handle(self, request: Request) -> Answer:
        self.received += 1
        oa = self.oa_of.get(request.headers.get("access_token", ""))
        if oa is None or not request.path.startswith(("/v2.0/article/", "/v2.0/oa/message")):
            return super().handle(request)
        if self.faults.draw(self.faults.fail_rate):
            if self.faults.pick(["5xx", "rate"]) == "5xx":
                self.faults.note("zalo 503")
                return Answer(503, None)
            self.faults.note("zalo too many calls (-32)")
            return Answer(200, {"error": -32, "message": "The app has exceeded the rate limit"})
        if request.path == "/v2.0/article/getslice":
            # The test fake lists every article it made: here only this OA's (the handler
            # holds the fake's lock, so nothing else sees the list swapped).
            everyone = self.articles
            self.articles = [a for a in everyone if a.get("oa") == oa]
            try:
                return super().handle(request)
            finally:
                self.articles = everyone
        made = len(self.articles), len(self.broadcasts)
        answer = super().handle(request)
        if len(self.articles) > made[0]:
            self.articles[-1]["oa"] = oa
        done = (len(self.articles), len(self.broadcasts)) != made
        if done and request.path in WRITES and self.faults.draw(self.faults.lose_rate):
            self.faults.note("zalo done, answer lost (502)")
            return Answer(502, None)
        return answer

    def tally(self) -> Tally:
        """The articles, per bench product."""
        with self.lock:
            return tally_of([(str(a["id"]), str(a.get("title", ""))) for a in self.articles])

    def tally_broadcasts(self) -> Tally:
        """The broadcasts, per bench product (the article each one sent)."""
        with self.lock:
            titles = {str(a["id"]): str(a.get("title", "")) for a in self.articles}
            return tally_of(
                [(str(b["message_id"]), titles.get(_attachment(b), "")) for b in self.broadcasts]
            )


def _attachment(broadcast: dict[str, object]) -> str:
    message = broadcast.get("message")
    attachment = message.get("attachment") if isinstance(message, dict) else None
    payload = attachment.get("payload") if isinstance(attachment, dict) else None
    elements = payload.get("elements") if isinstance(payload, dict) else None
    first = elements[0] if isinstance(elements, list) and elements else None
    return str(first.get("attachment_id") or "") if isinstance(first, dict) else ""
