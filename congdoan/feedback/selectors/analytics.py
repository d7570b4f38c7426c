"""Figures over the concerns a viewer sees: duplicate groups, the dashboard, period summaries, spikes.

Every figure counts only rows of `visible_concerns(viewer)`: an officer's totals are those of
their own scope, never the whole district's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from congdoan.feedback.models import (
    OPEN_STATUSES,
    Channel,
    Cluster,
    Concern,
    Status,
    Topic,
    Urgency,
)
from congdoan.feedback.selectors.inbox import visible_concerns
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer


def cluster_list(*, viewer: Viewer, min_size: int = 2, limit: int = 100) -> list[dict[str, Any]]:
    """Clusters as the viewer sees them: sizes count only the concerns the viewer may see."""
    rows = (
        visible_concerns(viewer)
        .filter(cluster__isnull=False)
        .values("cluster_id", "cluster__title", "cluster__topic", "unit__name", "unit__code")
        .annotate(n=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)))
        .filter(n__gte=min_size)
        .order_by("-n")[:limit]
    )
    topic_names = dict(Topic.choices)
    return [
        {
            "id": r["cluster_id"],
            "title": r["cluster__title"],
            "topic": topic_names.get(r["cluster__topic"], ""),
            "unit": r["unit__name"] or "",
            "unit_code": r["unit__code"] or "",
            "size": r["n"],
            "open": r["open"],
        }
        for r in rows
    ]


def cluster_detail(*, viewer: Viewer, cluster_id: int) -> Cluster:
    cluster = Cluster.objects.filter(pk=cluster_id).first()
    if cluster is None or not visible_concerns(viewer).filter(cluster=cluster).exists():
        raise Http404
    return cluster


def _period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _in_unit(qs: QuerySet[Concern], unit: Unit | None) -> QuerySet[Concern]:
    if unit is None:
        return qs
    return qs.filter(Q(unit__path__startswith=unit.path) | Q(assigned_unit=unit))


def feedback_period_summary(
    *, viewer: Viewer, unit: Unit | None = None, start: date, end: date
) -> dict[str, Any]:
    """Figures for a period (e.g. the month, for the six-month report), from live rows in the viewer's scope."""
    lo, hi = _period_bounds(start, end)
    qs = _in_unit(visible_concerns(viewer), unit).filter(created_at__gte=lo, created_at__lt=hi)
    total = qs.count()
    by_topic = Counter(
        dict(qs.values_list("topic").annotate(n=Count("id")).values_list("topic", "n"))
    )
    by_channel = Counter(
        dict(qs.values_list("channel").annotate(n=Count("id")).values_list("channel", "n"))
    )
    by_status = Counter(
        dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    )
    answered = qs.filter(answered_at__isnull=False)
    n_answered = answered.count()
    on_time = answered.filter(answered_on_time=True).count()
    # Unanswered concerns past their deadline are late answers too: they count against
    # the on-time share (else a period whose overdue concerns wait shows "100 %").
    overdue_open = qs.filter(
        status__in=OPEN_STATUSES, answered_at__isnull=True, due_at__lt=timezone.now()
    ).count()
    rated = qs.filter(rating__isnull=False)
    rating = rated.aggregate(avg=Avg("rating"))["avg"]
    n_rated = rated.count()
    satisfied = rated.filter(rating__gte=4).count()
    topic_names = dict(Topic.choices)
    channel_names = dict(Channel.choices)
    status_names = dict(Status.choices)
    return {
        "start": start,
        "end": end,
        "unit": unit.code if unit else "",
        "total": total,
        "urgent": qs.filter(urgency=Urgency.URGENT).count(),
        "anonymous": qs.filter(is_anonymous=True).count(),
        "by_topic": [
            {"topic": k, "label": str(topic_names.get(k, k or "—")), "n": v}
            for k, v in by_topic.most_common()
        ],
        "by_channel": [
            {"channel": k, "label": str(channel_names.get(k, k)), "n": v}
            for k, v in by_channel.most_common()
        ],
        "by_status": [
            {"status": k, "label": str(status_names.get(k, k)), "n": v}
            for k, v in by_status.most_common()
        ],
        "answered": n_answered,
        "answered_share": round(100 * n_answered / total, 1) if total else None,
        "answered_on_time": on_time,
        "overdue_unanswered": overdue_open,
        "on_time_share": round(100 * on_time / (n_answered + overdue_open), 1)
        if n_answered + overdue_open
        else None,
        "rated": n_rated,
        "avg_rating": round(float(rating), 2) if rating is not None else None,
        "satisfied_share": round(100 * satisfied / n_rated, 1) if n_rated else None,
        "clusters": [
            {"title": r["cluster__title"], "n": r["n"]}
            for r in qs.filter(cluster__isnull=False)
            .values("cluster__title")
            .annotate(n=Count("id"))
            .order_by("-n")[:5]
        ],
    }


def _with_change(row: dict[str, Any]) -> dict[str, Any]:
    row["change_abs"] = abs(int(row["change"]))
    return row


def topic_unit_month(
    *, viewer: Viewer, months: int = 6, unit: Unit | None = None
) -> dict[str, Any]:
    """Counts by topic × unit × month over the last `months` months (the dashboard's table)."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - (months - 1)
    first = date(index // 12, index % 12 + 1, 1)
    lo, _hi = _period_bounds(first, today)
    qs = _in_unit(visible_concerns(viewer), unit).filter(created_at__gte=lo)
    rows = (
        qs.annotate(month=TruncMonth("created_at"))
        .values("month", "topic", "unit__code", "unit__name")
        .annotate(n=Count("id"))
    )
    month_keys: list[str] = []
    d = first
    while d <= today:
        month_keys.append(d.strftime("%m/%Y"))
        d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    by_topic_month: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(month_keys, 0))
    by_unit_topic: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    unit_names: dict[str, str] = {}
    for r in rows:
        month = r["month"]
        key = (
            timezone.localtime(month)
            if isinstance(month, datetime) and timezone.is_aware(month)
            else month
        ).strftime("%m/%Y")
        if key not in month_keys:
            continue
        by_topic_month[r["topic"] or ""][key] += r["n"]
        code = r["unit__code"] or ""
        unit_names[code] = r["unit__name"] or "—"
        by_unit_topic[(code, r["topic"] or "")][key] += r["n"]
    # Like with like: this month so far against the same first days of last month.
    prev_first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    prev_lo, _ = _period_bounds(prev_first, prev_first)
    days = min(today.day, (today.replace(day=1) - prev_first).days)
    same_days = Counter(
        dict(
            _in_unit(visible_concerns(viewer), unit)
            .filter(created_at__gte=prev_lo, created_at__lt=prev_lo + timedelta(days=days))
            .values_list("topic")
            .annotate(n=Count("id"))
            .values_list("topic", "n")
        )
    )
    topic_names = dict(Topic.choices)
    topic_rows = [
        {
            "topic": t,
            "label": str(topic_names.get(t, t or "—")),
            "counts": [counts[m] for m in month_keys],
            "total": sum(counts.values()),
            # This month so far against the same number of days of last month.
            "change": (counts[month_keys[-1]] - same_days.get(t, 0)) if len(month_keys) > 1 else 0,
        }
        for t, counts in sorted(by_topic_month.items(), key=lambda kv: -sum(kv[1].values()))
    ]
    return {
        "months": month_keys,
        "compare_days": days,
        "topics": [_with_change(row) for row in topic_rows],
        "units": sorted(
            (
                {
                    "code": c,
                    "name": unit_names[c],
                    "topic": str(topic_names.get(t, t or "—")),
                    "counts": [counts.get(m, 0) for m in month_keys],
                    "total": sum(counts.values()),
                }
                for (c, t), counts in by_unit_topic.items()
            ),
            key=lambda r: -int(str(r["total"])),
        )[:40],
    }


def spikes(
    *,
    viewer: Viewer,
    now: datetime | None = None,
    window_days: int = 30,
    baseline_windows: int = 3,
    min_count: int = 5,
    factor: float = 2.5,
) -> list[dict[str, Any]]:
    """Topics growing unusually fast in a unit.

    A (unit, topic) raises an alert when the last `window_days` hold at least `min_count`
    concerns and more than `factor` × the average of the `baseline_windows` windows before
    (plus one, so that a topic new to a unit needs several concerns to alert).
    """
    now = now or timezone.now()
    recent_from = now - timedelta(days=window_days)
    base_from = recent_from - timedelta(days=window_days * baseline_windows)
    qs = visible_concerns(viewer).filter(created_at__gte=base_from, unit__isnull=False)
    recent = Counter(
        {
            (r["unit__code"], r["topic"]): r["n"]
            for r in qs.filter(created_at__gte=recent_from)
            .values("unit__code", "topic")
            .annotate(n=Count("id"))
        }
    )
    before = Counter(
        {
            (r["unit__code"], r["topic"]): r["n"]
            for r in qs.filter(created_at__lt=recent_from)
            .values("unit__code", "topic")
            .annotate(n=Count("id"))
        }
    )
    names = dict(Unit.objects.filter(code__in=[k[0] for k in recent]).values_list("code", "name"))
    topic_names = dict(Topic.choices)
    alerts = []
    for (code, topic), n in recent.items():
        baseline = before[(code, topic)] / baseline_windows
        if n >= min_count and n > factor * (baseline + 1):
            alerts.append(
                {
                    "unit_code": code,
                    "unit": names.get(code, code),
                    "topic": topic,
                    "topic_label": str(topic_names.get(topic, topic)),
                    "recent": n,
                    "baseline": round(baseline, 1),
                }
            )
    return sorted(alerts, key=lambda a: -int(a["recent"]))
