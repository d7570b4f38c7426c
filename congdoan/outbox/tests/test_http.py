"""The one HTTP client's helpers against a real server on loopback: what each kind of trouble
becomes (retryable or final), so that every channel and the reach figures say the same."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from congdoan.outbox import http
from congdoan.outbox.errors import ChannelError
from congdoan.publishing.tests.fakes import Answer, FakeServer, Request


class Echo(FakeServer):
    def handle(self, request: Request) -> Answer:
        return Answer(
            200, {"path": request.path, "query": request.query, "headers": request.headers}
        )


@pytest.fixture
def echo(settings: Any) -> Iterator[Echo]:
    settings.OUTBOX_HTTP_TIMEOUT = 2.0
    fake = Echo().start()
    try:
        yield fake
    finally:
        fake.stop()


def test_get_json_sends_the_query_and_returns_the_object(echo: Echo) -> None:
    data = http.get_json(
        echo.url + "/v1/x", provider="Thử", params={"id": "42"}, headers={"X-Key": "k"}
    )
    assert data["path"] == "/v1/x"
    assert data["query"] == {"id": "42"}
    assert data["headers"]["x-key"] == "k"


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_server_errors_and_rate_limits_are_retryable(echo: Echo, status: int) -> None:
    echo.then(status, {"error": "busy"})
    with pytest.raises(ChannelError) as caught:
        http.get_json(echo.url + "/x", provider="Thử")
    assert caught.value.retryable
    assert caught.value.status == status


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_other_client_errors_are_final(echo: Echo, status: int) -> None:
    echo.then(status, {"error": "no"})
    with pytest.raises(ChannelError) as caught:
        http.post_json(echo.url + "/x", {"a": 1}, headers={}, provider="Thử")
    assert not caught.value.retryable
    assert caught.value.status == status


def test_json_that_is_not_an_object_is_final(echo: Echo) -> None:
    echo.then(200, ["a", "list"])
    with pytest.raises(ChannelError) as caught:
        http.get_json(echo.url + "/x", provider="Thử")
    assert not caught.value.retryable


def test_a_refused_connection_is_retryable_and_names_the_provider(settings: Any) -> None:
    settings.OUTBOX_HTTP_TIMEOUT = 1.0
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ChannelError) as caught:
        http.get_json(f"http://127.0.0.1:{port}/x", provider="Nhà cung cấp X")
    assert caught.value.retryable
    assert "Nhà cung cấp X" in str(caught.value)


def test_a_server_that_never_answers_times_out_as_retryable(settings: Any) -> None:
    settings.OUTBOX_HTTP_TIMEOUT = 0.3
    with socket.socket() as sock:  # accepts the connection, never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        with pytest.raises(ChannelError) as caught:
            http.request("GET", f"http://127.0.0.1:{port}/x", provider="Chậm")
    assert caught.value.retryable


def test_request_returns_error_answers_for_the_caller_to_read(echo: Echo) -> None:
    echo.then(400, {"error": {"code": 190}})
    response = http.request("GET", echo.url + "/x", provider="Thử")
    assert response.status_code == 400
    assert http.json_of(response) == {"error": {"code": 190}}
