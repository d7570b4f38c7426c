"""The union tree, its history, people and positions.

The tree is stored twice on purpose:
- `Unit.parent` + `Unit.path` (materialised path of ids, "/1/7/42/") is the tree as it is
  now, so that subtree queries are one indexed prefix match;
- `UnitPeriod` rows say which parent each unit had between two dates, so that reports and
  indicators for a past period can use the tree as it was then.
Levels are rows (`Level`), not code: reorganisations add or retire levels without a release.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any, Protocol, TypeVar, cast

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.collation import person_key, vn_key
from congdoan.text import fold


class Level(models.Model):
    """A tier of the union tree (Tổng Liên đoàn, LĐLĐ tỉnh/thành phố, cấp trên trực tiếp cơ sở, CĐCS…)."""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên cấp"), max_length=120)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), help_text=_("0 là cấp cao nhất"))
    is_grassroots = models.BooleanField(_("là cấp cơ sở"), default=False)
    is_active = models.BooleanField(_("còn sử dụng"), default=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("cấp công đoàn")
        verbose_name_plural = _("cấp công đoàn")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name as the reader's language says it: the row's own name in Vietnamese (an
        administrator may edit it), a translated name for the levels every deployment has."""
        known = KNOWN_LEVEL_NAMES.get(self.code)
        if known is None or (translation.get_language() or "vi").startswith("vi"):
            return self.name
        return str(known)


# The levels of the Vietnamese union system (codes as `congdoan seed-demo` creates them).
KNOWN_LEVEL_NAMES = {
    "tong-lien-doan": _("Tổng Liên đoàn"),
    "lien-doan-tinh": _("Liên đoàn Lao động tỉnh, thành phố"),
    "cap-tren-co-so": _("Công đoàn cấp trên trực tiếp cơ sở"),
    "co-so": _("Công đoàn cơ sở"),
}


class UnitKind(models.TextChoices):
    FEDERATION = "federation", _("Liên đoàn lao động")
    SECTOR = "sector", _("Công đoàn ngành")
    INDUSTRIAL_ZONE = "industrial_zone", _("Công đoàn khu công nghiệp")
    STATE_BODY = "state_body", _("Cơ quan hành chính, sự nghiệp")
    SCHOOL = "school", _("Trường học")
    HEALTH = "health", _("Cơ sở y tế")
    STATE_ENTERPRISE = "state_enterprise", _("Doanh nghiệp nhà nước")
    NON_STATE_ENTERPRISE = "non_state_enterprise", _("Doanh nghiệp ngoài nhà nước")
    FDI_ENTERPRISE = "fdi_enterprise", _("Doanh nghiệp có vốn đầu tư nước ngoài")
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    OTHER = "other", _("Khác")


_QR_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: typed from a poster


def _qr_token() -> str:
    """A token printed on the workplace's QR poster; letters and digits only, so that it can
    be typed or tagged ("#k7m2…") in a Zalo or SMS message."""
    return "".join(secrets.choice(_QR_ALPHABET) for _ in range(12))


class Unit(models.Model):
    code = models.SlugField(
        _("mã đơn vị"),
        max_length=40,
        unique=True,
        allow_unicode=False,
        help_text=_("Mã ổn định dùng trong đường dẫn, nhập liệu và dòng lệnh, ví dụ HN, PX."),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="units", verbose_name=_("cấp")
    )
    kind = models.CharField(
        _("loại hình"), max_length=30, choices=UnitKind.choices, default=UnitKind.OTHER
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    employer_name = models.CharField(_("tên cơ quan, doanh nghiệp"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    workers_count = models.PositiveIntegerField(_("số người lao động"), default=0)
    qr_token = models.CharField(max_length=20, unique=True, default=_qr_token, editable=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    founded_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Derived from the name (kept by save()): accent-free search text and Vietnamese order.
    search_text = models.CharField(
        max_length=600, blank=True, default="", db_default="", editable=False
    )
    sort_key = models.CharField(
        max_length=1000, blank=True, default="", db_default="", editable=False
    )

    _KEYED_FIELDS = frozenset({"name", "employer_name", "code"})

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["parent", "name"]), models.Index(fields=["sort_key"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self._KEYED_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text", "sort_key"}
        super().save(*args, **kwargs)

    def fill_keys(self) -> None:
        self.search_text = fold(f"{self.name} {self.employer_name} {self.code}")[:600]
        self.sort_key = vn_key(self.name)

    @property
    def is_grassroots(self) -> bool:
        return self.level.is_grassroots

    @property
    def ancestors(self) -> list[Unit]:
        """Units above this one, from the root down (excluded itself)."""
        ids = self.ancestor_ids()[:-1]
        by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class UnitPeriod(models.Model):
    """This unit hung under `parent` from `valid_from` (included) to `valid_to` (excluded)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="periods")
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_periods"
    )
    name = models.CharField(max_length=255)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.unit_id} < {self.parent_id} [{self.valid_from}, {self.valid_to})"


class UnitEventKind(models.TextChoices):
    CREATED = "created", _("Thành lập")
    RENAMED = "renamed", _("Đổi tên")
    MOVED = "moved", _("Chuyển cấp trên")
    MERGED = "merged", _("Sáp nhập")
    DISSOLVED = "dissolved", _("Giải thể")


class UnitEvent(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=UnitEventKind.choices)
    on_date = models.DateField()
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-on_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit_id} {self.on_date}"


class Gender(models.TextChoices):
    FEMALE = "F", _("Nữ")
    MALE = "M", _("Nam")
    OTHER = "O", _("Khác")


class _Keyed(Protocol):
    def fill_keys(self) -> None: ...


_K = TypeVar("_K", bound=models.Model)


class KeyedQuerySet(models.QuerySet[_K]):
    """A queryset whose rows carry derived keys (`fill_keys()`), also when written in bulk."""

    def bulk_create(
        self,
        objs: Iterable[_K],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Collection[str] | None = None,
        unique_fields: Collection[str] | None = None,
    ) -> list[_K]:
        """Rows written in bulk (the demo, imports) get their search and sort keys too."""
        rows = list(objs)
        for row in rows:
            cast(_Keyed, row).fill_keys()
        return super().bulk_create(
            rows,
            batch_size=batch_size,
            ignore_conflicts=ignore_conflicts,
            update_conflicts=update_conflicts,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )


class Member(models.Model):
    """An đoàn viên (or a worker known to the union) of one unit."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="members", verbose_name=_("đơn vị")
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    gender = models.CharField(_("giới tính"), max_length=1, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    joined_on = models.DateField(_("ngày vào công đoàn"), null=True, blank=True)
    card_number = models.CharField(
        _("số thẻ đoàn viên"), max_length=30, null=True, blank=True, unique=True
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_union_member = models.BooleanField(_("là đoàn viên"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    left_on = models.DateField(_("ngày thôi sinh hoạt"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Derived from the name (kept by save() and bulk_create()): "nguyen thi lan" for search
    # without diacritics, and the Vietnamese order (given name, middle name, surname).
    name_folded = models.CharField(
        max_length=200, blank=True, default="", db_default="", editable=False, db_index=True
    )
    sort_key = models.CharField(
        max_length=1000, blank=True, default="", db_default="", editable=False
    )

    objects = KeyedQuerySet["Member"].as_manager()

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("đoàn viên")
        verbose_name_plural = _("đoàn viên")
        indexes = [
            models.Index(fields=["unit", "full_name"]),
            models.Index(fields=["unit", "sort_key"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded", "sort_key"}
        super().save(*args, **kwargs)

    def fill_keys(self) -> None:
        self.name_folded = fold(self.full_name)[:200]
        self.sort_key = person_key(self.full_name)

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Membership(models.Model):
    """A period of a member's union life in one unit; ended periods are kept as history."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("đơn vị")
    )
    joined_on = models.DateField(_("từ ngày"), null=True, blank=True)
    left_on = models.DateField(_("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["member", "-created_at", "-id"]
        verbose_name = _("quá trình sinh hoạt")
        verbose_name_plural = _("quá trình sinh hoạt")

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.unit_id} [{self.joined_on}, {self.left_on})"

    @property
    def end_reason_display(self) -> str:
        """Why the period ended, in the reader's language: a period closed by its unit's merger
        is told from the unit's record (such periods stored "Sáp nhập vào …" in Vietnamese
        before, and store no reason now); any other reason as the officer typed it."""
        unit = self.unit
        if self.left_on and unit.merged_into_id and self.left_on == unit.dissolved_on:
            merged_into = unit.merged_into
            assert merged_into is not None
            return gettext("Sáp nhập vào %(unit)s") % {"unit": merged_into.name}
        return self.end_reason


class Position(models.Model):
    """A post in a union committee (Chủ tịch, Phó Chủ tịch, Ủy viên BCH…)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("chức danh"), max_length=120)
    is_leader = models.BooleanField(
        _("là lãnh đạo"), default=False, help_text=_("Tính vào chỉ tiêu bồi dưỡng cán bộ lãnh đạo.")
    )
    is_standing_committee = models.BooleanField(_("thuộc Ban Thường vụ"), default=False)
    rank = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("chức danh")
        verbose_name_plural = _("chức danh")

    def __str__(self) -> str:
        return self.name


class Appointment(models.Model):
    """Someone holds a position in a unit; with `user` set and `manages` on, that login is an officer of the unit's subtree."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("đơn vị")
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, verbose_name=_("chức danh"))
    full_name = models.CharField(_("họ và tên"), max_length=200)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="appointments",
    )
    manages = models.BooleanField(_("quản lý dữ liệu đơn vị"), default=True)
    is_office = models.BooleanField(
        _("thuộc Văn phòng"),
        default=False,
        help_text=_("Cán bộ Văn phòng được xem thông tin liên hệ của người gửi ẩn danh."),
    )
    started_on = models.DateField(_("từ ngày"), default=date.today)
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "position__rank", "full_name"]
        verbose_name = _("bổ nhiệm")
        verbose_name_plural = _("bổ nhiệm")

    def __str__(self) -> str:
        return f"{self.full_name} — {self.position} ({self.unit})"


class SiteSettings(models.Model):
    """This deployment's own settings, one row (pk=1) edited in the admin; an empty field falls
    back to the environment's setting (congdoan.orgs.site reads them)."""

    home_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị vận hành hệ thống"),
        help_text=_(
            "Liên đoàn Lao động vận hành hệ thống này. Ý kiến chưa rõ công đoàn cơ sở được gửi "
            "tới đơn vị này. Để trống: dùng cài đặt CONGDOAN_HOME_UNIT."
        ),
    )
    hotline = models.CharField(
        _("đường dây nóng"),
        max_length=40,
        blank=True,
        help_text=_("In trên áp phích mã QR. Để trống: dùng cài đặt CONGDOAN_HOTLINE."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cài đặt hệ thống")
        verbose_name_plural = _("cài đặt hệ thống")

    def __str__(self) -> str:
        return str(_("Cài đặt hệ thống"))

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1  # one row
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def load(cls) -> SiteSettings:
        row, _created = cls.objects.get_or_create(pk=1)
        return row
