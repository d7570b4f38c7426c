"""Surveys, their questions, and the responses members and visitors give.

- `Survey`: owned by a unit; its audience is that unit's subtree (members of the unit and
  below, logged in) or the public (anyone with the link); open between `opens_at` and
  `closes_at` once published; anonymous or not. `key` is the random part of its public link.
- `Question` in `position` order: single or multiple choice, a scale of n points with labels
  at both ends, free text, a number, or a matrix (rows answered on one scale of columns).
  `section` is the heading it sits under (an XLSForm group that is not a matrix).
- `Choice`: an option of a choice question, a row or a column of a matrix (`role`).
- `Response`: one submission, keyed by the `submission_key` the form carried (unique per
  survey: a retry stores nothing new). Its id is random (UUID) and, in an anonymous survey,
  it has no member, no unit and a time rounded to the hour, so it cannot be matched with a
  `Receipt` by order or time.
- `Answer`: one value of a response (a choice, a matrix cell, a number, a text).
- `Receipt`: who has answered (survey, member, unit, day), kept apart from the response:
  "once per member" and the plan's reach work from it, and results show it as counts only.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Member, Unit


def _survey_key() -> str:
    return secrets.token_urlsafe(9)


class Audience(models.TextChoices):
    MEMBERS = "members", _("Đoàn viên của đơn vị và cấp dưới")
    PUBLIC = "public", _("Công khai (ai có đường dẫn cũng trả lời được)")


class Status(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")


class Source(models.TextChoices):
    PAGE = "page", _("Soạn trên trang")
    XLSFORM = "xlsform", _("Nhập từ XLSForm")
    TEMPLATE = "template", _("Từ mẫu")


class Kind(models.TextChoices):
    SINGLE = "single", _("Chọn một")
    MULTIPLE = "multiple", _("Chọn nhiều")
    SCALE = "scale", _("Thang điểm")
    TEXT = "text", _("Trả lời tự do")
    NUMBER = "number", _("Số")
    MATRIX = "matrix", _("Bảng (nhiều dòng, một thang)")


class Role(models.TextChoices):
    OPTION = "option", _("Lựa chọn")
    ROW = "row", _("Dòng")
    COLUMN = "column", _("Cột")


class Survey(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("đơn vị")
    )
    title = models.CharField(_("tên khảo sát"), max_length=200)
    description = models.TextField(_("lời giới thiệu"), blank=True)
    key = models.CharField(max_length=20, unique=True, default=_survey_key, editable=False)
    audience = models.CharField(
        _("đối tượng"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    is_anonymous = models.BooleanField(
        _("ẩn danh"),
        default=True,
        help_text=_("Câu trả lời không gắn với người trả lời."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("mở từ"), default=timezone.now)
    closes_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PAGE)
    template = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("khảo sát")
        verbose_name_plural = _("khảo sát")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC

    def is_accepting(self, now: object = None) -> bool:
        """Published, and `now` lies in [opens_at, closes_at)."""
        moment = now if now is not None else timezone.now()
        return (
            self.status == Status.OPEN
            and self.opens_at <= moment  # type: ignore[operator]
            and (self.closes_at is None or moment < self.closes_at)  # type: ignore[operator]
        )


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("loại câu hỏi"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("câu hỏi"), max_length=500)
    help_text = models.CharField(_("gợi ý"), max_length=300, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=False)
    name = models.CharField(max_length=64, blank=True)
    section = models.CharField(_("phần"), max_length=200, blank=True)
    scale_points = models.PositiveSmallIntegerField(null=True, blank=True)
    low_label = models.CharField(_("nhãn điểm thấp nhất"), max_length=80, blank=True)
    high_label = models.CharField(_("nhãn điểm cao nhất"), max_length=80, blank=True)
    number_min = models.FloatField(null=True, blank=True)
    number_max = models.FloatField(null=True, blank=True)
    integer_only = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.MATRIX)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.OPTION)
    position = models.PositiveIntegerField(default=0)
    value = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submission_key = models.CharField(max_length=64)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    browser_hash = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "submission_key"], name="response_once_per_submission"
            ),
            models.UniqueConstraint(
                fields=["survey", "browser_hash"],
                condition=~Q(browser_hash=""),
                name="response_once_per_browser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    row = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    number = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.pk}"


class Receipt(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    answered_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "member"], name="receipt_once_per_member")
        ]
        indexes = [models.Index(fields=["answered_on", "member"])]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.member_id}"
