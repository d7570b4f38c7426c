"""A unit's fanpage activity counted from the Graph API by the periodic job, against the Graph
fake on loopback taught ``GET /{page-id}/posts`` (since, until, fields, limit, cursor paging):
posts counted per local day, every page of the answer followed, silent days logged as 0, the
fanpage registered for a unit that had none, a second run counting once, an expired token
(account marked, officers told, the other pages counted), a rate limit (the run stops), and a
page Facebook fails to answer (its unit left as it was, the others counted)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from congdoan.activities.models import Channel, ChannelKind, PostSource, PresenceLog
from congdoan.activities.selectors import presence_by_unit
from congdoan.activities.services import channel_save
from congdoan.outbox.models import OutboundMessage
from congdoan.periodic.registry import JOBS
from congdoan.publishing import presence
from congdoan.publishing.models import AccountStatus, ChannelAccount
from congdoan.publishing.models import ChannelKind as Kind
from congdoan.publishing.presence import presence_sync
from congdoan.publishing.services import account_connect
from congdoan.publishing.tests.fakes import (
    EXPIRED,
    RATE_LIMITED,
    Answer,
    FakeGraph,
    Request,
    graph_error,
)

pytestmark = pytest.mark.django_db

# 2026-12-06 10:00 in Hà Nội (UTC+7): the window of 7 days is 2026-11-30 … 2026-12-06.
NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
TODAY = date(2026, 12, 6)


class PostsGraph(FakeGraph):
    """The Graph fake, plus ``GET /{page-id}/posts?since&until&fields=created_time&limit`` for
    the pages it knows: newest first, ``paging.next`` with an ``after`` cursor as Graph does."""

    OTHER_PAGE_ID = "5566778899"
    OTHER_TOKEN = "EAAOtherPageToken"

    def __init__(self) -> None:
        super().__init__()
        self.tokens[self.OTHER_TOKEN] = self.OTHER_PAGE_ID
        self.created: dict[str, list[datetime]] = {}
        self.broken: set[str] = set()  # pages answering 500

    def handle(self, request: Request) -> Answer:
        page_id, _slash, edge = request.path.strip("/").partition("/")
        if request.method != "GET" or edge != "posts":
            return super().handle(request)
        q = request.query
        if self.tokens.get(q.get("access_token", "")) != page_id:
            return Answer(400, EXPIRED)
        if page_id in self.broken:
            return Answer(500, graph_error(2, "An unexpected error has occurred."))
        assert q["fields"] == "created_time"
        since, until = int(q["since"]), int(q["until"])
        rows = sorted(
            (t for t in self.created.get(page_id, []) if since <= t.timestamp() <= until),
            reverse=True,
        )
        offset, limit = int(q.get("after", "0")), int(q.get("limit", "25"))
        chunk = rows[offset : offset + limit]
        data = [
            {"id": f"{page_id}_{offset + n}", "created_time": t.strftime("%Y-%m-%dT%H:%M:%S%z")}
            for n, t in enumerate(chunk)
        ]
        answer: dict[str, Any] = {"data": data}
        if offset + limit < len(rows):
            after = {**q, "after": str(offset + limit)}
            answer["paging"] = {
                "cursors": {"after": str(offset + limit)},
                "next": f"{self.url}/{page_id}/posts?{urlencode(after)}",
            }
        return Answer(200, answer)


@pytest.fixture
def graph(settings: Any, platforms: None) -> Any:
    fake = PostsGraph().start()
    settings.FACEBOOK_GRAPH_BASE = fake.url
    settings.PRESENCE_SYNC_DAYS = 7
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def page_b(cast: Any, graph: PostsGraph) -> ChannelAccount:
    return account_connect(
        actor=cast.officer_b,
        unit=cast.unit_b,
        kind=Kind.FACEBOOK_PAGE,
        external_id=graph.OTHER_PAGE_ID,
        display_name="Công đoàn PX-B",
        credentials={"access_token": graph.OTHER_TOKEN, "page_id": graph.OTHER_PAGE_ID},
        refresh_token_expires_at=timezone.now() + timedelta(days=80),
    )


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment given in Hà Nội's time, as Graph writes it (UTC)."""
    return (datetime(day.year, day.month, day.day, hour, minute) - timedelta(hours=7)).replace(
        tzinfo=UTC
    )


def graph_logs(unit: Any) -> dict[date, int]:
    rows = PresenceLog.objects.filter(
        unit=unit, channel_kind=ChannelKind.FANPAGE, source=PostSource.GRAPH
    )
    return dict(rows.values_list("day", "count"))


def posts_asked(graph: PostsGraph) -> list[Request]:
    return [r for r in graph.requests if r.path.endswith("/posts")]


def reconnect_mails(account: ChannelAccount) -> int:
    return OutboundMessage.objects.filter(
        purpose="publishing.reconnect", ref=f"publishing.account:{account.pk}"
    ).count()


def test_the_job_is_registered() -> None:
    job = JOBS["publishing.presence"]
    assert job.run == "congdoan.publishing.presence.presence_sync"
    assert job.every() == timedelta(minutes=presence.sync_every_minutes())


def test_posts_are_counted_per_local_day_and_silent_days_logged_as_zero(
    cast: Any, graph: PostsGraph, facebook_page: ChannelAccount
) -> None:
    graph.created[graph.PAGE_ID] = [
        local(TODAY, 9, 30),
        local(TODAY, 0, 10),  # 17:10 UTC the day before: Hà Nội's today
        local(TODAY - timedelta(days=1), 23, 50),
        local(TODAY - timedelta(days=4), 8),
        local(TODAY - timedelta(days=4), 14),
        local(TODAY - timedelta(days=4), 20),
        local(TODAY - timedelta(days=7), 12),  # before the window
    ]
    counts = presence_sync(now=NOW)
    assert counts["units"] == 1 and counts["posts"] == 6
    expected = {TODAY - timedelta(days=n): 0 for n in range(7)}
    expected |= {TODAY: 2, TODAY - timedelta(days=1): 1, TODAY - timedelta(days=4): 3}
    assert graph_logs(cast.unit_a) == expected
    asked = posts_asked(graph)[0]
    assert asked.path == f"/{graph.PAGE_ID}/posts"
    assert asked.query["since"] == str(int(local(TODAY - timedelta(days=6), 0).timestamp()))
    assert asked.query["until"] == str(int(NOW.timestamp()))
    assert asked.query["limit"] == "100"
    # The unit had no fanpage in activities: it is registered with the page's address.
    channel = Channel.objects.get(unit=cast.unit_a, kind=ChannelKind.FANPAGE)
    assert channel.url == f"https://www.facebook.com/{graph.PAGE_ID}"
    assert channel.name == "Công đoàn PX-A" and channel.is_active
    state = presence_by_unit(unit_ids=[cast.unit_a.pk], as_of=TODAY)[cast.unit_a.pk]
    assert state.has_fanpage and state.active_fanpage and state.posts_last_7_days == 6


def test_every_page_of_the_answer_is_followed(
    cast: Any, graph: PostsGraph, facebook_page: ChannelAccount
) -> None:
    graph.created[graph.PAGE_ID] = [
        local(TODAY - timedelta(days=n % 3), 6, n % 60) for n in range(250)
    ]
    presence_sync(now=NOW)
    assert len(posts_asked(graph)) == 3
    assert posts_asked(graph)[2].query["after"] == "200"
    logs = graph_logs(cast.unit_a)
    assert sum(logs.values()) == 250
    assert logs[TODAY] == 84 and logs[TODAY - timedelta(days=1)] == 83


def test_a_second_run_replaces_the_counts_and_a_registered_fanpage_is_kept(
    cast: Any, officer_a: Any, graph: PostsGraph, facebook_page: ChannelAccount
) -> None:
    own = channel_save(
        actor=officer_a,
        unit=cast.unit_a,
        values={"kind": ChannelKind.FANPAGE, "url": "https://www.facebook.com/cdpxa"},
    )
    graph.created[graph.PAGE_ID] = [local(TODAY, 8)]
    presence_sync(now=NOW)
    graph.created[graph.PAGE_ID].append(local(TODAY, 9))
    presence_sync(now=NOW + timedelta(hours=1))
    assert graph_logs(cast.unit_a)[TODAY] == 2
    assert PresenceLog.objects.filter(unit=cast.unit_a, day=TODAY).count() == 1
    assert list(Channel.objects.filter(unit=cast.unit_a)) == [own]


def test_a_page_that_posted_nothing_shows_silent(
    cast: Any, graph: PostsGraph, facebook_page: ChannelAccount
) -> None:
    presence_sync(now=NOW)
    assert graph_logs(cast.unit_a) == {TODAY - timedelta(days=n): 0 for n in range(7)}
    state = presence_by_unit(unit_ids=[cast.unit_a.pk], as_of=TODAY)[cast.unit_a.pk]
    assert state.has_fanpage and not state.active_fanpage and state.last_post_on is None


def test_an_expired_token_marks_the_page_tells_the_officers_and_the_others_are_counted(
    cast: Any, graph: PostsGraph, facebook_page: ChannelAccount, page_b: ChannelAccount
) -> None:
    graph.tokens.pop(graph.PAGE_TOKEN)  # the officer withdrew the app's access
    graph.created[graph.OTHER_PAGE_ID] = [local(TODAY, 7)]
    counts = presence_sync(now=NOW)
    assert counts["reconnect"] == 1 and counts["units"] == 1
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.EXPIRED
    assert "190" in facebook_page.last_error
    assert reconnect_mails(facebook_page) == 1
    assert graph_logs(cast.unit_a) == {}
    assert graph_logs(cast.unit_b)[TODAY] == 1
    # Next run the page is not asked again, and nobody is told twice.
    graph.requests.clear()
    presence_sync(now=NOW + timedelta(hours=6))
    assert [r.path for r in posts_asked(graph)] == [f"/{graph.OTHER_PAGE_ID}/posts"]
    assert reconnect_mails(facebook_page) == 1


def test_a_rate_limit_stops_the_run_and_the_next_run_counts(
    cast: Any, graph: PostsGraph, facebook_page: ChannelAccount, page_b: ChannelAccount
) -> None:
    graph.created[graph.PAGE_ID] = [local(TODAY, 7)]
    graph.created[graph.OTHER_PAGE_ID] = [local(TODAY, 8)]
    graph.then(400, RATE_LIMITED)
    counts = presence_sync(now=NOW)
    assert counts["left"] == 2 and counts["units"] == 0
    assert len(posts_asked(graph)) == 1  # page B was not asked this run
    assert graph_logs(cast.unit_a) == {} and graph_logs(cast.unit_b) == {}
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.CONNECTED
    assert presence_sync(now=NOW + timedelta(hours=6))["units"] == 2
    assert graph_logs(cast.unit_a)[TODAY] == 1 and graph_logs(cast.unit_b)[TODAY] == 1


def test_a_page_facebook_fails_to_answer_keeps_its_counts_and_the_others_go_on(
    cast: Any, graph: PostsGraph, facebook_page: ChannelAccount, page_b: ChannelAccount
) -> None:
    graph.created[graph.PAGE_ID] = [local(TODAY, 7)]
    presence_sync(now=NOW)
    graph.created[graph.PAGE_ID] = []  # were it read, today would become 0
    graph.created[graph.OTHER_PAGE_ID] = [local(TODAY, 8), local(TODAY, 9)]
    graph.broken.add(graph.PAGE_ID)
    counts = presence_sync(now=NOW + timedelta(hours=1))
    assert counts["failed"] == 1 and counts["units"] == 1
    assert graph_logs(cast.unit_a)[TODAY] == 1
    assert graph_logs(cast.unit_b)[TODAY] == 2
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.CONNECTED


def test_a_paging_link_to_another_host_is_not_followed(
    cast: Any, graph: PostsGraph, facebook_page: ChannelAccount
) -> None:
    graph.then(
        200,
        {
            "data": [
                {"id": "x_1", "created_time": local(TODAY, 8).strftime("%Y-%m-%dT%H:%M:%S%z")}
            ],
            "paging": {"next": "https://evil.example.com/posts?access_token=EAAPageToken"},
        },
    )
    presence_sync(now=NOW)
    assert len(posts_asked(graph)) == 1
    assert graph_logs(cast.unit_a)[TODAY] == 1
