from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.outbox.models import DeliveryAttempt, OutboundMessage
from congdoan.outbox.services import message_retry


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("started_at", "duration_ms", "ok", "error", "provider_id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "purpose",
        "status",
        "attempts",
        "next_attempt_at",
    )
    list_filter = ("status", "channel", "purpose")
    search_fields = ("recipient", "ref", "idempotency_key")
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]
    inlines = [DeliveryAttemptInline]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Gửi lại các tin không gửi được"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        done = sum(message_retry(actor=request.user, message=m) for m in queryset)
        self.message_user(
            request, _("Đã đưa %(n)d tin vào hàng chờ.") % {"n": done}, messages.SUCCESS
        )
