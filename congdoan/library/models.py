"""Documents of the library: the stored file, its pages, its metadata, its links.

- `Blob` is one stored file, named by the SHA-256 of its bytes: the same file uploaded
  twice (by anyone, into any unit) is stored once;
- `Document` is one document of one unit: what a clerk would write on its index card
  (issuer, number, type, date, title, recipients, signer), with a confidence per field
  and the officers' corrections, its text (and the text before diacritics restoration),
  the folded copy that search indexes, and who may see it (`visibility`);
- `Page` is one page to OCR, so that work and failures are per page;
- `DocumentLink` is one reference found in the text ("Kế hoạch số 45/KH-LĐLĐ ngày
  12/3/2025"), pointing to the cited document when the library has it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from congdoan.library.storage import get_library_storage
from congdoan.orgs.models import Unit


class Visibility(models.TextChoices):
    UNIT = "unit", _("Trong đơn vị")
    SUBTREE = "subtree", _("Đơn vị và các đơn vị trực thuộc")
    UNION = "union", _("Toàn hệ thống công đoàn")
    PUBLIC = "public", _("Công khai")


class SourceKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    IMAGE = "image", _("Ảnh chụp/quét")
    DOCX = "docx", _("Word (DOCX)")
    TEXT = "text", _("Văn bản thuần (TXT/Markdown)")


class Status(models.TextChoices):
    PENDING = "pending", _("Chờ xử lý")
    OCR = "ocr", _("Đang nhận dạng chữ")
    READY = "ready", _("Đã số hóa")
    FAILED = "failed", _("Lỗi")


class DocType(models.TextChoices):
    """The kinds of administrative document (Decree 30/2020/NĐ-CP): English names, the stored
    values and the labels in Vietnamese, as the papers write them."""

    PLAN = "ke_hoach", _("Kế hoạch")
    PROGRAMME = "chuong_trinh", _("Chương trình")
    RESOLUTION = "nghi_quyet", _("Nghị quyết")
    REPORT = "bao_cao", _("Báo cáo")
    OFFICIAL_LETTER = "cong_van", _("Công văn")
    NOTICE = "thong_bao", _("Thông báo")
    DECISION = "quyet_dinh", _("Quyết định")
    GUIDANCE = "huong_dan", _("Hướng dẫn")
    SUBMISSION = "to_trinh", _("Tờ trình")
    MINUTES = "bien_ban", _("Biên bản")
    DIRECTIVE = "chi_thi", _("Chỉ thị")
    CONCLUSION = "ket_luan", _("Kết luận")
    INVITATION = "giay_moi", _("Giấy mời")
    REGULATION = "quy_che", _("Quy chế")
    OTHER = "other", _("Khác")


# The metadata an officer can correct, in the order a clerk reads them.
METADATA_FIELDS = (
    "issuer_parent",
    "issuer",
    "number",
    "doc_type",
    "place",
    "issued_on",
    "title",
    "recipients",
    "signer_capacity",
    "signer",
)


class Blob(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(max_length=255, storage=get_library_storage)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return self.sha256[:12]


def _doc_type_label(value: str) -> str:
    """The type as the document's own title writes it: in Vietnamese whatever the reader's
    language ("Thông báo về việc…", never "Notice về việc…")."""
    if not _DOC_TYPE_WORDS:  # filled on first use: translations are not ready at import
        _DOC_TYPE_WORDS.update(_vietnamese_doc_types())
    return _DOC_TYPE_WORDS.get(value, value)


def _vietnamese_doc_types() -> dict[str, str]:
    with translation.override("vi"):
        return {value: str(label) for value, label in DocType.choices}


_DOC_TYPE_WORDS: dict[str, str] = {}


class LayerChoice(models.TextChoices):
    """What to do with a text layer that reads as garbled (OCR'd by an engine without
    Vietnamese): decide by the language model, or the officer's forced choice."""

    AUTO = "auto", _("Tự chọn theo mô hình ngôn ngữ")
    REPAIR = "repair", _("Sửa lớp chữ có sẵn")
    OCR = "ocr", _("Nhận dạng chữ lại từ ảnh trang")


class Document(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="documents", verbose_name=_("đơn vị")
    )
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="documents")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    error = models.TextField(_("lỗi"), blank=True)
    visibility = models.CharField(
        _("chia sẻ"), max_length=10, choices=Visibility.choices, default=Visibility.UNIT
    )
    tags = models.CharField(
        _("nhãn"), max_length=255, blank=True, help_text=_("Cách nhau bằng dấu phẩy.")
    )

    page_count = models.PositiveIntegerField(default=0)
    text = models.TextField(_("nội dung"), blank=True)
    text_before_restore = models.TextField(_("nội dung gốc trước khi phục hồi dấu"), blank=True)
    folded = models.TextField(
        blank=True,
        editable=False,
        help_text="title + text, folded and tokenised: what search indexes",
    )
    head_folded = models.TextField(
        blank=True,
        default="",
        editable=False,
        help_text="title as shown (type + trích yếu) and number, folded and tokenised: a match here ranks first",
    )
    searchable_pdf = models.FileField(max_length=255, blank=True, storage=get_library_storage)
    layer_choice = models.CharField(
        _("cách đọc lớp chữ lỗi"),
        max_length=10,
        choices=LayerChoice.choices,
        default=LayerChoice.AUTO,
        help_text="garbled text layers: auto (language model), or an officer's forced choice",
    )

    # Metadata, as read from the header and the signature block.
    issuer_parent = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issuer_key = models.CharField(
        max_length=255,
        blank=True,
        db_index=True,
        editable=False,
        help_text="issuer, folded: for the filter",
    )
    number = models.CharField(_("số, ký hiệu"), max_length=80, blank=True)
    number_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    doc_type = models.CharField(
        _("loại văn bản"), max_length=20, choices=DocType.choices, blank=True
    )
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    signer_capacity = models.CharField(_("thẩm quyền ký"), max_length=255, blank=True)
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    confidence = models.JSONField(default=dict, blank=True)
    corrected = models.JSONField(
        default=dict, blank=True, help_text="field → value an officer set; re-extraction keeps it"
    )

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["visibility", "status"]),
            models.Index(fields=["doc_type", "issued_on"]),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        # A plain lookup: get_doc_type_display() rebuilds a dict of the lazy choices on every call,
        # which cost ~0.4 ms a title on a results page.
        kind = (
            _doc_type_label(self.doc_type)
            if self.doc_type and self.doc_type != DocType.OTHER
            else ""
        )
        title = self.title or self.original_name
        return (
            f"{kind} {title}".strip()
            if kind and not title.lower().startswith(str(kind).lower())
            else title
        )

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def is_restored(self) -> bool:
        return bool(self.text_before_restore)


class PageStatus(models.TextChoices):
    PENDING = "pending", _("Chờ")
    PROCESSING = "processing", _("Đang xử lý")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Lỗi")


class Reading(models.TextChoices):
    """Where a page's text came from."""

    OCR = "", _("Nhận dạng chữ từ ảnh")  # a page without a text layer of its own
    LAYER = "layer", _("Lớp chữ có sẵn")
    REPAIRED = "repaired", _("Lớp chữ có sẵn, đã sửa")
    REOCR = "reocr", _("Nhận dạng chữ lại (lớp chữ có sẵn bị lỗi)")


class Page(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    needs_ocr = models.BooleanField(default=True)
    status = models.CharField(
        max_length=12, choices=PageStatus.choices, default=PageStatus.PENDING, db_index=True
    )
    text = models.TextField(blank=True)
    pdf = models.FileField(
        max_length=255,
        blank=True,
        storage=get_library_storage,
        help_text="this page's OCR text layer (PDF)",
    )
    ocr_confidence = models.FloatField(null=True, blank=True)
    reading = models.CharField(max_length=10, choices=Reading.choices, default="", blank=True)
    layer_garbled = models.BooleanField(
        default=False, help_text="the page's own text layer read as garbled (congdoan.text.garbled)"
    )
    original_text = models.TextField(
        blank=True,
        help_text="the page's own text layer as found, kept when it was repaired or replaced",
    )
    changes = models.JSONField(
        default=list,
        blank=True,
        help_text="[start, end, original, replacement] on original_text: the repair's changes",
    )
    layer_scores = models.JSONField(
        default=dict,
        blank=True,
        help_text="the garble measures and the language model's scores (repaired, ocr)",
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="machine|pid namespace|pid of the process reading it (library/resume.py)",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="library_page_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} p{self.number}"


class DocumentLink(models.Model):
    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="cites")
    target = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="cited_by"
    )
    raw = models.CharField(max_length=400)
    cited_type = models.CharField(max_length=20, choices=DocType.choices, blank=True)
    cited_number = models.CharField(max_length=80)
    number_key = models.CharField(max_length=80, db_index=True)
    cited_date = models.DateField(null=True, blank=True)
    cited_issuer = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["source", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "number_key", "cited_date"], name="library_link_unique"
            )
        ]

    def __str__(self) -> str:
        return self.raw
