"""Two officers act on the same narrative at the same moment (PostgreSQL): different changes,
exactly one applies and the other is told; the same change, it is written once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from congdoan.audit.models import AuditEntry
from congdoan.monitoring.models import Narrative, NarrativeEvent, NarrativeStatus
from congdoan.monitoring.services import handling
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.testing_races import race_while_held

pytestmark = pytest.mark.django_db(transaction=True)
S = NarrativeStatus


def race(
    story: Narrative, moves: dict[str, tuple[Any, Callable[[Any, Narrative], Any]]]
) -> dict[str, str]:
    """Each move reads the narrative, then all reach their UPDATE while a third connection
    holds the row; the row is let go and the outcomes are collected."""

    def press(officer: Any, move: Callable[[Any, Narrative], Any]) -> Callable[[], str]:
        def job() -> str:
            move(officer, Narrative.objects.select_related("unit").get(pk=story.pk))
            return "applied"

        return job

    return race_while_held(
        "SELECT id FROM monitoring_narrative WHERE id = %s FOR UPDATE",
        [story.pk],
        {name: press(officer, move) for name, (officer, move) in moves.items()},
    )


def test_different_changes_at_once_apply_exactly_one(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: no race to show")
    story = h.narrative(cast.unit_a)
    outcomes = race(
        story,
        {
            "a": (
                cast.officer_a,
                lambda who, n: handling.transition(who, n, S.DISMISSED, reason="Tin cũ"),
            ),
            "district": (
                cast.district_officer,
                lambda who, n: handling.transition(who, n, S.CONFIRMED_FALSE),
            ),
        },
    )
    assert list(outcomes.values()).count("applied") == 1, outcomes
    refused = next(v for v in outcomes.values() if v != "applied")
    assert "người khác" in refused
    story.refresh_from_db()
    assert story.status in (S.DISMISSED, S.CONFIRMED_FALSE)
    assert (story.handled_at is not None) == (story.status == S.DISMISSED)
    assert NarrativeEvent.objects.filter(narrative=story).count() == 1
    assert AuditEntry.objects.filter(action="monitoring.narrative.transition").count() == 1


def test_the_same_change_twice_at_once_is_written_once(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: no race to show")
    story = h.narrative(cast.unit_a)
    outcomes = race(
        story,
        {
            "a": (cast.officer_a, lambda who, n: handling.transition(who, n, S.VERIFYING)),
            "district": (
                cast.district_officer,
                lambda who, n: handling.transition(who, n, S.VERIFYING),
            ),
        },
    )
    assert outcomes == {"a": "applied", "district": "applied"}
    assert Narrative.objects.get(pk=story.pk).status == S.VERIFYING
    assert NarrativeEvent.objects.filter(narrative=story).count() == 1
    assert AuditEntry.objects.filter(action="monitoring.narrative.transition").count() == 1
