"""Where a page's time goes, in this process without the server: the whole request through
the middleware (Django's test client, no network), its SQL queries and their time, the rest
(views, templates, middleware) being Python. It explains the server's figures; it is not one."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client


@dataclass(frozen=True)
class Breakdown:
    path: str
    total_ms: float  # median of the runs
    db_ms: float  # median time in SQL queries
    queries: int
    cpu_ms: float  # median CPU time of this process (holds when the machine is busy)
    slowest_sql: str  # the start of the slowest query of the last run

    @property
    def python_ms(self) -> float:
        return max(0.0, self.total_ms - self.db_ms)


class _Timer:
    """Times each SQL query of a request (Django's own capture rounds to the millisecond)."""

    def __init__(self) -> None:
        self.times: list[tuple[float, str]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times.append(((time.perf_counter() - started) * 1000, sql))


def breakdown(path: str, runs: int = 30) -> Breakdown:
    client = Client()  # a new visitor each time: no cookie is sent back
    client.get(path)  # warm: templates compiled, URL resolvers filled
    totals: list[float] = []
    cpus: list[float] = []
    db: list[float] = []
    queries = 0
    slowest = ""
    for _ in range(runs):
        timer = _Timer()
        with connection.execute_wrapper(timer):
            started, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            totals.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        db.append(sum(t for t, _sql in timer.times))
        queries = len(timer.times)
        if timer.times:
            slowest = max(timer.times)[1][:160]
        client.cookies.clear()
    return Breakdown(
        path=path,
        total_ms=statistics.median(totals),
        db_ms=statistics.median(db),
        queries=queries,
        cpu_ms=statistics.median(cpus),
        slowest_sql=slowest,
    )
