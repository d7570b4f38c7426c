"""Sources read through real HTTP against fakes on 127.0.0.1: RSS, web pages, the Graph API,
the YouTube Data API; health recorded; a broken source never stops the others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from congdoan.audit.models import AuditEntry
from congdoan.monitoring.models import Item, ItemKind, Snapshot, Source, SourceKind
from congdoan.monitoring.services import sources as source_services
from congdoan.monitoring.services.sources import fetch_due, fetch_source
from congdoan.monitoring.sources import files
from congdoan.monitoring.tests.fakes import FakeGraph, FakeWeb, FakeYouTube, rss

pytestmark = pytest.mark.django_db

FEED = [
    {
        "guid": "bai-1",
        "title": "Công nhân may Phú Minh ngừng việc vì chậm lương",
        "link": "https://laodong.example/bai-1",
        "description": "<p>Hơn 300 công nhân <b>ngừng việc</b> sáng nay.</p>",
        "pubDate": "Tue, 01 Dec 2026 08:00:00 +0700",
    },
    {
        "guid": "bai-2",
        "title": "Công đoàn quận Phú Xuyên tặng quà Tết",
        "link": "https://laodong.example/bai-2",
        "description": "Công đoàn quận trao 500 suất quà cho đoàn viên khó khăn.",
    },
]

PAGE = """<html><head><title>Thông báo</title>
<script>var token = "bí mật"; document.write("mã độc");</script>
<style>body { color: red }</style></head>
<body onload="steal()"><nav>Trang chủ | Tin tức</nav>
<article><h1>Thông báo về tiền lương tháng 12</h1>
<p>Công ty thông báo lương tháng 12 sẽ trả chậm mười ngày vì khó khăn tài chính, công đoàn cơ
sở đã đề nghị doanh nghiệp đối thoại với người lao động.</p>
<script>alert("xss")</script>
<p>Người lao động có thắc mắc liên hệ ban chấp hành công đoàn cơ sở để được giải đáp.</p>
<img src="https://tracker.example/pixel.gif" onerror="evil()">
<a href="javascript:alert(1)">bấm</a> <a href="https://congdoan.example/">Công đoàn</a>
</article></body></html>"""


def test_an_rss_feed_becomes_articles(web: FakeWeb, make_source: Any) -> None:
    source = make_source(SourceKind.RSS, url=web.route("/rss", rss(FEED)))
    result = fetch_source(source)
    assert (result.new, result.duplicate, result.refused) == (2, 0, 0)
    item = Item.objects.get(source=source, external_id="bai-1")
    assert item.kind == ItemKind.ARTICLE
    assert item.title.startswith("Công nhân may Phú Minh")
    assert item.text == "Hơn 300 công nhân ngừng việc sáng nay."
    assert item.published_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    source.refresh_from_db()
    assert source.last_success_at is not None and source.consecutive_errors == 0


def test_the_same_feed_twice_adds_nothing(web: FakeWeb, make_source: Any) -> None:
    source = make_source(SourceKind.RSS, url=web.route("/rss", rss(FEED)))
    fetch_source(source)
    again = fetch_source(source)
    assert (again.new, again.duplicate) == (0, 2)
    assert Item.objects.filter(source=source).count() == 2


def test_a_feed_that_renames_its_items_on_each_fetch_adds_nothing(
    web: FakeWeb, make_source: Any
) -> None:
    url = web.route("/rss", rss([{**e, "guid": f"{e['guid']}-a"} for e in FEED]))
    source = make_source(SourceKind.RSS, url=url)
    assert fetch_source(source).new == 2
    web.route("/rss", rss([{**e, "guid": f"{e['guid']}-b"} for e in FEED]))
    again = fetch_source(source)
    assert (again.new, again.duplicate) == (0, 2)


def test_a_feed_is_read_with_a_conditional_get(web: FakeWeb, make_source: Any) -> None:
    url = web.route("/rss", rss(FEED), headers={"ETag": '"v1"'})
    source = make_source(SourceKind.RSS, url=url)
    fetch_source(source)
    source.refresh_from_db()
    assert source.etag == '"v1"'
    web.route("/rss", "", status=304)
    assert fetch_source(source).new == 0
    assert web.seen[-1].headers["if-none-match"] == '"v1"'
    source.refresh_from_db()
    assert source.consecutive_errors == 0


def test_invalid_xml_is_an_error_of_the_source(web: FakeWeb, make_source: Any) -> None:
    source = make_source(SourceKind.RSS, url=web.route("/rss", "<rss><channel><title>x</chan"))
    source2 = make_source(SourceKind.RSS, url=web.route("/junk", "\x00\x01 not xml at all <<<"))
    for s in (source, source2):
        result = fetch_source(s)
        s.refresh_from_db()
        assert result.new == 0
        assert s.consecutive_errors == 1 and s.last_error
        assert s.last_error_at is not None and s.last_success_at is None


def test_a_feed_with_a_small_xml_fault_is_read_all_the_same(web: FakeWeb, make_source: Any) -> None:
    body = rss(FEED).replace("Tết", "Tết & Xuân")  # a bare "&": not well-formed
    source = make_source(SourceKind.RSS, url=web.route("/rss", body))
    assert fetch_source(source).new == 2


def test_health_counts_errors_in_a_row_and_resets_on_success(
    web: FakeWeb, make_source: Any
) -> None:
    url = web.route("/rss", "oops", status=500)
    source = make_source(SourceKind.RSS, url=url)
    fetch_source(source)
    fetch_source(source)
    source.refresh_from_db()
    assert source.consecutive_errors == 2
    assert "500" in source.error_text
    # Stored as the msgid and its parameters, shown in the reader's language.
    assert source.last_error_params == {"status": 500}
    assert source.error_text == "Máy chủ trả lời lỗi HTTP 500."
    with translation.override("en"):
        assert source.error_text == "The server returned HTTP error 500."
    web.route("/rss", rss(FEED))
    fetch_source(source)
    source.refresh_from_db()
    assert source.consecutive_errors == 0 and source.last_success_at is not None
    assert source.last_error  # the last error stays visible, with its time


def test_a_feed_that_never_answers_is_recorded_and_the_others_go_on(
    web: FakeWeb, make_source: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MONITORING_FETCH_TIMEOUT = 0.3
    slow = make_source(SourceKind.RSS, url=web.hang("/slow", seconds=20))
    huge = make_source(SourceKind.RSS, url=web.stream("/huge", 50 * 1024 * 1024))
    private = make_source(SourceKind.RSS, url="http://127.0.0.1:9/feed")
    good = make_source(SourceKind.RSS, url=web.route("/rss", rss(FEED)))
    settings.MONITORING_MAX_FETCH_BYTES = 2 * 1024 * 1024
    settings.MONITORING_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    Source.objects.filter(pk=private.pk).update(url="http://10.1.2.3/feed")
    with django_capture_on_commit_callbacks(execute=True):
        assert fetch_due() == 4
    for source in (slow, huge, private):
        source.refresh_from_db()
        assert source.consecutive_errors == 1, source.name
    good.refresh_from_db()
    assert good.consecutive_errors == 0
    assert Item.objects.filter(source=good).count() == 2
    huge.refresh_from_db()
    assert "quá lớn" in huge.error_text


def test_fetch_due_takes_only_sources_whose_time_has_come(
    web: FakeWeb, make_source: Any, django_capture_on_commit_callbacks: Any
) -> None:
    url = web.route("/rss", rss(FEED))
    fresh = make_source(SourceKind.RSS, url=url, every_minutes=60)
    Source.objects.filter(pk=fresh.pk).update(last_fetched_at=timezone.now())
    stale = make_source(SourceKind.RSS, url=url, every_minutes=60)
    Source.objects.filter(pk=stale.pk).update(
        last_fetched_at=timezone.now() - timedelta(minutes=61)
    )
    make_source(SourceKind.RSS, url=url, active=False)
    make_source(SourceKind.FILE)
    with django_capture_on_commit_callbacks(execute=True):
        assert fetch_due() == 1
    assert Item.objects.filter(source=stale).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert fetch_due() == 0


def test_a_web_page_is_watched_for_changes(web: FakeWeb, make_source: Any) -> None:
    url = web.route("/thong-bao", PAGE)
    source = make_source(SourceKind.WEB, url=url)
    assert fetch_source(source).new == 1
    item = Item.objects.get(source=source)
    assert "trả chậm mười ngày" in item.text
    for bad in ("bí mật", "mã độc", "alert", "color: red", "Trang chủ"):
        assert bad not in item.text
    snap = Snapshot.objects.get(item=item)
    for bad in ("<script", "onload", "onerror", "<img", "javascript:", "<style", "steal()"):
        assert bad not in snap.html
    assert "trả chậm mười ngày" in snap.html and 'href="https://congdoan.example/"' in snap.html
    # Unchanged (even re-spaced): no new item; changed text: a new item.
    web.route("/thong-bao", PAGE.replace("</p>", " </p>"))
    assert fetch_source(source).new == 0
    web.route("/thong-bao", PAGE.replace("mười ngày", "hai mươi ngày"))
    assert fetch_source(source).new == 1
    assert Item.objects.filter(source=source).count() == 2


def test_facebook_page_posts_are_read_with_the_settings_token(
    graph: FakeGraph, make_source: Any, settings: Any
) -> None:
    settings.MONITORING_FACEBOOK_TOKEN = "page-token"
    for n in range(5):
        graph.add_post("12345", f"p{n}", f"Bài đăng số {n} về lương thưởng cuối năm")
    source = make_source(SourceKind.FACEBOOK, external_ref="12345")
    result = fetch_source(source)
    assert result.new == 5  # three pages of two, following the cursor
    item = Item.objects.get(source=source, external_id="12345_p0")
    assert item.reach == 40 + 7 + 3
    assert item.url == "https://www.facebook.com/12345/posts/p0"
    assert item.author == "Trang tin Công nhân"
    assert item.published_at is not None


def test_facebook_uses_the_units_connected_account_and_marks_a_rejected_one(
    graph: FakeGraph, make_source: Any, cast: Any
) -> None:
    from congdoan.publishing.models import AccountStatus, ChannelAccount, ChannelKind
    from congdoan.publishing.services import credentials_save

    account = ChannelAccount(
        unit=cast.unit_a, kind=ChannelKind.FACEBOOK_PAGE, display_name="CĐ A", external_id="777"
    )
    credentials_save(account, {"access_token": "page-token", "page_id": "777"})
    graph.add_post("777", "p1", "Công đoàn cơ sở A tổ chức hội nghị người lao động")
    source = make_source(SourceKind.FACEBOOK, external_ref="777")
    assert fetch_source(source).new == 1
    assert graph.seen[-1].query["access_token"] == "page-token"
    graph.tokens.clear()  # the token is revoked on Facebook's side
    result = fetch_source(source)
    assert result.errors and "Facebook" in result.errors[0]
    account.refresh_from_db()
    assert account.status == AccountStatus.EXPIRED


def test_facebook_without_any_credential_is_an_error_of_the_source(
    graph: FakeGraph, make_source: Any
) -> None:
    source = make_source(SourceKind.FACEBOOK, external_ref="12345")
    fetch_source(source)
    source.refresh_from_db()
    assert source.consecutive_errors == 1 and "kết nối" in source.error_text
    assert graph.seen == []


def test_youtube_comments_are_read_with_the_api_key(
    youtube: FakeYouTube, make_source: Any, settings: Any
) -> None:
    settings.MONITORING_YOUTUBE_API_KEY = "yt-key"
    youtube.add_comment("vid1", "c1", "Công đoàn chẳng làm gì cho công nhân cả", likes=12)
    youtube.add_comment("vid1", "c2", "Cảm ơn công đoàn đã hỗ trợ chúng tôi", replies=0)
    youtube.add_comment("vid1", "c3", "Lương tháng này lại chậm rồi")
    source = make_source(SourceKind.YOUTUBE, external_ref="vid1")
    assert fetch_source(source).new == 3
    item = Item.objects.get(source=source, external_id="c1")
    assert item.kind == ItemKind.COMMENT and item.reach == 13
    assert item.url == "https://www.youtube.com/watch?v=vid1&lc=c1"
    assert youtube.seen[0].query["key"] == "yt-key"
    assert youtube.seen[0].query["videoId"] == "vid1"


def test_youtube_comments_disabled_is_an_error_of_the_source(
    youtube: FakeYouTube, make_source: Any, settings: Any
) -> None:
    settings.MONITORING_YOUTUBE_API_KEY = "yt-key"
    youtube.disabled.add("vid2")
    source = make_source(SourceKind.YOUTUBE, external_ref="vid2")
    fetch_source(source)
    source.refresh_from_db()
    assert "commentsDisabled" in source.error_text


def test_youtube_uses_the_units_connected_account(
    youtube: FakeYouTube, make_source: Any, cast: Any
) -> None:
    from congdoan.publishing.models import ChannelAccount, ChannelKind
    from congdoan.publishing.services import credentials_save

    account = ChannelAccount(
        unit=cast.unit_a, kind=ChannelKind.YOUTUBE, display_name="Kênh A", external_id="UCa"
    )
    credentials_save(
        account,
        {"access_token": "yt-access", "refresh_token": "r"},
        access_token_expires_at=timezone.now() + timedelta(hours=1),
    )
    youtube.add_comment("vid1", "c1", "Bình luận về công đoàn")
    source = make_source(SourceKind.YOUTUBE, external_ref="vid1")
    assert fetch_source(source).new == 1
    assert youtube.seen[0].headers["authorization"] == "Bearer yt-access"
    assert "key" not in youtube.seen[0].query


def test_an_officer_creates_and_edits_a_source_audited(officer_a: Any, cast: Any) -> None:
    source = source_services.create_source(
        officer_a,
        unit=cast.unit_a,
        name="Báo Lao Động",
        kind=SourceKind.RSS,
        url="https://8.8.8.8/rss",
        watched_units=[cast.unit_a],
    )
    assert source.created_by == officer_a
    assert list(source.watched_units.all()) == [cast.unit_a]
    source_services.update_source(officer_a, source, every_minutes=30, watched_units=[])
    source.refresh_from_db()
    assert source.every_minutes == 30 and not source.watched_units.exists()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "monitoring.source.create" in actions and "monitoring.source.update" in actions


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/rss", "http://169.254.169.254/", "ftp://example.com/feed"]
)
def test_a_source_at_a_private_address_is_refused(
    officer_a: Any, cast: Any, settings: Any, url: str
) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError) as info:
        source_services.create_source(
            officer_a, unit=cast.unit_a, name="Nội bộ", kind=SourceKind.RSS, url=url
        )
    assert "url" in info.value.message_dict
    assert not Source.objects.exists()


def test_a_facebook_source_needs_its_page_id(officer_a: Any, cast: Any) -> None:
    with pytest.raises(ValidationError) as info:
        source_services.create_source(
            officer_a, unit=cast.unit_a, name="FB", kind=SourceKind.FACEBOOK
        )
    assert "external_ref" in info.value.message_dict


def test_exports_are_read_as_csv_json_and_jsonl() -> None:
    csv_data = (
        "ID,Content,Author Name,Date,Engagement,Platform\n"
        'a1,"Công nhân phản ánh bị cắt lương",Lan,2026-12-01 08:00,"1.234",facebook\n'
        "a2,,Minh,2026-12-01,5,tiktok\n"
    ).encode()
    items, refused = files.parse_file(csv_data, "csv")
    assert refused == []
    assert items[0].external_id == "a1" and items[0].reach == 1234
    assert items[0].author == "Lan" and items[0].meta["platform"] == "facebook"
    assert items[0].published_at is not None
    json_data = b'{"data": [{"post_id": "x", "message": "Tin", "from": {"name": "An"}}]}'
    items, refused = files.parse_file(json_data, "json")
    assert items[0].external_id == "x" and items[0].author == "An"
    jsonl = b'{"id": "1", "text": "Tin 1"}\nnot json\n[1, 2]\n\n{"id": "2", "text": "Tin 2"}\n'
    items, refused = files.parse_file(jsonl, "jsonl")
    assert [i.external_id for i in items] == ["1", "2"]
    assert refused == ["dòng 2: không phải JSON", "dòng 3: không phải một đối tượng JSON"]
    assert files.parse_file(b"{not json", "json")[0] == []
    assert files.parse_file(b"x", "xlsx")[1]


def test_the_tips_source_and_the_last_error_are_shown_in_the_reader_s_language(
    make_source: Any, cast: Any, client_of: Any, settings: Any
) -> None:
    tips_source = make_source(SourceKind.TIPS, name="Tin báo")
    feed = make_source(SourceKind.RSS, url="http://127.0.0.1:9/feed", name="Báo A")
    Source.objects.filter(pk=feed.pk).update(
        last_error_at=timezone.now(),
        last_error="Máy chủ trả lời lỗi HTTP %(status)s.",
        last_error_params={"status": 503},
    )
    # A row written before the parameters existed: its message as it was.
    old = make_source(SourceKind.RSS, url="http://127.0.0.1:9/old", name="Báo cũ")
    Source.objects.filter(pk=old.pk).update(
        last_error_at=timezone.now(), last_error="Máy chủ trả lời lỗi HTTP 404."
    )
    old.refresh_from_db()
    assert old.error_text == "Máy chủ trả lời lỗi HTTP 404."
    client = client_of(cast.officer_a)
    page = client.get(reverse("monitoring:sources")).content.decode()
    assert "Máy chủ trả lời lỗi HTTP 503." in page and ">Tin báo</a>" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("monitoring:sources")).content.decode()
    assert "The server returned HTTP error 503." in page and ">Tips</a>" in page
    assert "Máy chủ trả lời lỗi HTTP 404." in page  # an old row, still shown
    with translation.override("en"):
        assert str(tips_source) == "Tips" and str(feed) == "Báo A"
