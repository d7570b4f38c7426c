"""Workers' concerns (tâm tư, nguyện vọng): one inbox for every channel.

A `Concern` is written first, as it arrived (`text`), then triaged by a task that fills
`restored_text`, `topic`, `urgency`, `sentiment`, `cluster`, `assigned_unit` and `due_at`.
A concern whose triage has not run yet has `status=received` and is picked up again by
`congdoan feedback check-deadlines` (so a concern is never lost when the worker is down).
"""

from __future__ import annotations

import ast
import json
import secrets
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.orgs.models import Unit
from congdoan.text import fold

# No 0/O, 1/I/L, so a code read over the phone or copied by hand stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "YK-"
CODE_LENGTH = 6


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(raw: str) -> str:
    """What a worker typed ("yk 7k3m9q", "7K3M9Q", "yk-7k3m9q") as the stored form."""
    value = "".join(ch for ch in (raw or "").upper() if ch.isascii() and ch.isalnum())
    if value.startswith("YK") and len(value) > CODE_LENGTH:
        value = value[2:]
    return CODE_PREFIX + value[:CODE_LENGTH] if value else ""


def photo_path(instance: object, filename: str) -> str:
    """A random name: a worker's photo must not be found by guessing its original file name."""
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"feedback/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Channel(models.TextChoices):
    WEB = "web", _("Trang web")
    MEMBER = "member", _("Đoàn viên đăng nhập")
    OFFICER = "officer", _("Cán bộ ghi nhận")
    ZALO = "zalo", _("Zalo OA")
    SMS = "sms", _("Tin nhắn SMS")
    IMPORT = "import", _("Phiếu giấy (nhập tệp)")
    API = "api", _("API")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    TRIAGED = "triaged", _("Đã phân loại")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")
    REOPENED = "reopened", _("Mở lại")


LOW_CONFIDENCE = 0.35
# A restoration is shown as the worker's words only when every word it changed is at least
# this sure (congdoan.text.evaluate.RESTORATION_SURE; `congdoan nlp eval` measures it).
RESTORATION_SURE = 0.9

OPEN_STATUSES = (
    Status.RECEIVED,
    Status.TRIAGED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.REOPENED,
)


class Topic(models.TextChoices):
    WAGES = "wages", _("Tiền lương, thu nhập")
    HOURS = "hours", _("Thời giờ làm việc, làm thêm giờ")
    INSURANCE = "insurance", _("Bảo hiểm xã hội, bảo hiểm y tế")
    SAFETY = "safety", _("An toàn, vệ sinh lao động")
    CONTRACT = "contract", _("Hợp đồng, kỷ luật, sa thải")
    WELFARE = "welfare", _("Phúc lợi, Tết, hỗ trợ khó khăn")
    LIVING = "living", _("Nhà ở, đi lại, nhà trẻ")
    UNION = "union", _("Đoàn phí, hoạt động công đoàn")
    HARASSMENT = "harassment", _("Quấy rối, phân biệt đối xử")
    OTHER = "other", _("Khác")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    HIGH = "high", _("Cần sớm")
    URGENT = "urgent", _("Khẩn cấp")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Tiêu cực")
    NEUTRAL = "neutral", _("Trung tính")
    POSITIVE = "positive", _("Tích cực")


class Cluster(models.Model):
    """Near-duplicate concerns grouped together ("40 workers at X report the same delay")."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback_clusters"
    )
    topic = models.CharField(_("chủ đề"), max_length=20, choices=Topic.choices, blank=True)
    title = models.CharField(_("nội dung tiêu biểu"), max_length=200)
    # The restoration confidence of the member the title was taken from: a clearer member
    # (typed with diacritics: 1.0) that joins later gives the cluster its title.
    title_confidence = models.FloatField(default=0.0)
    size = models.PositiveIntegerField(_("số ý kiến"), default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size", "-updated_at"]
        verbose_name = _("nhóm ý kiến trùng lặp")
        verbose_name_plural = _("nhóm ý kiến trùng lặp")

    def __str__(self) -> str:
        return self.title


class Concern(models.Model):
    code = models.CharField(
        _("mã tra cứu"), max_length=12, unique=True, default=new_code, editable=False
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_concerns",
        verbose_name=_("công đoàn cơ sở"),
    )
    assigned_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_assigned",
        verbose_name=_("đơn vị xử lý"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_assigned",
        verbose_name=_("cán bộ xử lý"),
    )
    channel = models.CharField(
        _("kênh"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    text = models.TextField(_("nội dung"))
    restored_text = models.TextField(_("nội dung đã khôi phục dấu"), blank=True)
    # The text and its restoration folded (no diacritics, lower case): the inbox search finds
    # "trả lương" when the officer types "tra luong" and the reverse (filled in save()).
    search_text = models.TextField(blank=True, default="", db_default="", editable=False)
    # How sure the restorer was of its least sure changed word (None: not restored yet),
    # and the words it was unsure of: [start, end, as typed] in restored_text.
    restoration_confidence = models.FloatField(null=True, blank=True)
    restoration_doubts = models.JSONField(default=list, blank=True)
    topic = models.CharField(_("chủ đề"), max_length=20, choices=Topic.choices, blank=True)
    topic_confidence = models.FloatField(null=True, blank=True)
    topic_corrected = models.BooleanField(_("chủ đề do cán bộ sửa"), default=False)
    urgency = models.CharField(
        _("mức độ"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    urgency_corrected = models.BooleanField(_("mức độ do cán bộ sửa"), default=False)
    urgency_reasons = models.JSONField(default=list, blank=True)
    sentiment = models.CharField(
        _("sắc thái"), max_length=10, choices=Sentiment.choices, blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    is_anonymous = models.BooleanField(_("ẩn danh"), default=True)
    contact_name = models.CharField(_("họ tên người gửi"), max_length=120, blank=True)
    contact_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    contact_zalo_id = models.CharField(_("Zalo"), max_length=64, blank=True)
    contact_erased_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_submitted",
    )
    external_id = models.CharField(_("mã tin nhắn của nhà cung cấp"), max_length=128, blank=True)
    wants_upper_level = models.BooleanField(_("muốn gửi lên cấp trên"), default=False)
    about_union = models.BooleanField(_("phản ánh về công đoàn cơ sở"), default=False)
    hidden_from_unit = models.BooleanField(
        default=False, help_text=_("Không cho công đoàn cơ sở xem ý kiến này.")
    )
    photo = models.ImageField(_("ảnh"), upload_to=photo_path, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    signature = models.BinaryField(null=True, blank=True, editable=False)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    created_at = models.DateTimeField(_("ngày gửi"), default=timezone.now, db_index=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả lời"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    answer_text = models.TextField(_("trả lời"), blank=True)
    answer_citation = models.CharField(
        _("căn cứ (điều luật, tài liệu)"), max_length=255, blank=True
    )
    answer_url = models.URLField(_("đường dẫn căn cứ"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_answered",
    )
    answered_on_time = models.BooleanField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("mức hài lòng"), null=True, blank=True)
    rating_comment = models.CharField(_("nhận xét"), max_length=500, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    internal_note = models.TextField(_("ghi chú nội bộ"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ý kiến")
        verbose_name_plural = _("ý kiến")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="feedback_unique_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["assigned_unit", "status"]),
            models.Index(fields=["unit", "created_at"]),
            models.Index(fields=["topic", "created_at"]),
            models.Index(fields=["contact_phone"]),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = self.folded_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"text", "restored_text"} & set(update_fields):  # type: ignore[call-overload]
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def folded_text(self) -> str:
        return " ".join(fold(f"{self.text} {self.restored_text}").split())

    @property
    def restoration_is_sure(self) -> bool:
        """The restorer was sure of every word it changed (see RESTORATION_SURE)."""
        return (
            bool(self.restored_text)
            and self.restoration_confidence is not None  # None: restored before it was kept
            and self.restoration_confidence >= RESTORATION_SURE
        )

    @property
    def display_text(self) -> str:
        """What officers read as the worker's words: the restoration only when the
        restorer was sure of it, else the text as the worker typed it."""
        return self.restored_text if self.restoration_is_sure else self.text

    @property
    def restoration_parts(self) -> list[tuple[str, str]]:
        """The restored text cut into (text, as typed) parts: "as typed" is the worker's
        spelling of a word the restorer was unsure of, "" elsewhere (the template marks
        those words)."""
        parts: list[tuple[str, str]] = []
        last = 0
        text = self.restored_text
        for start, end, typed in sorted(self.restoration_doubts or []):
            if start < last or end > len(text):
                continue  # offsets of another text: show no marks rather than wrong ones
            parts += [(text[last:start], ""), (text[start:end], str(typed))]
            last = end
        parts.append((text[last:], ""))
        return [p for p in parts if p[0]]

    @property
    def needs_review(self) -> bool:
        """The classifier was unsure and no officer has confirmed the topic yet."""
        return bool(
            self.topic
            and not self.topic_corrected
            and (self.topic_confidence or 0) < LOW_CONFIDENCE
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_at and self.due_at < timezone.now())


EVENT_LABELS = {
    "submit": _("Tiếp nhận"),
    "triage": _("Phân loại tự động"),
    "correct": _("Cán bộ sửa phân loại"),
    "assign": _("Giao xử lý"),
    "start": _("Bắt đầu xử lý"),
    "answer": _("Trả lời"),
    "answer_correct": _("Sửa trả lời đã gửi"),
    "close": _("Đóng"),
    "note": _("Ghi chú"),
    "rate": _("Người lao động đánh giá"),
    "reopen": _("Người lao động mở lại"),
    "remind": _("Nhắc hạn"),
    "escalate": _("Chuyển cấp trên do quá hạn"),
    "forward": pgettext_lazy("ý kiến", "Chuyển cấp trên"),
    "erase_contact": _("Xoá thông tin liên hệ"),
    "channel.answer_sent": _("Đã gửi trả lời qua Zalo/SMS"),
    "channel.answer_not_sent": _("Không gửi được trả lời qua Zalo/SMS"),
    "channel.answer_failed": _("Gửi trả lời qua Zalo/SMS bị lỗi"),
    "channel.receipt_sent": _("Đã gửi mã tra cứu qua Zalo/SMS"),
    "channel.receipt_failed": _("Gửi mã tra cứu qua Zalo/SMS bị lỗi"),
    "remind_failed": _("Không gửi được thư nhắc hạn"),
    "alert_sent": _("Đã gửi thư báo ý kiến khẩn"),
    "alert_failed": _("Không gửi được thư báo ý kiến khẩn"),
    "escalation_sent": _("Đã gửi thư báo chuyển cấp trên"),
    "escalation_failed": _("Không gửi được thư báo chuyển cấp trên"),
    "no_recipient": _("Không có cán bộ nào có thư điện tử để nhận thông báo"),
}


class ConcernEvent(models.Model):
    """The concern's history: who did what when (shown to officers; the worker sees status only)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.kind}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))

    @property
    def to_status_label(self) -> str:
        return str(dict(Status.choices).get(self.to_status, self.to_status))

    @property
    def note_display(self) -> str:
        """The note in the viewer's language: the triage's and the corrections' codes
        ("wages / urgent", {"topic": ["wages", "safety"]}) as labels; other notes as written."""
        if self.kind == "triage" and " / " in self.note:
            topic, _sep, urgency = self.note.partition(" / ")
            return f"{_label(Topic, topic)} / {_label(Urgency, urgency)}"
        if self.kind == "correct" and self.note.startswith("{"):
            changes = _parse_changes(self.note)
            if changes is not None:
                names = {"topic": (_("Chủ đề"), Topic), "urgency": (_("Mức độ"), Urgency)}
                parts = []
                for field, (old, new) in changes.items():
                    name, choices = names.get(field, (field, None))
                    before = _label(choices, old) if choices else old
                    after = _label(choices, new) if choices else new
                    parts.append(f"{name}: {before or '—'} → {after}")
                return "; ".join(parts) or str(_("xác nhận phân loại"))
        return self.note


def _label(choices: Any, value: str) -> str:
    if choices is None or not value:
        return value or ""
    return str(dict(choices.choices).get(value, value))


def _parse_changes(note: str) -> dict[str, tuple[str, str]] | None:
    """{"field": [old, new]} as written by concern_correct (JSON; older rows: a Python repr)."""
    try:
        data = json.loads(note)
    except ValueError:
        try:
            data = ast.literal_eval(note)
        except (ValueError, SyntaxError):
            return None
    if not isinstance(data, dict):
        return None
    out: dict[str, tuple[str, str]] = {}
    for field, pair in data.items():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            out[str(field)] = (str(pair[0] or ""), str(pair[1] or ""))
    return out


class ConcernAnswer(models.Model):
    """Every version of the answer sent to the worker, oldest first. The concern's
    `answer_text` is the latest; officers see them all, the worker the latest and that it was
    corrected. A version is written by each answer (`concern_answer`: after a reopening too)
    and each correction of a sent answer (`concern_answer_correct`)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="answers")
    version = models.PositiveSmallIntegerField()
    text = models.TextField(_("trả lời"))
    citation = models.CharField(_("căn cứ"), max_length=255, blank=True)
    url = models.URLField(_("đường dẫn căn cứ"), blank=True)
    is_correction = models.BooleanField(_("sửa trả lời đã gửi"), default=False)
    reason = models.CharField(_("lý do sửa"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["concern", "version"]
        verbose_name = _("phiên bản trả lời")
        verbose_name_plural = _("phiên bản trả lời")
        constraints = [
            models.UniqueConstraint(
                fields=["concern", "version"], name="feedback_answer_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} v{self.version}"


class AnswerTemplate(models.Model):
    """A ready answer for a topic that officers pick and adapt (kept in the admin). With a
    unit, only for concerns handled in that unit's subtree."""

    topic = models.CharField(_("chủ đề"), max_length=20, choices=Topic.choices, blank=True)
    title = models.CharField(_("tên mẫu"), max_length=200)
    text = models.TextField(_("nội dung trả lời"))
    citation = models.CharField(_("căn cứ"), max_length=255, blank=True)
    citation_url = models.CharField(_("đường dẫn căn cứ"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answer_templates",
        verbose_name=_("đơn vị dùng mẫu"),
        help_text=_("Để trống: mọi đơn vị dùng được."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["topic", "title"]
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")

    def __str__(self) -> str:
        return self.title
