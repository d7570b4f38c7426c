"""Tasks the worker tests enqueue (importable by the real worker process)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

from congdoan.core.processes import popen_child


@task()
def hold_first_time(marker: str) -> int:
    """Record the worker's pid in `marker`; the first run holds on (to be killed), later runs end."""
    path = Path(marker)
    with path.open("a") as out:
        out.write(f"{os.getpid()}\n")
    if len(path.read_text().split()) == 1:
        time.sleep(120)
    return os.getpid()


@task()
def hold_with_a_child(marker: str) -> None:
    """Start a long child process (as OCR starts tesseract), write its pid, and wait on it."""
    child = popen_child(["sleep", "300"])
    Path(marker).write_text(f"{child.pid}\n")
    child.wait()
