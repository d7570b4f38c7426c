"""Information monitoring: what is watched, what was found, how copies group and how each story
is handled.

- `Source`: one thing watched for a unit (an RSS/Atom feed, a web page, a Facebook Page, a
  YouTube video's comments, a file exported by a social-listening tool, or the tips of officers
  and members), with its schedule, the keywords and units it watches and its health (last
  success, last error, errors in a row).
- `Item`: one article, post, comment or tip. Ingestion is idempotent: one row per
  (source, external_id), and `content_hash` finds the same text under a new id (a feed that
  renames its items on every fetch). Detection fills relevance, toxicity, stance, the matched
  known claim and the risk; grouping sets `narrative`.
- `Snapshot`: the text and a sanitised HTML copy of an item when it was seen, kept as evidence
  even if the post is deleted.
- `Tip`: a link, a screenshot or pasted text sent by an officer or a member (web page, Zalo OA);
  it becomes an item of the unit's tips source.
- `KnownClaim`: a claim already known to be false, with its published refutation; items are
  matched against it by meaning, not only by words.
- `Narrative`: copies and near-copies of one story across sources, with its first appearance,
  spread, reach, risk and the handling workflow (`NarrativeStatus`), assignee and deadline.
- `NarrativeEvent`: the story of the handling: notes, status changes, assignments, alerts.
- `LshBucket`: the MinHash LSH index of the items (band, bucket key) that grouping queries, so
  a new item is compared with its candidates, never with a scan of recent rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from congdoan.monitoring.messages import render
from congdoan.orgs.models import Unit
from congdoan.text.normalize import decode
from congdoan.text.vietnamese import fold


def folded(text: str) -> str:
    """``text`` as the search and the content hash see it: legacy fonts decoded, case and
    diacritics folded, one space between words ("Cắt  LƯƠNG" → "cat luong")."""
    return " ".join(fold(decode(text or "")).split())


def item_search_text(title: str, folded_text: str) -> str:
    """What the items search looks in: the folded title (unless the text starts with it) and
    the text folded by `folded` (the content hash's work, reused by ingestion)."""
    head = folded(title)
    if head and not folded_text.startswith(head):
        return f"{head} {folded_text}"
    return folded_text


class SourceKind(models.TextChoices):
    RSS = "rss", _("Nguồn tin RSS/Atom")
    WEB = "web", _("Trang web (theo dõi thay đổi)")
    FACEBOOK = "facebook", _("Trang Facebook")
    YOUTUBE = "youtube", _("Bình luận YouTube")
    FILE = "file", _("Tệp từ công cụ lắng nghe mạng xã hội")
    TIPS = "tips", _("Tin báo của cán bộ, đoàn viên")


class Source(models.Model):
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="monitoring_sources",
        verbose_name=_("đơn vị theo dõi"),
    )
    name = models.CharField(_("tên nguồn"), max_length=200)
    kind = models.CharField(_("loại nguồn"), max_length=10, choices=SourceKind.choices)
    # The feed's or page's address (RSS, WEB); the Graph API or YouTube API base is a setting.
    url = models.URLField(_("địa chỉ"), max_length=1000, blank=True)
    # The Facebook Page id, the YouTube video id (FACEBOOK, YOUTUBE).
    external_ref = models.CharField(_("mã trang, mã video"), max_length=200, blank=True)
    keywords = models.TextField(
        _("từ khóa theo dõi"), blank=True, help_text=_("Mỗi dòng một từ khóa.")
    )
    watched_units = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("đơn vị được theo dõi")
    )
    every_minutes = models.PositiveIntegerField(_("tần suất (phút)"), default=60)
    active = models.BooleanField(_("đang theo dõi"), default=True)
    # Health: written by every fetch, success or not.
    last_fetched_at = models.DateTimeField(_("lần lấy gần nhất"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("lần thành công gần nhất"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("lần lỗi gần nhất"), null=True, blank=True)
    # The last error's message: a msgid (translated when shown: `error_text`) with its
    # parameters, or, for rows written before the parameters existed, the message as it was.
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    last_error_params = models.JSONField(default=dict, blank=True)
    consecutive_errors = models.PositiveIntegerField(_("số lần lỗi liên tiếp"), default=0)
    # Conditional GET (RSS, WEB) and change detection (WEB: hash of the extracted text).
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    page_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nguồn theo dõi")
        verbose_name_plural = _("nguồn theo dõi")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="monitoring_source_unit_name")
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """The name to show (`source_label`)."""
        return source_label(self.name, self.kind)

    @property
    def error_text(self) -> str:
        """The last error in the viewer's language (`last_error` is a msgid with
        `last_error_params`; a message stored before those existed is shown as it was)."""
        return error_message(self.last_error, self.last_error_params)


def source_label(name: str, kind: str) -> str:
    """A source's name to show: a unit's tips source (made automatically, its stored name in
    the site's language) is named in the viewer's language, whatever it is called."""
    return pgettext("danh sách", "Tin báo") if kind == SourceKind.TIPS else name


def error_message(template: str, params: dict[str, Any] | None) -> str:
    """A stored message shown again: the msgid translated now, then its parameters filled in
    (a message without parameters, or one that does not fit them, is kept as it is)."""
    if not template:
        return ""
    translated = gettext(template)
    if not params:
        return translated
    try:
        return translated % params
    except (KeyError, TypeError, ValueError):
        return template


class ItemKind(models.TextChoices):
    ARTICLE = "article", _("Bài báo, bài viết")
    POST = "post", _("Bài đăng")
    COMMENT = "comment", _("Bình luận")
    TIP = "tip", _("Tin báo")


class Toxicity(models.TextChoices):
    # The labels of the toolkit's ViHSD-trained classifier (congdoan.text.shipped.TOXICITY).
    CLEAN = "clean", _("Bình thường")
    OFFENSIVE = "offensive", _("Xúc phạm")
    HATE = "hate", _("Thù ghét")


class Stance(models.TextChoices):
    NEGATIVE = "negative", _("Tiêu cực")
    NEUTRAL = "neutral", _("Trung lập")
    POSITIVE = "positive", _("Tích cực")


class KnownClaim(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    claim = models.TextField(_("nội dung sai sự thật"))
    refutation = models.TextField(_("nội dung bác bỏ, làm rõ"), blank=True)
    refutation_url = models.URLField(_("địa chỉ bài bác bỏ"), max_length=1000, blank=True)
    product = models.ForeignKey(
        "content.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sản phẩm truyền thông bác bỏ"),
    )
    # The claim's meaning (e5 vector, float32 bytes) when the embedding model is installed.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    active = models.BooleanField(_("đang dùng để đối chiếu"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("thông tin sai sự thật đã biết")
        verbose_name_plural = _("thông tin sai sự thật đã biết")

    def __str__(self) -> str:
        return self.claim[:80]


class NarrativeStatus(models.TextChoices):
    DETECTED = "detected", _("Mới phát hiện")
    VERIFYING = "verifying", _("Đang xác minh")
    CONFIRMED_FALSE = "false", _("Xác định sai sự thật")
    CONFIRMED_HOSTILE = "hostile", _("Xác định thù địch, độc hại")
    DISMISSED = "dismissed", _("Đã bỏ qua (có lý do)")
    RESPONSE_PLANNED = "planned", _("Đã có phương án xử lý")
    RESPONDED = "responded", _("Đã phản hồi, xử lý")
    RESOLVED = "resolved", _("Đã kết thúc")


class ResponseKind(models.TextChoices):
    CLARIFICATION = "clarification", _("Thông tin làm rõ")
    REFUTATION = "refutation", _("Bài phản bác")
    EXPLAINER = "explainer", _("Bài giải thích chính sách")
    PLATFORM_REPORT = "platform", _("Báo cáo nền tảng (gỡ bài)")
    AUTHORITY_REPORT = "authority", _("Báo cáo cơ quan chức năng")


class Narrative(models.Model):
    # The unit whose officers handle it: the unit of the source where it first appeared.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị xử lý")
    )
    title = models.CharField(_("tiêu đề"), max_length=500)
    # The title folded (`folded`): the search finds "cắt lương" typed "cat luong".
    search_text = models.TextField(blank=True, default="", db_default="", editable=False)
    status = models.CharField(
        _("tình trạng"),
        max_length=12,
        choices=NarrativeStatus.choices,
        default=NarrativeStatus.DETECTED,
        db_index=True,
    )
    # Figures over its items, refreshed by grouping.
    first_seen_at = models.DateTimeField(_("xuất hiện lần đầu"))
    last_seen_at = models.DateTimeField(_("xuất hiện gần nhất"))
    item_count = models.PositiveIntegerField(_("số tin"), default=0)
    source_count = models.PositiveIntegerField(_("số nguồn"), default=0)
    total_reach = models.PositiveBigIntegerField(_("tổng lượt tiếp cận"), default=0)
    risk = models.FloatField(_("mức rủi ro"), default=0.0, db_index=True)
    toxicity = models.CharField(_("độc hại"), max_length=10, choices=Toxicity.choices, blank=True)
    toxicity_score = models.FloatField(null=True, blank=True)
    stance = models.CharField(
        _("thái độ với Công đoàn"), max_length=10, choices=Stance.choices, blank=True
    )
    claim = models.ForeignKey(
        KnownClaim,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="narratives",
        verbose_name=_("thông tin sai sự thật đã biết"),
    )
    # Handling.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người phụ trách"),
    )
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    dismiss_reason = models.TextField(_("lý do bỏ qua"), blank=True)
    response_kind = models.CharField(
        _("hình thức xử lý"), max_length=14, choices=ResponseKind.choices, blank=True
    )
    product = models.ForeignKey(
        "content.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sản phẩm truyền thông phản hồi"),
    )
    detected_at = models.DateTimeField(_("thời điểm phát hiện"), default=timezone.now)
    # Set when it is responded to or dismissed with a reason: "handled" for the plan's 80 %.
    handled_at = models.DateTimeField(_("thời điểm xử lý"), null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Alerts: when the last went out and how big the story was then (a fast growth re-alerts).
    alerted_at = models.DateTimeField(null=True, blank=True)
    alerted_item_count = models.PositiveIntegerField(default=0)
    alerted_risk = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("luồng thông tin")
        verbose_name_plural = _("luồng thông tin")
        indexes = [models.Index(fields=["unit", "detected_at"], name="monitoring_narr_unit_det")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = folded(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class Item(models.Model):
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="items", verbose_name=_("nguồn")
    )
    external_id = models.CharField(_("mã tại nguồn"), max_length=255)
    # sha1 of the folded, normalised text: the same text under another id.
    content_hash = models.CharField(max_length=40, db_index=True)
    kind = models.CharField(
        _("loại"), max_length=10, choices=ItemKind.choices, default=ItemKind.POST
    )
    url = models.URLField(_("địa chỉ"), max_length=1000, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=500, blank=True)
    text = models.TextField(_("nội dung"))
    # The title and text folded (`item_search_text`), filled by ingestion: the items search.
    search_text = models.TextField(blank=True, default="", db_default="", editable=False)
    # Personal data: cleared after MONITORING_PERSONAL_DATA_DAYS (personal_data_cleared_at).
    author = models.CharField(_("người đăng"), max_length=255, blank=True)
    published_at = models.DateTimeField(_("thời điểm đăng"), null=True, blank=True)
    fetched_at = models.DateTimeField(_("thời điểm thu thập"), default=timezone.now, db_index=True)
    reach = models.PositiveBigIntegerField(_("lượt tiếp cận"), default=0)
    meta = models.JSONField(default=dict, blank=True)
    # Detection (empty until scored).
    scored_at = models.DateTimeField(null=True, blank=True)
    relevance = models.FloatField(_("mức liên quan"), null=True, blank=True)
    relevant = models.BooleanField(_("liên quan"), default=False, db_index=True)
    matched_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    toxicity = models.CharField(_("độc hại"), max_length=10, choices=Toxicity.choices, blank=True)
    toxicity_score = models.FloatField(null=True, blank=True)
    stance = models.CharField(
        _("thái độ với Công đoàn"), max_length=10, choices=Stance.choices, blank=True
    )
    stance_score = models.FloatField(null=True, blank=True)
    claim = models.ForeignKey(
        KnownClaim, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    claim_score = models.FloatField(null=True, blank=True)
    risk = models.FloatField(_("mức rủi ro"), default=0.0, db_index=True)
    # Re-read by the accurate mode (a candidate: relevant and risky).
    accurate_at = models.DateTimeField(null=True, blank=True)
    # Grouping: the MinHash signature (uint32 × 128 bytes) and the narrative it joined.
    signature = models.BinaryField(null=True, blank=True, editable=False)
    narrative = models.ForeignKey(
        Narrative, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    personal_data_cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tin thu thập")
        verbose_name_plural = _("tin thu thập")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="monitoring_item_source_external"
            )
        ]
        indexes = [
            models.Index(fields=["source", "content_hash"], name="monitoring_item_src_hash"),
            models.Index(fields=["narrative", "published_at"], name="monitoring_item_narr_pub"),
        ]

    def __str__(self) -> str:
        return self.title or self.text[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "text"} & set(update_fields):
            self.search_text = item_search_text(self.title, folded(self.text))
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class Snapshot(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(default=timezone.now)
    url = models.URLField(max_length=1000, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    # Sanitised with nh3: no script, no style, no event handler, no remote image.
    html = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("bản lưu")
        verbose_name_plural = _("bản lưu")

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class TipChannel(models.TextChoices):
    WEB = "web", _("Trang web")
    ZALO = "zalo", _("Zalo OA")


class Tip(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=6, choices=TipChannel.choices, default=TipChannel.WEB)
    zalo_user_id = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    screenshot = models.ImageField(
        _("ảnh chụp màn hình"), upload_to="monitoring/tips/%Y/%m/", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    item = models.OneToOneField(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="tip"
    )
    # Why the link was not fetched (a private address, a timeout…): the tip is kept all the same.
    # A msgid with its parameters, shown in the reader's language (`fetch_error_text`); a row
    # written before the parameters existed holds the message as it was.
    fetch_error = models.TextField(blank=True)
    fetch_error_params = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("tin báo")
        verbose_name_plural = _("tin báo")

    def __str__(self) -> str:
        return self.summary[:80]

    @property
    def summary(self) -> str:
        """What the tip says, for a list: its text, else its link, else that it is a
        screenshot (a tip sent with a screenshot alone)."""
        if self.text:
            return self.text
        if self.url:
            return self.url
        return gettext("(ảnh chụp màn hình)") if self.screenshot else "—"

    @property
    def fetch_error_text(self) -> str:
        """Why the link was not fetched, in the viewer's language (`error_message`)."""
        return error_message(self.fetch_error, self.fetch_error_params)


class EventKind(models.TextChoices):
    NOTE = "note", _("Ghi chú")
    STATUS = "status", _("Chuyển tình trạng")
    ASSIGN = "assign", _("Phân công")
    ALERT = "alert", _("Cảnh báo")
    EVIDENCE = "evidence", _("Lưu bằng chứng")


class NarrativeEvent(models.Model):
    narrative = models.ForeignKey(Narrative, on_delete=models.CASCADE, related_name="events")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, choices=NarrativeStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=NarrativeStatus.choices, blank=True)
    # What happened: typed by the officer (a note, a reason), or written by the code in the
    # language of the moment; then `message` holds it to be shown in the reader's language.
    text = models.TextField(blank=True)
    message = models.JSONField(default=dict, blank=True)  # `congdoan.monitoring.messages`
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.narrative_id}"

    @property
    def shown_text(self) -> str:
        """The event's text for the viewer: the code's message in their language (an older
        row, or a typed text: as it was written)."""
        return (render(self.message) if self.message else "") or self.text


class LshBucket(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["band", "key"], name="monitoring_lsh_band_key")]

    def __str__(self) -> str:
        return f"{self.band}:{self.key}"
