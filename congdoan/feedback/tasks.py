"""Background work of the feedback app (django-tasks; queue "default")."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

log = logging.getLogger("congdoan.feedback")


@task()
def triage_concern(concern_id: int) -> int:
    """Enqueued by every intake: triage this concern, with the others waiting, in one batch.

    Returns how many concerns the batch triaged: 0 when a batch started by an earlier
    task took this concern already (the usual case under load: one task in ~200 works).
    A batch that fails (one text the pipeline chokes on) falls back to this concern alone,
    so one bad concern cannot hold the others back; the periodic sweep retries the rest.
    """
    from congdoan.feedback.services import triage_one, triage_pending

    try:
        return triage_pending(include=concern_id)
    except Exception:
        log.exception("feedback: batch triage failed; triaging concern %s alone", concern_id)
    return triage_one(concern_id=concern_id)


@task()
def triage_waiting(limit: int = 200) -> int:
    """Triage up to `limit` waiting concerns in one batch (for an operator or a schedule)."""
    from congdoan.feedback.services import triage_pending

    return triage_pending(limit=limit)


@task()
def notify_urgent(concern_id: int) -> None:
    from congdoan.feedback.deadlines import notify_urgent as notify

    notify(concern_id=concern_id)


@task()
def deliver_answer(concern_id: int, attempt: int = 1) -> None:
    """Send the published answer back through the channel it came from (Zalo, SMS…).

    A retryable provider failure is tried again later (1, 2, 4… × CHANNELS_RETRY_MINUTES,
    up to CHANNELS_TASK_ATTEMPTS times) where the backend can defer; the last failure raises.
    """
    from congdoan.feedback.models import Concern

    concern = Concern.objects.filter(pk=concern_id).first()
    if concern is None:
        return
    try:
        from congdoan.feedback.channels import ChannelError
        from congdoan.feedback.channels import deliver_answer as deliver
    except ImportError:
        log.warning(
            "feedback: congdoan.feedback.channels.deliver_answer is not available; answer %s not pushed",
            concern.code,
        )
        return
    try:
        deliver(concern)
    except ChannelError as exc:
        attempts = getattr(settings, "CHANNELS_TASK_ATTEMPTS", 1)
        minutes = getattr(settings, "CHANNELS_RETRY_MINUTES", 5)
        if (
            getattr(exc, "retryable", False)
            and attempt < attempts
            and deliver_answer.get_backend().supports_defer
        ):
            later = timezone.now() + timedelta(minutes=minutes * 2 ** (attempt - 1))
            deliver_answer.using(run_after=later).enqueue(concern_id, attempt + 1)
            log.warning(
                "feedback: answer %s not delivered (%s); retry %s later",
                concern.code,
                exc,
                attempt + 1,
            )
            return
        raise


@task()
def feedback_check_deadlines(reschedule: bool = False) -> dict[str, int]:
    """Triage leftovers, remind, escalate and erase old contacts; with `reschedule`, run again later.

    Re-enqueuing itself with `run_after` keeps one sweep alive on the database backend
    without cron; `congdoan feedback check-deadlines --schedule` starts the chain.
    """
    from congdoan.feedback.deadlines import check_deadlines

    counts = check_deadlines()
    if reschedule:
        later = timezone.now() + timedelta(minutes=settings.FEEDBACK_CHECK_EVERY_MINUTES)
        feedback_check_deadlines.using(run_after=later).enqueue(reschedule=True)
    return counts
