from __future__ import annotations

from typing import Any

import pytest

from congdoan.library.search import postgres, query


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_search_caches(monkeypatch: Any) -> None:
    """Each test has its own documents: what the process remembered of another's words goes."""
    query._indexed_word.cache_clear()
    monkeypatch.setattr(postgres, "_STATISTICS", {})


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run on-commit callbacks (and so the immediate task backend) inside the test transaction."""

    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
