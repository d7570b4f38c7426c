"""Communication products of a union and what hangs on them.

- `Theme`: the seven themes of the plan (created by a data migration, codes stable);
- `Product`: one product of one unit (a news item, an explainer, a poster, an event…) with its
  short version ("Nhanh, Ngắn", plain text) and full version ("Sâu, Rõ", sanitised HTML), its
  place in the workflow (`status`), who may find it (`sharing`) and its counters;
- `ProductMedia`: its photos, videos, PDFs and sound files (video stored as uploaded, never
  transcoded);
- `ProductVersion`: a snapshot of the text at the moments that matter (submitted, approved,
  published, corrected), so officers see what changed and a correction keeps the old text;
- `ProductComment`: what the author and the approver say to each other;
- `ContentSettings`: a unit's approval rule (its own leaders or the level above; self-approval);
- `ProductViewDay`: website views per product and day (no IP, no cookie is stored);
- `Highlight`: the year's fixed dates of the calendar (1/5, 28/7, Tết…) that products and
  events are planned against.

The workflow itself (who may move a product, and how) lives in services.py and rules.py.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Unit


class ProductKind(models.TextChoices):
    NEWS = "news", _("Tin bài")
    EXPLAINER = "explainer", _("Bài giải thích chính sách")
    INFOGRAPHIC = "infographic", _("Đồ họa thông tin (infographic)")
    PHOTO_STORY = "photo_story", _("Phóng sự ảnh")
    VIDEO = "video", _("Video ngắn")
    AUDIO = "audio", _("Bản tin âm thanh")
    E_BULLETIN = "e_bulletin", _("Bản tin điện tử")
    PRINTED_BULLETIN = "printed_bulletin", _("Bản tin in")
    POSTER = "poster", _("Pa-nô, áp phích")
    LOUDSPEAKER = "loudspeaker", _("Bài phát thanh loa")
    PRESS_RELEASE = "press_release", _("Thông cáo báo chí")
    EVENT = "event", _("Sự kiện")


# Kinds that exist only on paper or over a loudspeaker: not digital unless the officer says so.
NON_DIGITAL_KINDS = frozenset(
    {ProductKind.PRINTED_BULLETIN, ProductKind.POSTER, ProductKind.LOUDSPEAKER}
)


class Audience(models.TextChoices):
    OFFICERS = "officers", _("Cán bộ công đoàn")
    MEMBERS = "members", _("Đoàn viên, người lao động")
    AUTHORITIES = "authorities", _("Cấp ủy, chính quyền")
    COMMUNITY = "community", _("Cộng đồng")
    ENTERPRISES = "enterprises", _("Doanh nghiệp, người sử dụng lao động")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    SCHEDULED = "scheduled", _("Đã hẹn giờ đăng")
    PUBLISHED = "published", _("Đã đăng")
    ARCHIVED = "archived", _("Lưu trữ")


class Sharing(models.TextChoices):
    UNIT = "unit", _("Trong đơn vị")
    SUBTREE = "subtree", _("Đơn vị và các đơn vị trực thuộc")
    UNION = "union", _("Toàn hệ thống công đoàn")
    PUBLIC = "public", _("Công khai")


class ApprovalBy(models.TextChoices):
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    PARENT_LEADER = "parent_leader", _("Lãnh đạo công đoàn cấp trên")


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("Ảnh")
    VIDEO = "video", _("Video")
    PDF = "pdf", _("PDF")
    AUDIO = "audio", _("Âm thanh")


class VersionReason(models.TextChoices):
    SUBMITTED = "submitted", _("Gửi duyệt")
    APPROVED = "approved", _("Được duyệt")
    PUBLISHED = "published", _("Đăng")
    CORRECTED = "corrected", _("Đính chính sau khi đăng")


# The plan's seven themes as their data migration stores them, named here so the English
# catalogue holds them: a theme shows in the reader's language (`Theme.label`); one an
# administrator adds later shows as written.
THEME_NAMES = (
    gettext_noop("Tư tưởng, đường lối, truyền thống"),
    gettext_noop("Chính sách, pháp luật"),
    gettext_noop("Vai trò, vị thế của Công đoàn"),
    gettext_noop("Chăm lo, bảo vệ đoàn viên"),
    gettext_noop("Gương người tốt, việc tốt"),
    gettext_noop("Quyền lợi, nghĩa vụ đoàn viên"),
    gettext_noop("Sự kiện trọng tâm trong năm"),
)


class Theme(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chủ đề"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("chủ đề")
        verbose_name_plural = _("chủ đề")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language (the stored Vietnamese when it has no translation)."""
        return gettext(self.name)


class Highlight(models.Model):
    """A date of the year that the unions plan products around.

    A solar date is `month` + `day` (1/5, 28/7, 20/10), the same every year; a lunar one
    (Tết) is given per year in `dates` ({"2026": "2026-02-17"}), since its solar date moves.
    `unit` empty: for every unit of the deployment; set: that unit's own (its anniversary).
    """

    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="content_highlights",
        verbose_name=_("đơn vị"),
    )
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("ngày"), null=True, blank=True)
    dates = models.JSONField(
        _("ngày theo từng năm"),
        default=dict,
        blank=True,
        help_text=_('Cho ngày âm lịch: năm → ngày dương lịch, ví dụ {"2027": "2027-02-06"}.'),
    )
    duration_days = models.PositiveSmallIntegerField(_("số ngày"), default=1)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="highlights",
        verbose_name=_("chủ đề"),
    )
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước (ngày)"), default=14)

    class Meta:
        ordering = ["month", "day", "name"]
        verbose_name = _("mốc sự kiện trong năm")
        verbose_name_plural = _("mốc sự kiện trong năm")

    def __str__(self) -> str:
        return self.name

    def date_in(self, year: int) -> date | None:
        """The solar date of this highlight in `year`, or None when it is not known for it."""
        given = (self.dates or {}).get(str(year))
        if given:
            return date.fromisoformat(given)
        if self.month and self.day:
            return date(year, self.month, self.day)
        return None


class Product(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="content_products", verbose_name=_("đơn vị")
    )
    kind = models.CharField(
        _("loại sản phẩm"), max_length=20, choices=ProductKind.choices, default=ProductKind.NEWS
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(_("đường dẫn"), max_length=120, allow_unicode=False)
    summary = models.TextField(
        _("bản ngắn (Nhanh, Ngắn)"),
        blank=True,
        help_text=_("Văn bản thuần cho mạng xã hội và loa phát thanh."),
    )
    body = models.TextField(_("bản đầy đủ (Sâu, Rõ)"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="products", verbose_name=_("chủ đề")
    )
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    tags = models.JSONField(_("nhãn"), default=list, blank=True)
    is_digital = models.BooleanField(_("sản phẩm số"), default=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ProductStatus.choices,
        default=ProductStatus.DRAFT,
        db_index=True,
    )
    sharing = models.CharField(
        _("chia sẻ"), max_length=10, choices=Sharing.choices, default=Sharing.UNIT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="content_products",
        verbose_name=_("tác giả"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    publish_at = models.DateTimeField(_("hẹn đăng lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True, db_index=True)
    corrected_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)
    archived_at = models.DateTimeField(_("lưu trữ lúc"), null=True, blank=True)
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reuses",
        verbose_name=_("dùng lại từ"),
    )
    attribution = models.CharField(
        _("nguồn"),
        max_length=300,
        blank=True,
        help_text=_("Ghi nguồn khi dùng lại sản phẩm của đơn vị khác."),
    )
    reuse_count = models.PositiveIntegerField(_("số lần được dùng lại"), default=0)
    view_count = models.PositiveIntegerField(_("lượt xem"), default=0)
    event_starts_at = models.DateTimeField(_("sự kiện bắt đầu"), null=True, blank=True)
    event_ends_at = models.DateTimeField(_("sự kiện kết thúc"), null=True, blank=True)
    event_place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    highlight = models.ForeignKey(
        Highlight,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("mốc sự kiện"),
    )
    cover = models.ForeignKey(
        "ProductMedia",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ảnh đại diện"),
    )
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("sản phẩm truyền thông")
        verbose_name_plural = _("sản phẩm truyền thông")
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="content_product_unit_slug"),
        ]
        indexes = [
            models.Index(fields=["status", "sharing", "-published_at"]),
            models.Index(fields=["status", "publish_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The product's page on the public site (a path; it answers only while the product is
        `is_public_visible`). Every link to the page is built here."""
        return reverse("content_public:product", args=[self.unit.code, self.slug])

    @property
    def is_public_visible(self) -> bool:
        return self.status == ProductStatus.PUBLISHED and self.sharing == Sharing.PUBLIC


def media_path(instance: ProductMedia, filename: str) -> str:
    now = timezone.now()
    return f"content/{now:%Y/%m}/{instance.product_id}-{filename}"


class ProductMedia(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="media", verbose_name=_("sản phẩm")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=MediaKind.choices)
    file = models.FileField(_("tệp"), max_length=255, upload_to=media_path)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    caption = models.CharField(_("chú thích"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Other files made from this one, each {"name": storage name, "content_type", "size"}
    # (+ "width", "height" for a photo's smaller sizes, media.py; an audio bulletin's other
    # format, audio.py). Removed with the media. Empty for what was stored before them.
    variants = models.JSONField(default=list, blank=True, editable=False)
    duration_seconds = models.PositiveIntegerField(
        _("thời lượng (giây)"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["product", "order", "pk"]
        verbose_name = _("tệp của sản phẩm")
        verbose_name_plural = _("tệp của sản phẩm")

    def __str__(self) -> str:
        return self.caption or self.file.name or ""


class ProductVersion(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="versions", verbose_name=_("sản phẩm")
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.TextField(_("bản ngắn"), blank=True)
    body = models.TextField(_("bản đầy đủ"), blank=True)
    reason = models.CharField(_("lý do"), max_length=12, choices=VersionReason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["product", "number"]
        verbose_name = _("phiên bản")
        verbose_name_plural = _("phiên bản")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "number"], name="content_version_product_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} v{self.number}"


class ProductComment(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="comments", verbose_name=_("sản phẩm")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["product", "created_at", "pk"]
        verbose_name = _("trao đổi")
        verbose_name_plural = _("trao đổi")

    def __str__(self) -> str:
        return self.text[:60]


class ContentSettings(models.Model):
    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="content_settings", verbose_name=_("đơn vị")
    )
    approval_by = models.CharField(
        _("người duyệt"),
        max_length=20,
        choices=ApprovalBy.choices,
        default=ApprovalBy.UNIT_LEADER,
    )
    allow_self_approval = models.BooleanField(
        _("cho phép tự duyệt sản phẩm của mình"), default=False
    )

    class Meta:
        verbose_name = _("cài đặt sản phẩm truyền thông")
        verbose_name_plural = _("cài đặt sản phẩm truyền thông")

    def __str__(self) -> str:
        return str(self.unit)


class ProductViewDay(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["product", "day"]
        constraints = [
            models.UniqueConstraint(fields=["product", "day"], name="content_viewday_product_day"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.day}: {self.views}"


class ProductRead(models.Model):
    """A signed-in member opened a public product's page: the plan's evidence that a product
    "reached" a member (issue 15). One row per (member, product), the day of the first read;
    later reads change nothing. Written by `view_counts.product_read_record`; read only as
    counts and member ids by selectors (`reader_member_ids`), never shown per person to
    anyone (docs/decisions/0001-content-foundation.md, "Who read what")."""

    member = models.ForeignKey(
        "orgs.Member", on_delete=models.CASCADE, related_name="content_reads", editable=False
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="reads", editable=False
    )
    first_read_on = models.DateField(default=timezone.localdate, editable=False)

    class Meta:
        ordering = ["product", "first_read_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "product"], name="content_read_member_product"
            ),
        ]
        indexes = [models.Index(fields=["first_read_on", "product"])]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.product_id} on {self.first_read_on}"


# The e-bulletin's and the calendar's models, registered with this app (models_bulletin.py).
from congdoan.content import models_bulletin  # noqa: E402, F401
