"""The fetcher reads public addresses only (SSRF), within a size cap and a timeout."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from congdoan.monitoring import fetch
from congdoan.monitoring.fetch import FetchFailed, FetchRefused, check_url, safe_get
from congdoan.monitoring.tests.fakes import FakeWeb


def test_it_reads_an_allowed_server(web: FakeWeb) -> None:
    url = web.route("/feed", "<rss/>", content_type="application/rss+xml; charset=utf-8")
    got = safe_get(url)
    assert got.status == 200
    assert got.body == b"<rss/>"
    assert got.headers["content-type"].startswith("application/rss+xml")
    assert got.text() == "<rss/>"


def test_it_refuses_loopback_when_not_allowed(web: FakeWeb, settings: Any) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    url = web.route("/feed", "<rss/>")
    with pytest.raises(FetchRefused):
        safe_get(url)
    assert web.hits("/feed") == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/x",
        "http://10.0.0.5/admin",
        "http://172.16.3.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://0x7f.1/",
    ],
)
def test_it_refuses_private_and_special_addresses(url: str, settings: Any) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(FetchRefused):
        safe_get(url)
    with pytest.raises(FetchRefused):
        check_url(url)


def test_it_refuses_a_host_name_that_resolves_to_a_private_address(web: FakeWeb) -> None:
    # "127.0.0.1" is allowed (the fake server), but the name "localhost" is judged by where it
    # resolves: loopback.
    web.route("/feed", "<rss/>")
    with pytest.raises(FetchRefused, match="localhost"):
        safe_get(f"http://localhost:{web.port}/feed")
    assert web.hits("/feed") == 0


@pytest.mark.parametrize(
    "target",
    [
        "http://localhost:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ],
)
def test_it_refuses_a_redirect_to_a_private_address(web: FakeWeb, target: str) -> None:
    web.route("/secret", "secret")
    url = web.redirect("/go", target.format(port=web.port))
    with pytest.raises(FetchRefused):
        safe_get(url)
    assert web.hits("/go") == 1
    assert web.hits("/secret") == 0


def test_it_follows_a_redirect_to_an_allowed_address(web: FakeWeb) -> None:
    web.route("/new", "moved here")
    url = web.redirect("/old", "/new", status=301)
    got = safe_get(url)
    assert got.body == b"moved here"
    assert got.url.endswith("/new")


def test_it_stops_after_five_redirects(web: FakeWeb) -> None:
    for i in range(7):
        web.redirect(f"/r{i}", f"/r{i + 1}")
    with pytest.raises(FetchFailed):
        safe_get(web.url + "/r0")
    assert web.hits("/r6") == 0


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/feed.xml",
        "gopher://127.0.0.1:6379/_INFO",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "dict://127.0.0.1:11211/",
        "http:///no-host",
        "http://user:pass@example.com/",
    ],
)
def test_it_refuses_other_schemes_and_odd_addresses(url: str) -> None:
    with pytest.raises(FetchRefused):
        safe_get(url)


def test_a_50_mb_feed_is_refused_by_the_size_cap_while_it_streams(web: FakeWeb) -> None:
    url = web.stream("/huge.xml", 50 * 1024 * 1024)
    started = time.monotonic()
    with pytest.raises(FetchRefused, match="quá lớn"):
        safe_get(url, max_bytes=2 * 1024 * 1024)
    assert time.monotonic() - started < 5
    # The server is still up for the next request.
    web.route("/small", "ok")
    assert safe_get(web.url + "/small").body == b"ok"


def test_a_declared_length_over_the_cap_is_refused_before_reading(web: FakeWeb) -> None:
    url = web.route("/big", b"x" * 5000)
    with pytest.raises(FetchRefused):
        safe_get(url, max_bytes=1000)


def test_a_feed_that_never_answers_times_out(web: FakeWeb, settings: Any) -> None:
    settings.MONITORING_FETCH_TIMEOUT = 0.3
    url = web.hang("/slow", seconds=30)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="thời gian"):
        safe_get(url)
    assert time.monotonic() - started < 3


def test_a_refused_connection_fails_cleanly(settings: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchFailed):
        safe_get(f"http://127.0.0.1:{port}/")


def test_it_connects_to_the_address_it_checked(
    web: FakeWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One DNS answer, checked, then used: the name is never resolved a second time."""
    calls: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(host)
        if host == "feed.rebind.test":
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    # Pretend loopback is public for this one test, so the check passes and the fake answers.
    monkeypatch.setattr(fetch, "is_public_address", lambda address: address == "127.0.0.1")
    web.route("/feed", "<rss/>")
    got = safe_get(f"http://feed.rebind.test:{web.port}/feed")
    assert got.body == b"<rss/>"
    assert calls.count("feed.rebind.test") == 1  # the connection itself went to 127.0.0.1
    assert web.seen[-1].headers["host"] == f"feed.rebind.test:{web.port}"


def test_an_unknown_host_fails(settings: Any) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(FetchFailed):
        safe_get("http://no-such-host.invalid/feed")


def test_public_addresses_are_told_apart() -> None:
    assert fetch.is_public_address("8.8.8.8")
    assert fetch.is_public_address("2001:4860:4860::8888")
    assert not fetch.is_public_address("10.1.2.3")
    assert not fetch.is_public_address("::ffff:10.1.2.3")
    assert not fetch.is_public_address("not an address")
