"""The monitoring pages: each renders for an officer in scope, nothing of another unit is shown
(404), members and visitors never reach the officer pages, the tip form works without
JavaScript, and text collected from outside (items, snapshots, titles, links) is escaped or
sanitised on every page."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from congdoan.audit.models import AuditEntry
from congdoan.content.models import Product
from congdoan.monitoring.models import (
    EventKind,
    Item,
    KnownClaim,
    Narrative,
    NarrativeEvent,
    NarrativeStatus,
    Snapshot,
    Source,
    SourceKind,
    Tip,
)
from congdoan.monitoring.tests.fakes import rss

pytestmark = pytest.mark.django_db

EVIL_TEXT = "<script>alert('xss')</script><img src=x onerror=alert(1)> Tin đồn trừ lương"
EVIL_HTML = (
    '<p onclick="alert(2)">Bài viết</p><script>alert(3)</script>'
    '<a href="javascript:alert(4)">bấm</a><img src="https://evil.example/x.png" onerror="alert(5)">'
    "<style>body{display:none}</style><form action=/steal><input name=p></form>"
    '<iframe src="https://evil.example"></iframe><a href="https://ok.example/bai">nguồn</a>'
)


# What would run in a browser: a script, an event handler on a tag, a javascript: link, a frame,
# a style, a form posting elsewhere, a remote image (escaped text showing them is fine).
DANGERS = [
    r"<script(?! src=\"/static/)",  # the site's own htmx is the only script
    r"<[a-z][^>]*\son[a-z]+\s*=",
    r"href=\"?\s*javascript:",
    r"<iframe",
    r"<style",
    r"<form action=\"?/steal",
    r"<img[^>]*evil\.example",
]


def _story(source: Source, title: str, *, text: str = "Tin đồn trừ 2% lương") -> Narrative:
    now = timezone.now()
    narrative = Narrative.objects.create(
        unit=source.unit,
        title=title,
        first_seen_at=now - timedelta(days=2),
        last_seen_at=now - timedelta(hours=3),
        item_count=2,
        source_count=1,
        total_reach=1500,
        risk=0.8,
    )
    for n in range(2):
        Item.objects.create(
            source=source,
            external_id=f"{title[:20]}-{n}",
            content_hash=f"{source.pk}{n}".ljust(40, "0"),
            text=f"{text} {n}",
            author="Người đăng",
            published_at=now - timedelta(days=2 - n),
            reach=750,
            relevant=True,
            narrative=narrative,
        )
    return narrative


@pytest.fixture
def data(cast: Any) -> dict[str, Any]:
    source_a = Source.objects.create(unit=cast.unit_a, name="Trang của A", kind=SourceKind.FILE)
    source_b = Source.objects.create(
        unit=cast.unit_b, name="Nguồn riêng của B", kind=SourceKind.RSS, url="https://b.example/"
    )
    story_a = _story(source_a, "Tin đồn trừ lương ở công ty A")
    story_b = _story(source_b, "Luồng tin riêng của đơn vị B", text="Nội dung riêng của B")
    claim_a = KnownClaim.objects.create(unit=cast.unit_a, claim="Trừ 2% lương nộp công đoàn")
    claim_b = KnownClaim.objects.create(unit=cast.unit_b, claim="Thông tin sai riêng của B")
    tip_b = Tip.objects.create(unit=cast.unit_b, text="Tin báo riêng của B")
    return {
        "source_a": source_a,
        "source_b": source_b,
        "story_a": story_a,
        "story_b": story_b,
        "item_a": story_a.items.first(),
        "item_b": story_b.items.first(),
        "claim_a": claim_a,
        "claim_b": claim_b,
        "tip_b": tip_b,
    }


def _officer_pages(d: dict[str, Any]) -> list[str]:
    return [
        reverse("monitoring:index"),
        reverse("monitoring:index") + "?q=tru+luong&status=open&risk=0.4",
        reverse("monitoring:report"),
        reverse("monitoring:report_chart"),
        reverse("monitoring:narrative", args=[d["story_a"].pk]),
        reverse("monitoring:chart", args=[d["story_a"].pk]),
        reverse("monitoring:items"),
        reverse("monitoring:items") + f"?source={d['source_a'].pk}&relevant=1&q=lương",
        reverse("monitoring:item", args=[d["item_a"].pk]),
        reverse("monitoring:sources"),
        reverse("monitoring:source_create"),
        reverse("monitoring:source", args=[d["source_a"].pk]),
        reverse("monitoring:claims"),
        reverse("monitoring:claim_create"),
        reverse("monitoring:claim_edit", args=[d["claim_a"].pk]),
        reverse("monitoring:tips"),
        reverse("monitoring:tip"),
    ]


def test_every_page_renders_for_an_officer_of_the_unit(data, cast, client_of):
    client = client_of(cast.officer_a)
    for url in _officer_pages(data):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in ("Luồng tin riêng của đơn vị B", "Nguồn riêng của B", "Tin báo riêng của B"):
            assert secret not in body, (url, secret)
    page = client.get(reverse("monitoring:narrative", args=[data["story_a"].pk])).content.decode()
    assert "Tin đồn trừ lương ở công ty A" in page and "Chuyển tình trạng" in page
    assert (
        "Thông tin sai riêng của B" not in client.get(reverse("monitoring:claims")).content.decode()
    )


def test_the_district_officer_sees_both_units(data, cast, client_of):
    body = client_of(cast.district_officer).get(reverse("monitoring:index")).content.decode()
    assert "Tin đồn trừ lương ở công ty A" in body and "Luồng tin riêng của đơn vị B" in body


def test_another_units_things_are_not_found(data, cast, client_of):
    client = client_of(cast.officer_a)
    b = data
    for url in [
        reverse("monitoring:narrative", args=[b["story_b"].pk]),
        reverse("monitoring:chart", args=[b["story_b"].pk]),
        reverse("monitoring:item", args=[b["item_b"].pk]),
        reverse("monitoring:source", args=[b["source_b"].pk]),
        reverse("monitoring:claim_edit", args=[b["claim_b"].pk]),
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("monitoring:transition", args=[b["story_b"].pk]),
        reverse("monitoring:assign", args=[b["story_b"].pk]),
        reverse("monitoring:note", args=[b["story_b"].pk]),
        reverse("monitoring:item_snapshot", args=[b["item_b"].pk]),
        reverse("monitoring:source_fetch", args=[b["source_b"].pk]),
        reverse("monitoring:source_upload", args=[b["source_b"].pk]),
        reverse("monitoring:claim_deactivate", args=[b["claim_b"].pk]),
    ]:
        assert client.post(url, {"to_status": "verifying", "text": "x"}).status_code == 404, url
    assert Narrative.objects.get(pk=b["story_b"].pk).status == NarrativeStatus.DETECTED
    assert KnownClaim.objects.get(pk=b["claim_b"].pk).active


def test_members_and_visitors_never_reach_the_officer_pages(data, cast, client_of):
    member = client_of(cast.member_user)
    anonymous = Client()
    for url in _officer_pages(data):
        if url == reverse("monitoring:tip"):
            continue
        assert member.get(url).status_code == 403, url
        response = anonymous.get(url)
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    response = anonymous.get(reverse("monitoring:tip"))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    # The login page says why it came, and the way without an account (Zalo, #baotin).
    login_page = anonymous.get(response["Location"]).content.decode()
    assert "Đăng nhập để báo tin" in login_page and "#baotin" in login_page


def test_a_member_sends_a_tip_with_a_plain_form(data, cast, client_of):
    client = client_of(cast.member_user)
    page = client.get(reverse("monitoring:tip")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="text"' in page
    assert 'name="unit"' not in page  # a member's tip goes to their own union
    response = client.post(
        reverse("monitoring:tip"),
        {"url": "", "text": "Nhóm Zalo đang lan tin công ty trừ 2% lương nộp công đoàn"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:tip_thanks")
    tip = Tip.objects.get(reporter=cast.member_user)
    assert tip.unit == cast.unit_a and tip.item is not None
    assert tip.item.source.kind == SourceKind.TIPS
    thanks = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn đã báo tin" in thanks and "trừ 2% lương" in thanks
    # The page's title is words only (the list of tips once leaked into it).
    title = thanks.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Đã nhận tin báo" in title and "<" not in title and "trừ 2% lương" not in title


def test_a_tip_needs_something_and_a_private_link_is_kept_but_not_fetched(cast, client_of):
    client = client_of(cast.member_user)
    response = client.post(reverse("monitoring:tip"), {"url": "", "text": "  "})
    assert response.status_code == 200
    assert "ít nhất một trong ba" in response.content.decode()
    response = client.post(
        reverse("monitoring:tip"),
        {"url": "http://192.168.1.10/bai-viet", "text": "Bài này nói sai về Công đoàn"},
    )
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert tip.url == "http://192.168.1.10/bai-viet"
    tip.refresh_from_db()
    assert tip.fetch_error  # refused: a private address


def test_a_tip_with_a_screenshot(cast, client_of, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    image = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(image, "PNG")
    image.name = "man-hinh.png"
    image.seek(0)
    response = client_of(cast.member_user).post(
        reverse("monitoring:tip"), {"url": "", "text": "", "screenshot": image}
    )
    assert response.status_code == 302
    assert Tip.objects.get().screenshot


def test_an_officer_chooses_the_unit_of_a_tip_within_scope(data, cast, client_of):
    client = client_of(cast.district_officer)
    assert 'name="unit"' in client.get(reverse("monitoring:tip")).content.decode()
    response = client.post(
        reverse("monitoring:tip"), {"text": "Tin sai về công ty B", "unit": cast.unit_b.pk}
    )
    assert response.status_code == 302
    assert Tip.objects.get(reporter=cast.district_officer).unit == cast.unit_b
    outside = client_of(cast.officer_a).post(
        reverse("monitoring:tip"), {"text": "Tin sai", "unit": cast.unit_b.pk}
    )
    assert outside.status_code == 200  # not a choice of unit A's officer
    assert not Tip.objects.filter(reporter=cast.officer_a).exists()


def test_an_officer_handles_a_narrative_through_the_forms(data, cast, client_of):
    client = client_of(cast.officer_a)
    story = data["story_a"]
    url = reverse("monitoring:transition", args=[story.pk])
    refused = client.post(url, {"to_status": "dismissed", "reason": ""})
    assert refused.status_code == 400
    assert Narrative.objects.get(pk=story.pk).status == NarrativeStatus.DETECTED
    assert client.post(url, {"to_status": "verifying"}).status_code == 302
    assert client.post(url, {"to_status": "false", "note": "Đã đối chiếu"}).status_code == 302
    response = client.post(url, {"to_status": "responded", "response_kind": "clarification"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == NarrativeStatus.RESPONDED and story.handled_at is not None
    deadline = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        reverse("monitoring:assign", args=[story.pk]),
        {"assignee": cast.officer_a.pk, "deadline": deadline},
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("monitoring:note", args=[story.pk]), {"text": "Đã gọi điện cho công ty"}
        ).status_code
        == 302
    )
    story.refresh_from_db()
    assert story.assignee == cast.officer_a
    kinds = set(NarrativeEvent.objects.filter(narrative=story).values_list("kind", flat=True))
    assert {EventKind.STATUS, EventKind.ASSIGN, EventKind.NOTE} <= kinds
    page = client.get(reverse("monitoring:narrative", args=[story.pk])).content.decode()
    assert "Đã gọi điện cho công ty" in page
    # An officer of unit B may not be given unit A's story.
    response = client.post(
        reverse("monitoring:assign", args=[story.pk]), {"assignee": cast.officer_b.pk}
    )
    assert response.status_code == 400


def test_text_from_outside_is_escaped_and_snapshots_sanitised(data, cast, client_of):
    story = data["story_a"]
    Narrative.objects.filter(pk=story.pk).update(title="<b onmouseover=alert(6)>Tiêu đề</b>")
    item = data["item_a"]
    Item.objects.filter(pk=item.pk).update(
        text=EVIL_TEXT, title="<svg onload=alert(7)>", url="javascript:alert(8)"
    )
    Snapshot.objects.create(item=item, text=EVIL_TEXT, html=EVIL_HTML, sha256="0" * 64)
    Tip.objects.create(unit=cast.unit_a, text=EVIL_TEXT, url="javascript:alert(9)")
    client = client_of(cast.officer_a)
    pages = [
        reverse("monitoring:index"),
        reverse("monitoring:narrative", args=[story.pk]),
        reverse("monitoring:item", args=[item.pk]),
        reverse("monitoring:items"),
        reverse("monitoring:tips"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        for bad in DANGERS:
            assert not re.search(bad, body), (url, bad)
    item_page = client.get(reverse("monitoring:item", args=[item.pk])).content.decode()
    assert "&lt;script&gt;alert" in item_page  # shown as text, not run
    assert 'href="https://ok.example/bai"' in item_page  # a plain link of the copy is kept
    assert "Bài viết" in item_page


def test_filters_never_fail_on_odd_values(data, cast, client_of):
    client = client_of(cast.officer_a)
    for query in (
        "?status=zzz&risk=abc&unit=KHONG-CO&q=%3Cb%3E",
        "?risk=7&page=999",
        f"?unit={cast.unit_b.code}&status=open",
        "?q=tru luong",
    ):
        assert client.get(reverse("monitoring:index") + query).status_code == 200
    for query in ("?source=abc&relevant=2&toxicity=x&stance=y&kind=z", "?page=-1"):
        assert client.get(reverse("monitoring:items") + query).status_code == 200
    assert client.get(reverse("monitoring:report") + "?year=abc").status_code == 200


def test_accent_insensitive_search_of_the_dashboard(data, cast, client_of):
    body = client_of(cast.officer_a).get(reverse("monitoring:index") + "?q=tru+luong").content
    assert "Tin đồn trừ lương ở công ty A" in body.decode()


def test_the_monthly_report_and_its_exports(data, cast, client_of):
    story = data["story_a"]
    now = timezone.now()
    Narrative.objects.filter(pk=story.pk).update(
        status=NarrativeStatus.RESPONDED, detected_at=now, handled_at=now + timedelta(hours=5)
    )
    client = client_of(cast.officer_a)
    page = client.get(reverse("monitoring:report")).content.decode()
    assert "Công đoàn Công ty May A" in page and "Luồng tin riêng" not in page
    csv_answer = client.get(reverse("monitoring:report_csv") + f"?year={now.year}")
    assert csv_answer["Content-Type"].startswith("text/csv")
    text = csv_answer.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Tháng,Đơn vị,Phát hiện,Đã xử lý")
    assert "Công đoàn Công ty May A,1,1" in text
    chart = client.get(reverse("monitoring:report_chart") + f"?year={now.year}")
    assert (
        chart["Content-Type"].startswith("image/svg+xml") and "Phát hiện" in chart.content.decode()
    )
    xlsx = client.get(reverse("monitoring:report_xlsx") + f"?year={now.year}")
    assert xlsx.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="monitoring.report.export").count() == 2


def test_an_officer_adds_a_source_and_a_known_claim(cast, client_of):
    client = client_of(cast.officer_a)
    response = client.post(
        reverse("monitoring:source_create"),
        {
            "unit": cast.unit_a.pk,
            "name": "Báo Lao Động",
            "kind": SourceKind.RSS,
            "url": "",
            "every_minutes": 60,
            "active": "on",
        },
    )
    assert response.status_code == 200 and "cần địa chỉ" in response.content.decode()
    response = client.post(
        reverse("monitoring:source_create"),
        {
            "unit": cast.unit_b.pk,
            "name": "Không phải của A",
            "kind": SourceKind.FILE,
            "every_minutes": 60,
        },
    )
    assert response.status_code == 200 and not Source.objects.exists()  # B is not a choice
    response = client.post(
        reverse("monitoring:source_create"),
        {
            "unit": cast.unit_a.pk,
            "name": "Xuất từ công cụ lắng nghe",
            "kind": SourceKind.FILE,
            "keywords": "công đoàn\nlương",
            "every_minutes": 60,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Source.objects.get().unit == cast.unit_a
    response = client.post(
        reverse("monitoring:claim_create"),
        {
            "unit": cast.unit_a.pk,
            "claim": "Bỏ hẳn rút BHXH một lần",
            "refutation": "Luật BHXH 2024 vẫn cho hưởng một lần khi đủ điều kiện.",
            "refutation_url": "https://congdoan.example/bhxh",
            "active": "on",
        },
    )
    assert response.status_code == 302
    claim = KnownClaim.objects.get()
    response = client.post(reverse("monitoring:claim_deactivate", args=[claim.pk]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert not claim.active


def test_an_export_file_is_uploaded_into_a_file_source(data, cast, client_of):
    source = data["source_a"]
    lines = [
        {"id": f"x{n}", "text": f"Bài đăng số {n} về công đoàn và tiền lương", "reach": 10 * n}
        for n in range(3)
    ]
    upload = io.BytesIO("\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode())
    upload.name = "xuat.jsonl"
    client = client_of(cast.officer_a)
    response = client.post(reverse("monitoring:source_upload", args=[source.pk]), {"file": upload})
    assert response.status_code == 302
    assert Item.objects.filter(source=source, external_id__startswith="x").count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "3 tin mới" in page
    entry = AuditEntry.objects.get(action="monitoring.source.upload")
    assert entry.changes["new"] == 3


def test_fetch_now_reads_the_feed_and_the_list_shows_each_source_s_health(
    cast, client_of, web, django_capture_on_commit_callbacks
):
    good = web.route(
        "/rss",
        rss(
            [
                {
                    "guid": "a1",
                    "title": "Công đoàn huyện thăm hỏi công nhân",
                    "link": "https://laodong.example/a1",
                    "description": "<p>Công đoàn thăm hỏi</p><script>alert(1)</script>",
                }
            ]
        ),
    )
    broken = web.route("/hong", "lỗi máy chủ", status=500)
    client = client_of(cast.officer_a)
    sources = []
    for name, url in (("Báo Lao Động", good), ("Cổng hỏng", broken)):
        response = client.post(
            reverse("monitoring:source_create"),
            {
                "unit": cast.unit_a.pk,
                "name": name,
                "kind": SourceKind.RSS,
                "url": url,
                "every_minutes": 60,
                "active": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        source = Source.objects.get(name=name)
        sources.append(source)
        with django_capture_on_commit_callbacks(execute=True):
            fetch_url = reverse("monitoring:source_fetch", args=[source.pk])
            assert client.post(fetch_url).status_code == 302
    good_source, broken_source = (Source.objects.get(pk=s.pk) for s in sources)
    assert good_source.last_success_at is not None and good_source.items.count() == 1
    assert broken_source.consecutive_errors == 1 and broken_source.last_error
    page = client.get(reverse("monitoring:sources")).content.decode()
    assert "hoạt động tốt" in page and "lỗi 1 lần liên tiếp" in page
    item_page = client.get(reverse("monitoring:item", args=[good_source.items.get().pk]))
    assert not re.search(DANGERS[0], item_page.content.decode())


def test_the_spread_chart_by_day_by_hour_and_without_items(data, cast, client_of):
    client = client_of(cast.officer_a)
    story = data["story_a"]
    now = timezone.now()
    Narrative.objects.filter(pk=story.pk).update(first_seen_at=now - timedelta(days=5))
    by_day = client.get(reverse("monitoring:chart", args=[story.pk]))
    assert by_day["Content-Type"].startswith("image/svg+xml")
    assert b"<script" not in by_day.content and "Lan truyền theo ngày" in by_day.content.decode()
    Narrative.objects.filter(pk=story.pk).update(first_seen_at=now - timedelta(hours=5))
    Item.objects.filter(narrative=story).update(published_at=now - timedelta(hours=3))
    assert "Lan truyền theo giờ" in client.get(by_day.wsgi_request.path).content.decode()
    empty = Narrative.objects.create(
        unit=cast.unit_a, title="Chưa có tin", first_seen_at=now, last_seen_at=now
    )
    assert client.get(reverse("monitoring:chart", args=[empty.pk])).status_code == 200
    assert client.get(reverse("monitoring:narrative", args=[empty.pk])).status_code == 200


def test_the_filters_answer_htmx_with_the_list_alone(data, cast, client_of):
    client = client_of(cast.officer_a)
    for url in (reverse("monitoring:index") + "?q=luong", reverse("monitoring:items") + "?q=lương"):
        full = client.get(url).content.decode()
        partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert "<html" in full and "<html" not in partial
        assert "<table" in partial and 'id="results"' in full


def test_the_response_links_a_content_product_found_by_search(data, cast, client_of):
    mine = Product.objects.create(
        unit=cast.unit_a,
        title="Kinh phí công đoàn không trừ vào lương",
        slug="kinh-phi",
        search_text="kinh phi cong doan khong tru vao luong",  # as content's services fold it
    )
    Product.objects.create(unit=cast.unit_b, title="Bài riêng của đơn vị B", slug="rieng-b")
    client = client_of(cast.officer_a)
    story = data["story_a"]
    Narrative.objects.filter(pk=story.pk).update(status=NarrativeStatus.CONFIRMED_FALSE)
    page = client.get(
        reverse("monitoring:narrative", args=[story.pk]) + "?product_q=kinh+phi"
    ).content.decode()
    assert f'<option value="{mine.pk}">' in page and "Bài riêng của đơn vị B" not in page
    response = client.post(
        reverse("monitoring:transition", args=[story.pk]),
        {"to_status": "planned", "response_kind": "clarification", "product": mine.pk},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == NarrativeStatus.RESPONSE_PLANNED and story.product == mine
    page = client.get(reverse("monitoring:narrative", args=[story.pk])).content.decode()
    assert "Kinh phí công đoàn không trừ vào lương" in page


def test_a_new_source_or_claim_starts_on_the_officers_own_unit(data, cast, client_of):
    client = client_of(cast.officer_a)
    for name in ("monitoring:source_create", "monitoring:claim_create"):
        page = client.get(reverse(name)).content.decode()
        assert f'<option value="{cast.unit_a.pk}" selected>' in page, name


def test_the_narrative_page_writes_every_date_in_one_style(data, cast, client_of):
    story = data["story_a"]
    story.deadline = timezone.localdate() + timedelta(days=3)
    story.handled_at = timezone.now()
    story.save()
    body = client_of(cast.officer_a).get(reverse("monitoring:narrative", args=[story.pk]))
    html = body.content.decode()
    # Moments "H:i d/m/Y", days "d/m/Y" (vn_short_date), as the other officer pages.
    assert "ngày " not in re.sub(r"<[^>]+>", " ", html).split("Lan truyền")[0].lower()
    first = timezone.localtime(story.first_seen_at).strftime("%H:%M %d/%m/%Y")
    assert f"<dd>{first}</dd>" in html
    assert story.deadline.strftime("%d/%m/%Y") in html
