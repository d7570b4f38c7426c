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
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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
    limits = [(f"contests:answer:{participant_id}", ANSWERS_PER_MINUTE)]
    if address:
        limits.append((f"contests:answer_ip:{address}", ANSWERS_PER_ADDRESS_MINUTE))
    return ratelimit.hits(limits)


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
        .order_by("pk")  # not the model's ordering: a join for one row
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
        .order_by("pk")  # not the model's ordering: a join for one row
        .first()
    )
    if attempt is None or attempt.participant_id != participant_id:
        raise AttemptNotFound
    attempt_expire(attempt, now=now)
    return attempt


_ANSWER_READ = f"""
SELECT a.participant_id, a.status, a.question_ids, a.option_orders, a.deadline_at, r.closes_at,
       (SELECT q.kind FROM {Question._meta.db_table} q WHERE q.id = %s),
       (SELECT s.option_ids FROM {Answer._meta.db_table} s WHERE s.attempt_id = a.id AND s.question_id = %s),
       (SELECT COUNT(*) FROM {Answer._meta.db_table} c WHERE c.attempt_id = a.id),
       a.id
FROM {Attempt._meta.db_table} a JOIN {Round._meta.db_table} r ON r.id = a.round_id
WHERE a.token = %s
"""
# One write whatever came before: a new answer is inserted; a concurrent twin or a changed
# answer updates the row (the unique pair attempt × question keeps it one).
# Only while the attempt is still running: an answer racing its own hand-in (another tab)
# is not written after the score was computed from the answers stored.
_ANSWER_WRITE = f"""
INSERT INTO {Answer._meta.db_table} (attempt_id, question_id, option_ids, answered_at)
SELECT %s, %s, %s, %s WHERE EXISTS (SELECT 1 FROM {Attempt._meta.db_table} WHERE id = %s AND status = %s)
ON CONFLICT (attempt_id, question_id)
DO UPDATE SET option_ids = excluded.option_ids, answered_at = excluded.answered_at
"""


def _json_value(value: object) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _moment(value: object) -> datetime:
    """A datetime read by a raw query: aware on PostgreSQL, text (UTC) on SQLite."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


def attempt_answer(
    *,
    token: str,
    participant_id: int,
    question_id: int,
    option_ids: Sequence[int],
    now: datetime | None = None,
) -> AnswerResult:
    """Store one answer: two queries (one for a repeat) when the attempt is running.

    1. one read: the attempt (owner, status, draw, deadline) with its round's close, the
       question's kind, the answer stored for it and the count of answers; the question and
       options are checked against the attempt's own draw. Past the deadline the attempt
       expires, is scored, and the answer is refused (AttemptClosed);
    2. the write, only when the choice differs from the one stored (none for a repeat): one
       upsert on the unique pair (attempt, question).
    The hot path of a contest: plain SQL, no model instances (the ORM's compilation of the
    same two queries costs more than the database's work).
    """
    now = now or timezone.now()
    try:
        qid = int(question_id)
        chosen = sorted({int(o) for o in option_ids})
    except (TypeError, ValueError):
        raise InvalidChoice from None
    if not 0 < qid < 2**63:  # not an id: never sent to the database (bigint)
        raise QuestionNotInAttempt
    with connection.cursor() as cursor:
        cursor.execute(_ANSWER_READ, [qid, qid, str(token)[:32]])
        row = cursor.fetchone()
    if row is None or row[0] != participant_id:
        raise AttemptNotFound
    _pid, status, question_ids, orders, deadline, closes, kind, stored, answered, pk = row
    if status != AttemptStatus.ACTIVE:
        raise AttemptClosed
    deadline_at, closes_at = _moment(deadline), _moment(closes)
    if now >= deadline_at or now >= closes_at:
        attempt = Attempt.objects.select_related("round").get(pk=pk)
        attempt_expire(attempt, now=now)
        raise AttemptClosed
    question_ids = _json_value(question_ids)
    assert isinstance(question_ids, list)
    if qid not in question_ids or kind is None:
        raise QuestionNotInAttempt
    allowed = set((_json_value(orders) or {}).get(str(qid), []))
    if not chosen or not set(chosen) <= allowed:
        raise InvalidChoice
    if kind == QuestionKind.SINGLE and len(chosen) != 1:
        raise InvalidChoice(_("Câu hỏi này chỉ chọn một phương án."))
    total, answered = len(question_ids), int(answered or 0)
    left = max(0, int((deadline_at - now).total_seconds()))
    previous = _json_value(stored) if stored is not None else None
    if previous is not None and sorted(previous) == chosen:
        return AnswerResult(False, False, answered, total, left)
    with connection.cursor() as cursor:
        cursor.execute(
            _ANSWER_WRITE,
            [
                pk,
                qid,
                json.dumps(chosen),
                connection.ops.adapt_datetimefield_value(now),
                pk,
                AttemptStatus.ACTIVE.value,
            ],
        )
        written = cursor.rowcount
    if written == 0:  # handed in or expired since the read
        raise AttemptClosed
    if previous is None:
        return AnswerResult(True, False, answered + 1, total, left)
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
