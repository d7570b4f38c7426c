"""`run_child` behaves as `subprocess.run` does, and its child never outlives a timeout."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from congdoan.core.processes import run_child


def test_run_child_captures_output_as_subprocess_run_does():
    done = run_child(
        ["sh", "-c", "echo dữ liệu; echo lỗi >&2; exit 3"], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, "dữ liệu\n", "lỗi\n")
    assert run_child(["cat"], input=b"abc", capture_output=True).stdout == b"abc"
    with pytest.raises(subprocess.CalledProcessError):
        run_child(["false"], check=True)


def test_run_child_kills_the_child_on_timeout(tmp_path):
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        run_child(["sh", "-c", f"echo $$ > {pid_file}; exec sleep 30"], timeout=1)
    assert time.monotonic() - started < 10
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped, not left running
