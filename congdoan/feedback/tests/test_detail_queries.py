"""The concern's page asks the database whether the officer may see the concern once, not once
more for each of its parts (history, answer versions, templates, legal basis)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congdoan.feedback import selectors


def test_detail_page_checks_the_concern_visibility_once(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Công ty chậm trả lương tháng 10 hai tuần rồi", unit=cast.unit_a)
    client = client_of(cast.officer_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("feedback:detail", args=[concern.code]))
    assert response.status_code == 200
    assert "chậm trả lương" in response.content.decode()
    concern_reads = [
        q["sql"] for q in queries.captured_queries if 'FROM "feedback_concern"' in q["sql"]
    ]
    assert len(concern_reads) == 1, concern_reads


def test_detail_parts_stay_hidden_from_an_officer_who_may_not_see_the_concern(
    cast: Any, submit: Any
) -> None:
    concern = submit("Công ty chậm trả lương tháng 10 hai tuần rồi", unit=cast.unit_a)
    concern.refresh_from_db()
    assert selectors.concern_events(viewer=cast.officer_b, concern=concern) == []
    assert selectors.concern_answers(viewer=cast.officer_b, concern=concern) == []
    assert selectors.answer_templates(viewer=cast.officer_b, concern=concern) == []
    assert selectors.legal_suggestions(viewer=cast.officer_b, concern=concern) == []
    assert selectors.concern_events(viewer=cast.officer_a, concern=concern) != []
