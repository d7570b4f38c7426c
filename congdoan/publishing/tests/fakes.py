"""Local fakes of the Facebook Graph API and of Google (OAuth token endpoint, YouTube Data API
v3 with resumable uploads): real HTTP on 127.0.0.1, answering as the platforms document,
errors, expired tokens and rate limits included. Tests script their misbehaviour."""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Answer:
    status: int
    payload: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    form: dict[str, str]
    files: dict[str, bytes]


def _form(headers: dict[str, str], body: bytes) -> tuple[dict[str, str], dict[str, bytes]]:
    kind = headers.get("content-type", "")
    if kind.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}, {}
    if kind.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + kind.encode() + b"\r\n\r\n" + body
        )
        form: dict[str, str] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True)
            assert isinstance(data, bytes)
            if part.get_filename():
                files[str(name)] = data
            else:
                form[str(name)] = data.decode("utf-8")
        return form, files
    return {}, {}


class FakeServer:
    """Threaded HTTP server; subclasses implement `handle(request) -> Answer`."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.script: deque[Answer] = deque()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                headers = {k.lower(): v for k, v in self.headers.items()}
                form, files = _form(headers, body)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers=headers,
                    body=body,
                    form=form,
                    files=files,
                )
                with fake.lock:
                    fake.requests.append(request)
                    scripted = fake.script.popleft() if fake.script else None
                    answer = scripted or fake.handle(request)
                data = b"" if answer.payload is None else json.dumps(answer.payload).encode()
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _any

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> Self:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def then(self, status: int, payload: Any = None, **headers: str) -> None:
        """The next request gets this answer instead of the normal one."""
        self.script.append(Answer(status, payload, dict(headers)))

    def handle(self, request: Request) -> Answer:
        raise NotImplementedError


def graph_error(code: int, message: str, subcode: int | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "AbCdEf"
    return {"error": error}


EXPIRED = graph_error(
    190, "Error validating access token: Session has expired on Sunday, 06-Dec-26.", 463
)
RATE_LIMITED = graph_error(32, "Page request limit reached")


class FakeGraph(FakeServer):
    """Graph API: /{page}/feed, /{page}/photos, and Facebook Login's token exchanges."""

    PAGE_ID = "1029384756"
    PAGE_TOKEN = "EAAPageToken"

    def __init__(self) -> None:
        super().__init__()
        self.tokens = {self.PAGE_TOKEN: self.PAGE_ID}
        self.posts: list[dict[str, Any]] = []
        self.ids = itertools.count(1)
        # Post, then answer 502 this many times (Facebook posted; the answer was lost).
        self.lose_answers = 0

    def _posted(self, answer: Answer) -> Answer:
        if self.lose_answers:
            self.lose_answers -= 1
            return Answer(502, None)
        return answer

    def handle(self, request: Request) -> Answer:
        q = {**request.query, **request.form}
        if request.path == "/oauth/access_token":
            if q.get("grant_type") == "fb_exchange_token":
                return Answer(200, {"access_token": "EAALongUser", "token_type": "bearer"})
            if q.get("code") == "good-code":
                return Answer(200, {"access_token": "EAAShortUser", "expires_in": 5183})
            return Answer(400, graph_error(100, "Invalid verification code format."))
        if request.path == "/debug_token":
            return Answer(200, {"data": {"is_valid": True, "data_access_expires_at": 1893456000}})
        if request.path == "/me/accounts":
            page = {"id": self.PAGE_ID, "name": "Công đoàn PX-A", "access_token": self.PAGE_TOKEN}
            return Answer(200, {"data": [page]})
        page_id, _slash, edge = request.path.strip("/").partition("/")
        if self.tokens.get(q.get("access_token", "")) != page_id:
            return Answer(400, EXPIRED)
        if request.method == "GET" and edge in ("feed", "scheduled_posts"):
            unpublished = edge == "scheduled_posts"
            rows = [
                {"id": p["id"], "message": p.get("message", p.get("caption", ""))}
                for p in reversed(self.posts)
                if (p.get("published") == "false") == unpublished
            ]
            return Answer(200, {"data": rows[: int(q.get("limit", "25"))]})
        if edge == "feed":
            if not q.get("message") and not q.get("link"):
                return Answer(400, graph_error(100, "(#100) Missing message or attachment"))
            post_id = f"{page_id}_{next(self.ids)}"
            self.posts.append({"id": post_id, **q})
            return self._posted(Answer(200, {"id": post_id}))
        if edge == "photos":
            if "source" not in request.files:
                return Answer(400, graph_error(324, "(#324) Requires upload file"))
            post_id = f"{page_id}_{next(self.ids)}"
            self.posts.append({"id": post_id, "photo": request.files["source"], **q})
            return self._posted(Answer(200, {"id": str(next(self.ids)), "post_id": post_id}))
        return Answer(404, graph_error(803, "Unknown path"))


class FakeGoogle(FakeServer):
    """oauth2.googleapis.com/token and the YouTube Data API v3 (resumable upload, channels)."""

    REFRESH = "1//refresh-token"
    CHANNEL_ID = "UCabc123"

    def __init__(self) -> None:
        super().__init__()
        self.valid: set[str] = {"ya29.first"}
        self.refreshes = 0
        self.sessions: dict[str, dict[str, Any]] = {}
        self.videos: list[dict[str, Any]] = []
        self.ids = itertools.count(1)
        self.revoked = False
        # Answer 503 to the PUT of this many chunks from now on (a cut connection).
        self.cut_after_chunks: int | None = None

    def handle(self, request: Request) -> Answer:
        if request.path == "/token":
            return self._token(request.form)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.valid:
            return Answer(
                401,
                {
                    "error": {
                        "code": 401,
                        "message": "Invalid Credentials",
                        "errors": [{"reason": "authError"}],
                    }
                },
            )
        if request.path == "/youtube/v3/channels":
            return Answer(
                200, {"items": [{"id": self.CHANNEL_ID, "snippet": {"title": "CĐ PX-A"}}]}
            )
        if request.path == "/upload/youtube/v3/videos" and request.method == "POST":
            sid = f"s{next(self.ids)}"
            self.sessions[sid] = {
                "size": int(request.headers["x-upload-content-length"]),
                "data": b"",
                "meta": json.loads(request.body),
            }
            return Answer(200, None, {"Location": f"{self.url}/upload/session/{sid}"})
        if request.path.startswith("/upload/session/") and request.method == "PUT":
            return self._put(request.path.rsplit("/", 1)[-1], request)
        return Answer(404, {"error": {"code": 404, "message": "Not Found"}})

    def _token(self, form: dict[str, str]) -> Answer:
        if form.get("grant_type") == "authorization_code" and form.get("code") == "good-code":
            self.valid.add("ya29.connected")
            return Answer(
                200,
                {
                    "access_token": "ya29.connected",
                    "expires_in": 3599,
                    "refresh_token": self.REFRESH,
                    "token_type": "Bearer",
                },
            )
        if form.get("grant_type") == "refresh_token" and form.get("refresh_token") == self.REFRESH:
            if self.revoked:
                return Answer(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
            self.refreshes += 1
            token = f"ya29.fresh{self.refreshes}"
            self.valid.add(token)
            return Answer(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})
        return Answer(400, {"error": "invalid_grant", "error_description": "Bad Request"})

    def _put(self, sid: str, request: Request) -> Answer:
        session = self.sessions.get(sid)
        if session is None:
            return Answer(404, {"error": {"code": 404, "message": "Upload session expired"}})
        got = len(session["data"])
        done_range = {"Range": f"bytes=0-{got - 1}"} if got else {}
        content_range = request.headers.get("content-range", "")
        if content_range.startswith("bytes */"):
            if got == session["size"]:
                return Answer(200, session["video"])
            return Answer(308, None, done_range)
        if self.cut_after_chunks is not None:
            if self.cut_after_chunks <= 0:
                return Answer(503, {"error": {"code": 503, "message": "Backend Error"}})
            self.cut_after_chunks -= 1
        start = int(content_range.split()[1].split("-")[0])
        if start != got:
            return Answer(400, {"error": {"code": 400, "message": "Bad range"}})
        session["data"] += request.body
        got = len(session["data"])
        if got < session["size"]:
            return Answer(308, None, {"Range": f"bytes=0-{got - 1}"})
        video = {"id": f"vid{next(self.ids)}", "snippet": session["meta"]["snippet"]}
        session["video"] = video
        self.videos.append({**video, "bytes": session["data"], "status": session["meta"]["status"]})
        return Answer(201, video)


def running(fake: FakeServer) -> Iterator[FakeServer]:
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
