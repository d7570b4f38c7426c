"""Races on PostgreSQL, for tests: two or more jobs, each in its own thread and connection,
reach their first conflicting write while a third connection holds what they need; then it is
let go and what each job came to is collected.

Test code only (as `congdoan.testing`). SQLite runs one writer at a time, so these races are
PostgreSQL's: tests skip them on SQLite.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, connections


def race_while_held(
    hold_sql: str,
    params: Sequence[int | str],
    jobs: Mapping[str, Callable[[], str]],
    *,
    hold_s: float = 1.5,
    join_s: float = 30.0,
) -> dict[str, str]:
    """Run each job in its own thread while a third connection holds what ``hold_sql`` locks
    (``SELECT … FOR UPDATE`` of a row, ``LOCK TABLE … IN EXCLUSIVE MODE``); after ``hold_s``
    the lock is let go. Returns each job's outcome: what it returned, the first message of a
    ValidationError it raised, or the repr of any other exception."""
    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    with blocker.cursor() as cursor:
        cursor.execute(hold_sql, list(params))
    outcomes: dict[str, str] = {}

    def run(name: str, job: Callable[[], str]) -> None:
        try:
            outcomes[name] = job()
        except ValidationError as exc:
            outcomes[name] = exc.messages[0]
        except Exception as exc:  # the test's assertions read it
            outcomes[name] = repr(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in jobs.items()]
    try:
        for thread in threads:
            thread.start()
        time.sleep(hold_s)
    finally:
        blocker.rollback()
        blocker.close()
    for thread in threads:
        thread.join(join_s)
    return outcomes
