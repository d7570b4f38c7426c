"""Fetching a public address, safely (SSRF): feeds, watched pages, tip links, evidence.

A tip link is typed by anyone who can log in, so the fetcher must never be turned against the
server's own network (127.0.0.1, 10.x, 169.254.169.254 of a cloud's metadata, ::1…).

Steps of `safe_get`:
1. the address must be http or https with a host name;
2. the host name is resolved once; every address it resolves to must be public (not private,
   loopback, link-local, reserved, shared, multicast or unspecified; an IPv4 address mapped
   into IPv6 is judged as the IPv4 one), else `FetchRefused`;
3. the connection goes to the address that was checked (the URL's host is replaced by it, the
   Host header and TLS's SNI keep the name), so a second DNS answer cannot point elsewhere
   (DNS rebinding);
4. redirects are followed by hand, at most `MAX_REDIRECTS`, each new address checked again;
5. the body is read as a stream and refused as soon as it passes `max_bytes` (after
   decompression, so a small gzip bomb is refused too); each read waits at most
   MONITORING_FETCH_TIMEOUT seconds and the whole answer at most `TOTAL_TIMEOUT_FACTOR` times
   that (a server that trickles one byte a second is cut).

`settings.MONITORING_FETCH_ALLOWED_HOSTS` names hosts exempt from step 2 (the tests' fake
servers on 127.0.0.1; an intranet portal a deployment chooses to watch). The match is on the
host as written in the address, so "localhost" is still refused when "127.0.0.1" is allowed.

The client is httpx like the outbox's (`congdoan.outbox.http`): the same kind of timeouts, no
retries of its own (a source is fetched again at its next turn), no proxy from the environment,
and no kept-alive connections (a connection made for one host name is never reused for another
that shares its address).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MAX_REDIRECTS = 5
TOTAL_TIMEOUT_FACTOR = 3
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "congdoan-monitoring/1 (+https://github.com/congdoan)"


class ExplainedError(Exception):
    """An error whose message is shown to officers, kept to be shown again in the reader's
    language. Raised with a msgid and its parameters (``FetchFailed(gettext_noop("… %(url)s"),
    url=…)``): `str()` is the message in the active language; `template` and `params` are
    what `Source.last_error` and `last_error_params` store. Raised with a finished message:
    that message alone (shown as it is)."""

    def __init__(self, template: str, **params: Any) -> None:
        self.template = str(template)
        self.params = {k: v if isinstance(v, int | float) else str(v) for k, v in params.items()}
        message = _(self.template)
        super().__init__(message % self.params if self.params else message)

    @property
    def stored(self) -> dict[str, Any]:
        """The error as a stored message (`congdoan.monitoring.messages`): inside a timeline
        event's text, shown again in the reader's language."""
        return {"msgid": self.template, "params": dict(self.params)}


class FetchError(ExplainedError):
    """Why an address was not read (the message is shown to officers)."""


class FetchRefused(FetchError):
    """Not fetched on purpose: not http(s), a private address, too big."""


class FetchFailed(FetchError):
    """Tried and failed: timeout, refused or cut connection, unknown host."""


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    url: str  # the final address, after redirects

    def text(self) -> str:
        """The body decoded by its declared charset, else UTF-8 (bad bytes replaced)."""
        charset = "utf-8"
        content_type = self.headers.get("content-type", "")
        for part in content_type.split(";")[1:]:
            name, _sep, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip("\"' ")
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


_lock = threading.Lock()
_client: httpx.Client | None = None
_client_timeout: float | None = None


def _http() -> httpx.Client:
    """The process's fetching client, rebuilt when the timeout setting changes (tests)."""
    global _client, _client_timeout
    timeout = float(settings.MONITORING_FETCH_TIMEOUT)
    with _lock:
        if _client is None or _client_timeout != timeout:
            if _client is not None:
                _client.close()
            _client = httpx.Client(
                timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                headers={"User-Agent": USER_AGENT},
                follow_redirects=False,
                trust_env=False,
                limits=httpx.Limits(max_keepalive_connections=0),
            )
            _client_timeout = timeout
        return _client


def is_public_address(address: str) -> bool:
    """Whether an IP address may be fetched: global unicast only."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast and not ip.is_reserved


def _allowed_host(host: str) -> bool:
    allowed = {h.lower().rstrip(".") for h in settings.MONITORING_FETCH_ALLOWED_HOSTS}
    return host.lower().rstrip(".") in allowed


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchRefused(gettext_noop("Địa chỉ không hợp lệ: %(url)s"), url=url[:200]) from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchRefused(
            gettext_noop("Chỉ lấy được địa chỉ http hoặc https (không lấy %(scheme)s)."),
            scheme=parsed.scheme or "?",
        )
    if not parsed.raw_host:
        raise FetchRefused(gettext_noop("Địa chỉ không có tên miền: %(url)s"), url=url[:200])
    if parsed.userinfo:
        raise FetchRefused(gettext_noop("Địa chỉ có kèm tên đăng nhập, mật khẩu: không lấy."))
    return parsed


def _resolve(parsed: httpx.URL) -> str | None:
    """The public address to connect to, or None for an allowed host (connect by name)."""
    host = parsed.raw_host.decode("ascii")
    if _allowed_host(host):
        return None
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(gettext_noop("Không tìm thấy tên miền %(host)s."), host=host) from exc
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchFailed(gettext_noop("Không tìm thấy tên miền %(host)s."), host=host)
    private = [a for a in addresses if not is_public_address(a)]
    if private:
        raise FetchRefused(
            gettext_noop("Không lấy địa chỉ nội bộ, riêng tư: %(host)s (%(address)s)."),
            host=host,
            address=private[0],
        )
    return addresses[0]


def check_url(url: str) -> None:
    """Raise FetchRefused (or FetchFailed: unknown host) for an address safe_get would refuse."""
    _resolve(_parse(url))


def _read(response: httpx.Response, *, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_big(max_bytes)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _too_big(max_bytes)
        if time.monotonic() > deadline:
            raise FetchFailed(gettext_noop("Quá thời gian chờ khi đọc nội dung."))
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(max_bytes: int) -> FetchRefused:
    return FetchRefused(
        gettext_noop("Nội dung quá lớn (giới hạn %(mb).1f MB)."), mb=max_bytes / (1024 * 1024)
    )


def safe_get(
    url: str, *, max_bytes: int | None = None, headers: dict[str, str] | None = None
) -> Fetched:
    """GET a public address (steps in the module's docstring); any HTTP status is returned.

    Raises FetchRefused or FetchFailed; never another exception for what the remote side does.
    """
    limit = settings.MONITORING_MAX_FETCH_BYTES if max_bytes is None else max_bytes
    timeout = float(settings.MONITORING_FETCH_TIMEOUT)
    deadline = time.monotonic() + timeout * TOTAL_TIMEOUT_FACTOR
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parsed = _parse(current)
        address = _resolve(parsed)
        request_headers = {"Accept": "*/*", **(headers or {})}
        extensions: dict[str, str] = {}
        target = parsed
        if address is not None:
            target = parsed.copy_with(host=address)
            request_headers["Host"] = parsed.netloc.decode("ascii")
            if parsed.scheme == "https":
                extensions["sni_hostname"] = parsed.raw_host.decode("ascii")
        try:
            with _http().stream(
                "GET", target, headers=request_headers, extensions=extensions
            ) as response:
                location = response.headers.get("location", "")
                if response.status_code in REDIRECT_STATUSES and location:
                    current = urljoin(str(parsed), location)
                    continue
                body = _read(response, max_bytes=limit, deadline=deadline)
                return Fetched(
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=body,
                    url=str(parsed),
                )
        except httpx.TimeoutException as exc:
            raise FetchFailed(
                gettext_noop("Quá thời gian chờ (%(seconds)s giây): %(url)s"),
                seconds=f"{timeout:g}",
                url=current[:200],
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchFailed(
                gettext_noop("Không kết nối được %(url)s (%(error)s)"),
                url=current[:200],
                error=exc.__class__.__name__,
            ) from exc
    raise FetchFailed(gettext_noop("Chuyển hướng quá %(n)s lần."), n=MAX_REDIRECTS)
