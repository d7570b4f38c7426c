"""Where a unit publishes (its channel accounts) and what was published there (publications).

A `ChannelAccount` is one unit's page, channel or official account on a platform, with its
credentials encrypted at rest (`congdoan.publishing.crypto`) and the dates its tokens expire;
the refresh job (`refresh.py`) keeps them fresh and tells the officers when they must
reconnect.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    FACEBOOK_PAGE = "facebook_page", _("Trang Facebook")
    YOUTUBE = "youtube", _("Kênh YouTube")
    ZALO_OA = "zalo_oa", _("Zalo OA")
    SMS_GATEWAY = "sms_gateway", _("Cổng SMS")
    EMAIL = "email", _("Thư điện tử")


class AccountStatus(models.TextChoices):
    CONNECTED = "connected", _("Đã kết nối")
    EXPIRING = "expiring", _("Sắp hết hạn, cần kết nối lại")
    EXPIRED = "expired", _("Đã hết hạn, cần kết nối lại")
    ERROR = "error", _("Lỗi")


# An account in these states can take a post (and its tokens are kept fresh).
USABLE_STATUSES = (AccountStatus.CONNECTED, AccountStatus.EXPIRING)
# An account in these states sends nothing and is not refreshed until it is connected again.
UNUSABLE_STATUSES = (AccountStatus.EXPIRED, AccountStatus.ERROR)


class ChannelAccount(models.Model):
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.CASCADE,
        related_name="channel_accounts",
        verbose_name=_("đơn vị"),
    )
    kind = models.CharField(_("loại kênh"), max_length=20, choices=ChannelKind.choices)
    display_name = models.CharField(_("tên hiển thị"), max_length=255)
    # The platform's id: a Facebook page id, a YouTube channel id, a Zalo OA id…
    external_id = models.CharField(_("mã trên nền tảng"), max_length=120, blank=True)
    # JSON of tokens and secrets, Fernet-encrypted (read through services.credentials_get).
    credentials_encrypted = models.TextField(blank=True, editable=False)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    refresh_token_expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=AccountStatus.choices,
        default=AccountStatus.CONNECTED,
    )
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    # When the officers were last told to reconnect (one e-mail per account and status).
    warned_at = models.DateTimeField(null=True, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit_id", "kind", "display_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "external_id"], name="publishing_account_unique"
            )
        ]
        verbose_name = _("tài khoản kênh")
        verbose_name_plural = _("tài khoản kênh")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_name}"

    @property
    def needs_reconnect(self) -> bool:
        return self.status in (AccountStatus.EXPIRING, AccountStatus.EXPIRED, AccountStatus.ERROR)


class PublicationStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ đăng")
    PUBLISHED = "published", _("Đã đăng")
    FAILED = "failed", _("Đăng không được")


class ChannelChoice(models.Model):
    """An officer ticked this account for this product: it is posted there when published."""

    product = models.ForeignKey(
        "content.Product", on_delete=models.CASCADE, related_name="channel_choices"
    )
    account = models.ForeignKey(ChannelAccount, on_delete=models.CASCADE, related_name="choices")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "account"], name="publishing_choice_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} → {self.account_id}"


class Publication(models.Model):
    """One version of one product posted to one channel account, through one outbox message.

    `idempotency_key` ("publishing:{product}:v{version}:{account}") is unique, and the outbox
    message carries the same key: a retry, a second click or two officers publishing at once
    give this one row and one post.
    """

    product = models.ForeignKey(
        "content.Product", on_delete=models.CASCADE, related_name="publications"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    # The account may be disconnected later: the log keeps its kind and name.
    account = models.ForeignKey(
        ChannelAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
    )
    kind = models.CharField(max_length=20, choices=ChannelKind.choices)
    account_name = models.CharField(max_length=255)
    version = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        max_length=12, choices=PublicationStatus.choices, default=PublicationStatus.QUEUED
    )
    message = models.ForeignKey(
        "outbox.OutboundMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    remote_id = models.CharField(max_length=200, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    # The channel's last answer in words (an error, a refusal), shown to the officers.
    last_answer = models.TextField(blank=True)
    # What a long send has done so far (a resumable upload's session URL).
    progress = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="publishing_pub_unit_idx")]
        verbose_name = _("lượt xuất bản")
        verbose_name_plural = _("lượt xuất bản")

    def __str__(self) -> str:
        return f"{self.product_id} → {self.account_name} ({self.status})"


# The reach figures of each publication, registered with this app (models_metrics.py).
from congdoan.publishing import models_metrics  # noqa: E402, F401
