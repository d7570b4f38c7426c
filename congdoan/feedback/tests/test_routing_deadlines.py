from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from congdoan.feedback.deadlines import check_deadlines, erase_expired_contacts
from congdoan.feedback.models import Concern, Status, Urgency
from congdoan.feedback.services import concern_answer, concern_close, concern_correct, concern_start


def test_concern_goes_to_the_workers_grassroots_union(cast: Any, submit: Any) -> None:
    concern = submit("Xin hỏi thủ tục hưởng chế độ thai sản", unit=cast.unit_a)
    assert concern.assigned_unit == cast.unit_a and not concern.hidden_from_unit


def test_worker_who_asks_for_the_upper_level_goes_to_the_district(cast: Any, submit: Any) -> None:
    concern = submit(
        "Xin hỏi thủ tục hưởng chế độ thai sản", unit=cast.unit_a, wants_upper_level=True
    )
    assert concern.assigned_unit == cast.district and concern.hidden_from_unit


def test_concern_without_a_union_goes_to_the_home_unit(
    cast: Any, submit: Any, settings: Any
) -> None:
    settings.CONGDOAN_HOME_UNIT = "PX"
    assert submit("Xin số điện thoại của Liên đoàn", unit=None).assigned_unit == cast.district


def test_urgent_concern_gets_the_short_deadline_and_alerts_officers(
    cast: Any, submit: Any, settings: Any
) -> None:
    concern = submit("Sáng nay có công nhân bị tai nạn kẹp tay ở máy dập", unit=cast.unit_a)
    assert concern.urgency == Urgency.URGENT
    hours = (concern.due_at - concern.created_at).total_seconds() / 3600
    assert hours == pytest.approx(settings.FEEDBACK_DEADLINE_HOURS["urgent"])
    assert [m.to for m in mail.outbox] == [[cast.officer_a.email]]


def test_officer_is_reminded_once_before_the_deadline(
    cast: Any, submit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    concern = submit("Xin hỏi về lịch nghỉ Tết", unit=cast.unit_a)
    Concern.objects.filter(pk=concern.pk).update(due_at=timezone.now() + timedelta(hours=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        assert check_deadlines()["reminded"] == 1
        assert check_deadlines()["reminded"] == 0
    assert len(mail.outbox) == 1 and concern.code in mail.outbox[0].subject
    assert cast.officer_a.email in mail.outbox[0].to


def test_missed_deadline_escalates_to_the_district_once(
    cast: Any, submit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    concern = submit(
        "Xin hỏi về lịch nghỉ Tết", unit=cast.unit_a, contact_phone="0912345678", is_anonymous=True
    )
    Concern.objects.filter(pk=concern.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        assert check_deadlines()["escalated"] == 1
        assert check_deadlines()["escalated"] == 0
    concern.refresh_from_db()
    assert concern.assigned_unit == cast.district and concern.escalated_at is not None
    assert concern.due_at > timezone.now()
    assert cast.district_officer.email in mail.outbox[-1].to
    assert "+84912345678" not in mail.outbox[-1].body


def test_answer_on_time_and_status_changes_are_conditional(cast: Any, submit: Any) -> None:
    concern = submit("Xin hỏi về lịch nghỉ Tết", unit=cast.unit_a)
    concern_start(actor=cast.officer_a, concern=concern)
    concern = concern_answer(
        actor=cast.officer_a,
        concern=concern,
        text="Công ty nghỉ Tết từ 28 tháng Chạp.",
        citation="Điều 112 Bộ luật Lao động 2019",
    )
    assert concern.status == Status.ANSWERED and concern.answered_on_time is True
    stale = Concern.objects.get(pk=concern.pk)
    concern_close(actor=cast.officer_a, concern=concern)
    with pytest.raises(ValidationError):
        concern_answer(actor=cast.officer_b, concern=stale, text="Trả lời thứ hai")


def test_two_officers_answering_at_once_only_one_wins(cast: Any, submit: Any) -> None:
    concern = submit("Xin hỏi về lịch nghỉ Tết", unit=cast.unit_a)
    copy = Concern.objects.get(pk=concern.pk)
    concern_answer(actor=cast.officer_a, concern=concern, text="Trả lời một")
    with pytest.raises(ValidationError):
        concern_answer(actor=cast.district_officer, concern=copy, text="Trả lời hai")
    assert Concern.objects.get(pk=concern.pk).answer_text == "Trả lời một"


def test_officer_correction_is_kept_and_changes_the_deadline(cast: Any, submit: Any) -> None:
    concern = submit("Xin hỏi về lịch nghỉ Tết", unit=cast.unit_a)
    concern = concern_correct(
        actor=cast.officer_a, concern=concern, topic="hours", urgency=Urgency.URGENT
    )
    assert concern.topic_corrected and concern.urgency_corrected
    assert concern.due_at == concern.created_at + timedelta(hours=24)


def test_retention_erases_contacts_of_old_closed_concerns_only(
    cast: Any, submit: Any, settings: Any
) -> None:
    old = submit(
        "Xin hỏi về lịch nghỉ Tết", unit=cast.unit_a, contact_phone="0912345678", contact_name="Lan"
    )
    recent = submit("Xin hỏi về thưởng Tết", unit=cast.unit_a, contact_phone="0912345679")
    Concern.objects.filter(pk=old.pk).update(
        status=Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=settings.FEEDBACK_RETENTION_DAYS + 1),
    )
    assert erase_expired_contacts() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.contact_phone == "" and old.contact_name == "" and old.contact_erased_at is not None
    assert old.text == "Xin hỏi về lịch nghỉ Tết"
    assert recent.contact_phone == "+84912345679"


def test_check_deadlines_task_reschedules_itself_on_the_database_backend(
    cast: Any, submit: Any, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from congdoan.feedback.tasks import feedback_check_deadlines

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "ocr"]}
    }
    concern = Concern.objects.create(
        unit=cast.unit_a, text="Xin hỏi lịch nghỉ Tết"
    )  # never triaged
    before = timezone.now()
    counts = feedback_check_deadlines.call(reschedule=True)
    assert counts["triaged"] == 1 and Concern.objects.get(pk=concern.pk).triaged_at is not None
    queued = DBTaskResult.objects.get(task_path__endswith="feedback_check_deadlines")
    expected = before + timedelta(minutes=settings.FEEDBACK_CHECK_EVERY_MINUTES)
    assert abs((queued.run_after - expected).total_seconds()) < 60


def test_published_answer_is_handed_to_the_channels_after_commit(
    cast: Any, submit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # An SMS concern whose contact was erased: the channels log "not sent" on the history,
    # which shows the answer task ran and called channels.deliver_answer.
    concern = submit("Xin hỏi nghỉ Tết", unit=cast.unit_a, channel="sms", external_id="sms-1")
    with django_capture_on_commit_callbacks(execute=True):
        concern_answer(actor=cast.officer_a, concern=concern, text="Nghỉ 5 ngày.")
    kinds = list(concern.events.values_list("kind", flat=True))
    assert "answer" in kinds and "channel.answer_not_sent" in kinds


def test_without_a_setting_unknown_union_goes_to_the_lowest_unit_above_all_unions(
    cast: Any, submit: Any
) -> None:
    # The cast's grassroots unions all hang under PX: that is where an unplaced concern goes.
    assert submit("Xin số điện thoại của Liên đoàn", unit=None).assigned_unit == cast.district


def test_check_deadlines_and_erase_expired_commands_print_what_they_did(cast: Any) -> None:
    import io

    from django.core.management import call_command

    Concern.objects.create(unit=cast.unit_a, text="Xin hỏi lịch nghỉ Tết")
    out = io.StringIO()
    call_command("feedback", "check-deadlines", stdout=out)
    assert "triaged=1" in out.getvalue() and "escalated=0" in out.getvalue()
    out = io.StringIO()
    call_command("feedback", "erase-expired", stdout=out)
    assert out.getvalue().strip() == "erased: 0"


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("chu tich cong doan bao che cho quan doc", True),
        ("Đề nghị bầu lại chủ tịch công đoàn vì không còn tín nhiệm", True),
        ("Công đoàn cơ sở tổ chức giải bóng đá rất vui", False),
        ("Xin hỏi đoàn phí đóng bao nhiêu", False),
        ("Giám đốc đe dọa đuổi việc người ký đơn", False),
    ],
)
def test_complaints_about_the_union_itself_are_recognised(text: str, about: bool) -> None:
    from congdoan.feedback.triage import is_about_union

    assert is_about_union(text) is about
