"""Scores computed from the stored answers, and recomputed at will (docs/contests.md).

`score_attempt` is called by `attempts.attempt_finish` and by the lazy expiry of an attempt; it
reads only what is stored (the drawn questions, the answers, the options marked correct now), so
`rescore_round` after a corrected answer key gives every attempt the score it should have had:
- a single-choice answer is right when the chosen option is correct; a multiple-choice answer
  when the chosen set is exactly the set of correct options (no partial credit);
- `max_score` is the number of questions drawn, one point each;
- `duration_ms` runs from the server's start to the server's finish (or the deadline, for an
  attempt that ran out of time), never past the deadline;
- `answers_digest` is the sha256 of the (question, options) pairs in question-id order (the
  shown order is shuffled per attempt, so two people answering the same draw alike share it);
- then the abuse checks of `services.abuse` set `flagged` and `flag_reasons` for review.
"""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from congdoan.contests.models import Answer, Attempt, AttemptStatus, Option, Round
from congdoan.contests.services import abuse

__all__ = ["answers_digest", "rescore_round", "score_attempt"]


def answers_digest(pairs: list[tuple[int, list[int]]]) -> str:
    """The fingerprint of one attempt's answers: [(question id, sorted option ids), …] sorted
    by question id; "" when nothing was answered (empty attempts are not "identical")."""
    if not pairs:
        return ""
    canonical = json.dumps(sorted((q, sorted(o)) for q, o in pairs), separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def score_attempt(attempt: Attempt) -> None:
    """Set is_correct of each stored answer, then the attempt's score, max_score, duration_ms,
    answers_digest and abuse flags (an active attempt is scored without flags)."""
    question_ids = [int(q) for q in attempt.question_ids]
    correct: dict[int, set[int]] = {q: set() for q in question_ids}
    for qid, oid in Option.objects.filter(
        question_id__in=question_ids, is_correct=True
    ).values_list("question_id", "pk"):
        correct[qid].add(oid)
    answers = [a for a in Answer.objects.filter(attempt=attempt) if a.question_id in correct]
    changed: list[Answer] = []
    score = 0
    for answer in answers:
        chosen = {int(o) for o in answer.option_ids}
        right = bool(chosen) and chosen == correct[answer.question_id]
        score += right
        if answer.is_correct is not right:
            answer.is_correct = right
            changed.append(answer)
    # Two plain UPDATEs (right, wrong) rather than bulk_update's CASE per row.
    for value in (True, False):
        ids = [a.pk for a in changed if a.is_correct is value]
        if ids:
            Answer.objects.filter(pk__in=ids).update(is_correct=value)
    end = attempt.finished_at or attempt.deadline_at
    end = min(end, attempt.deadline_at)
    attempt.score = score
    attempt.max_score = len(question_ids)
    attempt.duration_ms = max(0, int((end - attempt.started_at).total_seconds() * 1000))
    attempt.answers_digest = answers_digest(
        [(a.question_id, [int(o) for o in a.option_ids]) for a in answers if a.option_ids]
    )
    fields = ["score", "max_score", "duration_ms", "answers_digest"]
    if attempt.status != AttemptStatus.ACTIVE:
        abuse.check_attempt(attempt, answers=answers)
        fields += ["flagged", "flag_reasons"]
    attempt.save(update_fields=fields)
    if attempt.status != AttemptStatus.ACTIVE:
        abuse.check_identical(attempt)


def rescore_round(*, round: Round) -> int:
    """Score every finished or expired attempt of the round again from its stored answers;
    the number rescored."""
    count = 0
    attempts = Attempt.objects.filter(round=round).exclude(status=AttemptStatus.ACTIVE)
    for attempt in attempts.order_by("pk").iterator(chunk_size=500):
        score_attempt(attempt)
        count += 1
    return count
