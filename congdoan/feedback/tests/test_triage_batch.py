"""Batch triage: one batch triages every waiting concern, a concern is never lost, and the
queued tasks of a batch's concerns are retired (database backend)."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.feedback.deadlines import check_deadlines
from congdoan.feedback.models import Channel, Cluster, Concern, ConcernEvent, Status
from congdoan.feedback.services import concern_submit
from congdoan.feedback.triage import triage_one, triage_pending

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "ocr"]}
}


def _waiting(
    cast: Any, n: int, text: str = "Công ty chậm trả lương tháng 10 đã 20 ngày"
) -> list[Concern]:
    # No on-commit callbacks run here: as if the worker were down.
    return [
        concern_submit(text=f"{text} (tổ {i})", unit=cast.unit_a, channel=Channel.WEB)
        for i in range(n)
    ]


def test_one_batch_triages_every_waiting_concern_and_clusters_them(cast: Any) -> None:
    concerns = _waiting(cast, 5)
    concerns.append(
        concern_submit(text="Xin hỏi chế độ thai sản", unit=cast.unit_b, channel=Channel.WEB)
    )
    assert triage_pending() == 6
    rows = {c.pk: c for c in Concern.objects.all()}
    assert all(c.triaged_at is not None and c.status == Status.TRIAGED for c in rows.values())
    assert all(c.topic and c.restored_text and c.due_at for c in rows.values())
    wages = [rows[c.pk] for c in concerns[:5]]
    assert len({c.cluster_id for c in wages}) == 1 and wages[0].cluster_id is not None
    assert Cluster.objects.get(pk=wages[0].cluster_id).size == 5
    assert rows[concerns[5].pk].cluster_id is None
    assert ConcernEvent.objects.filter(kind="triage").count() == 6
    assert triage_pending() == 0  # nothing left: a no-op


def test_batch_joins_the_cluster_of_an_earlier_concern(cast: Any) -> None:
    first = _waiting(cast, 2)
    triage_pending()
    cluster_id = Concern.objects.get(pk=first[0].pk).cluster_id
    assert cluster_id is not None
    later = _waiting(cast, 3)
    assert triage_pending() == 3
    assert {Concern.objects.get(pk=c.pk).cluster_id for c in later} == {cluster_id}
    assert Cluster.objects.get(pk=cluster_id).size == 5


def test_task_of_a_concern_the_batch_took_returns_at_once(cast: Any) -> None:
    from congdoan.feedback.tasks import triage_concern

    concerns = _waiting(cast, 3)
    assert triage_concern.call(concerns[1].pk) == 3  # its task triages all waiting concerns
    assert triage_concern.call(concerns[0].pk) == 0
    assert triage_concern.call(concerns[2].pk) == 0


def test_task_takes_its_own_concern_even_behind_a_full_batch(cast: Any) -> None:
    concerns = _waiting(cast, 4)
    assert triage_pending(limit=2, include=concerns[3].pk) == 3
    assert Concern.objects.get(pk=concerns[3].pk).triaged_at is not None
    assert Concern.objects.get(pk=concerns[2].pk).triaged_at is None


def test_officers_correction_and_assignment_before_triage_are_kept(
    cast: Any, district_officer: Any
) -> None:
    from congdoan.feedback.services import concern_assign, concern_correct

    concern = _waiting(cast, 1)[0]
    concern_correct(actor=district_officer, concern=concern, topic="safety", urgency="high")
    concern_assign(actor=district_officer, concern=Concern.objects.get(pk=concern.pk))
    triage_pending()
    concern.refresh_from_db()
    assert (concern.topic, concern.urgency, concern.status) == ("safety", "high", Status.ASSIGNED)
    assert concern.triaged_at is not None and concern.restored_text


def test_a_concern_the_pipeline_chokes_on_does_not_hold_back_the_others(
    cast: Any, monkeypatch: Any
) -> None:
    from congdoan.feedback.triage import analysis

    concerns = _waiting(cast, 3)
    real = analysis.analyse_many

    def choke(texts: list[str]) -> Any:
        if any("tổ 1" in t for t in texts):
            raise ValueError("bad text")
        return real(texts)

    monkeypatch.setattr(analysis, "analyse_many", choke)
    counts = check_deadlines()
    assert counts["triaged"] == 2
    assert Concern.objects.get(pk=concerns[1].pk).triaged_at is None
    assert triage_one(concern_id=concerns[0].pk) == 0  # triaged already


@pytest.mark.django_db(transaction=True)
def test_database_backend_writes_the_task_with_the_concern_and_retires_it_in_the_batch(
    cast: Any, settings: Any
) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    _waiting(cast, 3)
    queued = DBTaskResult.objects.filter(task_path__endswith="triage_concern")
    assert queued.filter(status="READY").count() == 3  # committed together with the rows
    call_command(
        "db_worker",
        queue_name="default",
        batch=True,
        reload=False,
        startup_delay=False,
        verbosity=0,
    )
    assert Concern.objects.filter(triaged_at__isnull=True).count() == 0
    # The first task triaged the batch; the two others were retired by it (returning 0).
    assert sorted(queued.values_list("status", "return_value")) == [
        ("SUCCESSFUL", 0),
        ("SUCCESSFUL", 0),
        ("SUCCESSFUL", 3),
    ]


def test_broken_queue_still_stores_the_concern(cast: Any, settings: Any, monkeypatch: Any) -> None:
    from django_tasks_db.backend import DatabaseBackend

    settings.TASKS = DATABASE_TASKS

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("queue down")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    concern = concern_submit(text="Xin hỏi lịch nghỉ Tết", unit=cast.unit_a, channel=Channel.WEB)
    assert Concern.objects.filter(pk=concern.pk).exists()
    assert ConcernEvent.objects.filter(concern=concern, kind="submit").count() == 1
    assert check_deadlines()["triaged"] == 1
