"""The same words from two workers, triaged at the same moment by two workers, still make one
group (PostgreSQL: each triage used to miss the other's uncommitted row)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import close_old_connections, connection, connections

from congdoan.feedback.models import Channel
from congdoan.feedback.services import concern_submit
from congdoan.feedback.triage import triage_one

pytestmark = pytest.mark.django_db(transaction=True)


def test_identical_concerns_triaged_at_once_join_one_group(cast: Any, settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: no race to show")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    text = "Xe đưa đón công nhân hay đến muộn, đi làm trễ bị trừ lương"
    first, second = (
        concern_submit(text=text, unit=cast.unit_a, channel=Channel.WEB, ip=ip)
        for ip in ("10.3.0.1", "10.3.0.2")
    )
    # A third connection holds the history table: both triages stop at their last write,
    # each having looked for similar concerns while the other's was not committed.
    blocker = connections.create_connection("default")
    blocker.set_autocommit(False)
    with blocker.cursor() as cursor:
        cursor.execute("LOCK TABLE feedback_concernevent IN EXCLUSIVE MODE")

    def run(pk: int) -> None:
        try:
            triage_one(concern_id=pk)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(c.pk,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    blocker.rollback()
    blocker.close()
    for thread in threads:
        thread.join(30)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.triaged_at and second.triaged_at
    assert first.cluster_id is not None and first.cluster_id == second.cluster_id
