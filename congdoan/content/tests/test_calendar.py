"""The calendar: the yearly loader, reminders once per unit, the month page and the private
iCalendar feed (valid RFC 5545, parsed back here; revocable)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.content import calendar, calendar_ical
from congdoan.content.models import Highlight, Product, ProductKind, ProductStatus
from congdoan.content.models_bulletin import (
    CalendarFeedToken,
    HighlightOccurrence,
    HighlightReminder,
)
from congdoan.orgs.models import Appointment
from congdoan.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _occurrence(code: str, year: int) -> HighlightOccurrence:
    return HighlightOccurrence.objects.get(highlight__standard__code=code, year=year)


def test_loading_a_year_twice_creates_nothing_the_second_time(themes: Any) -> None:
    first = calendar.highlights_load(2027)
    assert first["created"] == len(calendar.STANDARD)
    highlights = Highlight.objects.count()
    assert calendar.highlights_load(2027) == {"created": 0, "moved": 0, "unknown": 0}
    assert Highlight.objects.count() == highlights == len(calendar.STANDARD)
    assert HighlightOccurrence.objects.filter(year=2027).count() == len(calendar.STANDARD)

    tet = _occurrence("tet-nguyen-dan", 2027)
    assert (tet.starts_on, tet.ends_on) == (date(2027, 2, 6), date(2027, 2, 8))
    sum_vay = _occurrence("tet-sum-vay", 2027)
    assert sum_vay.starts_on == date(2027, 1, 7) and sum_vay.ends_on == date(2027, 2, 5)
    may = _occurrence("thang-cong-nhan", 2027)
    assert (may.starts_on, may.ends_on) == (date(2027, 5, 1), date(2027, 5, 31))
    assert _occurrence("thanh-lap-cong-doan", 2027).starts_on == date(2027, 7, 28)
    theme = _occurrence("thanh-lap-cong-doan", 2027).highlight.theme
    assert theme is not None and theme.code == "vai-tro-cong-doan"


def test_a_renamed_or_moved_highlight_is_followed_not_duplicated(cast: Any, themes: Any) -> None:
    calendar.highlights_load(2027)
    highlight = _occurrence("phu-nu-viet-nam", 2027).highlight
    highlight.name = "Ngày Phụ nữ Việt Nam"
    highlight.day = 21
    highlight.save()
    own = Highlight.objects.create(name="Kỷ niệm 20 năm thành lập CĐ A", unit=cast.unit_a)
    own.dates = {"2027": "2027-03-15"}
    own.save()
    counts = calendar.highlights_load(2027)
    assert counts == {"created": 1, "moved": 1, "unknown": 0}
    assert _occurrence("phu-nu-viet-nam", 2027).starts_on == date(2027, 10, 21)
    assert HighlightOccurrence.objects.get(highlight=own).starts_on == date(2027, 3, 15)
    # A year beyond the table of Tết: the lunar highlights are simply not there yet.
    assert calendar.highlights_load(2031)["unknown"] == 2 + 1  # Tết, Tết Sum vầy, A's own


def test_the_daily_job_loads_next_year_from_the_first_of_december(themes: Any) -> None:
    assert set(calendar.highlights_load_due(today=date(2026, 11, 30))) == {"2026"}
    assert set(calendar.highlights_load_due(today=date(2026, 12, 1))) == {"2026", "2027"}
    assert HighlightOccurrence.objects.filter(year=2027).exists()


def test_officers_are_reminded_once_per_highlight_and_unit(
    cast: Any, themes: Any, django_capture_on_commit_callbacks: Any
) -> None:
    calendar.highlights_load(2027)
    founding = _occurrence("thanh-lap-cong-doan", 2027)  # 28/7, reminded 30 days before
    Product.objects.create(
        unit=cast.unit_a,
        title="Clip kỷ niệm 98 năm Công đoàn Việt Nam",
        slug="clip-28-7",
        highlight=founding.highlight,
    )
    assert calendar.reminders_send(today=date(2027, 6, 27))["reminded"] == 0  # 31 days before
    first = calendar.reminders_send(today=date(2027, 6, 28))
    assert first["reminded"] >= 2  # unit A, unit B, the district…
    again = calendar.reminders_send(today=date(2027, 6, 29))
    assert again == {"reminded": 0, "mails": 0}
    mails = OutboundMessage.objects.filter(
        purpose="content.calendar.remind", recipient=cast.officer_a.email, subject__contains="28/7"
    )
    (mail,) = mails
    assert "Clip kỷ niệm 98 năm" in mail.body and "còn 30 ngày" in mail.body
    assert HighlightReminder.objects.filter(occurrence=founding, unit=cast.unit_a).count() == 1
    # B's officer is told of the highlight, not of A's products.
    (mail_b,) = OutboundMessage.objects.filter(
        purpose="content.calendar.remind", recipient=cast.officer_b.email, subject__contains="28/7"
    )
    assert "Clip kỷ niệm" not in mail_b.body
    # Once the day has passed, nothing more.
    assert calendar.reminders_send(today=date(2027, 7, 29))["reminded"] == 0


def test_a_units_own_highlight_reminds_only_that_unit(cast: Any, themes: Any) -> None:
    own = Highlight.objects.create(
        name="Kỷ niệm ngày thành lập CĐ A", unit=cast.unit_a, month=3, day=15, remind_days_before=7
    )
    calendar.highlights_load(2027)
    counts = calendar.reminders_send(today=date(2027, 3, 10))
    assert counts["reminded"] == 1
    (reminder,) = HighlightReminder.objects.filter(occurrence__highlight=own)
    assert reminder.unit == cast.unit_a


def _event(cast: Any, unit: Any, title: str, starts: datetime, **fields: Any) -> Product:
    return Product.objects.create(
        unit=unit,
        kind=ProductKind.EVENT,
        title=title,
        slug=(re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "su-kien")[:100],
        status=ProductStatus.APPROVED,
        event_starts_at=starts,
        event_ends_at=starts + timedelta(hours=2),
        **fields,
    )


def test_month_page_shows_the_highlights_and_the_events_in_scope_escaped(
    cast: Any, themes: Any, client_of: Any
) -> None:
    today = timezone.localdate()
    calendar.highlights_load(today.year)
    tz = timezone.get_current_timezone()
    day = today.replace(day=10)
    starts = datetime(day.year, day.month, day.day, 8, 30, tzinfo=tz)
    _event(cast, cast.unit_a, '<script>alert("x")</script> Hội thao', starts)
    _event(cast, cast.unit_b, "Sự kiện riêng của B", starts)
    page = client_of(cast.officer_a).get("/noi-dung/lich/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Hội thao" in text
    assert "<script>alert" not in text and "Sự kiện riêng của B" not in text
    may = client_of(cast.officer_a).get(f"/noi-dung/lich/?year={today.year}&month=5")
    assert "Tháng Công nhân" in may.content.decode()
    assert client_of(cast.officer_a).get("/noi-dung/lich/?year=abc&month=13").status_code == 200
    assert client_of(cast.member_user).get("/noi-dung/lich/").status_code == 403


def _unfold(text: str) -> list[str]:
    """RFC 5545 §3.1: CRLF line ends, each physical line ≤ 75 octets, folds start with a space."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical)
    assert all(len(line.encode()) <= 75 for line in physical), "a line longer than 75 octets"
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def _unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse_ical(text: str) -> list[dict[str, str]]:
    """The VEVENTs of a VCALENDAR as {property name: unescaped value}; checks the nesting."""
    events: list[dict[str, str]] = []
    stack: list[str] = []
    for line in _unfold(text):
        name, sep, value = line.partition(":")
        assert sep, f"not a content line: {line!r}"
        key = name.split(";")[0].upper()
        if key == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif key == "END":
            assert stack.pop() == value
        elif stack and stack[-1] == "VEVENT":
            events[-1][key] = _unescape(value)
    assert stack == []
    return events


def _new_link(client: Client) -> str:
    response = client.post("/noi-dung/lich/lien-ket/")
    assert response.status_code == 200
    match = re.search(r"(/noi-dung/lich\.ics\?token=[A-Za-z0-9_\-]+)", response.content.decode())
    assert match is not None
    return match.group(1)


def test_ical_feed_is_valid_and_parses_back(cast: Any, themes: Any, client_of: Any) -> None:
    today = timezone.localdate()
    calendar.highlights_load(today.year)
    calendar.highlights_load(today.year + 1)
    tz = timezone.get_current_timezone()
    starts = datetime.combine(today + timedelta(days=5), datetime.min.time(), tzinfo=tz)
    title = "Hội nghị, tọa đàm; chủ đề: \\ quyền lợi\nđoàn viên " + "rất dài " * 12
    _event(cast, cast.unit_a, title, starts, event_place="Hội trường, tầng 2")
    _event(cast, cast.unit_b, "Sự kiện riêng của B", starts)
    link = _new_link(client_of(cast.officer_a))

    response = Client().get(link)  # a phone: no login, no cookie
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    events = parse_ical(text)
    (event,) = [e for e in events if e["UID"].startswith("product-")]
    assert event["SUMMARY"] == title and event["LOCATION"] == "Hội trường, tầng 2"
    assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTART"])
    assert all("Sự kiện riêng của B" not in e["SUMMARY"] for e in events)
    names = {e["SUMMARY"] for e in events}
    assert "Ngày thành lập Công đoàn Việt Nam (28/7)" in names or "Tết Nguyên đán" in names
    for e in events:
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(e)
    assert len({e["UID"] for e in events}) == len(events)


def test_escaping_and_folding_keep_vietnamese_characters_whole() -> None:
    line = calendar_ical.fold("SUMMARY:" + calendar_ical.escape_text("Đoàn viên ưu tú, " * 10))
    for physical in line.split("\r\n"):
        assert len(physical.encode()) <= 75
        physical.encode().decode()  # never a cut UTF-8 character
    assert calendar_ical.escape_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"


def test_revoked_link_stops_and_a_new_link_replaces_the_old(
    cast: Any, themes: Any, client_of: Any
) -> None:
    officer = client_of(cast.officer_a)
    old = _new_link(officer)
    assert Client().get(old).status_code == 200
    new = _new_link(officer)
    assert Client().get(old).status_code == 403
    assert Client().get(new).status_code == 200
    assert officer.post("/noi-dung/lich/lien-ket/huy/").status_code == 200
    assert Client().get(new).status_code == 403
    assert Client().get("/noi-dung/lich.ics").status_code == 403
    assert Client().get("/noi-dung/lich.ics?token=cal_doan-bua").status_code == 403
    assert CalendarFeedToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert all(len(t.key_hash) == 64 for t in CalendarFeedToken.objects.all())
    actions = list(
        AuditEntry.objects.filter(action__startswith="content.calendar_link.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["content.calendar_link.create"] * 2 + [
        "content.calendar_link.revoke"
    ]


def test_a_link_stops_when_its_officer_leaves_office(
    cast: Any, themes: Any, client_of: Any
) -> None:
    link = _new_link(client_of(cast.officer_a))
    Appointment.objects.filter(user=cast.officer_a).update(ended_on=timezone.localdate())
    assert Client().get(link).status_code == 403


def test_the_studio_offers_the_coming_highlights_of_the_viewers_units(
    cast: Any, themes: Any
) -> None:
    Highlight.objects.create(name="Kỷ niệm CĐ B", unit=cast.unit_b, month=3, day=15)
    calendar.highlights_load(2027)
    names = {h.name for h in calendar.highlight_choices(cast.officer_a, date(2027, 4, 1))}
    assert "Tháng Công nhân" in names and "Kỷ niệm CĐ B" not in names
    assert "Tết Nguyên đán" not in names  # February 2027 is over, 2028 is not loaded
    b_names = {h.name for h in calendar.highlight_choices(cast.officer_b, date(2027, 3, 1))}
    assert "Kỷ niệm CĐ B" in b_names
