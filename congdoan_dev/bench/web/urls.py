"""The URL conf of `congdoan bench web`: the project's URLs and `/bench/bare/`, a view that does
nothing, served by the same gunicorn through the same middleware: the floor that every page's
throughput is compared with."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from congdoan.config.urls import handler400, handler403, handler404, handler500
from congdoan.config.urls import urlpatterns as project_patterns

BARE_PATH = "/bench/bare/"


def bare(request: HttpRequest) -> HttpResponse:
    """A tiny answer: what the server and the middleware cost with no page behind them."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path(BARE_PATH.lstrip("/"), bare, name="bench_bare"),
    *project_patterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
