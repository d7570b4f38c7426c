"""Static files: served from the collected, compressed copies once `collectstatic` ran, from
the app folders only when nothing was collected (the demo), under DEBUG or in the tests."""

from __future__ import annotations

import brotli
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from congdoan.config.settings import static_from_finders


def test_finders_only_when_nothing_was_collected(tmp_path):
    assert static_from_finders(tmp_path / "missing", debug=False, testing=False)
    assert static_from_finders(tmp_path, debug=False, testing=False)  # empty: not collected
    (tmp_path / "app.css").write_text("body{}")
    assert not static_from_finders(tmp_path, debug=False, testing=False)
    assert static_from_finders(tmp_path, debug=True, testing=False)
    assert static_from_finders(tmp_path, debug=False, testing=True)


def test_collected_file_goes_out_compressed(tmp_path):
    css = "body { color: #123456; margin: 0 auto; }\n" * 200
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text(css)
    (tmp_path / "css" / "app.css.br").write_bytes(brotli.compress(css.encode()))

    def app(request: HttpRequest) -> HttpResponse:
        return HttpResponse("not a static file", status=404)

    with override_settings(STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False):
        middleware = WhiteNoiseMiddleware(app)
        request = RequestFactory().get("/static/css/app.css", HTTP_ACCEPT_ENCODING="gzip, br")
        response = middleware(request)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    body = b"".join(response.streaming_content)
    assert brotli.decompress(body).decode() == css
    assert len(body) < len(css) / 5
