"""Issue 11.5: the officer's home page is the work for today in their scope."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

# The API's schemas are built at import, before any test freezes the clock.
import congdoan.config.urls  # noqa: F401
from congdoan.core.tests.test_browser import (  # noqa: F401
    _horizontal_overflow,
    _log_in,
    _shot,
    browser,
    desktop,
    phone,
)
from congdoan.feedback.models import Concern, ConcernEvent, Status, Urgency
from congdoan.library.models import Blob, Document, SourceKind
from congdoan.library.models import Status as DocStatus


def _concerns(cast: Any) -> None:
    now = timezone.now()
    rows = [
        ("unit_a", "Nợ lương hai tháng", Urgency.URGENT, Status.TRIAGED, timedelta(hours=20)),
        ("unit_a", "Xưởng nóng quá", None, Status.IN_PROGRESS, -timedelta(days=2)),
        ("unit_b", "Nhà vệ sinh bẩn", None, Status.ASSIGNED, -timedelta(days=1)),
        ("unit_b", "Xin hỏi đoàn phí", None, Status.RECEIVED, timedelta(days=5)),
        ("unit_b", "Đã trả lời xong", None, Status.ANSWERED, -timedelta(days=9)),
        ("other_district", "Huyện khác", Urgency.URGENT, Status.TRIAGED, -timedelta(days=3)),
    ]
    for unit_name, text, urgency, status, due_in in rows:
        unit = getattr(cast, unit_name)
        extra = {"urgency": urgency} if urgency else {}
        Concern.objects.create(
            unit=unit, assigned_unit=unit, text=text, status=status, due_at=now + due_in, **extra
        )


def _counts(html: str) -> dict[str, int]:
    found = re.findall(r'data-count="(\w+)" href="([^"]+)"><span class="kpi">([\d.]+)</span>', html)
    return {key: int(n.replace(".", "")) for key, _href, n in found}


def _inbox_total(client: Any, href: str) -> int:
    html = client.get(href.replace("&amp;", "&")).content.decode()
    return int(re.search(r"(\d+) ý kiến", html).group(1))  # type: ignore[union-attr]


def test_district_office_sees_its_work_counts_matching_the_inbox_and_ranked_units(
    cast: Any, client_of: Any
) -> None:
    _concerns(cast)
    client = client_of(cast.district_officer)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert _counts(html) == {"urgent": 1, "overdue": 2, "new": 2, "open": 4}
    for key, href, _n in re.findall(
        r'data-count="(\w+)" href="([^"]+)"><span class="kpi">([\d.]+)', html
    ):
        assert _inbox_total(client, href) == _counts(html)[key]
    assert "Nợ lương hai tháng" in html and "Huyện khác" not in html
    assert "Công đoàn cơ sở có ý kiến quá hạn" in html
    ranked = re.findall(r"overdue=1&amp;unit=([\w-]+)", html)
    assert sorted(ranked) == sorted([cast.unit_a.code, cast.unit_b.code])


def test_grassroots_officer_sees_only_their_union_and_no_ranking(cast: Any, client_of: Any) -> None:
    _concerns(cast)
    html = client_of(cast.officer_a).get(reverse("web:dashboard")).content.decode()
    assert _counts(html) == {"urgent": 1, "overdue": 1, "new": 1, "open": 2}
    assert "Nhà vệ sinh bẩn" not in html
    assert "Công đoàn cơ sở có ý kiến quá hạn" not in html


def test_changes_since_the_last_visit_are_those_made_by_others(cast: Any, client_of: Any) -> None:
    _concerns(cast)
    client = client_of(cast.officer_a)
    client.get(reverse("web:dashboard"))  # the first visit: remembered
    concern = Concern.objects.get(text="Xưởng nóng quá")
    ConcernEvent.objects.create(concern=concern, kind="note", actor=cast.district_officer)
    ConcernEvent.objects.create(concern=concern, kind="note", actor=cast.officer_a)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "1 thay đổi do người khác" in html
    assert concern.code in html


def test_documents_waiting_for_ocr_or_with_unsure_metadata_are_listed_in_scope(
    cast: Any, client_of: Any
) -> None:
    blob = Blob.objects.create(sha256="a" * 64, size=1, content_type="application/pdf")
    Document.objects.create(
        unit=cast.unit_a,
        blob=blob,
        original_name="cho.pdf",
        source_kind=SourceKind.values[0],
        status=DocStatus.PENDING,
    )
    Document.objects.create(
        unit=cast.unit_a,
        blob=blob,
        original_name="ke-hoach.pdf",
        source_kind=SourceKind.values[0],
        status=DocStatus.READY,
        title="Kế hoạch tháng công nhân",
        confidence={"issuer": 0.4, "title": 0.9},
    )
    Document.objects.create(
        unit=cast.unit_b,
        blob=blob,
        original_name="b.pdf",
        source_kind=SourceKind.values[0],
        status=DocStatus.READY,
        title="Văn bản của B",
        confidence={"issuer": 0.3},
    )
    html = client_of(cast.officer_a).get(reverse("web:dashboard")).content.decode()
    assert "1 tài liệu đang chờ nhận dạng chữ" in html
    assert "2 tài liệu mới" in html  # since the last visit (a day, the first time)
    assert "Kế hoạch tháng công nhân" in html and "thông tin văn bản chưa chắc chắn" in html
    assert "Văn bản của B" not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_page_counts_match_the_inbox_in_the_browser(
    desktop: Any,  # noqa: F811
    live_server: Any,
    cast: Any,
) -> None:
    _concerns(cast)
    page = desktop
    _log_in(page, live_server.url, cast.district_officer.email)
    page.goto(f"{live_server.url}/bang-dieu-khien/")
    from playwright.sync_api import expect

    # The scope's member count arrives after the page (htmx), in place of "…".
    expect(page.locator("#scope-roots .kpi").first).not_to_have_text("…", timeout=5000)
    _shot(page, "officer-home.png")
    for key, expected in {"urgent": 1, "overdue": 2, "new": 2, "open": 4}.items():
        card = page.locator(f"a[data-count={key}]")
        assert card.locator(".kpi").inner_text() == str(expected)
        card.click()
        page.wait_for_load_state("load")
        assert f"{expected} ý kiến" in page.inner_text("#rows")
        page.go_back()
        page.wait_for_load_state("load")


def test_the_scope_member_count_comes_after_the_page(cast: Any, client_of: Any) -> None:
    client = client_of(cast.district_officer)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "2 công đoàn cơ sở" in html  # the grassroots count stays on the page
    assert 'hx-get="/bang-dieu-khien/pham-vi/"' in html
    partial = client.get(reverse("web:dashboard_scope"), HTTP_HX_REQUEST="true").content.decode()
    assert "đoàn viên trong phạm vi quản lý" in partial and "hx-get" not in partial
    page = client.get(reverse("web:dashboard_scope")).content.decode()
    assert "<html" in page and "2 công đoàn cơ sở" in page
    assert client_of(cast.member_user).get(reverse("web:dashboard_scope")).status_code == 302


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_home_page_fits_a_phone(phone: Any, live_server: Any, cast: Any) -> None:  # noqa: F811
    _concerns(cast)
    _log_in(phone, live_server.url, cast.district_officer.email)
    phone.goto(f"{live_server.url}/bang-dieu-khien/")
    assert _horizontal_overflow(phone) <= 0
    _shot(phone, "officer-home-phone.png")


def test_changes_stay_listed_while_the_officer_comes_back_within_the_sitting(
    cast: Any, client_of: Any, settings: Any
) -> None:
    """Opening a concern from the list and coming back must not empty the list; after a
    longer absence, what was seen is no longer listed."""
    from freezegun import freeze_time

    settings.OFFICER_IDLE_MINUTES = 600  # not logged out over lunch, for this test
    _concerns(cast)
    client = client_of(cast.officer_a)
    start = timezone.now()
    concern = Concern.objects.get(text="Xưởng nóng quá")
    with freeze_time(start):
        client.get(reverse("web:dashboard"))
    with freeze_time(start + timedelta(minutes=5)):
        ConcernEvent.objects.create(concern=concern, kind="note", actor=cast.district_officer)
    for minutes in (10, 20, 40):  # the officer goes to the inbox and back, three times
        with freeze_time(start + timedelta(minutes=minutes)):
            html = client.get(reverse("web:dashboard")).content.decode()
        assert "1 thay đổi do người khác" in html, minutes
    with freeze_time(start + timedelta(hours=3)):  # back after lunch: a new sitting
        html = client.get(reverse("web:dashboard")).content.decode()
    assert "0 thay đổi do người khác" in html


def test_office_home_page_lists_an_urgent_concern_that_names_no_union(
    cast: Any, client_of: Any
) -> None:
    """A concern sent without a known union (unit None, routed to the home unit) among the
    top items gave the district Office a 500 on its home page."""
    Concern.objects.create(
        unit=None,
        assigned_unit=cast.district,
        text="Không rõ công ty, bị nợ lương ba tháng",
        urgency=Urgency.URGENT,
        status=Status.TRIAGED,
        due_at=timezone.now() + timedelta(hours=2),
    )
    response = client_of(cast.district_officer).get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert "Không rõ công ty, bị nợ lương ba tháng" in response.content.decode()


def test_messages_sent_as_they_should_are_not_among_what_changed(cast: Any, client_of: Any) -> None:
    """Two e-mails about an escalation and a reminder are delivery log lines, not changes;
    a failed delivery and an answer by another officer are."""
    _concerns(cast)
    client = client_of(cast.officer_a)
    client.get(reverse("web:dashboard"))
    concern = Concern.objects.get(text="Xưởng nóng quá")
    for kind in ("escalation_sent", "escalation_sent", "remind", "channel.receipt_sent"):
        ConcernEvent.objects.create(concern=concern, kind=kind, note="a@example.vn")
    ConcernEvent.objects.create(concern=concern, kind="remind_failed", note="SMTP")
    ConcernEvent.objects.create(concern=concern, kind="answer", actor=cast.district_officer)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert "2 thay đổi do người khác" in html
