"""A threaded JSON HTTP server on 127.0.0.1:0 with scripted failures."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None


@dataclass
class Failure:
    """One scripted misbehaviour, used by the next request."""

    status: int = 200  # HTTP status to answer (5xx → retryable)
    payload: Any = None  # JSON to answer instead of the normal one
    delay: float = 0.0  # seconds to wait before answering (timeouts)


@dataclass
class _State:
    requests: list[Recorded] = field(default_factory=list)
    script: deque[Failure] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeServer:
    """Subclasses implement `handle(rec) -> (status, json)` for a request that is not scripted."""

    def __init__(self) -> None:
        self.state = _State()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    parsed = json.loads(body.decode("utf-8")) if body else None
                except (UnicodeDecodeError, json.JSONDecodeError):
                    parsed = None
                rec = Recorded(
                    method="POST",
                    path=self.path,
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                    json=parsed,
                )
                with server.state.lock:
                    server.state.requests.append(rec)
                    failure = server.state.script.popleft() if server.state.script else None
                if failure is not None:
                    if failure.delay:
                        time.sleep(failure.delay)
                    if failure.payload is not None or failure.status != 200:
                        self._answer(failure.status, failure.payload or {"error": "scripted"})
                        return
                status, payload = server.handle(rec)
                self._answer(status, payload)

            def _answer(self, status: int, payload: Any) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- lifecycle ---
    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def url(self) -> str:
        port = self.httpd.server_address[1]
        return f"http://127.0.0.1:{port}"

    # --- recording and scripting ---
    @property
    def requests(self) -> list[Recorded]:
        with self.state.lock:
            return list(self.state.requests)

    def fail_next(
        self, times: int = 1, *, status: int = 200, payload: Any = None, delay: float = 0.0
    ) -> None:
        with self.state.lock:
            for _ in range(times):
                self.state.script.append(Failure(status=status, payload=payload, delay=delay))

    def handle(self, rec: Recorded) -> tuple[int, Any]:  # pragma: no cover - abstract
        raise NotImplementedError
