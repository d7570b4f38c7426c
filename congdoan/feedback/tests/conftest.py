from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from congdoan.core.tests.test_browser import browser, desktop, phone  # noqa: F401  (browser fixtures)
from congdoan.feedback.models import Channel, Concern
from congdoan.feedback.services import concern_submit


@pytest.fixture(autouse=True)
def _isolated(settings: Any, tmp_path: Any) -> Any:
    """Fresh rate-limit counters; the shipped model, never a model retrained on this machine."""
    from congdoan.feedback.triage import reset_models

    cache.clear()
    settings.FEEDBACK_TRAINED_MODEL_DIR = tmp_path / "trained"
    reset_models()
    yield
    reset_models()


@pytest.fixture
def submit(django_capture_on_commit_callbacks: Any) -> Callable[..., Concern]:
    """Submit and run the triage the way the worker would (on commit)."""

    def make(text: str = "Công ty chậm trả lương tháng 10", unit: Any = None, **kw: Any) -> Concern:
        kw.setdefault("channel", Channel.WEB)
        with django_capture_on_commit_callbacks(execute=True):
            concern = concern_submit(text=text, unit=unit, **kw)
        concern.refresh_from_db()
        return concern

    return make
