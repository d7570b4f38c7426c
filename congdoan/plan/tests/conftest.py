from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from congdoan.plan.indicators import base


@pytest.fixture
def only_sources() -> Iterator[Any]:
    """Set which reach sources exist for one test (the registry is restored afterwards)."""
    saved = dict(base.REACH_SOURCES)
    saved_figures = dict(base.FIGURE_SOURCES)

    def keep(*codes: str) -> None:
        for code in list(base.REACH_SOURCES):
            if code not in codes:
                del base.REACH_SOURCES[code]

    yield keep
    base.REACH_SOURCES.clear()
    base.REACH_SOURCES.update(saved)
    base.FIGURE_SOURCES.clear()
    base.FIGURE_SOURCES.update(saved_figures)
