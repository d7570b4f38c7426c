"""Alerts: a new high-risk narrative and a fast-growing one are told to the assignee or the
unit's officers by e-mail and by Zalo (to those who linked theirs on their account page)
through the outbox, once; a retry never sends twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.accounts.zalo import zalo_link
from congdoan.monitoring import alerts
from congdoan.monitoring.models import EventKind, Narrative, NarrativeStatus, Tip, TipChannel
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.orgs.tests import factories as f
from congdoan.outbox.models import OutboundMessage


@pytest.fixture(autouse=True)
def _threshold(settings: Any) -> None:
    settings.MONITORING_ALERT_RISK = 0.7
    settings.SITE_URL = "https://congdoan.example.vn"


def link_zalo(user: Any, zalo_id: str) -> None:
    zalo_link(user=user, zalo_user_id=zalo_id)
    OutboundMessage.objects.filter(purpose="account.notice").delete()


def sent(channel: str = "email") -> list[str]:
    return sorted(
        OutboundMessage.objects.filter(purpose="monitoring.alert", channel=channel).values_list(
            "recipient", flat=True
        )
    )


def test_a_new_risky_narrative_is_told_to_the_units_officers_once(cast: Any) -> None:
    risky = h.narrative(cast.unit_a, risk=0.85, items=2, title="Công ty May A nợ lương")
    h.narrative(cast.unit_a, risk=0.5)  # below the threshold
    assert alerts.send_alerts() == 1
    assert sent() == [cast.officer_a.email]
    message = OutboundMessage.objects.get(purpose="monitoring.alert")
    assert "Công ty May A nợ lương" in message.subject and "85 %" in message.body
    assert f"https://congdoan.example.vn/theo-doi/luong/{risky.pk}/" in message.body
    risky.refresh_from_db()
    assert risky.alerted_at is not None and risky.alerted_item_count == 2
    assert risky.alerted_risk == 0.85
    event = risky.events.get(kind=EventKind.ALERT)
    assert cast.officer_a.email in event.text
    # the next runs find nothing new
    assert alerts.send_alerts() == 0
    assert alerts.send_alerts() == 0
    assert OutboundMessage.objects.filter(purpose="monitoring.alert").count() == 1


def test_the_assignee_is_told_instead_and_by_zalo_when_linked(cast: Any) -> None:
    link_zalo(cast.district_officer, "zalo-px-1")
    link_zalo(cast.officer_a, "zalo-a-1")  # the unit's officer: not told, the assignee is
    h.narrative(cast.unit_a, risk=0.9, assignee=cast.district_officer)
    assert alerts.send_alerts() == 1
    assert sent() == [cast.district_officer.email]
    assert sent("zalo") == ["zalo-px-1"]
    zalo = OutboundMessage.objects.get(channel="zalo")
    assert len(zalo.body) < 400 and "/theo-doi/luong/" in zalo.body


def test_a_linked_officer_who_never_sent_a_tip_gets_the_alert_on_zalo_once(cast: Any) -> None:
    assert not Tip.objects.exists()
    link_zalo(cast.officer_a, "zalo-a-1")
    link_zalo(cast.officer_b, "zalo-b-1")  # another union's officer
    story = h.narrative(cast.unit_a, risk=0.9)
    stale = Narrative.objects.get(pk=story.pk)  # what a second scheduler read
    assert alerts.send_alerts() == 1
    assert sent() == [cast.officer_a.email] and sent("zalo") == ["zalo-a-1"]
    event = story.events.get(kind=EventKind.ALERT)
    assert "1 tài khoản Zalo" in event.text and "zalo-a-1" not in event.text
    # The second scheduler and the next runs find nothing to claim.
    assert alerts.alert_one(stale) is False
    assert alerts.send_alerts() == 0
    # Even the same step alerted again (its claim undone) queues no second message: the
    # outbox keys are the narrative's step and the recipient.
    Narrative.objects.filter(pk=story.pk).update(alerted_at=None, alerted_risk=None)
    assert alerts.alert_one(Narrative.objects.get(pk=story.pk)) is True
    assert sent("zalo") == ["zalo-a-1"] and sent() == [cast.officer_a.email]


def test_a_tips_zalo_id_is_not_an_officers_zalo(cast: Any) -> None:
    """A tip sent through the OA has no account behind it: its sender's id is nobody's
    contact (before, an officer's old tip was looked up for one)."""
    Tip.objects.create(
        unit=cast.unit_a,
        reporter=cast.officer_a,
        channel=TipChannel.ZALO,
        zalo_user_id="zalo-from-a-tip",
        text="#baotin có bài sai",
    )
    h.narrative(cast.unit_a, risk=0.9)
    assert alerts.send_alerts() == 1
    assert sent() == [cast.officer_a.email] and sent("zalo") == []


def test_an_assignee_without_e_mail_is_told_on_zalo(cast: Any) -> None:
    officer = cast.district_officer
    link_zalo(officer, "zalo-px-1")
    User.objects.filter(pk=officer.pk).update(email=None)
    h.narrative(cast.unit_a, risk=0.9, assignee=User.objects.get(pk=officer.pk))
    assert alerts.send_alerts() == 1
    assert sent("zalo") == ["zalo-px-1"] and cast.officer_a.email not in sent()


def test_a_units_officer_without_e_mail_is_told_on_zalo(cast: Any) -> None:
    """Only a Zalo account linked: still one of the unit's officers to tell (the level
    above is asked only when nobody of the unit can be reached)."""
    officer = cast.officer_a
    link_zalo(officer, "zalo-a-1")
    User.objects.filter(pk=officer.pk).update(email=None)
    h.narrative(cast.unit_a, risk=0.9)
    assert alerts.send_alerts() == 1
    assert sent("zalo") == ["zalo-a-1"] and sent() == []


def test_fast_growth_alerts_again(cast: Any) -> None:
    story = h.narrative(cast.unit_a, risk=0.8, items=3)
    assert alerts.send_alerts() == 1
    Narrative.objects.filter(pk=story.pk).update(item_count=7)  # not yet 2× and +5
    assert alerts.send_alerts() == 0
    Narrative.objects.filter(pk=story.pk).update(item_count=8)
    assert alerts.send_alerts() == 1
    story.refresh_from_db()
    assert story.alerted_item_count == 8
    Narrative.objects.filter(pk=story.pk).update(risk=0.95)  # +0.15
    assert alerts.send_alerts() == 0
    low = h.narrative(cast.unit_b, risk=0.3, items=1)
    assert alerts.send_alerts() == 0
    # a story alerted once (its risk then above) whose risk rises by 0.2
    Narrative.objects.filter(pk=low.pk).update(
        alerted_at=story.alerted_at, alerted_item_count=1, alerted_risk=0.3, risk=0.5
    )
    assert alerts.send_alerts() == 1
    growth = story.events.filter(kind=EventKind.ALERT).order_by("pk").last()
    assert growth is not None and "lan nhanh" in growth.text
    assert len(sent()) == 3


def test_a_dismissed_narrative_is_never_alerted(cast: Any) -> None:
    h.narrative(cast.unit_a, risk=0.99, status=NarrativeStatus.DISMISSED, dismiss_reason="Cũ")
    assert alerts.send_alerts() == 0


def test_an_old_story_loaded_today_is_no_emergency(cast: Any) -> None:
    old = h.narrative(cast.unit_a, risk=0.95, detected_at=timezone.now() - timedelta(days=30))
    assert alerts.send_alerts() == 0
    Narrative.objects.filter(pk=old.pk).update(last_seen_at=timezone.now())  # it came back
    assert alerts.send_alerts() == 1


def test_a_unit_without_officers_tells_the_level_above(cast: Any) -> None:
    quiet = f.unit(cast.district, code="PX-C", name="Công đoàn Công ty C")
    h.narrative(quiet, risk=0.9)
    assert alerts.send_alerts() == 1
    assert sent() == [cast.district_officer.email]


def test_a_run_that_fails_midway_sends_nothing_and_the_retry_sends_once(
    cast: Any, monkeypatch: Any
) -> None:
    story = h.narrative(cast.unit_a, risk=0.9)
    first, second = Narrative.objects.get(pk=story.pk), Narrative.objects.get(pk=story.pk)

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(alerts, "email_enqueue", broken)
    assert alerts.send_alerts() == 0  # logged, rolled back
    story.refresh_from_db()
    assert story.alerted_at is None and not story.events.exists()
    monkeypatch.undo()
    # two schedulers holding the same read: only one claims it
    assert alerts.alert_one(first) is True
    assert alerts.alert_one(second) is False
    assert alerts.send_alerts() == 0
    assert sent() == [cast.officer_a.email]
    assert story.events.filter(kind=EventKind.ALERT).count() == 1


def test_the_app_runs_the_alerts_every_ten_minutes() -> None:
    from congdoan.periodic.registry import JOBS

    job = JOBS["monitoring.send_alerts"]
    assert job.run == "congdoan.monitoring.alerts.send_alerts" and job.every() == timedelta(
        minutes=10
    )
