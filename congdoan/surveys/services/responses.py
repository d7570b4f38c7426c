"""Answering a survey: one response per submission key, per member, per browser.

The form carries a submission key made when it was shown (`new_submission_key`, signed so
that only keys we made are taken). `response_submit`:
1. checks the survey takes answers now (open, between its times) and who answers;
2. writes the `Response` first, in its own savepoint: a key already stored (a double click,
   a retry after a lost connection, 1,000 copies of the same request) hits the unique
   constraint and the stored response is returned, nothing new written;
3. writes the answers, then the member's `Receipt` (unique per survey and member: a second
   response of the same member under another key is refused and rolled back whole);
4. in an anonymous survey the response holds no member, no unit and a time rounded down to
   the hour; only the receipt says that the member answered.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.orgs.models import Member
from congdoan.surveys.models import Answer, Kind, Question, Receipt, Response, Survey

_SALT = "congdoan.surveys.submission"
MAX_TEXT = 2000


class SubmitError(Exception):
    """Why an answer was not taken; `message` is for the respondent (Vietnamese)."""

    code = "invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SurveyClosed(SubmitError):
    code = "closed"


class NotEligible(SubmitError):
    code = "not_eligible"


class AlreadyAnswered(SubmitError):
    code = "already_answered"


class BadSubmission(SubmitError):
    code = "bad_submission"


@dataclass(frozen=True)
class SubmitResult:
    response: Response
    created: bool


def new_submission_key(survey: Survey) -> str:
    """A fresh key for one showing of the form: a random nonce signed with the survey."""
    return signing.Signer(salt=_SALT).sign(f"{survey.pk}.{secrets.token_urlsafe(12)}")


def nonce_of(survey: Survey, key: str) -> str:
    """The nonce a key we made carries for this survey; BadSubmission for anything else."""
    try:
        value = signing.Signer(salt=_SALT).unsign(key or "")
    except signing.BadSignature as exc:
        raise BadSubmission(_("Biểu mẫu không hợp lệ: hãy tải lại trang và trả lời lại.")) from exc
    survey_id, _dot, nonce = value.partition(".")
    if survey_id != str(survey.pk) or not nonce:
        raise BadSubmission(_("Biểu mẫu không hợp lệ: hãy tải lại trang và trả lời lại."))
    return nonce


def browser_hash(token: str) -> str:
    return hashlib.sha256(f"surveys:{token}".encode()).hexdigest() if token else ""


#: A question's answer: choice ids (single, multiple), {row id: column id} (matrix),
#: a number (scale, number) or a text.
AnswerValue = Sequence[int] | Mapping[int, int] | float | int | str | None


def _answers_of(
    response: Response, questions: Sequence[Question], values: Mapping[int, AnswerValue]
) -> list[Answer]:
    """The answer rows, each id checked against the question it claims to answer."""
    rows: list[Answer] = []
    for question in questions:
        value = values.get(question.pk)
        if value in (None, "", [], {}):
            if question.required:
                raise BadSubmission(_("Câu “%(q)s” là câu bắt buộc.") % {"q": question.text})
            continue
        choices = {c.pk: c for c in question.choices.all()}
        if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
            ids = list(value) if isinstance(value, list | tuple) else []
            if not ids or any(i not in choices or choices[i].role != "option" for i in ids):
                raise BadSubmission(
                    _("Lựa chọn không hợp lệ ở câu “%(q)s”.") % {"q": question.text}
                )
            if question.kind == Kind.SINGLE and len(ids) != 1:
                raise BadSubmission(_("Câu “%(q)s” chỉ chọn một.") % {"q": question.text})
            rows += [Answer(response=response, question=question, choice_id=i) for i in set(ids)]
        elif question.kind == Kind.MATRIX:
            cells = dict(value) if isinstance(value, Mapping) else {}
            for row_id, col_id in cells.items():
                row, col = choices.get(row_id), choices.get(col_id)
                if row is None or col is None or row.role != "row" or col.role != "column":
                    raise BadSubmission(
                        _("Lựa chọn không hợp lệ ở câu “%(q)s”.") % {"q": question.text}
                    )
                rows.append(Answer(response=response, question=question, row=row, choice=col))
        elif question.kind in (Kind.SCALE, Kind.NUMBER):
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise BadSubmission(_("Câu “%(q)s” cần một số.") % {"q": question.text})
            if question.kind == Kind.SCALE and not 1 <= value <= (question.scale_points or 0):
                raise BadSubmission(_("Điểm ngoài thang ở câu “%(q)s”.") % {"q": question.text})
            rows.append(Answer(response=response, question=question, number=float(value)))
        else:
            text = str(value).strip()[:MAX_TEXT]
            if text:
                rows.append(Answer(response=response, question=question, text=text))
    return rows


def response_submit(
    *,
    survey: Survey,
    submission_key: str,
    values: Mapping[int, AnswerValue],
    member: Member | None = None,
    browser_token: str = "",
    now: datetime | None = None,
) -> SubmitResult:
    """Store one response (see the module's steps). Raises a `SubmitError` with a message."""
    moment = now or timezone.now()
    nonce = nonce_of(survey, submission_key)
    if not survey.is_accepting(moment):
        stored = Response.objects.filter(survey=survey, submission_key=nonce).first()
        if stored is not None:  # a retry of a response stored before the close
            return SubmitResult(stored, False)
        raise SurveyClosed(_("Khảo sát này không nhận câu trả lời lúc này."))
    if not survey.is_public and (
        member is None or not member.unit.path.startswith(survey.unit.path)
    ):
        raise NotEligible(_("Khảo sát này dành cho đoàn viên của đơn vị tổ chức."))
    hashed = browser_hash(browser_token) if survey.is_public else ""
    anonymous = survey.is_anonymous or survey.is_public
    questions = list(survey.questions.prefetch_related("choices"))
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                submission_key=nonce,
                member=None if anonymous else member,
                unit=None if anonymous or member is None else member.unit,
                browser_hash=hashed,
                submitted_at=moment.replace(minute=0, second=0, microsecond=0)
                if anonymous
                else moment,
            )
            Answer.objects.bulk_create(_answers_of(response, questions, values))
            if member is not None and not survey.is_public:
                Receipt.objects.create(
                    survey=survey,
                    member=member,
                    unit=member.unit,
                    answered_on=timezone.localdate(moment),
                )
    except IntegrityError:
        stored = Response.objects.filter(survey=survey, submission_key=nonce).first()
        if stored is not None:
            return SubmitResult(stored, False)
        raise AlreadyAnswered(_("Bạn đã trả lời khảo sát này rồi. Cảm ơn bạn!")) from None
    return SubmitResult(response, True)


def is_stored(survey: Survey, submission_key: str) -> bool:
    """A response under this key is stored already (a retry that arrives late)."""
    try:
        nonce = nonce_of(survey, submission_key)
    except BadSubmission:
        return False
    return Response.objects.filter(survey=survey, submission_key=nonce).exists()


def has_answered(survey: Survey, *, member: Member | None = None, browser_token: str = "") -> bool:
    if member is not None and not survey.is_public:
        return Receipt.objects.filter(survey=survey, member=member).exists()
    if survey.is_public and browser_token:
        return Response.objects.filter(
            survey=survey, browser_hash=browser_hash(browser_token)
        ).exists()
    return False
