"""The officers' home page lists the narratives of their scope that need action today: high
risk still detected or being verified, those assigned to them, those past their deadline; each
count matches the monitoring list its card opens. A member sees none of it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from congdoan.monitoring import selectors
from congdoan.monitoring.models import NarrativeStatus
from congdoan.monitoring.tests import handle_helpers as h

S = NarrativeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(cast: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "risky_a": h.narrative(cast.unit_a, title="Tin đồn Công ty May A nợ lương", risk=0.9),
        "verifying_b": h.narrative(
            cast.unit_b, title="Tin đồn Điện tử B cắt thưởng", risk=0.75, status=S.VERIFYING
        ),
        "calm_a": h.narrative(cast.unit_a, title="Hội thao công nhân may", risk=0.2),
        "confirmed_a": h.narrative(
            cast.unit_a, title="Đã xác định sai sự thật", risk=0.95, status=S.CONFIRMED_FALSE
        ),
        "mine_a": h.narrative(
            cast.unit_a,
            title="Giao cho chủ tịch A",
            risk=0.3,
            status=S.VERIFYING,
            assignee=cast.officer_a,
            deadline=today + timedelta(days=2),
        ),
        "late_b": h.narrative(
            cast.unit_b,
            title="Quá hạn ở B",
            risk=0.4,
            status=S.RESPONSE_PLANNED,
            deadline=today - timedelta(days=1),
        ),
        "late_done_b": h.narrative(
            cast.unit_b,
            title="Đã phản hồi dù quá hạn",
            status=S.RESPONDED,
            deadline=today - timedelta(days=3),
        ),
        "risky_other": h.narrative(cast.other_district, title="Huyện khác rủi ro", risk=0.99),
    }


def _cards(html: str) -> dict[str, tuple[str, int]]:
    found = re.findall(
        r'data-watch="(\w+)" href="([^"]+)"><span class="kpi">([\d.,]+)</span>', html
    )
    return {key: (href.replace("&amp;", "&"), int(n.replace(".", ""))) for key, href, n in found}


def _listed(html: str, key: str) -> list[str]:
    block = re.search(rf'data-watch-list="{key}">(.*?)</ul>', html, re.S)
    return re.findall(r'href="/theo-doi/luong/(\d+)/"', block.group(1)) if block else []


def test_the_district_office_sees_what_needs_action_in_its_scope(
    cast: Any, client_of: Any, stories: dict[str, Any]
) -> None:
    client = client_of(cast.district_officer)
    html = client.get(reverse("web:dashboard")).content.decode()
    cards = _cards(html)
    assert {k: n for k, (_href, n) in cards.items()} == {"risky": 2, "overdue": 1, "mine": 0}
    pk = {k: str(v.pk) for k, v in stories.items()}
    assert _listed(html, "risky") == [pk["risky_a"], pk["verifying_b"]]  # the riskiest first
    assert _listed(html, "overdue") == [pk["late_b"]]
    assert _listed(html, "mine") == []
    assert "Huyện khác rủi ro" not in html and "Hội thao công nhân may" not in html
    assert 'href="/theo-doi/"' in html
    # Each card opens the monitoring list of exactly those narratives.
    for key, (href, n) in cards.items():
        page = client.get(href).content.decode()
        listed = set(re.findall(r'href="/theo-doi/luong/(\d+)/"', page))
        assert len(listed) == n, key


def test_a_grassroots_officer_sees_their_own_and_what_is_assigned_to_them(
    cast: Any, client_of: Any, stories: dict[str, Any]
) -> None:
    html = client_of(cast.officer_a).get(reverse("web:dashboard")).content.decode()
    assert {k: n for k, (_h, n) in _cards(html).items()} == {"risky": 1, "overdue": 0, "mine": 1}
    assert _listed(html, "mine") == [str(stories["mine_a"].pk)]
    assert "Tin đồn Điện tử B cắt thưởng" not in html and "Quá hạn ở B" not in html


def test_the_lists_are_short_with_a_link_to_all(cast: Any, client_of: Any) -> None:
    for n in range(selectors.TODAY_LINES + 2):
        h.narrative(cast.unit_a, title=f"Rủi ro số {n}", risk=0.8)
    html = client_of(cast.officer_a).get(reverse("web:dashboard")).content.decode()
    assert len(_listed(html, "risky")) == selectors.TODAY_LINES
    assert "/theo-doi/?need=risky" in html


def test_a_member_sees_nothing_of_it(cast: Any, client_of: Any, stories: dict[str, Any]) -> None:
    assert selectors.officer_today(cast.member_user) is None
    response = client_of(cast.member_user).get(reverse("web:dashboard"), follow=True)
    body = response.content.decode()
    assert "Tin đồn Công ty May A nợ lương" not in body and 'data-watch="' not in body
