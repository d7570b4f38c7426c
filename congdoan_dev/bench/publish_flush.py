"""`python -m congdoan_dev.bench.publish_flush`: the scheduler of `congdoan bench publish`,
running only the outbox's flush (the job that sends the retries), as `congdoan scheduler`
runs it (`run_due`, the job's row claimed, OUTBOX_FLUSH_EVERY_SECONDS apart), every
SCHEDULER_TICK_SECONDS, until SIGTERM or SIGINT.

Only that job: the deployment's other periodic jobs (channel token refresh, the channels'
reach figures, reminders…) would call the fake platforms with requests the benchmark does not
measure and its fakes do not speak."""

from __future__ import annotations

import os
import signal
import threading


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdoan.config.settings")
    import django

    django.setup()
    from django.conf import settings  # lazy: after django.setup()
    from django.db import DatabaseError, close_old_connections, connections

    from congdoan.periodic.scheduler import run_due  # lazy: after django.setup()

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set():
        try:
            run_due(only={"outbox.flush"})
        except DatabaseError as exc:  # SQLite busy for longer than its timeout: next tick
            print(f"publish flush: database unavailable ({exc}); retrying", flush=True)
            connections.close_all()
        close_old_connections()
        stop.wait(settings.SCHEDULER_TICK_SECONDS)


if __name__ == "__main__":
    main()
