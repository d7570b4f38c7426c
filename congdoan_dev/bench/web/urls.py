"""The URL conf of `congdoan bench web`: the project's URLs, `/bench/bare/`, a view that does
nothing, served by the same gunicorn through the same middleware: the floor that every page's
throughput is compared with; and `/bench/base/`, the site's base template with nothing in it:
what every page pays before its own content."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path

from congdoan.config.urls import handler400, handler403, handler404, handler500
from congdoan.config.urls import urlpatterns as project_patterns

BARE_PATH = "/bench/bare/"
BASE_PATH = "/bench/base/"


def bare(request: HttpRequest) -> HttpResponse:
    """A tiny answer: what the server and the middleware cost with no page behind them."""
    return HttpResponse(b"ok", content_type="text/plain")


def base(request: HttpRequest) -> HttpResponse:
    """The base template alone (header, menu, language switch, footer; no content, no query)."""
    return render(request, "base.html")


urlpatterns: list[URLPattern | URLResolver] = [
    path(BARE_PATH.lstrip("/"), bare, name="bench_bare"),
    path(BASE_PATH.lstrip("/"), base, name="bench_base"),
    *project_patterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
