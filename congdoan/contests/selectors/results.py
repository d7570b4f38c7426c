"""Results of a contest: the ranking, the table of units, the prizes they win.

The ranking (of one round, or of the whole contest) keeps each participant's best attempt —
finished or timed out, not disqualified by an officer — and orders them by:
1. score, highest first;
2. how close the prediction came to the actual number of participants in the ranking who
   answered every question right (no prediction: after every prediction);
3. duration, shortest first;
4. the earlier finish (then the earlier attempt).

Units: for each unit directly under the participation unit (its subtree counted), the
participants with a counted attempt, the members (the same rule as the plan's `members_in`:
union members who have not left, counted in orgs directly, since plan sits above this app),
the rate, and the average best score. Unit prizes go to the highest rates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count

from congdoan.contests.models import (
    Attempt,
    AttemptStatus,
    Contest,
    Prize,
    PrizeKind,
    ReviewOutcome,
    Round,
)
from congdoan.contests.rules import can_manage_contest
from congdoan.orgs.models import Member, Unit
from congdoan.orgs.scoping import Viewer, scope_for

DONE = (AttemptStatus.FINISHED, AttemptStatus.EXPIRED)
_FAR = 10**18


@dataclass
class RankRow:
    rank: int
    attempt_id: int
    participant_id: int
    full_name: str
    unit_name: str
    unit_id: int | None
    round_number: int
    score: int
    max_score: int
    prediction: int | None
    distance: int | None
    duration_ms: int
    finished_at: datetime | None
    flagged: bool
    review: str
    member_id: int | None = None
    prize: Prize | None = None

    @property
    def duration_text(self) -> str:
        seconds = self.duration_ms // 1000
        return f"{seconds // 60}:{seconds % 60:02d}.{(self.duration_ms % 1000) // 100}"


def _best_attempts(contest: Contest, round: Round | None) -> list[Attempt]:
    qs = (
        Attempt.objects.filter(round__contest=contest, status__in=DONE)
        .exclude(review=ReviewOutcome.DISQUALIFIED)
        .select_related("participant", "participant__unit", "round")
        .defer("question_ids", "option_orders", "flag_reasons", "token")
    )
    if round is not None:
        qs = qs.filter(round=round)
    best: dict[int, Attempt] = {}
    for a in qs:
        held = best.get(a.participant_id)
        if held is None or _own_key(a) < _own_key(held):
            best[a.participant_id] = a
    return list(best.values())


def _own_key(a: Attempt) -> tuple[int, int, datetime, int]:
    end = a.finished_at or a.deadline_at
    return (-a.score, a.duration_ms or 0, end, a.pk)


def perfect_count(attempts: list[Attempt]) -> int:
    """How many of these (best) attempts answered every question right."""
    return sum(1 for a in attempts if a.max_score and a.score == a.max_score)


def ranking(contest: Contest, round: Round | None = None) -> tuple[list[RankRow], int]:
    """The ranking (see the module) and the actual number of perfect scores it is judged by."""
    attempts = _best_attempts(contest, round)
    actual = perfect_count(attempts)

    def key(a: Attempt) -> tuple[int, int, int, datetime, int]:
        distance = abs(a.prediction - actual) if a.prediction is not None else _FAR
        return (-a.score, distance, a.duration_ms or 0, a.finished_at or a.deadline_at, a.pk)

    attempts.sort(key=key)
    rows: list[RankRow] = []
    for number, a in enumerate(attempts, start=1):
        p = a.participant
        rows.append(
            RankRow(
                rank=number,
                attempt_id=a.pk,
                participant_id=p.pk,
                full_name=p.full_name,
                unit_name=p.unit.name if p.unit else p.workplace,
                unit_id=p.unit_id,
                round_number=a.round.number,
                score=a.score,
                max_score=a.max_score,
                prediction=a.prediction,
                distance=abs(a.prediction - actual) if a.prediction is not None else None,
                duration_ms=a.duration_ms or 0,
                finished_at=a.finished_at or a.deadline_at,
                flagged=a.flagged,
                review=a.review,
                member_id=p.member_id,
            )
        )
    return rows, actual


def awarded_rank_prizes(contest: Contest, rows: list[RankRow]) -> list[RankRow]:
    """Give the contest's rank prizes (Nhất, Nhì, Ba, Khuyến khích: by position, each `count`
    times) to the ranking's rows in order; the rows that won one. A flagged attempt not yet
    reviewed wins nothing until an officer marks it valid."""
    prizes = list(contest.prizes.filter(kind=PrizeKind.RANK).order_by("position", "pk"))
    slots = [p for p in prizes for _i in range(p.count)]
    winners: list[RankRow] = []
    for row in rows:
        if not slots:
            break
        if row.flagged and row.review != ReviewOutcome.VALID:
            continue
        if row.score == 0:
            break
        row.prize = slots.pop(0)
        winners.append(row)
    return winners


@dataclass
class UnitRow:
    unit: Unit
    members: int
    participants: int
    average_score: float
    max_score: int
    prize: Prize | None = None
    children: int = field(default=0)

    @property
    def rate(self) -> float:
        return 100.0 * self.participants / self.members if self.members else 0.0


def unit_table(
    contest: Contest, *, parent: Unit | None = None, ranked: list[RankRow] | None = None
) -> list[UnitRow]:
    """A row per unit directly under `parent` (default: the participation unit), each with its
    subtree's members, participants and average best score; highest rate first. `ranked`: the
    contest's ranking when the caller has it already."""
    top = parent or contest.eligible_unit or contest.unit
    rows_ranked = ranked if ranked is not None else ranking(contest)[0]
    children = list(
        Unit.objects.filter(parent=top, is_active=True).annotate(n_children=Count("children"))
    )
    paths = {u.pk: u.path for u in children}
    units_of = dict(Unit.objects.filter(path__startswith=top.path).values_list("pk", "path"))
    per_unit: dict[int, list[RankRow]] = {u.pk: [] for u in children}
    for row in rows_ranked:
        path = units_of.get(row.unit_id or 0)
        if path is None:
            continue
        for unit_id, unit_path in paths.items():
            if path.startswith(unit_path):
                per_unit[unit_id].append(row)
                break
    member_counts = dict(
        Member.objects.filter(unit__path__startswith=top.path, is_union_member=True)
        .filter(left_on__isnull=True)
        .values_list("unit__path")
        .annotate(n=Count("pk"))
        .values_list("unit__path", "n")
    )
    table: list[UnitRow] = []
    for unit in children:
        members = sum(n for path, n in member_counts.items() if path.startswith(unit.path))
        rows = per_unit[unit.pk]
        table.append(
            UnitRow(
                unit=unit,
                members=members,
                participants=len(rows),
                average_score=(sum(r.score for r in rows) / len(rows)) if rows else 0.0,
                max_score=max((r.max_score for r in rows), default=0),
                children=getattr(unit, "n_children", 0),
            )
        )
    table.sort(key=lambda r: (-r.rate, -r.participants, r.unit.name))
    return table


def awarded_unit_prizes(contest: Contest, table: list[UnitRow]) -> list[UnitRow]:
    """The contest's unit prizes to the units of `table` with the highest participation rate
    (a unit with no participant wins nothing)."""
    prizes = list(contest.prizes.filter(kind=PrizeKind.UNIT).order_by("position", "pk"))
    slots = [p for p in prizes for _i in range(p.count)]
    winners: list[UnitRow] = []
    for row in table:
        if not slots or row.participants == 0:
            break
        row.prize = slots.pop(0)
        winners.append(row)
    return winners


def visible_rows(viewer: Viewer, contest: Contest, rows: list[RankRow]) -> list[RankRow]:
    """The rows of a ranking the viewer may see: all for whoever manages the contest, else
    only the participants counted for units in the viewer's scope (`rules.can_see_results`)."""
    if can_manage_contest(viewer, contest):
        return rows
    scope = scope_for(viewer)
    ids = {r.unit_id for r in rows if r.unit_id}
    paths = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "path"))
    return [r for r in rows if r.unit_id and scope.covers_path(paths.get(r.unit_id, "//"))]


def visible_units(viewer: Viewer, contest: Contest, table: list[UnitRow]) -> list[UnitRow]:
    if can_manage_contest(viewer, contest):
        return table
    scope = scope_for(viewer)
    return [
        u
        for u in table
        if scope.covers_path(u.unit.path)
        or any(p.startswith(u.unit.path) for p in scope.unit_paths)
    ]
