"""Alerts: a new high-risk narrative and a fast-growing one are told to the assignee or the
unit's officers by e-mail and Zalo through the outbox, once; a retry never sends twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from congdoan.monitoring import alerts
from congdoan.monitoring.models import EventKind, Narrative, NarrativeStatus, Tip, TipChannel
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.orgs.tests import factories as f
from congdoan.outbox.models import OutboundMessage


@pytest.fixture(autouse=True)
def _threshold(settings: Any) -> None:
    settings.MONITORING_ALERT_RISK = 0.7
    settings.SITE_URL = "https://congdoan.example.vn"


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


def test_the_assignee_is_told_instead_and_by_zalo_when_known(cast: Any) -> None:
    Tip.objects.create(
        unit=cast.district,
        reporter=cast.district_officer,
        channel=TipChannel.ZALO,
        zalo_user_id="zalo-px-1",
        text="#baotin có bài sai",
    )
    h.narrative(cast.unit_a, risk=0.9, assignee=cast.district_officer)
    assert alerts.send_alerts() == 1
    assert sent() == [cast.district_officer.email]
    assert sent("zalo") == ["zalo-px-1"]
    zalo = OutboundMessage.objects.get(channel="zalo")
    assert len(zalo.body) < 400 and "/theo-doi/luong/" in zalo.body


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
