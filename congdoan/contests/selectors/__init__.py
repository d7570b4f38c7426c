"""Reads of the contests app: the officer's scoped lists (`scoped`), results (`results`:
ranking, units, prizes) and the plan's evidence of reach (`participant_member_ids`)."""

from __future__ import annotations

from congdoan.contests.selectors.results import (
    RankRow,
    UnitRow,
    awarded_rank_prizes,
    awarded_unit_prizes,
    perfect_count,
    ranking,
    unit_table,
    visible_rows,
    visible_units,
)
from congdoan.contests.selectors.scoped import (
    attempts_to_review,
    contest_for,
    contests_above,
    contests_for,
    participant_member_ids,
)

__all__ = [
    "RankRow",
    "UnitRow",
    "attempts_to_review",
    "awarded_rank_prizes",
    "awarded_unit_prizes",
    "contest_for",
    "contests_above",
    "contests_for",
    "participant_member_ids",
    "perfect_count",
    "ranking",
    "unit_table",
    "visible_rows",
    "visible_units",
]
