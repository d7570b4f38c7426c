"""The officer's writes: a contest, its rounds, topics, questions and options, prizes, and
its life (publish, cancel, publish results). Every write is audited; bad input raises
`ValidationError` with Vietnamese messages and writes nothing.

Editing a question once it has been answered: its text and explanation may be corrected
(a typo), but its kind, its options and which of them are correct may not — that would change
the meaning of answers already stored. The officer deactivates it and writes a new question
instead (`question_locked_message`). A corrected answer key of a question nobody has answered needs no
rescore; `scoring.rescore_round` is there for the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.contests.models import (
    MAX_ATTEMPTS,
    MAX_OPTIONS,
    MAX_QUESTIONS_PER_ATTEMPT,
    Answer,
    Attempt,
    AttemptStatus,
    Contest,
    ContestStatus,
    Eligibility,
    Option,
    Question,
    QuestionKind,
    Round,
    Topic,
)
from congdoan.core.images import ImageRefused, photo_policy, reencode
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for
from congdoan.text import fold

CONTEST_FIELDS = (
    "title",
    "description",
    "rules",
    "eligibility",
    "eligible_unit",
    "prediction_question",
    "certificate_signer",
    "certificate_signer_title",
)
ROUND_FIELDS = (
    "title",
    "opens_at",
    "closes_at",
    "questions_per_attempt",
    "topic_mix",
    "time_limit_seconds",
    "attempts_allowed",
    "shuffle_questions",
    "shuffle_options",
    "ask_prediction",
)

#: Names of the rank prizes of Vietnamese contests, in order.
RANK_PRIZE_NAMES = ("Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích")


def question_locked_message() -> str:
    return _(
        "Câu hỏi đã có người trả lời hoặc đang có trong bài thi: chỉ sửa được nội dung và lời "
        "giải thích. Muốn đổi phương án hay đáp án đúng, hãy ngừng dùng câu này và soạn câu mới."
    )


def contest_slug(title: str) -> str:
    """The title without diacritics, as a free slug: "Tìm hiểu pháp luật" → "tim-hieu-phap-luat"."""
    base = slugify(fold(title))[:70].strip("-") or "cuoc-thi"
    slug, n = base, 2
    while Contest.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_contest(actor: Viewer, unit: Unit, data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not " ".join(str(data.get("title", "")).split()):
        errors["title"] = _("Hãy nhập tên cuộc thi.")
    eligible = data.get("eligible_unit")
    if eligible is not None:
        if not scope_for(actor).covers_path(eligible.path):
            errors["eligible_unit"] = _("Đơn vị dự thi phải thuộc phạm vi bạn quản lý.")
        elif not eligible.path.startswith(unit.path) and not unit.path.startswith(eligible.path):
            errors["eligible_unit"] = _(
                "Đơn vị dự thi phải là đơn vị tổ chức hoặc một đơn vị trực thuộc."
            )
    if data.get("eligibility") not in (None, *Eligibility.values):
        errors["eligibility"] = _("Đối tượng dự thi không hợp lệ.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contest_create(*, actor: Viewer, unit: Unit, data: Mapping[str, Any]) -> Contest:
    """A draft contest of `unit` (the caller checked `rules.can_create_contest_for`)."""
    _check_contest(actor, unit, data)
    contest = Contest(unit=unit, created_by_id=getattr(actor, "pk", None))
    for name in CONTEST_FIELDS:
        if name in data:
            setattr(contest, name, data[name])
    contest.title = " ".join(contest.title.split())
    contest.slug = contest_slug(contest.title)
    contest.save()
    audit_record(actor=actor, action="contests.contest.create", target=contest)
    return contest


@transaction.atomic
def contest_update(*, actor: Viewer, contest: Contest, data: Mapping[str, Any]) -> Contest:
    """Edit the contest's texts and eligibility (the slug stays: links were shared)."""
    _check_contest(actor, contest.unit, data)
    if contest.status == ContestStatus.CANCELLED:
        raise ValidationError(_("Cuộc thi đã hủy, không sửa được nữa."))
    changed: list[str] = []
    for name in CONTEST_FIELDS:
        if name in data and getattr(contest, name) != data[name]:
            setattr(contest, name, data[name])
            changed.append(name)
    if changed:
        contest.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="contests.contest.update",
            target=contest,
            changes={"fields": changed},
        )
    return contest


# -- rounds and topics -------------------------------------------------------------------------


def _check_round(
    contest: Contest, data: Mapping[str, Any], current: Round | None
) -> dict[str, int]:
    errors: dict[str, str] = {}
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens is None or closes is None or closes <= opens:
        errors["closes_at"] = _("Thời điểm đóng phải sau thời điểm mở.")
    count = int(data.get("questions_per_attempt") or 0)
    if not 1 <= count <= MAX_QUESTIONS_PER_ATTEMPT:
        errors["questions_per_attempt"] = _("Số câu mỗi lượt từ 1 đến %(n)s.") % {
            "n": MAX_QUESTIONS_PER_ATTEMPT
        }
    if not 1 <= int(data.get("attempts_allowed") or 0) <= MAX_ATTEMPTS:
        errors["attempts_allowed"] = _("Số lượt được thi từ 1 đến %(n)s.") % {"n": MAX_ATTEMPTS}
    if not 30 <= int(data.get("time_limit_seconds") or 0) <= 86400:
        errors["time_limit_seconds"] = _("Thời gian mỗi lượt từ 30 giây đến 24 giờ.")
    mix: dict[str, int] = {}
    topics = set(Topic.objects.filter(contest=contest).values_list("pk", flat=True))
    for key, value in dict(data.get("topic_mix") or {}).items():
        if int(key) not in topics:
            errors["topic_mix"] = _("Chủ đề không thuộc cuộc thi này.")
            break
        if int(value) > 0:
            mix[str(int(key))] = int(value)
    if mix and sum(mix.values()) != count and "topic_mix" not in errors:
        errors["topic_mix"] = _(
            "Tổng số câu theo chủ đề (%(sum)s) phải bằng số câu mỗi lượt (%(n)s)."
        ) % {"sum": sum(mix.values()), "n": count}
    old_mix = {str(k): int(v) for k, v in (current.topic_mix or {}).items()} if current else {}
    if (
        current is not None
        and (count != current.questions_per_attempt or mix != old_mix)
        and current.attempts.exists()
    ):
        errors["questions_per_attempt"] = _(
            "Vòng thi đã có lượt thi: không đổi được số câu và cơ cấu chủ đề."
        )
    if errors:
        raise ValidationError(errors)
    return mix


@transaction.atomic
def round_save(
    *, actor: Viewer, contest: Contest, data: Mapping[str, Any], round: Round | None = None
) -> Round:
    """Create (round=None) or edit a round of the contest."""
    if contest.status in (ContestStatus.CANCELLED, ContestStatus.RESULTS):
        raise ValidationError(_("Cuộc thi đã kết thúc, không sửa vòng thi được nữa."))
    mix = _check_round(contest, data, round)
    created = round is None
    if round is None:
        last = contest.rounds.order_by("-number").values_list("number", flat=True).first()
        round = Round(contest=contest, number=(last or 0) + 1)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, data[name])
    round.topic_mix = mix
    round.title = " ".join(str(round.title).split()) or _("Vòng %(n)s") % {"n": round.number}
    round.save()
    audit_record(
        actor=actor,
        action="contests.round.create" if created else "contests.round.update",
        target=round,
        unit=contest.unit,
        changes={"opens_at": round.opens_at, "closes_at": round.closes_at},
    )
    return round


@transaction.atomic
def topic_create(*, actor: Viewer, contest: Contest, name: str) -> Topic:
    name = " ".join(name.split())[:200]
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên chủ đề.")})
    topic, created = Topic.objects.get_or_create(contest=contest, name=name)
    if created:
        audit_record(actor=actor, action="contests.topic.create", target=topic, unit=contest.unit)
    return topic


# -- questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionInput:
    text: str
    is_correct: bool


def check_options(kind: str, options: Sequence[OptionInput]) -> list[str]:
    """What is wrong with a question's options (empty when nothing)."""
    problems: list[str] = []
    filled = [o for o in options if o.text.strip()]
    if len(filled) < 2:
        problems.append(_("Câu hỏi cần ít nhất hai phương án."))
    if len(filled) > MAX_OPTIONS:
        problems.append(_("Tối đa %(n)s phương án.") % {"n": MAX_OPTIONS})
    right = sum(1 for o in filled if o.is_correct)
    if right == 0:
        problems.append(_("Chưa có phương án đúng."))
    elif kind == QuestionKind.SINGLE and right != 1:
        problems.append(_("Câu hỏi một đáp án phải có đúng một phương án đúng."))
    texts = [" ".join(o.text.split()).casefold() for o in filled]
    if len(set(texts)) != len(texts):
        problems.append(_("Có hai phương án giống nhau."))
    return problems


def question_answered(question: Question) -> bool:
    """Its options are fixed once it has been answered, or drawn in an attempt still running
    (that attempt's page lists its option ids)."""
    if Answer.objects.filter(question=question).exists():
        return True
    running = Attempt.objects.filter(
        round__contest_id=question.contest_id, status=AttemptStatus.ACTIVE
    ).values_list("question_ids", flat=True)
    return any(question.pk in {int(q) for q in ids} for ids in running.iterator())


def _store_image(question: Question, image: UploadedFile) -> None:
    try:
        clean = reencode(image.read(), name=image.name or "anh", policy=photo_policy())
    except ImageRefused as exc:
        raise ValidationError({"image": exc.message}) from exc
    question.image.save(f"cau-hoi{clean.suffix}", ContentFile(clean.data), save=False)


@transaction.atomic
def question_save(
    *,
    actor: Viewer,
    contest: Contest,
    text: str,
    kind: str,
    options: Sequence[OptionInput],
    topic: Topic | None = None,
    explanation: str = "",
    image: UploadedFile | None = None,
    question: Question | None = None,
    audit: bool = True,
) -> Question:
    """Create or edit a question and its options (see the module's note on answered ones)."""
    text = text.strip()
    errors: dict[str, Any] = {}
    if not text:
        errors["text"] = _("Hãy nhập nội dung câu hỏi.")
    if kind not in QuestionKind.values:
        errors["kind"] = _("Loại câu hỏi không hợp lệ.")
    if topic is not None and topic.contest_id != contest.pk:
        errors["topic"] = _("Chủ đề không thuộc cuộc thi này.")
    problems = check_options(kind, options)
    if problems:
        errors["options"] = problems
    if errors:
        raise ValidationError(errors)
    filled = [o for o in options if o.text.strip()]
    created = question is None
    if question is None:
        question = Question(contest=contest)
    elif question_answered(question):
        current = [(o.text, o.is_correct) for o in question.options.all()]
        wanted = [(" ".join(o.text.split()), o.is_correct) for o in filled]
        if kind != question.kind or current != wanted:
            raise ValidationError(question_locked_message())
    question.text = text
    question.kind = kind
    question.topic = topic
    question.explanation = explanation.strip()
    if image is not None:
        _store_image(question, image)
    question.save()
    if created or not question_answered(question):
        question.options.all().delete()
        Option.objects.bulk_create(
            Option(
                question=question,
                position=i,
                text=" ".join(o.text.split()),
                is_correct=o.is_correct,
            )
            for i, o in enumerate(filled)
        )
    if audit:
        audit_record(
            actor=actor,
            action="contests.question.create" if created else "contests.question.update",
            target=question,
            unit=contest.unit,
        )
    return question


@transaction.atomic
def question_set_active(*, actor: Viewer, question: Question, active: bool) -> Question:
    if question.is_active != active:
        question.is_active = active
        question.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="contests.question.activate" if active else "contests.question.deactivate",
            target=question,
            unit=question.contest.unit,
        )
    return question


# -- the contest's life ------------------------------------------------------------------------


def publish_problems(contest: Contest) -> list[str]:
    """Why the contest cannot be published yet (empty when it can)."""
    problems: list[str] = []
    rounds = list(contest.rounds.all())
    if not rounds:
        problems.append(_("Chưa có vòng thi nào."))
    questions = list(
        Question.objects.filter(contest=contest, is_active=True).prefetch_related("options")
    )
    for q in questions:
        options = [OptionInput(o.text, o.is_correct) for o in q.options.all()]
        for problem in check_options(q.kind, options):
            problems.append(_("Câu hỏi “%(q)s”: %(p)s") % {"q": q.text[:60], "p": problem})
    by_topic: dict[str, int] = {}
    for q in questions:
        key = str(q.topic_id) if q.topic_id else ""
        by_topic[key] = by_topic.get(key, 0) + 1
    topics = {str(t.pk): t.name for t in contest.topics.all()}
    for r in rounds:
        if len(questions) < r.questions_per_attempt:
            problems.append(
                _("%(round)s cần %(n)s câu mỗi lượt nhưng ngân hàng chỉ có %(have)s câu đang dùng.")
                % {"round": r.title, "n": r.questions_per_attempt, "have": len(questions)}
            )
        for topic_id, wanted in (r.topic_mix or {}).items():
            have = by_topic.get(str(topic_id), 0)
            if have < int(wanted):
                problems.append(
                    _("%(round)s cần %(n)s câu chủ đề “%(topic)s” nhưng chỉ có %(have)s câu.")
                    % {
                        "round": r.title,
                        "n": wanted,
                        "topic": topics.get(str(topic_id), "?"),
                        "have": have,
                    }
                )
    return problems


def _move(contest: Contest, old: Sequence[str], new: str, **fields: Any) -> bool:
    moved = Contest.objects.filter(pk=contest.pk, status__in=list(old)).update(status=new, **fields)
    if moved == 1:
        contest.refresh_from_db()
    return moved == 1


@transaction.atomic
def contest_publish(*, actor: Viewer, contest: Contest) -> Contest:
    problems = publish_problems(contest)
    if problems:
        raise ValidationError(problems)
    if not _move(
        contest, [ContestStatus.DRAFT], ContestStatus.PUBLISHED, published_at=timezone.now()
    ):
        raise ValidationError(_("Chỉ công bố được cuộc thi đang soạn."))
    audit_record(actor=actor, action="contests.contest.publish", target=contest)
    return contest


@transaction.atomic
def contest_cancel(*, actor: Viewer, contest: Contest, reason: str = "") -> Contest:
    if not _move(contest, [ContestStatus.DRAFT, ContestStatus.PUBLISHED], ContestStatus.CANCELLED):
        raise ValidationError(_("Cuộc thi đã công bố kết quả hoặc đã hủy."))
    audit_record(
        actor=actor,
        action="contests.contest.cancel",
        target=contest,
        changes={"reason": reason[:500]} if reason else {},
    )
    return contest


@transaction.atomic
def contest_publish_results(*, actor: Viewer, contest: Contest) -> Contest:
    """Results are published once every round has closed."""
    now = timezone.now()
    if contest.rounds.filter(closes_at__gt=now).exists():
        raise ValidationError(_("Còn vòng thi chưa đóng: chưa công bố kết quả được."))
    if not _move(
        contest, [ContestStatus.PUBLISHED], ContestStatus.RESULTS, results_published_at=now
    ):
        raise ValidationError(_("Chỉ công bố kết quả của cuộc thi đã công bố."))
    audit_record(actor=actor, action="contests.contest.results", target=contest)
    return contest
