from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congdoan.core.phones import normalize_phone


class UserManager(BaseUserManager["User"]):
    def create_user(self, username: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(username=username, **extra)
        if user.email:
            user.email = self.normalize_email(user.email).lower()
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login: an officer, a member with an account, or a system administrator.

    People log in with their e-mail or phone number; `username` is the stable handle
    (the e-mail or phone used at creation) that Django needs.
    """

    username = models.CharField(_("tên đăng nhập"), max_length=150, unique=True)
    email = models.EmailField(_("e-mail"), blank=True, null=True, unique=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, null=True, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(_("vào trang quản trị"), default=False)
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    # The person's Zalo user id as the union's OA knows it (OA-scoped, opaque), linked by the
    # person (congdoan/accounts/zalo.py): personal data, shown to nobody but the admin.
    zalo_user_id = models.CharField(_("mã người dùng Zalo OA"), max_length=64, blank=True)
    zalo_linked_at = models.DateTimeField(_("kết nối Zalo lúc"), null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            # A Zalo account is linked to one platform account at most.
            models.UniqueConstraint(
                fields=["zalo_user_id"],
                condition=~models.Q(zalo_user_id=""),
                name="accounts_user_zalo_user_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.email:
            self.email = self.email.strip().lower()
        if self.phone:
            self.phone = normalize_phone(self.phone) or self.phone

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username


# What a token may do: "read" (every GET within the owner's scope), and writes per app,
# named by the API's path under /api/v1/ (congdoan/api/auth.py).
TOKEN_READ = "read"
TOKEN_WRITE_SCOPES = {
    "write:feedback": _("Ghi: ý kiến người lao động"),
    "write:units": _("Ghi: đơn vị và đoàn viên"),
    "write:documents": _("Ghi: tài liệu"),
}


class ApiToken(models.Model):
    """A bearer token for integrations; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    scopes = models.JSONField(_("quyền"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def scope_labels(self) -> list[str]:
        labels = [str(_("Đọc"))] if TOKEN_READ in self.scopes else []
        return labels + [str(TOKEN_WRITE_SCOPES[s]) for s in self.scopes if s in TOKEN_WRITE_SCOPES]


class ResetCode(models.Model):
    """A password-reset code sent by SMS to a member who logs in by phone; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reset_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã đặt lại mật khẩu")
        verbose_name_plural = _("mã đặt lại mật khẩu")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class ZaloLinkCode(models.Model):
    """A one-time code that links the person's Zalo account: they send "#lienket <code>" to
    the union's OA. One per user (a new one replaces it); only its keyed hash is kept; it is
    spent by the first right message (`used_at`, and the message's id, so that Zalo's
    redelivery of that message is not taken for a reuse)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="zalo_link_code")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_msg_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("mã kết nối Zalo")
        verbose_name_plural = _("mã kết nối Zalo")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
