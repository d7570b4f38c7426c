"""Issue 11.10: retraining is a button for the Office (a task on the worker), with its state."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from congdoan.audit.models import AuditEntry
from congdoan.core.tests.test_tasks_worker import rig  # noqa: F401  (the worker fixture)
from congdoan.feedback.training import retrain_state


def test_office_retrains_with_a_button_and_the_dashboard_shows_how_it_went(
    cast: Any, client_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(cast.district_officer)
    page = client.get(reverse("feedback:dashboard")).content.decode()
    assert 'action="/y-kien/thong-ke/huan-luyen/"' in page
    assert "congdoan feedback retrain" not in page
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("feedback:retrain"))
    assert response.status_code == 302 and len(callbacks) == 1  # enqueued on commit
    state = retrain_state()
    assert state is not None and state["status"] == "done" and state["accuracy"] is not None
    assert AuditEntry.objects.filter(action="feedback.model.retrain").count() == 1
    page = client.get(reverse("feedback:dashboard")).content.decode()
    assert 'data-retrain-status="done"' in page and "Đã huấn luyện xong" in page


def test_a_second_press_while_one_is_queued_enqueues_nothing(
    cast: Any, client_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(cast.district_officer)
    with django_capture_on_commit_callbacks(execute=False) as first:
        client.post(reverse("feedback:retrain"))
    with django_capture_on_commit_callbacks(execute=False) as second:
        client.post(reverse("feedback:retrain"))
    assert len(first) == 1 and len(second) == 0
    page = client.get(reverse("feedback:dashboard")).content.decode()
    assert 'data-retrain-status="queued"' in page
    assert 'action="/y-kien/thong-ke/huan-luyen/"' not in page


def test_grassroots_officer_cannot_retrain(cast: Any, client_of: Any) -> None:
    client = client_of(cast.officer_a)
    assert client.post(reverse("feedback:retrain")).status_code == 403
    assert retrain_state() is None
    assert (
        'action="/y-kien/thong-ke/huan-luyen/"'
        not in client.get(reverse("feedback:dashboard")).content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_the_retraining_runs_on_the_real_worker_process(
    rig: Any,  # noqa: F811
    cast: Any,
    client_of: Any,
    settings: Any,
) -> None:
    folder = settings.FEEDBACK_TRAINED_MODEL_DIR
    rig.env["FEEDBACK_TRAINED_MODEL_DIR"] = str(folder)
    client_of(cast.district_officer).post(reverse("feedback:retrain"))
    state = retrain_state()
    assert state is not None and state["status"] == "queued"  # waits for the worker
    rig.run_batch(timeout=600)
    state = retrain_state()
    assert state is not None and state["status"] == "done", state
    assert (folder / "model.npz").exists()
