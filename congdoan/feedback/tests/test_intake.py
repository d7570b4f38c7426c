from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from congdoan import testing
from congdoan.feedback.deadlines import check_deadlines
from congdoan.feedback.models import Channel, Concern, Status, Topic, Urgency
from congdoan.feedback.services import concern_submit
from congdoan.feedback.triage import concern_triage
from congdoan.text import fold


def test_triage_restores_unaccented_text_and_classifies_wages(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_submit(
            text="cong ty tra luong cham 2 thang nay", unit=cast.unit_a, channel=Channel.WEB
        )
    concern.refresh_from_db()
    assert concern.status == Status.TRIAGED
    assert concern.topic == Topic.WAGES
    assert "công ty trả lương chậm" in concern.restored_text
    assert fold(concern.restored_text) == concern.text
    assert concern.urgency == Urgency.URGENT
    assert concern.assigned_unit == cast.unit_a
    assert concern.due_at is not None


def test_repeat_of_the_same_external_id_returns_the_stored_concern(cast: Any) -> None:
    first = concern_submit(
        text="Xin hỏi về BHXH", unit=cast.unit_a, channel=Channel.ZALO, external_id="msg-1"
    )
    again = concern_submit(
        text="Xin hỏi về BHXH", unit=cast.unit_a, channel=Channel.ZALO, external_id="msg-1"
    )
    assert first.pk == again.pk
    assert Concern.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "x" * 100_000])
def test_bad_text_is_refused_with_a_vietnamese_message(cast: Any, text: str) -> None:
    with pytest.raises(ValidationError) as err:
        concern_submit(text=text, unit=cast.unit_a, channel=Channel.WEB)
    assert "text" in err.value.message_dict
    assert Concern.objects.count() == 0


def test_concern_untriaged_while_worker_was_down_is_picked_up_later(cast: Any) -> None:
    # No on-commit callbacks run here: the triage task never got enqueued.
    concern = concern_submit(
        text="Xưởng may nóng quá, không có quạt", unit=cast.unit_a, channel=Channel.WEB
    )
    assert Concern.objects.get(pk=concern.pk).status == Status.RECEIVED
    counts = check_deadlines()
    assert counts["triaged"] == 1
    concern.refresh_from_db()
    assert concern.status == Status.TRIAGED and concern.triaged_at is not None
    assert concern_triage(concern_id=concern.pk).triaged_at == concern.triaged_at  # type: ignore[union-attr]


def test_untriaged_concern_is_already_in_the_right_inbox(cast: Any) -> None:
    from congdoan.feedback import selectors

    concern = concern_submit(text="Xin hỏi về nghỉ phép", unit=cast.unit_a, channel=Channel.WEB)
    assert concern.triaged_at is None and concern.assigned_unit == cast.unit_a
    assert [c.code for c in selectors.concern_queryset(viewer=cast.officer_a)] == [concern.code]


@pytest.mark.parametrize("typed", ["yk 7k3m9q", "7K3M9Q", "YK-7K3M9Q", " yk-7k3m9q "])
def test_tracking_code_is_understood_however_it_is_typed(typed: str) -> None:
    from congdoan.feedback.models import clean_code

    assert clean_code(typed) == "YK-7K3M9Q"
    assert clean_code("YKAB23") == "YK-YKAB23"  # six characters that start with YK stay whole


def test_sentiment_uses_the_toolkits_model_when_it_is_shipped() -> None:
    from congdoan.feedback.triage.classifiers import SENTIMENT_MODEL_DIR, sentiment_model

    if not (SENTIMENT_MODEL_DIR / "model.npz").exists():
        testing.missing("the sentiment model", "the text toolkit ships none in this checkout")
    model = sentiment_model()
    assert model is not None and {"negative", "positive"} <= set(model.labels)
