"""The bench's side of HTTP: one page and what it references fetched as a phone would
(`page_weight`), and many clients at once against one address (`load`)."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import http.client
import re
import time
from collections import Counter
from dataclasses import dataclass, field

# What Chromium asks for: the server picks among these.
ACCEPT_ENCODING = "gzip, deflate, br"
ASSET = re.compile(
    r"<link\b[^>]*\brel=[\"']?(?:stylesheet|modulepreload)[\"']?[^>]*>|<script\b[^>]*\bsrc=[^>]*>",
    re.IGNORECASE,
)
URL_ATTR = re.compile(r"\b(?:href|src)=[\"']?([^\"' >]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    path: str
    status: int
    encoding: str  # Content-Encoding of the answer ("" when sent as is)
    sent: int  # bytes of the body as transferred
    raw: int  # bytes of the body decoded
    gzipped: int  # bytes of the decoded body gzipped (level 6, as nginx or GZip would send it)


@dataclass(frozen=True)
class PageWeight:
    """A page's HTML and the stylesheets and scripts it references (images left out)."""

    html: Fetched
    assets: list[Fetched]

    @property
    def sent(self) -> int:
        """Bytes as this server sent them (HTML as Django answers it, static as WhiteNoise does)."""
        return self.html.sent + sum(a.sent for a in self.assets)

    @property
    def compressed(self) -> int:
        """Bytes with every text answer compressed: what the target is about."""
        return sum(min(f.sent, f.gzipped) for f in (self.html, *self.assets))


def _decode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli  # lazy: only when the server answers in Brotli

        return bytes(brotli.decompress(body))
    return body


def fetch(port: int, path: str) -> tuple[Fetched, bytes]:
    """GET `path` as a first-time visitor (no cookie); the figures and the decoded body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": ACCEPT_ENCODING})
        answer = conn.getresponse()
        body = answer.read()
        encoding = (answer.getheader("Content-Encoding") or "").strip().lower()
        decoded = _decode(body, encoding)
        fetched = Fetched(
            path=path,
            status=answer.status,
            encoding=encoding,
            sent=len(body),
            raw=len(decoded),
            gzipped=len(gzip.compress(decoded, compresslevel=6)),
        )
        return fetched, decoded
    finally:
        conn.close()


def referenced(html: str) -> list[str]:
    """The local stylesheets and scripts a page loads, in order, each once."""
    found: list[str] = []
    for tag in ASSET.finditer(html):
        url = URL_ATTR.search(tag.group(0))
        path = url.group(1) if url else ""
        if path.startswith("/") and not path.startswith("//") and path not in found:
            found.append(path)
    return found


def page_weight(port: int, path: str) -> PageWeight:
    html, body = fetch(port, path)
    assets = [fetch(port, url)[0] for url in referenced(body.decode("utf-8", "replace"))]
    return PageWeight(html=html, assets=assets)


# --- load -------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    sent: int = 0
    ok: int = 0  # 200 answers
    latencies: list[float] = field(default_factory=list)  # seconds, 200 answers only
    statuses: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    client_cpu: float = 0.0  # CPU seconds of the load generator (this process)

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0


async def _read_body(reader: asyncio.StreamReader) -> tuple[str, bool]:
    """Read one answer; its status and whether the server keeps the connection open."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("closed before the answer")
    length: int | None = None
    chunked, keep = False, status_line.startswith(b"HTTP/1.1")
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection":
            keep = value != "close"
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        keep = False
    parts = status_line.split()
    return (parts[1].decode() if len(parts) > 1 else "bad-response"), keep


async def load(
    port: int, path: str, *, total: int, concurrency: int, seconds: float, keep_alive: bool
) -> LoadResult:
    """GET `path` `total` times from `concurrency` clients at once, or for `seconds`. With
    `keep_alive` False each request has its own connection (as nginx talks to gunicorn:
    HTTP/1.0, one connection per request)."""
    result = LoadResult()
    counter = iter(range(total))
    head = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: {ACCEPT_ENCODING}\r\n"
        "User-Agent: congdoan-bench-web\r\n"
        + ("" if keep_alive else "Connection: close\r\n")
        + "\r\n"
    ).encode()
    cpu_before = time.process_time()
    started = time.perf_counter()
    stop_at = started + seconds

    async def client() -> None:
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None

        async def close() -> None:
            nonlocal reader, writer
            if writer is not None:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
            reader = writer = None

        async def one() -> str:
            nonlocal reader, writer
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            assert reader is not None
            writer.write(head)
            await writer.drain()
            status, keep = await _read_body(reader)
            if not (keep and keep_alive):
                await close()
            return status

        try:
            for _ in counter:
                if time.perf_counter() > stop_at:
                    return
                result.sent += 1
                t0 = time.perf_counter()
                try:
                    status = await asyncio.wait_for(one(), timeout=30)
                except TimeoutError:
                    result.statuses["timeout"] += 1
                    await close()
                    continue
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    result.statuses[type(exc).__name__] += 1
                    await close()
                    continue
                result.statuses[status] += 1
                if status == "200":
                    result.ok += 1
                    result.latencies.append(time.perf_counter() - t0)
        finally:
            await close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu_before
    return result
