"""Reads of information monitoring, every list scoped to the viewer (`congdoan.orgs.scoping`,
`rules`): an officer sees the sources, items, tips, narratives and known claims of the units
in their scope (their own and those below), an administrator everything, a member none of it
(only the tips they sent: `my_tips`).

The figures:
- `handled_figures` is the plan's "false_info_handled" source: each unit's OWN figure
  (narratives whose unit is that unit; the plan rolls them up the tree itself);
- `monthly` and `month_figures` are the report and the dashboard: detected, handled, share
  handled (against the plan's 80 %) and the median time to response, by month and by unit.

In words: a narrative is *detected* in the month of its `detected_at` (grouping only makes a
narrative of relevant items, so every narrative counts); it is *handled* when it was responded
to or dismissed with a reason (`handled_at` set, whenever that was); the *time to response* is
`handled_at − detected_at` of those responded to (a dismissal is handled but is no response).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from congdoan.monitoring.models import (
    Item,
    KnownClaim,
    Narrative,
    NarrativeEvent,
    NarrativeStatus,
    Source,
    Tip,
    folded,
    source_label,
)
from congdoan.orgs.collation import person_key
from congdoan.orgs.models import Appointment, Unit
from congdoan.orgs.scoping import Scope, Viewer, in_force_q, scope_for, unit_q

#: The plan's target: at least 80 % of what is detected is handled.
HANDLED_TARGET = 0.8

#: Statuses still waiting for someone (the dashboard's "open" count).
OPEN_STATUSES: tuple[str, ...] = (
    NarrativeStatus.DETECTED,
    NarrativeStatus.VERIFYING,
    NarrativeStatus.CONFIRMED_FALSE,
    NarrativeStatus.CONFIRMED_HOSTILE,
    NarrativeStatus.RESPONSE_PLANNED,
)

# -- sources --------------------------------------------------------------------------------------


def sources_for(viewer: Viewer) -> QuerySet[Source]:
    """The sources of the units in the viewer's scope, by unit then name, with their health."""
    return (
        Source.objects.filter(unit_q(scope_for(viewer)))
        .select_related("unit")
        .order_by("unit__path", "name", "pk")
    )


def source_for(viewer: Viewer, pk: int) -> Source:
    """The source if its unit is in the viewer's scope; 404 otherwise (no hint it exists)."""
    source = Source.objects.filter(pk=pk).select_related("unit").first()
    if source is None or not scope_for(viewer).covers_path(source.unit.path):
        raise Http404
    return source


# -- narratives -----------------------------------------------------------------------------------


def _statuses(status: str | Iterable[str] | None) -> list[str] | None:
    if status is None or status == "":
        return None
    if isinstance(status, str):
        if status == "open":
            return list(OPEN_STATUSES)
        return [status]
    return [str(s) for s in status]


def _words(q: str | None) -> list[str]:
    """The words of a search, folded as the search columns are (`models.folded`)."""
    return folded(q or "").split()


#: What needs action today (the officers' home page, `officer_today`; /theo-doi/?need=…):
#: high risk still detected or being verified, assigned to the viewer, past the deadline.
NEEDS: tuple[str, ...] = ("risky", "mine", "overdue")


def need_q(scope: Scope, need: str, *, today: date | None = None) -> Q:
    """The narratives of one of `NEEDS` (an unknown need: none). `risky`: risk at least
    MONITORING_ALERT_RISK (the alerts' threshold), still detected or being verified; `mine`:
    assigned to the viewer, open; `overdue`: open, the deadline before `today`."""
    if need == "risky":
        early = [NarrativeStatus.DETECTED, NarrativeStatus.VERIFYING]
        return Q(risk__gte=float(settings.MONITORING_ALERT_RISK), status__in=early)
    if need == "mine" and scope.user_id is not None:
        return Q(assignee_id=scope.user_id, status__in=OPEN_STATUSES)
    if need == "overdue":
        return Q(deadline__lt=today or timezone.localdate(), status__in=OPEN_STATUSES)
    return Q(pk__in=[])


def narratives_for(
    viewer: Viewer,
    *,
    status: str | Iterable[str] | None = None,
    q: str | None = None,
    min_risk: float | None = None,
    unit: Unit | None = None,
    need: str | None = None,
) -> QuerySet[Narrative]:
    """The narratives of the units in the viewer's scope, riskiest first (then the newest).

    `status`: one status, several, or "open" (not yet responded, dismissed or resolved);
    `q`: words of the title, typed with or without diacritics; `min_risk`: 0..1; `unit`: only
    that unit's subtree (a unit outside the scope gives nothing); `need`: one of `NEEDS`."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return Narrative.objects.none()
    qs = Narrative.objects.filter(unit_q(scope)).select_related("unit", "assignee", "claim")
    if need:
        qs = qs.filter(need_q(scope, need))
    statuses = _statuses(status)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    if min_risk is not None:
        qs = qs.filter(risk__gte=min_risk)
    if unit is not None:
        if not scope.covers_path(unit.path):
            return Narrative.objects.none()
        qs = qs.filter(unit__path__startswith=unit.path)
    # The folded title in the database (`Narrative.search_text`): no title is read in Python.
    for word in _words(q):
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-risk", "-last_seen_at", "-pk")


def narrative_detail(viewer: Viewer, pk: int) -> Narrative:
    """The narrative if the viewer may handle it (`rules.can_handle`); 404 otherwise."""
    narrative = (
        Narrative.objects.filter(pk=pk)
        .select_related("unit", "unit__level", "assignee", "claim", "product")
        .first()
    )
    if narrative is None or not scope_for(viewer).covers_path(narrative.unit.path):
        raise Http404
    return narrative


def narrative_items(narrative: Narrative) -> QuerySet[Item]:
    """The items of a narrative (the caller checked `rules.can_handle`), the earliest first."""
    return (
        Item.objects.filter(narrative=narrative)
        .select_related("source", "claim")
        .defer("signature")
        .order_by("published_at", "fetched_at", "pk")
    )


def narrative_sources(narrative: Narrative) -> list[dict[str, Any]]:
    """Each source of a narrative with its item count and reach, the biggest first."""
    rows = (
        Item.objects.filter(narrative=narrative)
        .values("source_id", "source__name", "source__kind")
        .annotate(items=Count("pk"), reach=Sum("reach"))
        .order_by("-items", "source__name")
    )
    return [
        {
            "id": r["source_id"],
            "name": source_label(r["source__name"], r["source__kind"]),
            "kind": r["source__kind"],
            "items": r["items"],
            "reach": r["reach"] or 0,
        }
        for r in rows
    ]


def narrative_events(narrative: Narrative) -> QuerySet[NarrativeEvent]:
    """The handling timeline of a narrative (the caller checked `rules.can_handle`)."""
    return NarrativeEvent.objects.filter(narrative=narrative).select_related("author")


def status_counts(viewer: Viewer, *, unit: Unit | None = None) -> dict[str, int]:
    """How many narratives of the viewer's scope (or of `unit`'s subtree) are in each status;
    every status is a key (0 when none) and "open" sums the ones waiting for someone."""
    qs = narratives_for(viewer, unit=unit).order_by()
    found = dict(qs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts = {s.value: int(found.get(s.value, 0)) for s in NarrativeStatus}
    counts["open"] = sum(counts[s] for s in OPEN_STATUSES)
    return counts


def assignable_officers(viewer: Viewer, narrative: Narrative) -> list[Any]:
    """Officers with an active login who may handle the narrative: those appointed (in post
    today, managing) to its unit or to a unit above it, in Vietnamese name order (given name
    first, as `congdoan.orgs.collation.person_key`)."""
    if not scope_for(viewer).covers_path(narrative.unit.path):
        return []
    paths = _ancestor_paths([narrative.unit.path]) | {narrative.unit.path}
    user_ids = (
        Appointment.objects.filter(
            unit__path__in=paths, unit__is_active=True, manages=True, user__isnull=False
        )
        .filter(in_force_q(timezone.localdate()))
        .values("user_id")
    )
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    return sorted(users, key=lambda u: person_key(u.get_full_name() or u.email or ""))


#: The home page's lines of each list (`officer_today`).
TODAY_LINES = 5


@dataclass(frozen=True)
class TodayList:
    """One list of the home page: how many in all, and the first few."""

    count: int
    narratives: list[Narrative]


@dataclass(frozen=True)
class MonitoringToday:
    """The narratives of the viewer's scope that need action today (the officers' home page):
    `risky` at least MONITORING_ALERT_RISK and still detected or being verified, the riskiest
    first; `mine` assigned to the viewer and still open, the earliest deadline first;
    `overdue` open past their deadline, the longest overdue first."""

    risky: TodayList
    mine: TodayList
    overdue: TodayList
    min_risk: float

    @property
    def empty(self) -> bool:
        return not (self.risky.count or self.mine.count or self.overdue.count)


def officer_today(
    viewer: Viewer, *, today: date | None = None, lines: int = TODAY_LINES
) -> MonitoringToday | None:
    """What monitoring asks of the viewer today (`MonitoringToday`); None for a member or a
    visitor. One query for the three counts, one per list."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return None
    today = today or timezone.localdate()
    filters = {need: need_q(scope, need, today=today) for need in NEEDS}
    by_deadline = (F("deadline").asc(nulls_last=True), "-risk", "-pk")
    orders: dict[str, tuple[Any, ...]] = {
        "risky": ("-risk", "-last_seen_at", "-pk"),
        "mine": by_deadline,
        "overdue": by_deadline,
    }
    qs = Narrative.objects.filter(unit_q(scope))
    counts = qs.order_by().aggregate(
        **{key: Count("pk", filter=where) for key, where in filters.items()}
    )
    found: dict[str, TodayList] = {}
    for key, where in filters.items():
        first = (
            list(qs.filter(where).select_related("unit", "assignee").order_by(*orders[key])[:lines])
            if counts[key]
            else []
        )
        found[key] = TodayList(count=int(counts[key] or 0), narratives=first)
    return MonitoringToday(min_risk=float(settings.MONITORING_ALERT_RISK), **found)


# -- items, tips, claims ---------------------------------------------------------------------------


def _items_scope_q(scope: Scope) -> Q:
    """Items of a source of the scope, or of a narrative the scope handles."""
    if scope.is_admin:
        return Q()
    return unit_q(scope, "source__unit") | unit_q(scope, "narrative__unit")


def items_for(
    viewer: Viewer,
    *,
    narrative: Narrative | None = None,
    source: Source | None = None,
    relevant: bool | None = None,
    toxic: bool | None = None,
    min_risk: float | None = None,
    q: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Item]:
    """Items the viewer may see (of a source in scope, or of a narrative in scope), the newest
    first. `toxic`: offensive or hate; `q`: words in the title or text, typed with or without
    diacritics, in any case (`Item.search_text`), or in the author's name (as typed)."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return Item.objects.none()
    qs = Item.objects.filter(_items_scope_q(scope))
    if narrative is not None:
        qs = qs.filter(narrative=narrative)
    if source is not None:
        qs = qs.filter(source=source)
    if relevant is not None:
        qs = qs.filter(relevant=relevant)
    if toxic is not None:
        toxic_q = Q(toxicity__in=["offensive", "hate"])
        qs = qs.filter(toxic_q) if toxic else qs.exclude(toxic_q)
    if min_risk is not None:
        qs = qs.filter(risk__gte=min_risk)
    if since is not None:
        qs = qs.filter(fetched_at__gte=since)
    for typed in (q or "").split():
        word = folded(typed)
        if word:
            qs = qs.filter(Q(search_text__contains=word) | Q(author__icontains=typed))
    return (
        qs.select_related("source", "source__unit", "narrative", "claim")
        .defer("signature", "search_text")
        .order_by("-fetched_at", "-pk")
    )


def item_for(viewer: Viewer, pk: int) -> Item:
    """The item if the viewer may see it; 404 otherwise."""
    scope = scope_for(viewer)
    item = (
        Item.objects.filter(pk=pk)
        .select_related("source", "source__unit", "narrative", "narrative__unit")
        .first()
    )
    if item is None or not scope.is_officer:
        raise Http404
    visible = scope.covers_path(item.source.unit.path) or (
        item.narrative is not None and scope.covers_path(item.narrative.unit.path)
    )
    if not visible:
        raise Http404
    return item


def tips_for(viewer: Viewer) -> QuerySet[Tip]:
    """Tips sent to the units in the officer's scope, the newest first (a member: none here;
    their own are `my_tips`)."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return Tip.objects.none()
    return (
        Tip.objects.filter(unit_q(scope))
        .select_related("unit", "reporter", "item", "item__narrative")
        .order_by("-created_at", "-pk")
    )


def my_tips(user: Viewer) -> QuerySet[Tip]:
    """The tips this person sent (their confirmation page), the newest first."""
    scope = scope_for(user)
    if scope.user_id is None:
        return Tip.objects.none()
    return Tip.objects.filter(reporter_id=scope.user_id).order_by("-created_at", "-pk")


def _ancestor_paths(paths: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        parts = [p for p in path.split("/") if p]
        out |= {"/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))}
    return out


def claims_for(viewer: Viewer, *, active: bool | None = None) -> QuerySet[KnownClaim]:
    """Known false claims the officer may use: those of units in scope and of the levels above
    them (their refutations are to be reused; only the former are editable:
    `rules.can_manage_claim`), the newest first."""
    scope = scope_for(viewer)
    if not scope.is_officer:
        return KnownClaim.objects.none()
    qs = KnownClaim.objects.all()
    if not scope.is_admin:
        qs = qs.filter(unit_q(scope) | Q(unit__path__in=_ancestor_paths(scope.unit_paths)))
    if active is not None:
        qs = qs.filter(active=active)
    return qs.select_related("unit", "product").defer("embedding").order_by("-created_at", "-pk")


def claim_for(viewer: Viewer, pk: int) -> KnownClaim:
    """A known claim the viewer may edit (its unit in scope); 404 otherwise."""
    claim = KnownClaim.objects.filter(pk=pk).select_related("unit", "product").first()
    if claim is None or not scope_for(viewer).covers_path(claim.unit.path):
        raise Http404
    return claim


# -- figures --------------------------------------------------------------------------------------


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the local time zone."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def handled_filter() -> Q:
    """Handled: responded to, or dismissed with a reason (`handled_at` is set then)."""
    return Q(handled_at__isnull=False)


def handled_figures(
    *, unit_ids: Collection[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    """The plan's "false_info_handled" figure: {unit_id: (handled, detected)} of the narratives
    detected between `start` and `end` (both included, local dates) whose unit is that unit
    itself (its own figure: the plan rolls them up the tree). A unit that detected nothing has
    no entry ("no data", never 0 %)."""
    since, until = _window(start, end)
    rows = (
        Narrative.objects.filter(
            unit_id__in=list(unit_ids), detected_at__gte=since, detected_at__lt=until
        )
        .order_by()
        .values("unit_id")
        .annotate(detected=Count("pk"), handled=Count("pk", filter=handled_filter()))
    )
    return {int(r["unit_id"]): (int(r["handled"]), int(r["detected"])) for r in rows}


@dataclass(frozen=True)
class MonthRow:
    """One line of the monitoring report: a month, a unit (None: the viewer's whole scope)."""

    year: int
    month: int
    unit: Unit | None
    detected: int
    handled: int
    responded: int
    median_hours: float | None  # from detection to response, of those responded to

    @property
    def share(self) -> float | None:
        """Handled ÷ detected (0..1); None when nothing was detected."""
        return self.handled / self.detected if self.detected else None

    @property
    def met(self) -> bool | None:
        """At least the plan's 80 %; None when nothing was detected."""
        share = self.share
        return None if share is None else share >= HANDLED_TARGET


def _row(
    year: int, month: int, unit: Unit | None, rows: list[tuple[datetime, datetime | None, str]]
) -> MonthRow:
    handled = [r for r in rows if r[1] is not None]
    hours = [
        (h - d).total_seconds() / 3600
        for d, h, status in handled
        if h is not None and status != NarrativeStatus.DISMISSED
    ]
    return MonthRow(
        year=year,
        month=month,
        unit=unit,
        detected=len(rows),
        handled=len(handled),
        responded=len(hours),
        median_hours=round(statistics.median(hours), 1) if hours else None,
    )


def monthly(viewer: Viewer, year: int, *, unit: Unit | None = None) -> list[MonthRow]:
    """The report by month and by unit: for each month of `year` with a narrative detected, one
    row for the viewer's whole scope (or `unit`'s subtree; `unit=None` on the row) then one per
    unit that handles narratives (its own), by unit path. Rows are in month order."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    since, until = _window(start, end)
    qs = narratives_for(viewer, unit=unit).filter(detected_at__gte=since, detected_at__lt=until)
    values = list(
        qs.order_by().values_list("unit_id", "detected_at", "handled_at", "status").iterator()
    )
    units = Unit.objects.in_bulk({u for u, *_ in values})
    by_month: dict[int, list[tuple[datetime, datetime | None, str]]] = defaultdict(list)
    by_unit: dict[tuple[int, int], list[tuple[datetime, datetime | None, str]]] = defaultdict(list)
    for unit_id, detected_at, handled_at, status in values:
        month = timezone.localtime(detected_at).month
        by_month[month].append((detected_at, handled_at, status))
        by_unit[(month, unit_id)].append((detected_at, handled_at, status))
    out: list[MonthRow] = []
    for month in sorted(by_month):
        out.append(_row(year, month, None, by_month[month]))
        keys = sorted((k for k in by_unit if k[0] == month), key=lambda k: units[k[1]].path)
        out.extend(_row(year, month, units[uid], by_unit[(month, uid)]) for month_, uid in keys)
    return out


def month_figures(viewer: Viewer, *, year: int, month: int, unit: Unit | None = None) -> MonthRow:
    """The dashboard's figures of one month over the viewer's scope (or `unit`'s subtree)."""
    start = date(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    since, until = _window(start, end)
    qs = narratives_for(viewer, unit=unit).filter(detected_at__gte=since, detected_at__lt=until)
    rows = list(qs.order_by().values_list("detected_at", "handled_at", "status"))
    return _row(year, month, unit, rows)
