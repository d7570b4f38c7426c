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
