"""Pieces of `congdoan bench faults` (the benchmark itself never runs in the test suite)."""

from __future__ import annotations

import glob

from congdoan import testing
from congdoan_dev.bench import faults as bench


def test_quick_run_is_smaller_and_durations_are_configurable() -> None:
    quick = bench.parse(["--quick"])
    assert (quick.clients, quick.phase_seconds, quick.refuse_seconds) == (20, 20.0, 10.0)
    full = bench.parse(["--refuse-seconds", "30", "--db-down-seconds", "2"])
    assert (full.clients, full.refuse_seconds, full.db_down_seconds) == (100, 30.0, 2.0)


def test_answers_are_told_apart_and_a_503_needs_retry_after() -> None:
    assert bench.describe_answer(None, error="ConnectError") == "no answer (ConnectError)"
    assert bench.describe_answer(503, {"retry-after": "5"}) == "503 + Retry-After"
    assert bench.describe_answer(503, {}) == "503 without Retry-After"
    assert bench.describe_answer(500) == "500"


def test_stored_concerns_are_counted_by_marker_so_duplicates_show() -> None:
    counts = bench.stored_counts(
        ["[Fa-1-1] lương chậm", "[Fa-1-1] lương chậm", "[Fa-2-1] nóng", "không phải của bench"]
    )
    assert counts == {"[Fa-1-1]": 2, "[Fa-2-1]": 1}


def test_a_phase_with_a_500_or_a_lost_concern_is_not_clean() -> None:
    from collections import Counter

    good = bench.PhaseResult("a", 2, 2, 2, 2, 0, 0, Counter({"201": 2}), 2, stored_rows=2)
    assert good.clean
    assert not bench.PhaseResult("a", 2, 2, 1, 1, 0, 1, Counter({"201": 2}), 2, stored_rows=1).clean
    assert not bench.PhaseResult("a", 2, 1, 2, 2, 0, 0, Counter({"500": 1}), 2, stored_rows=2).clean
    assert not bench.PhaseResult("a", 2, 2, 2, 1, 0, 0, Counter({"201": 2}), 2, stored_rows=2).clean


def test_postgres_binaries_are_found_under_usr_lib() -> None:
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        testing.missing("PostgreSQL", "its server binaries are not installed (make system-deps)")
    assert (bench.postgres_bin() / "pg_ctl").exists()
