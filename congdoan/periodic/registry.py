"""Periodic jobs that apps declare in their `AppConfig.ready()`.

    register_job("feedback.check_deadlines",
                 every=lambda: timedelta(minutes=settings.FEEDBACK_CHECK_EVERY_MINUTES),
                 run="congdoan.feedback.deadlines.check_deadlines")

`run` is a dotted path to a function called without arguments; `every` is read at each run,
so a changed setting applies without restarting anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Job:
    name: str
    every: Callable[[], timedelta]
    run: str


JOBS: dict[str, Job] = {}


def register_job(name: str, *, every: Callable[[], timedelta], run: str) -> None:
    JOBS[name] = Job(name=name, every=every, run=run)
