from __future__ import annotations

from pathlib import Path

import pytest

from congdoan.text import datasets

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``datasets`` skip with a clear reason when ../shared/datasets is absent."""
    if datasets.available():
        return
    reason = f"needs the public datasets at {datasets.datasets_dir()} (set CONGDOAN_DATASETS)"
    for item in items:
        if "datasets" in item.keywords and HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))
