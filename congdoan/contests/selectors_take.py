"""Reads of the participant's pages: the contests a viewer may enter, one contest's rounds,
and what one question page of an attempt shows (never the correct options, never another
question's text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.contests.models import (
    Answer,
    Attempt,
    Contest,
    ContestStatus,
    Eligibility,
    Option,
    Participant,
    Question,
    Round,
)
from congdoan.orgs.models import Member


def _member_path(user: User | None) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    member = Member.objects.select_related("unit").filter(user=user, left_on__isnull=True).first()
    return member.unit.path if member is not None else None


def open_contests(*, viewer: User | None, now: datetime | None = None) -> list[Contest]:
    """Published contests with a round not yet closed that this viewer may enter: PHONE
    contests for anyone, MEMBERS contests for members of the participation subtree."""
    now = now or timezone.now()
    path = _member_path(viewer)
    contests = (
        Contest.objects.filter(status=ContestStatus.PUBLISHED, rounds__closes_at__gt=now)
        .select_related("unit", "eligible_unit")
        .distinct()
        .order_by("-published_at", "-created_at", "-id")
    )
    shown = []
    for contest in contests:
        if contest.eligibility == Eligibility.PHONE:
            shown.append(contest)
            continue
        root = contest.eligible_unit or contest.unit
        if path is not None and path.startswith(root.path):
            shown.append(contest)
    return shown


def visible_contest(slug: str) -> Contest | None:
    """A contest the public may see (published, or with its results out), by its slug."""
    return (
        Contest.objects.select_related("unit", "eligible_unit")
        .filter(slug=slug, status__in=[ContestStatus.PUBLISHED, ContestStatus.RESULTS])
        .first()
    )


def rounds_of(contest: Contest) -> QuerySet[Round]:
    return Round.objects.filter(contest=contest).order_by("number")


def attempts_of(participant: Participant) -> QuerySet[Attempt]:
    return (
        Attempt.objects.filter(participant=participant)
        .select_related("round")
        .order_by("round__number", "number")
    )


def attempt_by_token(token: str) -> Attempt | None:
    return (
        Attempt.objects.select_related("round", "round__contest", "participant")
        .filter(token=str(token)[:32])
        .first()
    )


@dataclass(frozen=True)
class ShownOption:
    pk: int
    text: str
    chosen: bool


@dataclass(frozen=True)
class QuestionPage:
    """What one question page shows: its number, the question, its options in the attempt's
    order (no correctness), and which questions are answered (by their numbers)."""

    number: int
    total: int
    question: Question
    options: list[ShownOption]
    answered_numbers: frozenset[int]

    @property
    def multiple(self) -> bool:
        return self.question.kind == "multiple"


def question_page(attempt: Attempt, number: int) -> QuestionPage:
    """The page of question `number` (1-based, clamped to the attempt's questions)."""
    ids = [int(q) for q in attempt.question_ids]
    number = min(max(number, 1), len(ids))
    qid = ids[number - 1]
    question = Question.objects.only("pk", "text", "image", "kind").get(pk=qid)
    answers = dict(Answer.objects.filter(attempt=attempt).values_list("question_id", "option_ids"))
    chosen = set(answers.get(qid) or [])
    texts = dict(Option.objects.filter(question_id=qid).values_list("pk", "text"))
    options = [
        ShownOption(pk=oid, text=texts[oid], chosen=oid in chosen)
        for oid in attempt.option_orders.get(str(qid), [])
        if oid in texts
    ]
    answered = frozenset(n for n, q in enumerate(ids, start=1) if q in answers)
    return QuestionPage(number, len(ids), question, options, answered)


def answered_count(attempt: Attempt) -> int:
    return Answer.objects.filter(attempt=attempt).count()


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    question: Question
    options: list[tuple[Option, bool]]  # (option, chosen)
    is_correct: bool | None


def reviewed_questions(attempt: Attempt) -> list[ReviewedQuestion]:
    """Every question of a finished attempt with its options, correct marks and explanation:
    shown only once the contest's results are published (the view's rule)."""
    ids = [int(q) for q in attempt.question_ids]
    questions = {q.pk: q for q in Question.objects.filter(pk__in=ids)}
    options: dict[int, dict[int, Option]] = {}
    for option in Option.objects.filter(question_id__in=ids):
        options.setdefault(option.question_id, {})[option.pk] = option
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    shown = []
    for n, qid in enumerate(ids, start=1):
        if qid not in questions:
            continue
        answer = answers.get(qid)
        chosen = set(answer.option_ids) if answer else set()
        order = attempt.option_orders.get(str(qid)) or list(options.get(qid, {}))
        mine = options.get(qid, {})
        shown.append(
            ReviewedQuestion(
                number=n,
                question=questions[qid],
                options=[(mine[o], o in chosen) for o in order if o in mine],
                is_correct=answer.is_correct if answer else False,
            )
        )
    return shown
