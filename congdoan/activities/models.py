"""What units do beyond publishing, as rows that belong to a unit.

- `Activity`: a direct communication activity (conference, dialogue, talk, campaign event) or a
  support activity (Tết Sum vầy, "Mái ấm Công đoàn", hardship support) with its numbers;
  `Attendance` says which member attended (from a sheet, ticked on a phone, typed by hand).
- `PressItem`: press coordination (an article given to the press, a press visit, coverage).
- `GoodExample` + `GoodExampleStep`: a good example or typical model a unit submits; it goes up
  the tree one level at a time (the unit that holds it forwards, recognises or returns it).
- `Course`, `TrainingSession`, `TrainingAttendance`: training and who attended, certificates.
- `Channel`, `PresenceLog`: a unit's channels and how many posts a day they carried.
- `Budget`: a unit's communication and total activity spending in a year (VND).

Amounts are whole VND in a BigInteger, never negative, at most `MAX_AMOUNT_VND`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Level, Member, Unit

#: The largest amount one row may carry (1,000 billion VND): beyond it is a typing slip.
MAX_AMOUNT_VND = 1_000_000_000_000
#: The largest head count one activity may carry.
MAX_PEOPLE = 1_000_000


class ActivityKind(models.TextChoices):
    CONFERENCE = "conference", _("Hội nghị")
    DIALOGUE = "dialogue", _("Đối thoại")
    TALK = "talk", _("Tọa đàm, nói chuyện chuyên đề")
    CAMPAIGN = "campaign", _("Sự kiện truyền thông, phát động")
    TET = "tet", _("Tết Sum vầy")
    HOUSE = "house", _("Mái ấm Công đoàn")
    HARDSHIP = "hardship", _("Hỗ trợ khó khăn")
    OTHER = "other", _("Hoạt động khác")


#: Kinds that count as direct communication activities (the yearly duty, members reached).
#: Tết Sum vầy, "Mái ấm Công đoàn" and hardship support are support activities: counted with
#: their numbers, not as communication.
COMMUNICATION_KINDS: tuple[str, ...] = (
    ActivityKind.CONFERENCE,
    ActivityKind.DIALOGUE,
    ActivityKind.TALK,
    ActivityKind.CAMPAIGN,
    ActivityKind.OTHER,
)


def _amount_checks(name: str, *fields: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{f}__gte": 0}) & Q(**{f"{f}__lte": MAX_AMOUNT_VND}),
            name=f"{name}_{f}_range",
        )
        for f in fields
    ]


class Activity(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="activities", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại hoạt động"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("tên hoạt động"), max_length=255)
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    participants = models.PositiveIntegerField(_("số người tham dự"), default=0)
    beneficiaries = models.PositiveIntegerField(_("số người được hỗ trợ"), default=0)
    amount_vnd = models.BigIntegerField(_("kinh phí (đồng)"), default=0)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        indexes = [models.Index(fields=["unit", "held_on"]), models.Index(fields=["held_on"])]
        constraints = _amount_checks("activity", "amount_vnd")

    def __str__(self) -> str:
        return self.title

    @property
    def is_communication(self) -> bool:
        return self.kind in COMMUNICATION_KINDS


class AttendanceSource(models.TextChoices):
    SHEET = "sheet", _("Nhập từ bảng tính")
    PHONE = "phone", _("Điểm danh trên điện thoại")
    MANUAL = "manual", _("Nhập tay")


class Attendance(models.Model):
    # (activity, member) is one index that covers "who attended the activities of a window"
    # (the plan's reach: read from the index alone, 3x faster on a million rows).
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendances", db_index=False
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendances")
    source = models.CharField(max_length=10, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "activity"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["activity", "member"], name="attendance_activity_member")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.activity_id}"


class PressKind(models.TextChoices):
    ARTICLE = "article", _("Tin, bài cung cấp cho báo chí")
    VISIT = "visit", _("Đón phóng viên, báo chí đến làm việc")
    COVERAGE = "coverage", _("Báo chí đưa tin")


class PressItem(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="press_items", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=PressKind.choices)
    outlet = models.CharField(_("cơ quan báo chí"), max_length=200)
    title = models.CharField(_("nội dung"), max_length=255)
    happened_on = models.DateField(_("ngày"))
    link = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = _("phối hợp báo chí")
        verbose_name_plural = _("phối hợp báo chí")
        indexes = [models.Index(fields=["unit", "happened_on"])]

    def __str__(self) -> str:
        return self.title


class ExampleKind(models.TextChoices):
    PERSON = "person", _("Gương điển hình")
    MODEL = "model", _("Mô hình hay")


class ExampleStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi")
    FORWARDED = "forwarded", _("Đã chuyển lên cấp trên")
    RECOGNISED = "recognised", _("Được ghi nhận")
    RETURNED = "returned", _("Trả lại")


class GoodExample(models.Model):
    """Submitted by `unit`; `holder` is the unit that has it now (the level above at first)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="good_examples", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=ExampleKind.choices)
    title = models.CharField(_("tên gương, mô hình"), max_length=255)
    summary = models.TextField(_("tóm tắt"), blank=True)
    submitted_on = models.DateField(_("ngày gửi"))
    status = models.CharField(
        max_length=12, choices=ExampleStatus.choices, default=ExampleStatus.SUBMITTED
    )
    holder = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("gương điển hình, mô hình hay")
        verbose_name_plural = _("gương điển hình, mô hình hay")
        indexes = [models.Index(fields=["unit", "submitted_on"])]

    def __str__(self) -> str:
        return self.title


class GoodExampleStep(models.Model):
    """Who did what to a good example, and where it went."""

    example = models.ForeignKey(GoodExample, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=12, choices=ExampleStatus.choices)
    by_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.example_id} {self.status}"


class CourseTopic(models.TextChoices):
    PRESS = "press", _("Kỹ năng làm việc với báo chí")
    SOCIAL = "social", _("Mạng xã hội")
    MEDIA = "media", _("Thiết kế infographic và video")
    INCIDENT = "incident", _("Xử lý sự cố truyền thông")
    MONITORING = "monitoring", _("Phần mềm theo dõi thông tin")
    OTHER = "other", _("Chủ đề khác")


class Course(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="courses", verbose_name=_("đơn vị tổ chức")
    )
    title = models.CharField(_("tên lớp, khóa tập huấn"), max_length=255)
    topic = models.CharField(_("chủ đề"), max_length=12, choices=CourseTopic.choices)
    description = models.TextField(_("mô tả"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("khóa tập huấn")
        verbose_name_plural = _("khóa tập huấn")

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("đơn vị tổ chức"),
    )
    held_on = models.DateField(_("ngày"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    level = models.ForeignKey(
        Level,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cấp đối tượng"),
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"]), models.Index(fields=["unit", "held_on"])]

    def __str__(self) -> str:
        return f"{self.course} ({self.held_on:%d/%m/%Y})"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances", db_index=False
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="trainings")
    certificate_number = models.CharField(_("số chứng nhận"), max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "session"], name="training_once"),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="certificate_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["session", "member"], name="training_session_member")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.session_id}"


class ChannelKind(models.TextChoices):
    FANPAGE = "fanpage", _("Fanpage Facebook")
    ZALO = "zalo", _("Zalo OA")
    YOUTUBE = "youtube", _("Kênh YouTube")
    WEBSITE = "website", _("Trang thông tin điện tử")
    ROOM = "room", _("Phòng sinh hoạt công đoàn")
    BOARD = "board", _("Bảng tin")


#: Channels that post (a union room and a bulletin board are places, not feeds).
POSTING_KINDS: tuple[str, ...] = (
    ChannelKind.FANPAGE,
    ChannelKind.ZALO,
    ChannelKind.YOUTUBE,
    ChannelKind.WEBSITE,
)


class Channel(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="presence_channels", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại kênh"), max_length=10, choices=ChannelKind.choices)
    name = models.CharField(_("tên"), max_length=200, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    started_on = models.DateField(_("từ ngày"), null=True, blank=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["unit", "kind", "id"]
        verbose_name = _("kênh")
        verbose_name_plural = _("kênh")
        indexes = [models.Index(fields=["kind", "unit"])]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class PostSource(models.TextChoices):
    GRAPH = "graph", _("Đếm qua Graph API")
    UNIT = "unit", _("Đơn vị tự ghi")


class PresenceLog(models.Model):
    """How many posts a unit's channel of this kind carried on a day, by one source."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="presence_logs")
    channel_kind = models.CharField(max_length=10, choices=ChannelKind.choices)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=6, choices=PostSource.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "channel_kind", "day", "source"], name="presence_log_once"
            )
        ]
        indexes = [models.Index(fields=["channel_kind", "day"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.channel_kind} {self.day}: {self.count}"


class Budget(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    communication_vnd = models.BigIntegerField(_("chi cho tuyên truyền (đồng)"), default=0)
    total_vnd = models.BigIntegerField(_("tổng chi hoạt động (đồng)"), default=0)
    notes = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = _("kinh phí")
        verbose_name_plural = _("kinh phí")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="budget_once"),
            models.CheckConstraint(
                condition=Q(communication_vnd__lte=models.F("total_vnd")),
                name="budget_share_at_most_total",
            ),
            *_amount_checks("budget", "communication_vnd", "total_vnd"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"
