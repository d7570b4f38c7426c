"""The pages' selectors keep to the viewer's place in the tree."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import Http404

from congdoan.activities import selectors, services
from congdoan.activities.models import ActivityKind, ChannelKind, CourseTopic, ExampleKind


@pytest.fixture
def rows(cast: Any) -> dict[str, Any]:
    a = cast.unit_a
    activity = services.activity_create(
        actor=None,
        unit=a,
        values={"kind": ActivityKind.TALK, "title": "Tọa đàm của A", "held_on": date(2026, 5, 5)},
    )
    example = services.example_submit(
        actor=None,
        unit=a,
        kind=ExampleKind.MODEL,
        title="Mô hình của A",
        summary="",
        submitted_on=date(2026, 5, 5),
    )
    course = services.course_create(
        actor=None, unit=cast.district, title="Lớp của huyện", topic=CourseTopic.SOCIAL
    )
    session = services.session_create(actor=None, course=course, unit=a, held_on=date(2026, 6, 1))
    services.channel_save(actor=None, unit=a, values={"kind": ChannelKind.FANPAGE})
    services.budget_save(actor=None, unit=a, year=2026, communication_vnd=1, total_vnd=4)
    return {"activity": activity, "example": example, "course": course, "session": session}


def test_officer_of_b_sees_none_of_a(cast: Any, rows: Any) -> None:
    b = cast.officer_b
    assert not selectors.activities_visible(viewer=b).exists()
    assert not selectors.examples_visible(viewer=b).exists()
    assert not selectors.courses_visible(viewer=b).exists()
    for get, pk in (
        (selectors.activity_get, rows["activity"].pk),
        (selectors.example_get, rows["example"].pk),
        (selectors.course_get, rows["course"].pk),
        (selectors.session_get, rows["session"].pk),
    ):
        with pytest.raises(Http404):
            get(viewer=b, pk=pk)
    assert [line.unit for line in selectors.presence_overview(viewer=b)] == [cast.unit_b]
    lines, total = selectors.budget_overview(viewer=b, year=2026)
    assert [(line.unit, line.row) for line in lines] == [(cast.unit_b, None)]
    assert total.total_vnd == 0


def test_officer_of_a_sees_the_district_course_through_its_own_session(
    cast: Any, rows: Any
) -> None:
    a = cast.officer_a
    assert list(selectors.courses_visible(viewer=a)) == [rows["course"]]
    assert list(selectors.sessions_of(viewer=a, course=rows["course"])) == [rows["session"]]
    assert selectors.activity_get(viewer=a, pk=rows["activity"].pk) == rows["activity"]


def test_the_district_sees_its_units_and_the_city_sees_what_waits_with_it(
    cast: Any, rows: Any
) -> None:
    d = cast.district_officer
    assert list(selectors.activities_visible(viewer=d)) == [rows["activity"]]
    assert list(selectors.examples_visible(viewer=d)) == [rows["example"]]
    lines, total = selectors.budget_overview(viewer=d, year=2026)
    assert {line.unit.code for line in lines} == {"PX", "PX-A", "PX-B"}
    assert (total.communication_vnd, total.total_vnd) == (1, 4)
    states = {line.unit.code: line for line in selectors.presence_overview(viewer=d)}
    assert states["PX-A"].state.has_fanpage and states["PX-A"].silent
    assert not states["PX-B"].state.has_fanpage and not states["PX-B"].silent
