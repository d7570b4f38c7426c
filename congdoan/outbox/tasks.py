"""Background work of the outbox (queue "default")."""

from __future__ import annotations

from django_tasks import task

from congdoan.outbox.delivery import message_deliver, outbox_flush


@task()
def deliver_message(message_id: int) -> str | None:
    """First try of a freshly queued message (retries come from the scheduler's flush)."""
    return message_deliver(message_id=message_id)


@task()
def flush_outbox() -> dict[str, int]:
    """Deliver every due message now (an operator's nudge; the scheduler does it on its own)."""
    return outbox_flush()
