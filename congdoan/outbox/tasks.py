"""Background work of the outbox (queue "default")."""

from __future__ import annotations

from django_tasks import task

from congdoan.outbox.delivery import message_deliver


@task()
def deliver_message(message_id: int) -> str | None:
    """First try of a freshly queued message (retries come from the scheduler's flush)."""
    return message_deliver(message_id=message_id)
