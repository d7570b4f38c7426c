"""Laws as they are structured, in their versions, and the union's curated answers.

- `Law`: a normative document by its number and symbol as issued ("45/2019/QH14",
  "145/2020/NĐ-CP"); a decree keeps its own number, never folded into the code it details.
- `Article` (Điều) of a law, with its chapter and section; its text lives in `ArticleVersion`s,
  each with the dates it is in force. An amendment adds a version and closes the one before, so
  a question is answered from the version in force on a date, and a citation made against an
  older text is found and flagged (`AnswerCitation.version`).
- `CuratedAnswer`: a question answered plainly by a unit's officers, citing articles
  (`AnswerCitation`); published ones are shown to every worker whose question they fit.
- `Citation`: an article cited by another app's row (a concern's answer, a content product),
  named by "app.model" and id, so legal is cited everywhere without other apps' tables
  pointing here.
- `AskedQuestion`: what workers asked (no account, no address: the text only, masked), so the
  most-asked questions without a good answer are listed for officers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.orgs.models import Unit


class LawKind(models.TextChoices):
    CODE = "bo_luat", _("Bộ luật")
    LAW = "luat", _("Luật")
    DECREE = "nghi_dinh", _("Nghị định")
    CIRCULAR = "thong_tu", _("Thông tư")
    RESOLUTION = "nghi_quyet", _("Nghị quyết")
    DECISION = "quyet_dinh", _("Quyết định")
    OTHER = "khac", _("Văn bản khác")


class Law(models.Model):
    law_id = models.CharField(_("số, ký hiệu"), max_length=64, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("loại văn bản"), max_length=16, choices=LawKind.choices)
    title = models.CharField(_("tên văn bản"), max_length=500)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    effective_to = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-issued_on", "law_id"]
        verbose_name = _("văn bản pháp luật")
        verbose_name_plural = _("văn bản pháp luật")

    def __str__(self) -> str:
        return f"{self.title} ({self.law_id})"

    def get_absolute_url(self) -> str:
        return reverse("legal:law", args=[self.slug])

    @property
    def short_name(self) -> str:
        """How a citation names it: "Bộ luật Lao động 2019", "Nghị định 145/2020/NĐ-CP"."""
        if self.kind in (LawKind.CODE, LawKind.LAW) and self.issued_on:
            head = self.title.split(" số ")[0]
            return f"{head} {self.issued_on.year}"
        label = LawKind(self.kind).label if self.kind in LawKind.values else ""
        return f"{label} {self.law_id}".strip()

    def in_force_on(self, day: dt.date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day >= self.effective_to)


class Article(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles")
    number = models.CharField(_("số điều"), max_length=16)
    sort_key = models.PositiveIntegerField(default=0)
    title = models.CharField(_("tên điều"), max_length=500)
    chapter = models.CharField(_("chương"), max_length=300, blank=True)
    section = models.CharField(_("mục"), max_length=300, blank=True)

    class Meta:
        ordering = ["law", "sort_key"]
        verbose_name = _("điều luật")
        verbose_name_plural = _("điều luật")
        constraints = [
            models.UniqueConstraint(fields=["law", "number"], name="legal_article_number_unique")
        ]

    def __str__(self) -> str:
        return f"Điều {self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("legal:article", args=[self.law.slug, self.number])

    def clause_url(self, clause: str = "") -> str:
        """The article's page, at the clause when one is named ("…/dieu-113/#khoan-1")."""
        url = self.get_absolute_url()
        return f"{url}#khoan-{clause}" if clause else url

    def versions_in_order(self) -> list[ArticleVersion]:
        """Oldest text first (the versions are prefetched by selectors)."""
        return sorted(self.versions.all(), key=version_order)

    def latest_version(self) -> ArticleVersion | None:
        """The newest text known, in force or to come."""
        return max(self.versions.all(), key=version_order, default=None)

    def version_on(self, day: dt.date | None = None) -> ArticleVersion | None:
        """The text in force on `day` (today by default); the latest one when none is."""
        day = day or timezone.localdate()
        versions = list(self.versions.all())
        live = [v for v in versions if v.in_force_on(day)]
        return max(live or versions, key=version_order, default=None)


class ArticleVersion(models.Model):
    """One text of an article and the dates it is in force. `clauses` holds its structure:
    [{"number": "1", "text": "…", "points": [{"letter": "a", "text": "…"}]}]. `digest` tells a
    changed text from a re-import of the same one. `vectors` holds the embeddings of its
    passages (the article, then each clause; float16, 384 wide) when the model is installed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    text = models.TextField(_("nội dung"), blank=True)
    clauses = models.JSONField(default=list, blank=True)
    effective_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    source_note = models.CharField(_("ghi chú nguồn"), max_length=1000, blank=True)
    digest = models.CharField(max_length=64)
    vectors = models.BinaryField(null=True, blank=True, editable=False)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article", "effective_from", "pk"]
        verbose_name = _("phiên bản điều luật")
        verbose_name_plural = _("phiên bản điều luật")
        indexes = [models.Index(fields=["effective_to"], name="legal_version_to_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.effective_from}"

    def in_force_on(self, day: dt.date) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_to and day >= self.effective_to)


def version_order(version: ArticleVersion) -> tuple[dt.date, int]:
    """Versions by the day they took effect (undated first), then as imported."""
    return (version.effective_from or dt.date.min, version.pk or 0)


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã đăng")


class CuratedAnswer(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="legal_answers", verbose_name=_("đơn vị")
    )
    question = models.CharField(_("câu hỏi"), max_length=500)
    variants = models.TextField(
        _("cách hỏi khác"),
        blank=True,
        help_text=_("Mỗi dòng một cách người lao động hay hỏi, có dấu hoặc không dấu."),
    )
    answer = models.TextField(_("trả lời"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT
    )
    needs_review = models.BooleanField(_("cần rà soát"), default=False)
    review_reason = models.CharField(_("lý do rà soát"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("câu trả lời pháp luật")
        verbose_name_plural = _("câu trả lời pháp luật")
        indexes = [models.Index(fields=["status", "needs_review"], name="legal_answer_status_idx")]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("legal:answer", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == AnswerStatus.PUBLISHED

    def variant_list(self) -> list[str]:
        return [line.strip() for line in self.variants.splitlines() if line.strip()]


class AnswerCitation(models.Model):
    """An article a curated answer cites, and the text it was written against: when the
    article gets a newer version, the answer is flagged for review."""

    answer = models.ForeignKey(CuratedAnswer, on_delete=models.CASCADE, related_name="citations")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="answer_citations")
    version = models.ForeignKey(ArticleVersion, on_delete=models.PROTECT, related_name="+")
    clause = models.CharField(_("khoản"), max_length=8, blank=True)

    class Meta:
        ordering = ["answer", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "article", "clause"], name="legal_answer_citation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} → {self.article_id}"


class Citation(models.Model):
    """An article cited by a row of another app ("feedback.concernanswer", "content.product")."""

    target = models.CharField(max_length=64)
    target_id = models.BigIntegerField()
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="citations")
    version = models.ForeignKey(ArticleVersion, on_delete=models.PROTECT, related_name="+")
    clause = models.CharField(_("khoản"), max_length=8, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target", "target_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "target_id", "article", "clause"],
                name="legal_citation_unique",
            )
        ]
        indexes = [models.Index(fields=["target", "target_id"], name="legal_citation_target_idx")]

    def __str__(self) -> str:
        return f"{self.target}:{self.target_id} → {self.article_id}"


class AskedQuestion(models.Model):
    """A question as a worker asked it (masked: no phone numbers or e-mail addresses), what it
    was given, and whether the worker said it helped. `key` groups the same question asked in
    other words (folded, common words dropped, sorted)."""

    text = models.CharField(max_length=500)
    key = models.CharField(max_length=200, db_index=True)
    asked_at = models.DateTimeField(default=timezone.now, db_index=True)
    top_article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    top_score = models.FloatField(default=0.0)
    answer = models.ForeignKey(
        CuratedAnswer, on_delete=models.SET_NULL, null=True, blank=True, related_name="asked"
    )
    confident = models.BooleanField(default=False)
    helpful = models.BooleanField(null=True, blank=True)
    turned_into_concern = models.BooleanField(default=False)

    class Meta:
        ordering = ["-asked_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(key=""), name="legal_asked_key_not_empty")
        ]

    def __str__(self) -> str:
        return self.text[:60]
