"""Fixtures of the monitoring tests: fake servers on 127.0.0.1 (allowed to the fetcher, with
a short timeout), and sources of unit A."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from congdoan.monitoring.models import Source, SourceKind
from congdoan.monitoring.tests.fakes import FakeGraph, FakeWeb, FakeYouTube


@pytest.fixture(autouse=True)
def _fetch_settings(settings: Any) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.MONITORING_FETCH_TIMEOUT = 0.5
    settings.MONITORING_FACEBOOK_TOKEN = ""
    settings.MONITORING_YOUTUBE_API_KEY = ""
    # No accurate re-reading (the slow models) unless a test asks for it.
    settings.MONITORING_ACCURATE_MIN_RISK = 2.0
    settings.MONITORING_ACCURATE_MIN_TOXICITY = 2.0


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    server = FakeWeb().start()
    yield server
    server.stop()


@pytest.fixture
def graph(settings: Any) -> Iterator[FakeGraph]:
    server = FakeGraph().start()
    settings.FACEBOOK_GRAPH_BASE = server.url
    yield server
    server.stop()


@pytest.fixture
def youtube(settings: Any) -> Iterator[FakeYouTube]:
    server = FakeYouTube().start()
    settings.YOUTUBE_API_BASE = server.url
    yield server
    server.stop()


@pytest.fixture
def make_source(cast: Any) -> Any:
    def make(kind: str = SourceKind.RSS, **fields: Any) -> Source:
        fields.setdefault("name", f"Nguồn {kind} {Source.objects.count() + 1}")
        return Source.objects.create(unit=cast.unit_a, kind=kind, **fields)

    return make
