"""core.pdf: PDF from HTML with the Vietnamese font, offline."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from congdoan.core import pdf


def _page(body: str) -> str:
    fonts = pdf.pdf_fonts()
    return (
        "<html><head><style>@page { size: A4 }"
        f"@font-face {{ font-family: '{fonts.family}'; src: url('{fonts.regular.as_uri()}') }}"
        f"body {{ font-family: '{fonts.family}' }}</style></head><body>{body}</body></html>"
    )


def test_html_becomes_a_pdf_in_the_vietnamese_font() -> None:
    fonts = pdf.pdf_fonts()
    assert fonts.regular.is_file() and fonts.bold.is_file()
    assert set(fonts.context()) == {"font_family", "font_regular", "font_bold"}
    data = pdf.html_to_pdf(_page("<h1>Công đoàn cơ sở: Giấy chứng nhận</h1>"))
    assert data.startswith(b"%PDF")
    assert len(pdf.render_html(_page("<p>Một trang</p>")).pages) == 1


def test_a_remote_address_in_the_html_is_never_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[Any] = []

    def no_network(*args: Any, **kwargs: Any) -> None:
        tried.append(args)
        raise OSError("network used")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    html = _page(
        '<link rel="stylesheet" href="https://cdn.example.com/site.css">'
        '<p>Ảnh: <img src="https://tracker.example.com/pixel.png" alt="x"></p>'
        "<p style=\"background: url('http://example.com/bg.png')\">nền</p>"
    )
    assert pdf.html_to_pdf(html).startswith(b"%PDF")
    assert tried == []
    with pytest.raises(ValueError, match="local only"):
        pdf.fetch_offline("https://tracker.example.com/pixel.png")
    with pytest.raises(ValueError, match="local only"):
        pdf.fetch_offline("ftp://example.com/a")


def test_embedded_data_is_read() -> None:
    uri = pdf.data_uri("text/plain", "xin chào".encode())
    assert uri.startswith("data:text/plain;base64,")
    assert pdf.fetch_offline(uri) is not None
