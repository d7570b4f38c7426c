"""Attempts flagged for an officer's review (never disqualified automatically).

- identical answers: two or more finished attempts of one round with the same answers digest
  (the same draw answered alike) and a high score: every attempt of the group is flagged;
- impossible times: under `MIN_SECONDS_PER_QUESTION` per answered question on average, or most
  answers sent faster than a question can be read (`MIN_READ_SECONDS` between answers).

A flag is a reason in `Attempt.flag_reasons` ({"code": …, …}); the officer marks the attempt
valid or disqualified (`review_attempt`, audited); a disqualified attempt leaves the ranking.
The participant's address is not kept (personal data the contest does not need), so "many
participants from one address" is left to the rate limits of joining.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.contests.models import Answer, Attempt, AttemptStatus, ReviewOutcome
from congdoan.orgs.scoping import Viewer

#: Flags of identical sequences only for attempts scoring at least this share of the maximum
#: (two people who both got little right alike are not a pattern worth an officer's time).
IDENTICAL_MIN_SHARE = 0.7
#: Average seconds per answered question below which an attempt is flagged.
MIN_SECONDS_PER_QUESTION = 2.0
#: Seconds between two answers below which the second was not read; flagged when most are.
MIN_READ_SECONDS = 1.0
#: Attempts answering fewer questions than this are not judged on time.
MIN_ANSWERS_FOR_TIME = 5

SAME_ANSWERS = "same_answers"
TOO_FAST = "too_fast"
NO_READING = "no_reading"

_OWN_CODES = (TOO_FAST, NO_READING)


def reason_text(reason: dict[str, Any]) -> str:
    """A flag's reason in words for the review page."""
    code = reason.get("code")
    if code == SAME_ANSWERS:
        return _("Trùng toàn bộ đáp án với %(n)s lượt thi khác trong vòng") % {
            "n": max(0, int(reason.get("group", 2)) - 1)
        }
    if code == TOO_FAST:
        return _("Trung bình %(s)s giây mỗi câu: nhanh hơn mức có thể đọc đề") % {
            "s": reason.get("seconds", "?")
        }
    if code == NO_READING:
        return _("%(n)s câu được trả lời cách câu trước dưới %(s)s giây") % {
            "n": reason.get("count", "?"),
            "s": MIN_READ_SECONDS,
        }
    return str(code)


def check_attempt(attempt: Attempt, *, answers: Sequence[Answer]) -> None:
    """The flags one attempt earns on its own (times); set on the object, saved by the caller.
    A flag of identical answers already there is kept (`check_identical` owns it)."""
    reasons = [r for r in attempt.flag_reasons or [] if r.get("code") not in _OWN_CODES]
    answered = [a for a in answers if a.option_ids]
    if len(answered) >= MIN_ANSWERS_FOR_TIME and attempt.duration_ms is not None:
        per_question = attempt.duration_ms / 1000 / len(answered)
        if per_question < MIN_SECONDS_PER_QUESTION:
            reasons.append({"code": TOO_FAST, "seconds": round(per_question, 1)})
        times = sorted([attempt.started_at] + [a.answered_at for a in answered])
        quick = sum(
            1
            for before, after in itertools.pairwise(times)
            if (after - before).total_seconds() < MIN_READ_SECONDS
        )
        if quick * 2 > len(answered):
            reasons.append({"code": NO_READING, "count": quick})
    attempt.flag_reasons = reasons
    attempt.flagged = bool(reasons)


def check_identical(attempt: Attempt) -> int:
    """Flag every finished attempt of the round sharing this attempt's digest, when there are
    two or more and they score high; the size of the group flagged (0 when none)."""
    group: list[Attempt] = []
    if attempt.answers_digest and attempt.score >= IDENTICAL_MIN_SHARE * attempt.max_score > 0:
        group = list(
            Attempt.objects.filter(round_id=attempt.round_id, answers_digest=attempt.answers_digest)
            .exclude(status=AttemptStatus.ACTIVE)
            .only("pk", "flag_reasons", "flagged")
        )
    if len(group) < 2:
        # Rescored into no group (a corrected key): its old reason goes.
        kept = [r for r in attempt.flag_reasons or [] if r.get("code") != SAME_ANSWERS]
        if kept != (attempt.flag_reasons or []):
            attempt.flag_reasons, attempt.flagged = kept, bool(kept)
            Attempt.objects.filter(pk=attempt.pk).update(flagged=bool(kept), flag_reasons=kept)
        return 0
    for other in group:
        reasons = [r for r in other.flag_reasons or [] if r.get("code") != SAME_ANSWERS]
        reasons.append({"code": SAME_ANSWERS, "group": len(group)})
        Attempt.objects.filter(pk=other.pk).update(flagged=True, flag_reasons=reasons)
    attempt.refresh_from_db(fields=["flagged", "flag_reasons"])
    return len(group)


@transaction.atomic
def review_attempt(*, actor: Viewer, attempt: Attempt, outcome: str, note: str = "") -> Attempt:
    """Mark a flagged (or any finished) attempt valid or disqualified; audited. Permission is
    the caller's (`rules.can_manage_contest`)."""
    if outcome not in (ReviewOutcome.VALID, ReviewOutcome.DISQUALIFIED, ReviewOutcome.NONE):
        raise ValueError(outcome)
    before = attempt.review
    attempt.review = outcome
    attempt.reviewed_by_id = getattr(actor, "pk", None)
    attempt.reviewed_at = timezone.now()
    attempt.save(update_fields=["review", "reviewed_by_id", "reviewed_at"])
    changes: dict[str, Any] = {"review": [before, outcome]}
    if note:
        changes["note"] = note[:500]
    audit_record(
        actor=actor,
        action="contests.attempt.review",
        target=attempt,
        unit=attempt.round.contest.unit,
        changes=changes,
    )
    return attempt
