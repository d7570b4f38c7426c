"""A test that needs the public data sets, run by test_missing_parts.py in a child pytest (the
name does not start with test_, so the suite itself never collects it)."""

from __future__ import annotations

import pytest


@pytest.mark.datasets
def test_reads_the_datasets() -> None:
    raise AssertionError("never reached: the datasets are missing in the child's environment")
