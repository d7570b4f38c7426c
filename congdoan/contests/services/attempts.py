"""Attempts of a participant: start (or resume), answer, finish, expire.

The server alone keeps time: an attempt's `deadline_at` is fixed when it starts (the time limit,
cut at the round's close), and every read or write after it expires the attempt and scores it
(`attempt_expire`, a conditional UPDATE on status "active"). One active attempt per participant
and round is the database's rule (the partial unique constraint "attempt_one_active"): a second
tab, a reload or a double click that tries to start another finds the one there and resumes it.

An answer is written before anything else is done with it, once per (attempt, question): the
same answer again changes nothing, a different one before the end replaces it. Scores come from
the stored answers only (`services.scoring.score_attempt`), never from the page.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.contests.models import (
    Answer,
    Attempt,
    AttemptStatus,
    ContestStatus,
    Option,
    Participant,
    Question,
    QuestionKind,
    Round,
)
from congdoan.contests.services import scoring
from congdoan.core import ratelimit

_random = secrets.SystemRandom()

#: Answers a participant may send a minute (a 100-question attempt answered and changed twice
#: over), and an address (a factory behind one address: generous); starts a minute.
ANSWERS_PER_MINUTE = 240
ANSWERS_PER_ADDRESS_MINUTE = 6000
STARTS_PER_MINUTE = 10
STARTS_PER_ADDRESS_MINUTE = 120


class AttemptError(Exception):
    """A refused start, answer or finish; `message` says why in Vietnamese."""

    code = "attempt_error"
    default_message = "Không thực hiện được yêu cầu."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or _(self.default_message)
        super().__init__(self.message)


class AttemptNotFound(AttemptError):
    """An unknown or tampered token, or the attempt of someone else (a 404)."""

    code = "not_found"
    default_message = "Không tìm thấy lượt thi."


class AttemptClosed(AttemptError):
    """Finished, expired, past the deadline or the round's close, or nothing left to start."""

    code = "closed"
    default_message = "Lượt thi đã kết thúc: câu trả lời không được ghi nhận."


class QuestionNotInAttempt(AttemptError):
    code = "question_not_in_attempt"
    default_message = "Câu hỏi này không thuộc lượt thi của bạn."


class InvalidChoice(AttemptError):
    code = "invalid_choice"
    default_message = "Phương án đã chọn không hợp lệ."


class BankTooSmall(AttemptError):
    """The question bank holds fewer active questions than the round draws (an officer's fix)."""

    code = "bank_too_small"
    default_message = "Ngân hàng câu hỏi chưa đủ câu để bắt đầu lượt thi. Xin liên hệ ban tổ chức."


@dataclass(frozen=True)
class AnswerResult:
    stored: bool
    changed: bool
    answered: int
    total: int
    remaining_seconds: int


def answer_allowed(*, participant_id: int, address: str = "") -> bool:
    """Count one answer against the limits of the participant and of the address."""
    if not ratelimit.hit(f"contests:answer:{participant_id}", limit=ANSWERS_PER_MINUTE):
        return False
    return not address or ratelimit.hit(
        f"contests:answer_ip:{address}", limit=ANSWERS_PER_ADDRESS_MINUTE
    )


def start_allowed(*, participant_id: int, address: str = "") -> bool:
    """Count one start (or resume) against the limits of the participant and of the address."""
    if not ratelimit.hit(f"contests:start:{participant_id}", limit=STARTS_PER_MINUTE):
        return False
    return not address or ratelimit.hit(
        f"contests:start_ip:{address}", limit=STARTS_PER_ADDRESS_MINUTE
    )


def remaining_seconds(attempt: Attempt, now: datetime | None = None) -> int:
    """Whole seconds left before the deadline by the server's clock (0 when it has passed)."""
    left = (attempt.deadline_at - (now or timezone.now())).total_seconds()
    return max(0, int(left))


def _overdue(attempt: Attempt, now: datetime) -> bool:
    return now >= attempt.deadline_at or now >= attempt.round.closes_at


def attempt_expire(attempt: Attempt, *, now: datetime | None = None) -> bool:
    """Mark an active attempt past its time expired and score it; True when this call did.

    The end is the deadline (or the round's close when that came first), not the moment a
    read noticed it: the duration ranked is the time the participant had.
    """
    now = now or timezone.now()
    if attempt.status != AttemptStatus.ACTIVE or not _overdue(attempt, now):
        return False
    end = min(attempt.deadline_at, attempt.round.closes_at, now)
    with transaction.atomic():
        done = (
            Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.ACTIVE).update(
                status=AttemptStatus.EXPIRED, finished_at=end
            )
            == 1
        )
        attempt.refresh_from_db()
        if done:
            scoring.score_attempt(attempt)
    return done


def expire_overdue(*, now: datetime | None = None, limit: int = 1000) -> int:
    """The periodic sweep: expire (and score) active attempts whose time is up, at most
    `limit` a run; returns how many this run expired. Reads do it lazily anyway."""
    now = now or timezone.now()
    overdue = (
        Attempt.objects.select_related("round")
        .filter(status=AttemptStatus.ACTIVE)
        .filter(Q(deadline_at__lte=now) | Q(round__closes_at__lte=now))
        .order_by("deadline_at")[:limit]
    )
    return sum(attempt_expire(attempt, now=now) for attempt in overdue)


def _draw(round: Round) -> tuple[list[int], dict[str, list[int]]]:
    """The questions of a new attempt (honouring the topic mix) and each one's options."""
    pool: dict[int | None, list[int]] = {}
    for qid, topic_id in Question.objects.filter(
        contest_id=round.contest_id, is_active=True
    ).values_list("pk", "topic_id"):
        pool.setdefault(topic_id, []).append(qid)
    wanted = round.questions_per_attempt
    chosen: list[int] = []
    for topic_key, count in (round.topic_mix or {}).items():
        try:
            topic_id, n = int(topic_key), int(count)
        except (TypeError, ValueError):
            continue
        available = pool.get(topic_id, [])
        if n <= 0:
            continue
        if len(available) < n:
            raise BankTooSmall
        picked = _random.sample(available, n)
        chosen += picked
        pool[topic_id] = [q for q in available if q not in set(picked)]
    if len(chosen) < wanted:
        rest = [q for ids in pool.values() for q in ids]
        if len(rest) < wanted - len(chosen):
            raise BankTooSmall
        chosen += _random.sample(rest, wanted - len(chosen))
    chosen = chosen[:wanted]
    if round.shuffle_questions:
        _random.shuffle(chosen)
    else:
        chosen.sort()
    orders: dict[str, list[int]] = {str(q): [] for q in chosen}
    for qid, oid in Option.objects.filter(question_id__in=chosen).values_list(
        "question_id", "pk"
    ):  # ordered by position, id (Meta.ordering)
        orders[str(qid)].append(oid)
    if round.shuffle_options:
        for ids in orders.values():
            _random.shuffle(ids)
    return chosen, orders


def _active(participant: Participant, round: Round) -> Attempt | None:
    return (
        Attempt.objects.select_related("round")
        .filter(participant=participant, round=round, status=AttemptStatus.ACTIVE)
        .first()
    )


def attempts_left(participant: Participant, round: Round) -> int:
    used = Attempt.objects.filter(participant=participant, round=round).count()
    return max(0, round.attempts_allowed - used)


def attempt_start(
    *,
    participant: Participant,
    round: Round,
    now: datetime | None = None,
) -> Attempt:
    """The participant's active attempt in this round, or a new one drawn now.

    Steps: an active attempt past its time is expired (and scored); one still running is
    returned (a reload, a second tab); otherwise the round must be open, its contest published
    and an attempt left; the draw is made and inserted; when a concurrent start won the race
    (the partial unique constraint, or the attempt number), its attempt is resumed instead.
    """
    now = now or timezone.now()
    if round.contest_id != participant.contest_id:
        raise AttemptNotFound
    current = _active(participant, round)
    if current is not None and not attempt_expire(current, now=now):
        return current
    if round.contest.status != ContestStatus.PUBLISHED or not round.is_open(now):
        raise AttemptClosed(_("Vòng thi này không mở vào lúc này."))
    used = Attempt.objects.filter(participant=participant, round=round).count()
    if used >= round.attempts_allowed:
        raise AttemptClosed(_("Bạn đã dùng hết số lượt thi của vòng này."))
    question_ids, option_orders = _draw(round)
    deadline = min(now + timedelta(seconds=round.time_limit_seconds), round.closes_at)
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                round=round,
                participant=participant,
                number=used + 1,
                question_ids=question_ids,
                option_orders=option_orders,
                started_at=now,
                deadline_at=deadline,
            )
    except IntegrityError:
        current = _active(participant, round)
        if current is None:
            raise AttemptClosed(_("Bạn đã dùng hết số lượt thi của vòng này.")) from None
        return current


def attempt_get(*, token: str, participant_id: int, now: datetime | None = None) -> Attempt:
    """The participant's attempt by its token (expired on the way when its time is up)."""
    attempt = (
        Attempt.objects.select_related("round", "round__contest", "participant")
        .filter(token=token[:32])
        .first()
    )
    if attempt is None or attempt.participant_id != participant_id:
        raise AttemptNotFound
    attempt_expire(attempt, now=now)
    return attempt


def attempt_answer(
    *,
    token: str,
    participant_id: int,
    question_id: int,
    option_ids: Sequence[int],
    now: datetime | None = None,
) -> AnswerResult:
    """Store one answer; at most three queries when the attempt is running.

    1. the attempt with its round (token, owner, status, time by the server's clock; past
       the deadline it expires, is scored, and the answer is refused: AttemptClosed);
    2. the question's kind, the answer stored for it and the count of answers (one query);
       the question and options are checked against the attempt's own draw, without a query;
    3. the write: an insert (an upsert on the unique pair, for a concurrent twin), an update
       only when the choice differs, nothing when it is the same.
    """
    now = now or timezone.now()
    attempt = (
        Attempt.objects.select_related("round")
        .only(
            "pk",
            "participant_id",
            "status",
            "question_ids",
            "option_orders",
            "started_at",
            "deadline_at",
            "round__closes_at",
        )
        .filter(token=str(token)[:32])
        .first()
    )
    if attempt is None or attempt.participant_id != participant_id:
        raise AttemptNotFound
    if attempt.status != AttemptStatus.ACTIVE:
        raise AttemptClosed
    if _overdue(attempt, now):
        attempt_expire(attempt, now=now)
        raise AttemptClosed
    total = len(attempt.question_ids)
    try:
        qid = int(question_id)
        chosen = sorted({int(o) for o in option_ids})
    except (TypeError, ValueError):
        raise InvalidChoice from None
    if qid not in attempt.question_ids:
        raise QuestionNotInAttempt
    allowed = set(attempt.option_orders.get(str(qid), []))
    if not chosen or not set(chosen) <= allowed:
        raise InvalidChoice
    row = (
        Question.objects.filter(pk=qid)
        .annotate(
            stored=Subquery(
                Answer.objects.filter(attempt_id=attempt.pk, question_id=qid).values("option_ids")[
                    :1
                ]
            ),
            answered=Subquery(
                Answer.objects.filter(attempt_id=attempt.pk)
                .values("attempt_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .values("kind", "stored", "answered")
        .first()
    )
    if row is None:
        raise QuestionNotInAttempt
    if row["kind"] == QuestionKind.SINGLE and len(chosen) != 1:
        raise InvalidChoice(_("Câu hỏi này chỉ chọn một phương án."))
    stored, answered = row["stored"], row["answered"] or 0
    if isinstance(stored, str):  # a JSON column read through a subquery comes back as text
        stored = _json_list(stored)
    left = remaining_seconds(attempt, now)
    if stored is not None and sorted(stored) == chosen:
        return AnswerResult(False, False, answered, total, left)
    if stored is None:
        Answer.objects.bulk_create(
            [Answer(attempt_id=attempt.pk, question_id=qid, option_ids=chosen, answered_at=now)],
            update_conflicts=True,
            unique_fields=["attempt", "question"],
            update_fields=["option_ids", "answered_at"],
        )
        return AnswerResult(True, False, answered + 1, total, left)
    Answer.objects.filter(attempt_id=attempt.pk, question_id=qid).update(
        option_ids=chosen, answered_at=now
    )
    return AnswerResult(True, True, answered, total, left)


def _json_list(text: str) -> list[int]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [int(v) for v in value] if isinstance(value, list) else []


def attempt_finish(
    *,
    token: str,
    participant_id: int,
    prediction: int | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Hand the attempt in (once: a second call returns it as it is) and score it.

    The prediction is kept when the round asks for one; an attempt whose time is up is
    expired instead, and its late prediction is not kept.
    """
    now = now or timezone.now()
    attempt = attempt_get(token=token, participant_id=participant_id, now=now)
    if attempt.status != AttemptStatus.ACTIVE:
        return attempt
    if prediction is not None and prediction < 0:
        raise InvalidChoice(_("Số dự đoán phải là số không âm."))
    keep = prediction if attempt.round.ask_prediction else None
    with transaction.atomic():
        done = (
            Attempt.objects.filter(pk=attempt.pk, status=AttemptStatus.ACTIVE).update(
                status=AttemptStatus.FINISHED, finished_at=now, prediction=keep
            )
            == 1
        )
        attempt.refresh_from_db()
        if done:
            scoring.score_attempt(attempt)
    return attempt
