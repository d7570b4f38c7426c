"""Fake channel platforms for `congdoan bench publish`: the test fakes of publishing
(`congdoan.publishing.tests.fakes`: the Graph API, Google's token endpoint and the YouTube Data
API with resumable uploads, real HTTP on 127.0.0.1, the platforms' own request and answer
shapes) with what a benchmark needs on top:

- many pages and channels on one server (one per unit), each with its own token;
- the posts each page received, so that a post that never arrived (lost) or arrived twice
  (doubled) shows: every bench product carries a marker "[P0042]" in its title, found back
  in the post's text (Facebook) or the video's title (YouTube);
- injected faults, drawn per request: `fail_rate` of the requests are refused before anything
  is done (HTTP 5xx, or the platform's rate-limit answer), `lose_rate` of the posting requests
  are done and then answered 502 (the post exists, the sender never heard of it: the case an
  idempotency key or a look-up before posting again is there for).
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from congdoan.publishing.tests.fakes import (
    Answer,
    FakeGoogle,
    FakeGraph,
    Request,
    graph_error,
)

MARKER = re.compile(r"\[P(\d+)\]")


def marker(number: int) -> str:
    """The marker a bench product carries in its title."""
    return f"[P{number:05d}]"


def product_of(text: str) -> int | None:
    """The bench product number a post's text names, or None."""
    found = MARKER.search(text or "")
    return int(found.group(1)) if found else None


@dataclass
class Faults:
    """What to inject, and what was injected (by kind)."""

    fail_rate: float = 0.0
    lose_rate: float = 0.0
    seed: int = 20261206
    injected: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def draw(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self._lock:
            return self._rng.random() < rate

    def pick(self, choices: list[str]) -> str:
        with self._lock:
            return self._rng.choice(choices)

    def note(self, kind: str) -> None:
        with self._lock:
            self.injected[kind] += 1


@dataclass(frozen=True)
class Tally:
    """What one platform received, per bench product."""

    posts: Counter[int]  # product number → posts that name it
    unmarked: int  # posts naming no bench product
    ids: dict[str, int]  # post or video id → product number

    def lost(self, expected: set[int]) -> list[int]:
        return sorted(n for n in expected if self.posts[n] == 0)

    def doubled(self) -> dict[int, int]:
        return {n: c for n, c in sorted(self.posts.items()) if c > 1}


def tally_of(texts: list[tuple[str, str]]) -> Tally:
    posts: Counter[int] = Counter()
    ids: dict[str, int] = {}
    unmarked = 0
    for post_id, text in texts:
        number = product_of(text)
        if number is None:
            unmarked += 1
            continue
        posts[number] += 1
        ids[post_id] = number
    return Tally(posts=posts, unmarked=unmarked, ids=ids)


class BenchGraph(FakeGraph):
    """The Graph API of `pages` Facebook pages (page id "10000000{i}", token "EAAPage{i}")."""

    def __init__(self, pages: int, faults: Faults) -> None:
        super().__init__()
        self.faults = faults
        self.tokens = {self.page_token(i): self.page_id(i) for i in range(pages)}
        self.received = 0

    @staticmethod
    def page_id(i: int) -> str:
        return f"{100000000 + i}"

    @staticmethod
    def page_token(i: int) -> str:
        return f"EAAPage{i}"

    def handle(self, request: Request) -> Answer:
        self.received += 1
        page_id, _slash, edge = request.path.strip("/").partition("/")
        if edge not in ("feed", "photos", "scheduled_posts"):
            return super().handle(request)
        if self.faults.draw(self.faults.fail_rate):
            if self.faults.pick(["5xx", "rate"]) == "5xx":
                self.faults.note("facebook 500")
                return Answer(500, graph_error(2, "An unexpected error has occurred."))
            self.faults.note("facebook rate limit (32)")
            return Answer(400, graph_error(32, "Page request limit reached"))
        if request.method == "GET":
            q = {**request.query, **request.form}
            if self.tokens.get(q.get("access_token", "")) != page_id:
                return super().handle(request)  # the token's refusal, as the test fake says it
            return self._listed(page_id, edge, q)
        before = len(self.posts)
        answer = super().handle(request)
        if len(self.posts) > before:
            self.posts[-1]["created_time"] = time.time()
        if answer.status == 200 and self.faults.draw(self.faults.lose_rate):
            self.faults.note("facebook posted, answer lost (502)")
            return Answer(502, None)
        return answer

    def _listed(self, page_id: str, edge: str, q: dict[str, str]) -> Answer:
        """The page's own posts (the test fake lists every page's), newest first, as Graph
        pages them: `limit` (at most 100) from the `after` cursor, only those created at or
        after `since` (a Unix time), and `paging.next` while more are left."""
        unpublished = edge == "scheduled_posts"
        since = float(q.get("since") or 0)
        rows = [
            {"id": p["id"], "message": p.get("message", p.get("caption", ""))}
            for p in reversed(self.posts)
            if p["id"].startswith(f"{page_id}_")
            and (p.get("published") == "false") == unpublished
            and p.get("created_time", 0) >= since
        ]
        start = int(q.get("after") or 0)
        limit = min(100, int(q.get("limit") or 25))
        answer: dict[str, Any] = {"data": rows[start : start + limit]}
        if start + limit < len(rows):
            more = {k: v for k, v in q.items() if k != "after"} | {"after": str(start + limit)}
            answer["paging"] = {"next": f"{self.url}/{page_id}/{edge}?{urlencode(more)}"}
        return Answer(200, answer)

    def tally(self) -> Tally:
        with self.lock:
            texts = [(p["id"], p.get("message") or p.get("caption") or "") for p in self.posts]
        return tally_of(texts)


class BenchGoogle(FakeGoogle):
    """YouTube Data API v3 for `channels` channels (access token "ya29.bench{i}")."""

    def __init__(self, channels: int, faults: Faults) -> None:
        super().__init__()
        self.faults = faults
        self.valid = {self.access_token(i) for i in range(channels)}
        self.received = 0

    @staticmethod
    def channel_id(i: int) -> str:
        return f"UCbench{i:04d}"

    @staticmethod
    def access_token(i: int) -> str:
        return f"ya29.bench{i}"

    def handle(self, request: Request) -> Answer:
        self.received += 1
        uploading = request.path.startswith("/upload/")
        if uploading and self.faults.draw(self.faults.fail_rate):
            kind = self.faults.pick(["5xx", "rate", "429"])
            self.faults.note(f"youtube {kind}")
            if kind == "5xx":
                return Answer(503, _google_error(503, "Backend Error", "backendError"))
            if kind == "rate":
                return Answer(403, _google_error(403, "Rate Limit Exceeded", "rateLimitExceeded"))
            return Answer(429, _google_error(429, "Too Many Requests", "rateLimitExceeded"))
        answer = super().handle(request)
        if uploading and answer.status in (200, 201) and self.faults.draw(self.faults.lose_rate):
            self.faults.note("youtube done, answer lost (502)")
            return Answer(502, None)
        return answer

    def tally(self) -> Tally:
        with self.lock:
            texts = [(str(v["id"]), str(v["snippet"].get("title", ""))) for v in self.videos]
        return tally_of(texts)


def _google_error(code: int, message: str, reason: str) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [{"message": message, "domain": "usageLimits", "reason": reason}],
        }
    }


__all__ = ["BenchGoogle", "BenchGraph", "Faults", "Tally", "marker", "product_of", "tally_of"]
