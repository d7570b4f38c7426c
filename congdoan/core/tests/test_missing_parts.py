"""A test that needs a missing part (Chromium, Redis, Tesseract, the data sets) skips on a
developer's machine and fails in CI (`CI=true`): congdoan/testing.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from congdoan import testing

EXAMPLE = Path(__file__).with_name("needs_datasets_example.py")


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("1", True), ("", False)])
def test_ci_is_what_the_runner_says(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("CI", value)
    assert testing.in_ci() is expected


def test_a_missing_part_skips_with_its_name_and_reason_on_a_developers_machine(
    local: None,
) -> None:
    with pytest.raises(pytest.skip.Exception, match="redis is missing: not answering"):
        testing.missing("redis", "not answering")


def test_a_missing_part_fails_in_ci(ci: None) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"CI=true.*redis is missing: not answering"):
        testing.missing("redis", "not answering")


def test_require_does_nothing_when_the_part_is_there(ci: None) -> None:
    testing.require("tesseract", None)


def test_a_module_that_cannot_be_imported_fails_in_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert testing.require_module("json").dumps(1) == "1"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="khong_co_goi_nay"):
        testing.require_module("khong_co_goi_nay")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="playwright is missing"):
        testing.require_module("khong_co_goi_nay", "playwright")


def test_markers_are_probed_only_on_the_tests_that_carry_them(
    request: pytest.FixtureRequest, ci: None
) -> None:
    asked: list[str] = []

    def gone() -> str:
        asked.append("tesseract")
        return "no binary"

    probes = {"tesseract": gone, "browser": lambda: "no Chromium"}
    testing.require_for_markers(request.node, probes)  # this test carries neither marker
    request.node.add_marker("tesseract")
    with pytest.raises(pytest.fail.Exception, match="tesseract is missing: no binary"):
        testing.require_for_markers(request.node, probes)
    assert asked == ["tesseract"]


def test_unreachable_redis_is_named_with_its_address() -> None:
    reason = testing.redis_unreachable("redis://127.0.0.1:1/0")
    assert reason is not None and "redis://127.0.0.1:1/0" in reason


@pytest.mark.parametrize(
    ("ci_value", "outcome"), [("true", "1 error"), ("", "1 skipped")], ids=["ci", "local"]
)
def test_the_root_conftest_turns_a_marked_test_without_its_part_into_a_failure_in_ci(
    tmp_path: Path, ci_value: str, outcome: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(CI=ci_value, CONGDOAN_DATASETS=str(tmp_path / "no-datasets"))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfs", "-p", "no:xdist", "-p", "no:cacheprovider",
         str(EXAMPLE)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert outcome in output and done.returncode == (1 if ci_value else 0), output
    assert f"datasets is missing: needs the public datasets at {tmp_path}" in output
