"""Background work of the feedback app (django-tasks; queue "default")."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

log = logging.getLogger("congdoan.feedback")


@task()
def retrain_models() -> dict[str, Any]:
    """The Office's "retrain" button: topic and urgency models from the officers' labels."""
    from congdoan.feedback.training import retrain_run

    return retrain_run()


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
def notify_urgent(concern_id: int) -> None:
    from congdoan.feedback.deadlines import notify_urgent as notify

    notify(concern_id=concern_id)


@task()
def deliver_answer(concern_id: int) -> None:
    """Queue the published answer in the outbox for the channel it came from (Zalo, SMS…);
    the outbox sends it and retries with its one policy."""
    from congdoan.feedback.channels import deliver_answer as deliver
    from congdoan.feedback.models import Concern

    concern = Concern.objects.filter(pk=concern_id).first()
    if concern is not None:
        deliver(concern)


@task()
def feedback_check_deadlines(reschedule: bool = False) -> dict[str, int]:
    """Triage leftovers, remind, escalate and erase old contacts; with `reschedule`, run again later.

    `congdoan scheduler` runs the sweep on its own clock (the way to prefer). Without it,
    re-enqueuing itself with `run_after` keeps one sweep alive on the database backend;
    `congdoan feedback check-deadlines --schedule` starts the chain. The next run is queued
    before this one runs, so a failing sweep never ends the chain.
    """
    from congdoan.feedback.deadlines import check_deadlines

    if reschedule:
        later = timezone.now() + timedelta(minutes=settings.FEEDBACK_CHECK_EVERY_MINUTES)
        feedback_check_deadlines.using(run_after=later).enqueue(reschedule=True)
    return check_deadlines()
