from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.orgs.rules import officer_required
from congdoan.outbox import selectors, services
from congdoan.outbox.rules import can_manage_outbox


@officer_required
def health(request: HttpRequest) -> HttpResponse:
    """Each channel's last success, last error and waiting messages; for administrators, the
    messages that need a person, with a retry button."""
    manage = can_manage_outbox(request.user)
    page = Paginator(selectors.messages_needing_attention(viewer=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "outbox/health.html",
        {
            "channels": selectors.channel_health(viewer=request.user),
            "manage": manage,
            "page": page,
        },
    )


@officer_required
@require_POST
def retry(request: HttpRequest, message_id: int) -> HttpResponse:
    if not can_manage_outbox(request.user):
        raise PermissionDenied
    message = selectors.message_for_retry(viewer=request.user, message_id=message_id)
    if message is None:
        raise Http404
    if services.message_retry(actor=request.user, message=message):
        messages.success(request, _("Đã đưa tin vào hàng chờ để gửi lại."))
    else:
        messages.info(request, _("Tin này không ở trạng thái gửi lại được."))
    return redirect("outbox:health")
