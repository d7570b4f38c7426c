"""Reach figures read from the platforms by the periodic job, against fakes on loopback that
speak the Graph API (post insights and counts), the YouTube Data API (video statistics) and
Zalo OA's article detail: the figures kept with their time and a day's history, an expired
token (account marked, officers told, no crash), a rate limit (the account waits), a deleted
post (kept, no longer asked), and what an officer of another unit cannot see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from congdoan.content import reach
from congdoan.feedback.tests.fakes import Recorded
from congdoan.outbox.models import OutboundMessage
from congdoan.outbox.tests.fakes import FakeZaloOAuth
from congdoan.periodic.registry import JOBS
from congdoan.publishing.metrics.fetch import metrics_fetch
from congdoan.publishing.models import (
    AccountStatus,
    ChannelAccount,
    ChannelKind,
    Publication,
    PublicationStatus,
)
from congdoan.publishing.models_metrics import PublicationMetrics, PublicationMetricsDay
from congdoan.publishing.services import account_connect
from congdoan.publishing.tests.conftest import publish
from congdoan.publishing.tests.fakes import (
    EXPIRED,
    RATE_LIMITED,
    Answer,
    FakeGoogle,
    FakeGraph,
    Request,
    graph_error,
)

pytestmark = pytest.mark.django_db


# --- the fakes: the posting fakes, taught the reading calls --------------------------------


class InsightsGraph(FakeGraph):
    """The Graph fake, plus ``GET /{post-id}/insights`` and ``GET /{post-id}?fields=…`` for the
    posts it holds, answered as Graph does (a deleted post: code 100, subcode 33)."""

    def __init__(self) -> None:
        super().__init__()
        self.deleted: set[str] = set()
        self.figures: dict[str, dict[str, Any]] = {}
        self.insights_refusal: dict[str, Any] | None = None  # e.g. a permission not granted

    def handle(self, request: Request) -> Answer:
        post_id, _slash, edge = request.path.strip("/").partition("/")
        if request.method != "GET" or "_" not in post_id:
            return super().handle(request)
        if self.tokens.get(request.query.get("access_token", "")) != post_id.split("_")[0]:
            return Answer(400, EXPIRED)
        if post_id in self.deleted or post_id not in {p["id"] for p in self.posts}:
            return Answer(
                400,
                graph_error(
                    100,
                    f"Unsupported get request. Object with ID '{post_id}' does not exist",
                    33,
                ),
            )
        f = self.figures.get(post_id, {})
        if edge == "insights" and self.insights_refusal is not None:
            return Answer(400, self.insights_refusal)
        if edge == "insights":
            assert request.query["metric"].split(",") == [
                "post_impressions_unique",
                "post_clicks",
                "post_reactions_by_type_total",
            ]
            rows = [
                ("post_impressions_unique", f.get("reach", 0)),
                ("post_clicks", f.get("clicks", 0)),
                ("post_reactions_by_type_total", {"like": f.get("likes", 0), "love": 1}),
            ]
            data = [
                {
                    "name": name,
                    "period": "lifetime",
                    "values": [{"value": value}],
                    "id": f"{post_id}/insights/{name}/lifetime",
                }
                for name, value in rows
            ]
            return Answer(200, {"data": data, "paging": {}})
        assert "comments.summary(true)" in request.query["fields"]
        answer: dict[str, Any] = {
            "id": post_id,
            "comments": {"data": [], "summary": {"total_count": f.get("comments", 0)}},
            "reactions": {"data": [], "summary": {"total_count": f.get("likes", 0) + 1}},
        }
        if f.get("shares"):  # Graph leaves "shares" out of a post nobody shared
            answer["shares"] = {"count": f["shares"]}
        return Answer(200, answer)


class StatsGoogle(FakeGoogle):
    """The Google fake, plus ``GET /youtube/v3/videos?part=statistics&id=…``."""

    def __init__(self) -> None:
        super().__init__()
        self.stats: dict[str, dict[str, str]] = {}

    def handle(self, request: Request) -> Answer:
        if request.path != "/youtube/v3/videos" or request.method != "GET":
            return super().handle(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.valid:
            return Answer(
                401,
                {
                    "error": {
                        "code": 401,
                        "message": "Invalid Credentials",
                        "errors": [{"reason": "authError"}],
                    }
                },
            )
        assert request.query["part"] == "statistics"
        items = [
            {"kind": "youtube#video", "id": vid, "statistics": self.stats[vid]}
            for vid in request.query["id"].split(",")
            if vid in self.stats
        ]
        return Answer(200, {"kind": "youtube#videoListResponse", "items": items})


class ArticlesZalo(FakeZaloOAuth):
    """The Zalo OAuth fake, plus ``GET /v2.0/article/getdetail?id=…`` (header access_token)."""

    def __init__(self, app_id: str, app_secret: str) -> None:
        super().__init__(app_id, app_secret)
        self.articles: dict[str, dict[str, Any]] = {}
        self.limited = 0  # answer "rate limit" (-32) to this many article calls
        server = self
        post_handler: type[BaseHTTPRequestHandler] = self.httpd.RequestHandlerClass  # type: ignore[assignment]

        class Handler(post_handler):  # type: ignore[valid-type,misc]
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                rec = Recorded(method="GET", path=self.path, headers=headers, body=b"")
                with server.state.lock:
                    server.state.requests.append(rec)
                status, payload = server.handle(rec)
                self._answer(status, payload)

        self.httpd.RequestHandlerClass = Handler

    def handle(self, rec: Recorded) -> tuple[int, Any]:
        parts = urlsplit(rec.path)
        if parts.path != "/v2.0/article/getdetail":
            return super().handle(rec)
        token = rec.headers.get("access_token")
        if token in self.expired:
            return 200, {"error": -124, "message": "Access token has expired"}
        if token != self.access_token:
            return 200, {"error": -216, "message": "Access token is invalid"}
        if self.limited:
            self.limited -= 1
            return 200, {"error": -32, "message": "Exceed rate limit"}
        article_id = (parse_qs(parts.query).get("id") or [""])[0]
        if article_id not in self.articles:
            return 200, {"error": -201, "message": "Parameters are invalid"}
        return 200, {"error": 0, "message": "Success", "data": self.articles[article_id]}


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def graph(settings: Any, platforms: None) -> Iterator[InsightsGraph]:
    fake = InsightsGraph().start()
    settings.FACEBOOK_GRAPH_BASE = fake.url
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def google(settings: Any, platforms: None) -> Iterator[StatsGoogle]:
    fake = StatsGoogle().start()
    settings.YOUTUBE_API_BASE = fake.url
    settings.GOOGLE_OAUTH_TOKEN_URL = fake.url + "/token"
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def zalo_fake(settings: Any, platforms: None) -> Iterator[ArticlesZalo]:
    fake = ArticlesZalo("1234567890", "zalo-app-secret").start()
    settings.ZALO_OA_API_BASE = fake.url
    settings.ZALO_OAUTH_BASE = fake.url
    settings.ZALO_APP_ID = "1234567890"
    settings.ZALO_APP_SECRET_KEY = "zalo-app-secret"
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def zalo_oa(cast: Any, zalo_fake: ArticlesZalo) -> ChannelAccount:
    access, refresh = zalo_fake.issue()
    now = timezone.now()
    return account_connect(
        actor=cast.officer_a,
        unit=cast.unit_a,
        kind=ChannelKind.ZALO_OA,
        external_id="oa-1",
        display_name="Zalo OA Công đoàn PX-A",
        credentials={"access_token": access, "refresh_token": refresh},
        access_token_expires_at=now + timedelta(hours=20),
        refresh_token_expires_at=now + timedelta(days=90),
    )


def posted(product: Any, account: ChannelAccount, remote_id: str, days_ago: int = 1) -> Publication:
    """A publication the outbox already posted (the Facebook test posts through it for real)."""
    return Publication.objects.create(
        product=product,
        unit=account.unit,
        account=account,
        kind=account.kind,
        account_name=account.display_name,
        idempotency_key=f"test:{product.pk}:{account.pk}:{remote_id}",
        status=PublicationStatus.PUBLISHED,
        remote_id=remote_id,
        published_at=timezone.now() - timedelta(days=days_ago),
    )


def reconnect_mails(account: ChannelAccount) -> int:
    return OutboundMessage.objects.filter(
        purpose="publishing.reconnect", ref=f"publishing.account:{account.pk}"
    ).count()


# --- Facebook ----------------------------------------------------------------------------------


def test_the_job_reads_a_facebook_post_s_reach_clicks_reactions_comments_and_shares(
    cast: Any,
    graph: InsightsGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    product = make_product()
    publication = publish(cast, product, facebook_page, django_capture_on_commit_callbacks)
    graph.figures[publication.remote_id] = {
        "reach": 1520,
        "clicks": 87,
        "likes": 40,
        "comments": 6,
        "shares": 3,
    }

    counts = metrics_fetch()

    assert counts["read"] == 1
    metrics = PublicationMetrics.objects.get(publication=publication)
    assert (metrics.reach, metrics.clicks, metrics.reactions, metrics.comments, metrics.shares) == (
        1520,
        87,
        41,
        6,
        3,
    )
    assert metrics.views is None  # Facebook reports no views of a text post
    assert metrics.fetched_at is not None and metrics.error == ""
    day = PublicationMetricsDay.objects.get(publication=publication)
    assert day.day == timezone.localdate() and day.reach == 1520
    asked = [r for r in graph.requests if r.method == "GET" and publication.remote_id in r.path]
    assert {r.path for r in asked} == {
        f"/{publication.remote_id}",
        f"/{publication.remote_id}/insights",
    }


def test_a_second_run_the_same_day_updates_the_figures_and_keeps_one_day_row(
    cast: Any, graph: InsightsGraph, facebook_page: ChannelAccount, make_product: Any
) -> None:
    post_id = f"{graph.PAGE_ID}_77"
    graph.posts.append({"id": post_id, "message": "x"})
    publication = posted(make_product(), facebook_page, post_id)
    graph.figures[post_id] = {"reach": 10}
    metrics_fetch()
    graph.figures[post_id] = {"reach": 25, "shares": 2}
    metrics_fetch()
    metrics = PublicationMetrics.objects.get(publication=publication)
    assert (metrics.reach, metrics.shares) == (25, 2)
    assert PublicationMetricsDay.objects.filter(publication=publication).count() == 1
    metrics_fetch(now=timezone.now() + timedelta(days=1))
    assert PublicationMetricsDay.objects.filter(publication=publication).count() == 2


def test_without_the_insights_permission_the_public_counts_are_still_kept(
    cast: Any, graph: InsightsGraph, facebook_page: ChannelAccount, make_product: Any
) -> None:
    post_id = f"{graph.PAGE_ID}_8"
    graph.posts.append({"id": post_id, "message": "x"})
    publication = posted(make_product(), facebook_page, post_id)
    graph.figures[post_id] = {"reach": 500, "comments": 4, "likes": 9, "shares": 2}
    graph.insights_refusal = graph_error(
        10, "(#10) This endpoint requires the 'pages_read_insights' permission"
    )
    assert metrics_fetch()["read"] == 1
    metrics = PublicationMetrics.objects.get(publication=publication)
    assert (metrics.comments, metrics.reactions, metrics.shares) == (4, 10, 2)
    assert metrics.reach is None and metrics.clicks is None
    assert "pages_read_insights" in metrics.raw["insights_error"]
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.CONNECTED


def test_an_expired_page_token_marks_the_page_tells_the_officers_and_crashes_nothing(
    cast: Any, graph: InsightsGraph, facebook_page: ChannelAccount, make_product: Any
) -> None:
    for n in (1, 2):
        graph.posts.append({"id": f"{graph.PAGE_ID}_{n}", "message": "x"})
        posted(make_product(), facebook_page, f"{graph.PAGE_ID}_{n}")
    graph.then(400, EXPIRED)

    counts = metrics_fetch()

    assert counts == {"read": 0, "failed": 1, "gone": 0, "skipped": 1, "reconnect": 1}
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.EXPIRED
    assert "kết nối lại" in facebook_page.last_error
    assert reconnect_mails(facebook_page) == 1
    assert "hết hạn" in PublicationMetrics.objects.get().error
    assert metrics_fetch()["read"] == 0  # an account to reconnect is not asked again
    assert reconnect_mails(facebook_page) == 1


def test_a_rate_limit_keeps_the_figures_and_leaves_the_page_s_other_posts_for_next_run(
    cast: Any, graph: InsightsGraph, facebook_page: ChannelAccount, make_product: Any
) -> None:
    post_id = f"{graph.PAGE_ID}_5"
    graph.posts.append({"id": post_id, "message": "x"})
    graph.posts.append({"id": f"{graph.PAGE_ID}_6", "message": "y"})
    publication = posted(make_product(), facebook_page, post_id, days_ago=2)
    posted(make_product(), facebook_page, f"{graph.PAGE_ID}_6")
    graph.figures[post_id] = {"reach": 300}
    metrics_fetch()
    graph.then(400, RATE_LIMITED)

    counts = metrics_fetch()

    assert counts["skipped"] == 1 and counts["failed"] == 1
    metrics = PublicationMetrics.objects.get(publication=publication)
    assert metrics.reach == 300  # the last figures stay
    assert "giới hạn" in metrics.error
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.CONNECTED


def test_a_post_deleted_on_facebook_keeps_its_figures_and_is_no_longer_asked(
    cast: Any, graph: InsightsGraph, facebook_page: ChannelAccount, make_product: Any
) -> None:
    post_id = f"{graph.PAGE_ID}_9"
    graph.posts.append({"id": post_id, "message": "x"})
    publication = posted(make_product(), facebook_page, post_id)
    graph.figures[post_id] = {"reach": 44}
    metrics_fetch()
    graph.deleted.add(post_id)

    assert metrics_fetch()["gone"] == 1
    metrics = PublicationMetrics.objects.get(publication=publication)
    assert metrics.gone and metrics.reach == 44 and "xóa" in metrics.error
    asked = len(graph.requests)
    metrics_fetch()
    assert len(graph.requests) == asked
    facebook_page.refresh_from_db()
    assert facebook_page.status == AccountStatus.CONNECTED


def test_posts_older_than_the_window_and_unpublished_ones_are_not_asked(
    cast: Any,
    graph: InsightsGraph,
    facebook_page: ChannelAccount,
    make_product: Any,
    settings: Any,
) -> None:
    settings.REACH_FETCH_DAYS = 30
    graph.posts.append({"id": f"{graph.PAGE_ID}_1", "message": "x"})
    posted(make_product(), facebook_page, f"{graph.PAGE_ID}_1", days_ago=31)
    failed = posted(make_product(), facebook_page, "")
    Publication.objects.filter(pk=failed.pk).update(status=PublicationStatus.FAILED)
    assert metrics_fetch()["read"] == 0
    assert not [r for r in graph.requests if r.method == "GET"]


def test_facebook_down_is_written_beside_the_post_and_tried_next_run(
    cast: Any, graph: InsightsGraph, facebook_page: ChannelAccount, make_product: Any
) -> None:
    post_id = f"{graph.PAGE_ID}_3"
    graph.posts.append({"id": post_id, "message": "x"})
    publication = posted(make_product(), facebook_page, post_id)
    graph.then(503, None)
    assert metrics_fetch()["failed"] == 1
    assert PublicationMetrics.objects.get(publication=publication).error
    graph.figures[post_id] = {"reach": 9}
    assert metrics_fetch()["read"] == 1
    assert PublicationMetrics.objects.get(publication=publication).error == ""


# --- YouTube -----------------------------------------------------------------------------------


def test_the_job_reads_a_video_s_views_likes_and_comments(
    cast: Any, google: StatsGoogle, youtube_channel: ChannelAccount, make_product: Any
) -> None:
    google.stats["vid42"] = {
        "viewCount": "1234",
        "likeCount": "56",
        "favoriteCount": "0",
        "commentCount": "7",
    }
    publication = posted(make_product(), youtube_channel, "vid42")

    assert metrics_fetch()["read"] == 1

    metrics = PublicationMetrics.objects.get(publication=publication)
    assert (metrics.views, metrics.reactions, metrics.comments) == (1234, 56, 7)
    assert metrics.reach is None and metrics.shares is None


def test_an_expired_youtube_token_is_refreshed_once_and_the_figures_read(
    cast: Any, google: StatsGoogle, youtube_channel: ChannelAccount, make_product: Any
) -> None:
    google.valid.discard("ya29.first")  # Google ended the token early
    google.stats["vid1"] = {"viewCount": "5", "likeCount": "1", "commentCount": "0"}
    posted(make_product(), youtube_channel, "vid1")
    assert metrics_fetch()["read"] == 1
    assert google.refreshes == 1


def test_a_revoked_youtube_grant_marks_the_channel_for_reconnection(
    cast: Any, google: StatsGoogle, youtube_channel: ChannelAccount, make_product: Any
) -> None:
    google.valid.clear()
    google.revoked = True
    posted(make_product(), youtube_channel, "vid1")
    counts = metrics_fetch()
    assert counts["reconnect"] == 1
    youtube_channel.refresh_from_db()
    assert youtube_channel.status == AccountStatus.EXPIRED
    assert reconnect_mails(youtube_channel) == 1


def test_a_youtube_quota_refusal_waits_for_the_next_run(
    cast: Any, google: StatsGoogle, youtube_channel: ChannelAccount, make_product: Any
) -> None:
    posted(make_product(), youtube_channel, "vid1")
    google.then(
        403,
        {
            "error": {
                "code": 403,
                "message": "The request cannot be completed because you have exceeded your quota.",
                "errors": [{"reason": "quotaExceeded", "domain": "youtube.quota"}],
            }
        },
    )
    assert metrics_fetch()["failed"] == 1
    assert "quotaExceeded" in PublicationMetrics.objects.get().error
    youtube_channel.refresh_from_db()
    assert youtube_channel.status == AccountStatus.CONNECTED


def test_a_video_deleted_on_youtube_is_marked_gone(
    cast: Any, google: StatsGoogle, youtube_channel: ChannelAccount, make_product: Any
) -> None:
    posted(make_product(), youtube_channel, "vid-deleted")
    assert metrics_fetch()["gone"] == 1
    assert PublicationMetrics.objects.get().gone


# --- Zalo OA -----------------------------------------------------------------------------------


def test_the_job_reads_a_zalo_article_s_views_and_shares(
    cast: Any, zalo_fake: ArticlesZalo, zalo_oa: ChannelAccount, make_product: Any
) -> None:
    zalo_fake.articles["art-1"] = {
        "id": "art-1",
        "type": "normal",
        "title": "Hội nghị người lao động",
        "total_view": 812,
        "total_share": 14,
        "status": "show",
    }
    publication = posted(make_product(), zalo_oa, "art-1")
    assert metrics_fetch()["read"] == 1
    metrics = PublicationMetrics.objects.get(publication=publication)
    assert (metrics.views, metrics.shares) == (812, 14)
    assert metrics.raw["data"]["title"] == "Hội nghị người lao động"


def test_a_zalo_token_that_expired_early_is_refreshed_once_and_the_article_read(
    cast: Any, zalo_fake: ArticlesZalo, zalo_oa: ChannelAccount, make_product: Any
) -> None:
    zalo_fake.articles["art-1"] = {"id": "art-1", "total_view": 3, "total_share": 0}
    posted(make_product(), zalo_oa, "art-1")
    zalo_fake.expired.add(zalo_fake.access_token)
    assert metrics_fetch()["read"] == 1
    assert len(zalo_fake.token_requests) == 1  # one refresh


def test_a_zalo_oa_whose_refresh_is_refused_is_marked_for_reconnection(
    cast: Any, zalo_fake: ArticlesZalo, zalo_oa: ChannelAccount, make_product: Any
) -> None:
    zalo_fake.articles["art-1"] = {"id": "art-1", "total_view": 3, "total_share": 0}
    posted(make_product(), zalo_oa, "art-1")
    zalo_fake.expired.add(zalo_fake.access_token)
    zalo_fake.refresh_tokens.clear()  # the refresh token was revoked
    counts = metrics_fetch()
    assert counts["read"] == 0 and counts["reconnect"] == 1
    zalo_oa.refresh_from_db()
    assert zalo_oa.status == AccountStatus.EXPIRED
    assert reconnect_mails(zalo_oa) == 1


def test_a_zalo_rate_limit_and_a_removed_article_are_told_apart(
    cast: Any, zalo_fake: ArticlesZalo, zalo_oa: ChannelAccount, make_product: Any
) -> None:
    zalo_fake.articles["art-1"] = {"id": "art-1", "total_view": 3, "total_share": 0}
    kept = posted(make_product(), zalo_oa, "art-1", days_ago=2)
    removed = posted(make_product(), zalo_oa, "art-gone")
    assert metrics_fetch() == {"read": 1, "failed": 0, "gone": 1, "skipped": 0, "reconnect": 0}
    assert PublicationMetrics.objects.get(publication=removed).gone
    zalo_fake.limited = 1
    assert metrics_fetch()["failed"] == 1
    assert "giới hạn" in PublicationMetrics.objects.get(publication=kept).error


# --- what officers see -------------------------------------------------------------------------


def test_officers_see_the_channel_figures_of_their_units_only(
    cast: Any, google: StatsGoogle, youtube_channel: ChannelAccount, make_product: Any
) -> None:
    google.stats["vid1"] = {"viewCount": "100", "likeCount": "3", "commentCount": "1"}
    product = make_product()
    posted(product, youtube_channel, "vid1")
    metrics_fetch()

    (mine,) = reach.channel_figures(cast.officer_a, [product.pk])
    assert (mine.views, mine.account, mine.fetched_at is not None) == (100, "CĐ PX-A", True)
    assert reach.channel_figures(cast.district_officer, [product.pk])[0].views == 100
    assert reach.channel_figures(cast.officer_b, [product.pk]) == []


def test_the_job_is_registered_with_its_setting(settings: Any) -> None:
    settings.REACH_FETCH_EVERY_MINUTES = 90
    job = JOBS["publishing.metrics"]
    assert job.every() == timedelta(minutes=90)
    assert job.run == "congdoan.publishing.metrics.fetch.metrics_fetch"
    assert re.match(r"^congdoan\.publishing\.metrics\.", job.run)
