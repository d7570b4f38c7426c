"""Days as instants in the site's time zone (Asia/Ho_Chi_Minh) for datetime columns."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_end(day: date) -> datetime:
    """The first instant after `day` (use with `__lt`)."""
    return day_start(day + timedelta(days=1))
