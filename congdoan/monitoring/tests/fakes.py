"""Fakes on 127.0.0.1 of what monitoring reads: any web server (feeds, pages, tip links), the
Facebook Graph API (a Page's posts) and the YouTube Data API v3 (a video's comment threads).

- `FakeWeb`: GET of scripted routes (`route(path, body=…, status=…, headers=…)`), with the
  misbehaviours a feed can have: a redirect (`redirect`), an endless or huge body streamed
  without a length (`stream(path, total_bytes)`), an answer that never comes (`hang`).
- `FakeGraph`: ``GET /{page_id}/posts?access_token=…&fields=…&limit=…&after=…`` as the Graph
  API answers it (``data`` + ``paging.cursors.after`` + ``paging.next``); a wrong token gets
  error 190 (OAuthException), an unknown page error 100.
- `FakeYouTube`: ``GET /youtube/v3/commentThreads?part=snippet&videoId=…&pageToken=…`` with
  ``key=`` or ``Authorization: Bearer``; ``items`` + ``nextPageToken``; a wrong key 400
  keyInvalid, a video with comments off 403 commentsDisabled.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Streamed in 64 KiB chunks without a Content-Length (a feed of 50 MB, or an endless one).
    stream_bytes: int = 0
    # Seconds before answering anything (a feed that never answers).
    delay: float = 0.0


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FakeWeb:
    """A GET server; subclasses answer JSON APIs through `answer(seen) -> (status, payload)`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                seen = Seen(
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                with server.lock:
                    server.seen.append(seen)
                    route = server.routes.get(parts.path)
                try:
                    if route is None:
                        status, payload = server.answer(seen)
                        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                        route = Route(
                            status=status,
                            body=data,
                            headers={"Content-Type": "application/json; charset=utf-8"},
                        )
                    self._send(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (size cap, timeout)

            def _send(self, route: Route) -> None:
                if route.delay:
                    server.stopping.wait(route.delay)
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.stream_bytes:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<item><title>x</title></item>" * 2200  # ~64 KiB
                    sent = 0
                    while sent < route.stream_bytes and not server.stopping.is_set():
                        self.wfile.write(chunk)
                        sent += len(chunk)
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    # --- scripting ---
    def route(
        self,
        path: str,
        body: str | bytes = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self.lock:
            self.routes[path] = Route(
                status=status,
                body=data,
                headers={"Content-Type": content_type, **(headers or {})},
                delay=delay,
            )
        return self.url + path

    def redirect(self, path: str, location: str, *, status: int = 302) -> str:
        with self.lock:
            self.routes[path] = Route(status=status, headers={"Location": location})
        return self.url + path

    def stream(self, path: str, total_bytes: int, *, content_type: str = "application/xml") -> str:
        with self.lock:
            self.routes[path] = Route(
                stream_bytes=total_bytes, headers={"Content-Type": content_type}
            )
        return self.url + path

    def hang(self, path: str, seconds: float = 30.0) -> str:
        return self.route(path, "<rss/>", delay=seconds)

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for s in self.seen if s.path == path)

    def answer(self, seen: Seen) -> tuple[int, Any]:
        return 404, {"error": "not found"}


def rss(items: list[dict[str, str]], *, title: str = "Báo Lao Động") -> str:
    """An RSS 2.0 document: each item's keys among guid, title, link, description, author,
    pubDate."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{title}</title><link>https://laodong.example/</link>",
    ]
    for item in items:
        out.append("<item>")
        for key in ("guid", "title", "link", "description", "author", "pubDate"):
            if key in item:
                value = item[key]
                if key == "description":
                    value = f"<![CDATA[{value}]]>"
                out.append(f"<{key}>{value}</{key}>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out)


class FakeGraph(FakeWeb):
    def __init__(self, token: str = "page-token") -> None:
        super().__init__()
        self.tokens = {token}
        self.posts: dict[str, list[dict[str, Any]]] = {}  # page id → newest first
        self.page_size = 2

    def add_post(
        self, page_id: str, post_id: str, message: str, *, created: str = "2026-12-01T08:00:00+0000"
    ) -> None:
        self.posts.setdefault(page_id, []).append(
            {
                "id": f"{page_id}_{post_id}",
                "message": message,
                "created_time": created,
                "permalink_url": f"https://www.facebook.com/{page_id}/posts/{post_id}",
                "from": {"name": "Trang tin Công nhân", "id": page_id},
                "shares": {"count": 3},
                "reactions": {"data": [], "summary": {"total_count": 40}},
                "comments": {"data": [], "summary": {"total_count": 7}},
            }
        )

    def answer(self, seen: Seen) -> tuple[int, Any]:
        parts = [p for p in seen.path.split("/") if p]
        if len(parts) != 2 or parts[1] != "posts":
            return 404, {"error": {"message": "Unknown path", "type": "GraphMethodException"}}
        if seen.query.get("access_token") not in self.tokens:
            return 400, {
                "error": {
                    "message": "Error validating access token: Session has expired.",
                    "type": "OAuthException",
                    "code": 190,
                }
            }
        page = parts[0]
        if page not in self.posts:
            return 400, {
                "error": {
                    "message": f"Unsupported get request. Object with ID '{page}' does not exist",
                    "type": "GraphMethodException",
                    "code": 100,
                }
            }
        posts = self.posts[page]
        start = int(seen.query.get("after") or 0)
        limit = min(int(seen.query.get("limit") or 25), self.page_size)
        chunk = posts[start : start + limit]
        payload: dict[str, Any] = {"data": chunk}
        if start + limit < len(posts):
            after = str(start + limit)
            payload["paging"] = {
                "cursors": {"before": str(start), "after": after},
                "next": f"{self.url}/{page}/posts?after={after}",
            }
        return 200, payload


class FakeYouTube(FakeWeb):
    def __init__(self, key: str = "yt-key", bearer: str = "yt-access") -> None:
        super().__init__()
        self.keys = {key}
        self.bearers = {bearer}
        self.comments: dict[str, list[dict[str, Any]]] = {}  # video id → threads
        self.disabled: set[str] = set()
        self.page_size = 2

    def add_comment(
        self,
        video: str,
        comment_id: str,
        text: str,
        *,
        author: str = "Nguyễn Văn A",
        published: str = "2026-12-01T08:00:00Z",
        likes: int = 5,
        replies: int = 1,
    ) -> None:
        self.comments.setdefault(video, []).append(
            {
                "kind": "youtube#commentThread",
                "id": comment_id,
                "snippet": {
                    "videoId": video,
                    "totalReplyCount": replies,
                    "topLevelComment": {
                        "kind": "youtube#comment",
                        "id": comment_id,
                        "snippet": {
                            "videoId": video,
                            "textDisplay": text,
                            "textOriginal": text,
                            "authorDisplayName": author,
                            "authorChannelId": {"value": "UC" + comment_id},
                            "likeCount": likes,
                            "publishedAt": published,
                            "updatedAt": published,
                        },
                    },
                },
            }
        )

    def _error(self, status: int, reason: str, message: str) -> tuple[int, Any]:
        return status, {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"reason": reason, "message": message, "domain": "youtube"}],
            }
        }

    def answer(self, seen: Seen) -> tuple[int, Any]:
        if seen.path != "/youtube/v3/commentThreads":
            return 404, {"error": {"code": 404, "message": "Not Found"}}
        bearer = seen.headers.get("authorization", "").removeprefix("Bearer ")
        if seen.query.get("key") not in self.keys and bearer not in self.bearers:
            return self._error(400, "keyInvalid", "API key not valid. Please pass a valid API key.")
        video = seen.query.get("videoId", "")
        if video in self.disabled:
            return self._error(403, "commentsDisabled", "The video has disabled comments.")
        if video not in self.comments:
            return self._error(404, "videoNotFound", "The video could not be found.")
        threads = self.comments[video]
        start = int(seen.query.get("pageToken") or 0)
        size = min(int(seen.query.get("maxResults") or 20), self.page_size)
        payload: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "pageInfo": {"totalResults": len(threads), "resultsPerPage": size},
            "items": threads[start : start + size],
        }
        if start + size < len(threads):
            payload["nextPageToken"] = str(start + size)
        return 200, payload


__all__ = ["FakeGraph", "FakeWeb", "FakeYouTube", "Route", "Seen", "rss"]
