"""Background work of the feedback app (django-tasks; queue "default"): thin wrappers.

Each task calls one function of the app and holds no logic of its own. The services cannot
import this module (it imports them): each task is handed to `services.queue` as it is
defined (`@queue.provides`), and the services enqueue it by name, on commit. The app's
`ready()` imports this module, so the tasks are there before any request or worker runs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from congdoan.feedback import channels, deadlines, training, triage
from congdoan.feedback.models import Concern
from congdoan.feedback.services import queue


@queue.provides
@task()
def retrain_models() -> dict[str, Any]:
    """The Office's "retrain" button: topic and urgency models from the officers' labels."""
    return training.retrain_run()


@queue.provides
@task()
def triage_concern(concern_id: int) -> int:
    """Enqueued by every intake: triage this concern, with the others waiting, in one batch
    (see `triage.triage_queued`); returns how many concerns the batch triaged."""
    return triage.triage_queued(concern_id=concern_id)


@queue.provides
@task()
def notify_urgent(concern_id: int) -> None:
    """E-mail the officers about an urgent concern just triaged."""
    deadlines.notify_urgent(concern_id=concern_id)


@queue.provides
@task()
def deliver_answer(concern_id: int) -> None:
    """Queue the published answer in the outbox for the channel it came from (Zalo, SMS…);
    the outbox sends it and retries with its one policy."""
    concern = Concern.objects.filter(pk=concern_id).first()
    if concern is not None:
        channels.deliver_answer(concern)


@queue.provides
@task()
def feedback_check_deadlines(reschedule: bool = False) -> dict[str, int]:
    """Triage leftovers, remind, escalate and erase old contacts; with `reschedule`, run again later.

    `congdoan scheduler` runs the sweep on its own clock (the way to prefer). Without it,
    re-enqueuing itself with `run_after` keeps one sweep alive on the database backend;
    `congdoan feedback check-deadlines --schedule` starts the chain. The next run is queued
    before this one runs, so a failing sweep never ends the chain.
    """
    if reschedule:
        later = timezone.now() + timedelta(minutes=settings.FEEDBACK_CHECK_EVERY_MINUTES)
        feedback_check_deadlines.using(run_after=later).enqueue(reschedule=True)
    return deadlines.check_deadlines()
