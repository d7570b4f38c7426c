"""Scores computed from the stored answers (and recomputed at will): a minimal first version,
contest-admin's to extend (abuse flags, rescoring a round)."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from congdoan.contests.models import Answer, Attempt, Option


@transaction.atomic
def score_attempt(attempt: Attempt) -> None:
    """is_correct of each answer, then score, max_score, duration_ms and answers_digest."""
    question_ids = [int(q) for q in attempt.question_ids]
    correct: dict[int, set[int]] = {q: set() for q in question_ids}
    for qid, oid in Option.objects.filter(
        question_id__in=question_ids, is_correct=True
    ).values_list("question_id", "pk"):
        correct[qid].add(oid)
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    changed = []
    score = 0
    for qid, answer in answers.items():
        right = set(answer.option_ids) == correct.get(qid, set()) and bool(answer.option_ids)
        score += right
        if answer.is_correct != right:
            answer.is_correct = right
            changed.append(answer)
    if changed:
        Answer.objects.bulk_update(changed, ["is_correct"])
    sequence = [answers[q].option_ids if q in answers else [] for q in question_ids]
    end = attempt.finished_at or attempt.deadline_at
    attempt.score = score
    attempt.max_score = len(question_ids)
    attempt.duration_ms = max(0, int((end - attempt.started_at).total_seconds() * 1000))
    attempt.answers_digest = hashlib.sha256(json.dumps(sequence).encode()).hexdigest()
    attempt.save(update_fields=["score", "max_score", "duration_ms", "answers_digest"])


def rescore_round(*, round: object) -> int:
    count = 0
    for attempt in Attempt.objects.filter(round=round).exclude(status="active"):
        score_attempt(attempt)
        count += 1
    return count
