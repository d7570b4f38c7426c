"""The communication calendar: the year's highlights, what is planned against them, reminders.

- `STANDARD`: the fixed highlights every union plans around (1/5, 28/7, 20/10, Tết Sum vầy…)
  and `TET` (the solar date of the lunar new year, per year: it moves); `highlights_load(year)`
  makes sure each exists as a `Highlight` and writes each highlight's dates in that year
  (`HighlightOccurrence`), the standard ones and a unit's own (its anniversary, entered by an
  administrator). Loading twice changes nothing; `highlights_load_due` (a daily job) loads the
  current year and, from 1 December, the next.
- `reminders_send` (a daily job): N days before each highlight (`remind_days_before`), one
  e-mail to the officers of each unit it concerns, once per highlight, year and unit (a
  `HighlightReminder` row written with the mail).
- The month view (`month_grid`) and the iCalendar feed (calendar_ical.py) read
  `visible_occurrences` and `visible_events`, scoped to the viewer.
"""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from congdoan.content.models import Highlight, Product, ProductKind, ProductStatus, Theme
from congdoan.content.models_bulletin import (
    HighlightOccurrence,
    HighlightReminder,
    StandardHighlight,
)
from congdoan.core.vndate import vn_short_date
from congdoan.orgs.models import Appointment, Unit
from congdoan.orgs.scoping import Viewer, in_force_q, scope_for, unit_q
from congdoan.outbox.services import email_enqueue

# Mùng 1 Tết (the lunar new year's first day) in the solar calendar. Add a line each year.
TET: dict[int, date] = {
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}


@dataclass(frozen=True)
class Standard:
    """One fixed highlight: a solar date (month, day) or a number of days from Tết."""

    code: str
    name: str
    month: int | None = None
    day: int | None = None
    from_tet: int | None = None
    duration_days: int = 1
    remind_days_before: int = 14
    theme: str | None = None


# Names are stored in Vietnamese (they are data: an officer may rename them); gettext_noop
# marks them for the translators all the same.
STANDARD: tuple[Standard, ...] = (
    Standard(
        "tet-sum-vay",
        gettext_noop("Chương trình Tết Sum vầy"),
        from_tet=-30,
        duration_days=30,
        remind_days_before=30,
        theme="cham-lo-bao-ve",
    ),
    Standard("tet-nguyen-dan", gettext_noop("Tết Nguyên đán"), from_tet=0, duration_days=3),
    Standard(
        "thanh-lap-dang",
        gettext_noop("Ngày thành lập Đảng Cộng sản Việt Nam (3/2)"),
        month=2,
        day=3,
        theme="tu-tuong",
    ),
    Standard("quoc-te-phu-nu", gettext_noop("Ngày Quốc tế Phụ nữ (8/3)"), month=3, day=8),
    Standard(
        "thang-cong-nhan",
        gettext_noop("Tháng Công nhân"),
        month=5,
        day=1,
        duration_days=31,
        remind_days_before=30,
        theme="cham-lo-bao-ve",
    ),
    Standard(
        "thang-atvsld",
        gettext_noop("Tháng hành động về an toàn, vệ sinh lao động"),
        month=5,
        day=1,
        duration_days=31,
        remind_days_before=30,
        theme="chinh-sach-phap-luat",
    ),
    Standard(
        "quoc-te-lao-dong",
        gettext_noop("Ngày Quốc tế Lao động (1/5)"),
        month=5,
        day=1,
        theme="su-kien-trong-tam",
    ),
    Standard(
        "thuong-binh-liet-si",
        gettext_noop("Ngày Thương binh – Liệt sĩ (27/7)"),
        month=7,
        day=27,
        theme="tu-tuong",
    ),
    Standard(
        "thanh-lap-cong-doan",
        gettext_noop("Ngày thành lập Công đoàn Việt Nam (28/7)"),
        month=7,
        day=28,
        remind_days_before=30,
        theme="vai-tro-cong-doan",
    ),
    Standard("quoc-khanh", gettext_noop("Quốc khánh (2/9)"), month=9, day=2, theme="tu-tuong"),
    Standard(
        "phu-nu-viet-nam",
        gettext_noop("Ngày Phụ nữ Việt Nam (20/10)"),
        month=10,
        day=20,
    ),
    Standard(
        "thanh-lap-qdnd",
        gettext_noop("Ngày thành lập Quân đội nhân dân Việt Nam (22/12)"),
        month=12,
        day=22,
        theme="tu-tuong",
    ),
)


# --- loading ---------------------------------------------------------------------------------


def _standard_highlight(spec: Standard, themes: dict[str, Theme]) -> Highlight:
    known = StandardHighlight.objects.filter(code=spec.code).select_related("highlight").first()
    if known is not None:
        return known.highlight
    highlight = Highlight.objects.create(
        name=spec.name,
        month=spec.month,
        day=spec.day,
        duration_days=spec.duration_days,
        remind_days_before=spec.remind_days_before,
        theme=themes.get(spec.theme or ""),
    )
    StandardHighlight.objects.create(code=spec.code, highlight=highlight)
    return highlight


@transaction.atomic
def highlights_load(year: int) -> dict[str, int]:
    """Make sure the standard highlights exist and write every highlight's dates in `year`.

    Idempotent: a second run creates nothing. A date an officer corrected (a highlight's
    `dates`, its month and day) is followed: the occurrence moves with it.
    """
    themes = {theme.code: theme for theme in Theme.objects.all()}
    counts = {"created": 0, "moved": 0, "unknown": 0}
    for spec in STANDARD:
        highlight = _standard_highlight(spec, themes)
        if spec.from_tet is not None and year in TET and str(year) not in highlight.dates:
            highlight.dates = {
                **highlight.dates,
                str(year): (TET[year] + timedelta(days=spec.from_tet)).isoformat(),
            }
            highlight.save(update_fields=["dates"])
    for highlight in Highlight.objects.all():
        starts = highlight.date_in(year)
        if starts is None:
            counts["unknown"] += 1
            continue
        ends = starts + timedelta(days=max(highlight.duration_days, 1) - 1)
        occurrence, created = HighlightOccurrence.objects.get_or_create(
            highlight=highlight, year=year, defaults={"starts_on": starts, "ends_on": ends}
        )
        if created:
            counts["created"] += 1
        elif (occurrence.starts_on, occurrence.ends_on) != (starts, ends):
            HighlightOccurrence.objects.filter(pk=occurrence.pk).update(
                starts_on=starts, ends_on=ends
            )
            counts["moved"] += 1
    return counts


def highlights_load_due(*, today: date | None = None) -> dict[str, Any]:
    """The daily job: this year's highlights, and from 1 December next year's too."""
    today = today or timezone.localdate()
    loaded = {today.year: highlights_load(today.year)}
    if today.month == 12:
        loaded[today.year + 1] = highlights_load(today.year + 1)
    return {str(year): counts for year, counts in loaded.items()}


# --- reminders -------------------------------------------------------------------------------


def _officer_emails() -> dict[int, list[str]]:
    """Unit id → the e-mail addresses of the officers appointed there now."""
    today = timezone.localdate()
    rows = (
        Appointment.objects.filter(
            manages=True,
            unit__is_active=True,
            user__isnull=False,
            user__is_active=True,
        )
        .filter(in_force_q(today))
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    )
    emails: dict[int, set[str]] = defaultdict(set)
    for unit_id, email in rows:
        if email:
            emails[unit_id].add(email)
    return {unit_id: sorted(addresses) for unit_id, addresses in emails.items()}


def _reminder_body(occurrence: HighlightOccurrence, unit: Unit, today: date) -> str:
    highlight = occurrence.highlight
    planned = Product.objects.filter(highlight=highlight, unit=unit).exclude(
        status=ProductStatus.ARCHIVED
    )
    lines = [
        _("%(name)s: ngày %(day)s (còn %(left)s ngày).")
        % {
            "name": highlight.name,
            "day": vn_short_date(occurrence.starts_on),
            "left": (occurrence.starts_on - today).days,
        },
        "",
    ]
    titles = [p.title for p in planned.order_by("title")[:20]]
    if titles:
        lines.append(_("Sản phẩm của %(unit)s gắn với mốc này:") % {"unit": unit.name})
        lines += [f"• {title}" for title in titles]
    else:
        lines.append(
            _("%(unit)s chưa có sản phẩm truyền thông nào gắn với mốc này.") % {"unit": unit.name}
        )
    month = reverse("bulletin:calendar") + f"?year={occurrence.starts_on.year}"
    month += f"&month={occurrence.starts_on.month}"
    lines += [
        "",
        _("Lịch truyền thông: %(link)s") % {"link": settings.SITE_URL.rstrip("/") + month},
    ]
    return "\n".join(lines)


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """The daily job: remind each unit's officers of a coming highlight, once per unit.

    A highlight of a unit reminds that unit; one for everyone reminds every unit that has an
    officer with an e-mail address. Steps: the occurrences whose reminder day has come and that
    have not begun; for each, the units not reminded yet; for each, the reminder row and the
    mail in one transaction (the row's uniqueness makes a second run, or two at once, send
    nothing).
    """
    today = today or timezone.localdate()
    emails = _officer_emails()
    counts = {"reminded": 0, "mails": 0}
    occurrences = HighlightOccurrence.objects.filter(
        starts_on__gte=today, starts_on__lte=today + timedelta(days=366)
    ).select_related("highlight", "highlight__unit")
    for occurrence in occurrences:
        highlight = occurrence.highlight
        if occurrence.starts_on - timedelta(days=highlight.remind_days_before) > today:
            continue
        if highlight.unit_id is not None:
            unit_ids = [highlight.unit_id] if highlight.unit_id in emails else []
        else:
            unit_ids = sorted(emails)
        done = set(
            HighlightReminder.objects.filter(occurrence=occurrence).values_list(
                "unit_id", flat=True
            )
        )
        units = Unit.objects.in_bulk([u for u in unit_ids if u not in done])
        for unit_id, unit in sorted(units.items()):
            try:
                with transaction.atomic():
                    HighlightReminder.objects.create(
                        occurrence=occurrence, unit=unit, recipients=len(emails[unit_id])
                    )
                    email_enqueue(
                        to=emails[unit_id],
                        subject=_("Sắp đến: %(name)s") % {"name": highlight.name},
                        body=_reminder_body(occurrence, unit, today),
                        purpose="content.calendar.remind",
                        ref=f"content.highlight_occurrence:{occurrence.pk}",
                        key=f"content.calendar.remind:{occurrence.pk}:{unit_id}",
                    )
            except IntegrityError:  # reminded by another run at this very moment
                continue
            counts["reminded"] += 1
            counts["mails"] += len(emails[unit_id])
    return counts


# --- reading ---------------------------------------------------------------------------------


def visible_occurrences(viewer: Viewer, first: date, last: date) -> QuerySet[HighlightOccurrence]:
    """Occurrences overlapping [first, last]: everyone's, and those of units in scope."""
    scope = scope_for(viewer)
    return (
        HighlightOccurrence.objects.filter(starts_on__lte=last, ends_on__gte=first)
        .filter(Q(highlight__unit__isnull=True) | unit_q(scope, field="highlight__unit"))
        .select_related("highlight", "highlight__unit")
        .order_by("starts_on", "highlight__name")
    )


def highlight_choices(viewer: Viewer, today: date | None = None) -> QuerySet[Highlight]:
    """Highlights a product of this viewer's may be planned against (the studio's form): those
    with an occurrence from 30 days ago to a year ahead, everyone's and their units' own."""
    today = today or timezone.localdate()
    occurrences = visible_occurrences(
        viewer, today - timedelta(days=30), today + timedelta(days=366)
    )
    return Highlight.objects.filter(pk__in=occurrences.values("highlight_id")).order_by(
        "month", "day", "name"
    )


def visible_events(viewer: Viewer, first: date, last: date) -> QuerySet[Product]:
    """Events of units in scope starting within [first, last], not archived."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return (
        Product.objects.filter(unit_q(scope_for(viewer)))
        .filter(kind=ProductKind.EVENT, event_starts_at__gte=start, event_starts_at__lt=end)
        .exclude(status=ProductStatus.ARCHIVED)
        .select_related("unit")
        .order_by("event_starts_at", "pk")
    )


def planned_products(
    viewer: Viewer, occurrences: list[HighlightOccurrence]
) -> dict[int, list[Product]]:
    """Highlight id → the products of units in scope planned against it (not archived)."""
    ids = {o.highlight_id for o in occurrences}
    products = (
        Product.objects.filter(unit_q(scope_for(viewer)), highlight_id__in=ids)
        .exclude(status=ProductStatus.ARCHIVED)
        .select_related("unit")
        .order_by("title")
    )
    planned: dict[int, list[Product]] = defaultdict(list)
    for product in products:
        planned[product.highlight_id or 0].append(product)
    return planned


@dataclass
class Day:
    day: date
    in_month: bool
    highlights: list[HighlightOccurrence] = field(default_factory=list)
    events: list[Product] = field(default_factory=list)


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    occurrences: list[HighlightOccurrence]
    planned: dict[int, list[Product]]
    events: list[Product]

    @property
    def rows(self) -> list[tuple[HighlightOccurrence, list[Product]]]:
        """The month's highlights, each with the products planned against it."""
        return [(o, self.planned.get(o.highlight_id, [])) for o in self.occurrences]

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def month_grid(viewer: Viewer, year: int, month: int) -> Month:
    """The month as weeks of days (Monday first), each day with its highlights and events."""
    weeks_of_dates = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    occurrences = list(visible_occurrences(viewer, first, last))
    events = list(visible_events(viewer, first, last))
    days = {d: Day(d, d.month == month) for week in weeks_of_dates for d in week}
    for occurrence in occurrences:
        # Shown on its first day, or on the first day of the grid when it began before.
        days[max(occurrence.starts_on, first)].highlights.append(occurrence)
    for event in events:
        if event.event_starts_at is not None:
            days[timezone.localtime(event.event_starts_at).date()].events.append(event)
    month_first = date(year, month, 1)
    next_first = (month_first + timedelta(days=32)).replace(day=1)
    return Month(
        year=year,
        month=month,
        weeks=[[days[d] for d in week] for week in weeks_of_dates],
        occurrences=[
            o for o in occurrences if o.starts_on < next_first and o.ends_on >= month_first
        ],
        planned=planned_products(viewer, occurrences),
        events=[e for e in events if days[timezone.localtime(e.event_starts_at).date()].in_month],
    )
