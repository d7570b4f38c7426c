"""Online contests: a contest of a unit, its rounds, a question bank by topic, participants,
attempts timed by the server, the answers they sent, prizes and certificates.

- `Contest`: organised by a unit; who may take part (`Eligibility`: members of the subtree of
  `eligible_unit`, or anyone who verifies a phone number), the prediction question (the
  tie-break of Vietnamese contests: "how many people will answer every question right?").
- `Round`: opens and closes; how an attempt is drawn (`questions_per_attempt`, `topic_mix`),
  shuffled and timed (`time_limit_seconds`), and how many attempts a participant may make.
- `Topic`, `Question`, `Option`: the bank; a question is single or multiple choice, with an
  optional image. The correct options never leave the server while the round is open.
- `Participant`: one person in one contest, a member (through their login) or a verified phone
  number; one per phone and one per login in a contest.
- `Attempt`: the questions drawn for one participant in one round, in their shown order, with
  the server's start and deadline. At most one active attempt per participant and round (a
  second tab resumes the same one). `score` and `duration_ms` are computed from the stored
  answers and may be recomputed (`services.scoring`).
- `Answer`: one per (attempt, question): a retry of the same answer changes nothing; written
  before anything else is done with it.
- `Prize`, `Certificate`: prizes by rank and by unit; certificates with a verification code.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Member, Unit

#: The most questions one attempt may draw, options one question may have, attempts one round
#: may allow: beyond them is a typing slip, not a contest.
MAX_QUESTIONS_PER_ATTEMPT = 100
MAX_OPTIONS = 10
MAX_ATTEMPTS = 10


def new_token() -> str:
    """An unguessable id for URLs (an attempt, a certificate): 128 bits."""
    return secrets.token_urlsafe(16)


class Eligibility(models.TextChoices):
    MEMBERS = "members", _("Đoàn viên của đơn vị và các đơn vị trực thuộc")
    PHONE = "phone", _("Mọi người có số điện thoại đã xác thực")


class ContestStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    PUBLISHED = "published", _("Đã công bố")
    RESULTS = "results", _("Đã công bố kết quả")
    CANCELLED = "cancelled", _("Đã hủy")


class Contest(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="contests", verbose_name=_("đơn vị tổ chức")
    )
    title = models.CharField(_("tên cuộc thi"), max_length=255)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)
    description = models.TextField(_("giới thiệu"), blank=True)
    rules = models.TextField(_("thể lệ"), blank=True)
    eligibility = models.CharField(
        _("đối tượng dự thi"),
        max_length=10,
        choices=Eligibility.choices,
        default=Eligibility.MEMBERS,
    )
    # Members of this unit's subtree may take part (MEMBERS); the organising unit by default.
    eligible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("đơn vị dự thi"),
    )
    prediction_question = models.CharField(
        _("câu hỏi dự đoán"),
        max_length=500,
        blank=True,
        help_text=_("Ví dụ: Có bao nhiêu người trả lời đúng tất cả các câu hỏi?"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ContestStatus.choices, default=ContestStatus.DRAFT
    )
    certificate_signer = models.CharField(_("người ký giấy chứng nhận"), max_length=200, blank=True)
    certificate_signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cuộc thi")
        verbose_name_plural = _("cuộc thi")
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def participation_unit_id(self) -> int:
        return self.eligible_unit_id or self.unit_id


class Round(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("tên vòng thi"), max_length=255)
    opens_at = models.DateTimeField(_("mở lúc"))
    closes_at = models.DateTimeField(_("đóng lúc"))
    questions_per_attempt = models.PositiveSmallIntegerField(_("số câu mỗi lượt"), default=20)
    # {"<topic id>": count, …}: how many questions of each topic an attempt draws; empty: any.
    topic_mix = models.JSONField(_("số câu theo chủ đề"), default=dict, blank=True)
    time_limit_seconds = models.PositiveIntegerField(_("thời gian mỗi lượt (giây)"), default=900)
    attempts_allowed = models.PositiveSmallIntegerField(_("số lượt được thi"), default=1)
    shuffle_questions = models.BooleanField(_("đảo thứ tự câu hỏi"), default=True)
    shuffle_options = models.BooleanField(_("đảo thứ tự phương án"), default=True)
    ask_prediction = models.BooleanField(_("có câu hỏi dự đoán"), default=True)

    class Meta:
        ordering = ["contest", "number"]
        verbose_name = _("vòng thi")
        verbose_name_plural = _("vòng thi")
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="round_number_once"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_window"
            ),
            models.CheckConstraint(
                condition=Q(questions_per_attempt__gte=1)
                & Q(questions_per_attempt__lte=MAX_QUESTIONS_PER_ATTEMPT),
                name="round_questions_range",
            ),
            models.CheckConstraint(
                condition=Q(attempts_allowed__gte=1) & Q(attempts_allowed__lte=MAX_ATTEMPTS),
                name="round_attempts_range",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_seconds__gte=30) & Q(time_limit_seconds__lte=86400),
                name="round_time_limit_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest} — {self.title}"

    def is_open(self, at: object = None) -> bool:
        now = at or timezone.now()
        return bool(self.opens_at <= now < self.closes_at)  # type: ignore[operator]


class Topic(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(_("chủ đề"), max_length=200)

    class Meta:
        ordering = ["contest", "name", "id"]
        verbose_name = _("chủ đề câu hỏi")
        verbose_name_plural = _("chủ đề câu hỏi")
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="topic_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Một đáp án đúng")
    MULTIPLE = "multiple", _("Nhiều đáp án đúng")


class Question(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="questions")
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    kind = models.CharField(
        _("loại câu hỏi"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    text = models.TextField(_("nội dung câu hỏi"))
    image = models.ImageField(_("hình ảnh"), upload_to="contests/questions/%Y/%m/", blank=True)
    explanation = models.TextField(_("giải thích đáp án"), blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["contest", "id"]
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        indexes = [models.Index(fields=["contest", "topic", "is_active"])]

    def __str__(self) -> str:
        return self.text[:80]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("phương án"), max_length=1000)
    is_correct = models.BooleanField(_("đúng"), default=False)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("phương án")
        verbose_name_plural = _("phương án")

    def __str__(self) -> str:
        return self.text[:80]


class Participant(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contest_entries",
    )
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="contest_entries"
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    # +84…, normalised (core.phones); one participant per phone in a contest.
    phone = models.CharField(  # noqa: DJ001 (NULL for members without one: unique when set)
        _("số điện thoại"), max_length=20, null=True, blank=True
    )
    phone_verified_at = models.DateTimeField(null=True, blank=True)
    # The unit a result counts for: the member's unit, or the unit a phone participant chose.
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    workplace = models.CharField(_("nơi làm việc"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["contest", "id"]
        verbose_name = _("người dự thi")
        verbose_name_plural = _("người dự thi")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "user"],
                condition=Q(user__isnull=False),
                name="participant_user_once",
            ),
            models.UniqueConstraint(
                fields=["contest", "phone"],
                condition=Q(phone__isnull=False),
                name="participant_phone_once",
            ),
            models.UniqueConstraint(
                fields=["contest", "member"],
                condition=Q(member__isnull=False),
                name="participant_member_once",
            ),
        ]
        indexes = [models.Index(fields=["contest", "unit"])]

    def __str__(self) -> str:
        return self.full_name


class AttemptStatus(models.TextChoices):
    ACTIVE = "active", _("Đang làm bài")
    FINISHED = "finished", _("Đã nộp bài")
    EXPIRED = "expired", _("Hết giờ")


class ReviewOutcome(models.TextChoices):
    NONE = "", _("Chưa xem xét")
    VALID = "valid", _("Hợp lệ")
    DISQUALIFIED = "disqualified", _("Loại khỏi xếp hạng")


class Attempt(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attempts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(default=1)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    # The questions drawn, in the order shown: [question id, …]; and each one's options in the
    # order shown: {"<question id>": [option id, …]}.
    question_ids = models.JSONField(default=list)
    option_orders = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.ACTIVE
    )
    started_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    prediction = models.BigIntegerField(_("dự đoán"), null=True, blank=True)
    # Computed from the stored answers (services.scoring), never sent by the page.
    score = models.PositiveSmallIntegerField(default=0)
    max_score = models.PositiveSmallIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # A hash of the answers in question order: identical sequences are flagged for review.
    answers_digest = models.CharField(max_length=64, blank=True, db_index=True)
    flagged = models.BooleanField(default=False)
    flag_reasons = models.JSONField(default=list, blank=True)
    review = models.CharField(
        max_length=15, choices=ReviewOutcome.choices, default=ReviewOutcome.NONE, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("lượt thi")
        verbose_name_plural = _("lượt thi")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "round", "number"], name="attempt_number_once"
            ),
            # A second tab, a double click: one active attempt per participant and round.
            models.UniqueConstraint(
                fields=["participant", "round"],
                condition=Q(status="active"),
                name="attempt_one_active",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status", "score"]),
            models.Index(fields=["round", "answers_digest"]),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.round} #{self.number}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    # The option ids chosen, sorted.
    option_ids = models.JSONField(default=list)
    is_correct = models.BooleanField(null=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.question_id}"


class PrizeKind(models.TextChoices):
    RANK = "rank", _("Giải cá nhân theo thứ hạng")
    UNIT = "unit", _("Giải tập thể theo đơn vị")


class Prize(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="prizes")
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, null=True, blank=True, related_name="prizes"
    )
    kind = models.CharField(max_length=10, choices=PrizeKind.choices, default=PrizeKind.RANK)
    name = models.CharField(_("tên giải"), max_length=200)  # "Giải Nhất"
    count = models.PositiveSmallIntegerField(_("số giải"), default=1)
    position = models.PositiveSmallIntegerField(default=0)  # Nhất before Nhì before Ba
    amount_vnd = models.BigIntegerField(_("giá trị (đồng)"), default=0)

    class Meta:
        ordering = ["contest", "kind", "position", "id"]
        verbose_name = _("giải thưởng")
        verbose_name_plural = _("giải thưởng")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gte=0) & Q(count__gte=1), name="prize_amount_count"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="certificate")
    prize = models.ForeignKey(
        Prize, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificates"
    )
    number = models.CharField(_("số giấy chứng nhận"), max_length=40, unique=True)
    code = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    rank = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = _("giấy chứng nhận")

    def __str__(self) -> str:
        return self.number


class PhoneCode(models.Model):
    """A one-time code sent by SMS to a phone that wants to take part (PHONE contests); only
    its hash is kept, it expires, and wrong tries are counted."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["contest", "phone", "created_at"])]

    def __str__(self) -> str:
        return self.phone
