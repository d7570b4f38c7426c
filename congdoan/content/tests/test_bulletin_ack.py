"""A signed-in member's "Tôi đã đọc bản tin này" on a sent e-bulletin issue: once per member
and issue, members only, never served from (nor kept in) the anonymous page cache, and the
selector the plan's members reached counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from congdoan.content import selectors
from congdoan.content.models_bulletin import BulletinAck, BulletinIssue
from congdoan.core import page_cache
from congdoan.orgs.tests import factories

pytestmark = pytest.mark.django_db

PAGE = "/ban-tin/2026-45/"
ACK = "/ban-tin/2026-45/da-doc/"
BUTTON = "Tôi đã đọc bản tin này"
DONE = "Bạn đã xác nhận đọc bản tin này."
LOGIN = "Đăng nhập để xác nhận đã đọc"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def issue() -> BulletinIssue:
    return BulletinIssue.objects.create(year=2026, week=45)


def test_a_member_acknowledges_once_and_pressing_again_adds_nothing(
    cast: Any, client_of: Any, issue: BulletinIssue
) -> None:
    reader = client_of(cast.member_user)
    assert BUTTON in reader.get(PAGE).content.decode()
    response = reader.post(ACK)
    assert response.status_code == 302 and response["Location"] == PAGE
    page = reader.get(PAGE).content.decode()
    assert DONE in page and BUTTON not in page
    assert reader.post(ACK).status_code == 302
    assert list(BulletinAck.objects.values_list("member_id", "issue_id")) == [
        (cast.member_a.pk, issue.pk)
    ]


def test_the_button_is_a_csrf_protected_form(cast: Any, issue: BulletinIssue) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.member_user)
    assert strict.post(ACK).status_code == 403
    assert not BulletinAck.objects.exists()
    page = strict.get(PAGE).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and f'action="{ACK}"' in page


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_written(
    client: Client, issue: BulletinIssue
) -> None:
    page = client.get(PAGE).content.decode()
    assert LOGIN in page and BUTTON not in page
    response = client.post(ACK)
    assert response.status_code == 302
    assert response["Location"].endswith("/dang-nhap/?next=/ban-tin/2026-45/")
    assert not BulletinAck.objects.exists()


def test_a_user_who_is_not_a_member_is_refused(
    cast: Any, client_of: Any, issue: BulletinIssue
) -> None:
    officer = client_of(cast.officer_a)  # an officer with no Member row
    page = officer.get(PAGE).content.decode()
    assert BUTTON not in page and LOGIN not in page
    assert officer.post(ACK).status_code == 403
    assert not BulletinAck.objects.exists()


def test_a_week_that_was_not_sent_cannot_be_acknowledged(cast: Any, client_of: Any) -> None:
    reader = client_of(cast.member_user)
    assert BUTTON not in reader.get(PAGE).content.decode()
    assert reader.post(ACK).status_code == 404
    assert reader.post("/ban-tin/2026-54/da-doc/").status_code == 404
    assert reader.get(ACK).status_code == 405
    assert not BulletinAck.objects.exists()


def test_the_anonymous_cached_page_never_carries_a_members_state(
    cast: Any, client_of: Any, issue: BulletinIssue, settings: Any
) -> None:
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    anonymous = Client()
    assert LOGIN in anonymous.get(PAGE).content.decode()  # a kept page, if any, is this one
    reader = client_of(cast.member_user)
    reader.post(ACK)
    mine = reader.get(PAGE)
    assert DONE in mine.content.decode() and "private" in mine["Cache-Control"]
    # the member's request is never looked up in (nor stored into) the anonymous cache
    assert page_cache.lookup(mine.wsgi_request) is None
    assert page_cache.store(mine.wsgi_request, mine) is False
    again = anonymous.get(PAGE).content.decode()
    assert LOGIN in again and DONE not in again and BUTTON not in again
    # and a member never gets an anonymous page: another member sees their own button
    other = factories.member(cast.unit_b, with_login=True, full_name="Ngô Thị Hoa")
    text = client_of(other.user).get(PAGE).content.decode()
    assert BUTTON in text and DONE not in text


def test_no_page_shows_who_acknowledged(cast: Any, client_of: Any, issue: BulletinIssue) -> None:
    client_of(cast.member_user).post(ACK)
    for viewer in (cast.officer_a, cast.district_officer):
        text = client_of(viewer).get(PAGE).content.decode()
        assert cast.member_a.full_name not in text


def _ack(member: Any, issue: BulletinIssue, when: datetime) -> None:
    BulletinAck.objects.create(member=member, issue=issue, acknowledged_at=when)


def test_bulletin_ack_member_ids_gives_each_member_once_within_the_window(
    cast: Any, issue: BulletinIssue
) -> None:
    other = BulletinIssue.objects.create(year=2026, week=46)
    tz = timezone.get_current_timezone()
    _ack(cast.member_a, issue, datetime(2026, 11, 9, 8, tzinfo=tz))
    _ack(cast.member_a, other, datetime(2026, 11, 16, 8, tzinfo=tz))
    # 23:30 local on 30 November is still November, though it is 16:30 UTC
    _ack(cast.member_b, other, datetime(2026, 11, 30, 23, 30, tzinfo=tz))
    found = selectors.bulletin_ack_member_ids(start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert sorted(found) == sorted([cast.member_a.pk, cast.member_b.pk])
    assert len(list(found)) == 2
    only_b = selectors.bulletin_ack_member_ids(
        start=date(2026, 11, 1), end=date(2026, 11, 30), unit_ids=[cast.unit_b.pk]
    )
    assert list(only_b) == [cast.member_b.pk]
    assert not list(
        selectors.bulletin_ack_member_ids(start=date(2026, 12, 1), end=date(2026, 12, 31))
    )
