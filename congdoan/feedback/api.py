"""The feedback API: a public intake and tracking pair, and the officers' inbox.

- `POST /api/v1/feedback` (public, rate limited per address): text, unit code or QR token,
  anonymity, contact → tracking code;
- `GET /api/v1/feedback/{code}` (public, the code is the key): status and answer only;
- `GET /api/v1/feedback/inbox` (officers): the scoped, contact-masked inbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from congdoan.core.request_context import client_ip
from congdoan.feedback import rules, selectors, services
from congdoan.feedback.models import Channel

router = Router(tags=["Workers' concerns"])


class SubmitIn(Schema):
    text: str
    unit: str = ""
    qr: str = ""
    anonymous: bool = True
    contact_name: str = ""
    contact_phone: str = ""
    contact_zalo_id: str = ""
    wants_upper_level: bool = False


class SubmitOut(Schema):
    code: str
    status: str
    tracking_url: str


class TrackOut(Schema):
    code: str
    status: str
    status_label: str
    created_at: datetime
    unit: str
    topic: str
    answer: str
    answer_citation: str
    answer_url: str
    answered_at: datetime | None
    answer_corrected_at: datetime | None = None
    rating: int | None


class InboxOut(Schema):
    code: str
    created_at: datetime
    unit: str | None
    assigned_unit: str | None
    channel: str
    text: str
    restored_text: str
    topic: str
    urgency: str
    sentiment: str
    status: str
    is_anonymous: bool
    contact_name: str
    contact_phone: str
    contact_zalo_id: str
    due_at: datetime | None
    cluster_id: int | None


class ErrorOut(Schema):
    detail: Any


@router.post(
    "",
    auth=None,
    response={201: SubmitOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Send a concern (no login needed)",
    description="A worker's concern for a grassroots union (`unit` code or workplace `qr` token); answers the tracking code. Rate-limited per address.",
)
def submit(request: HttpRequest, payload: SubmitIn) -> Status:
    unit = None
    if payload.qr:
        unit = rules.intake_unit(token=payload.qr)
        if unit is None:
            return Status(404, {"detail": _("Mã QR không đúng hoặc đơn vị không còn hoạt động.")})
    elif payload.unit:
        # Grassroots unions and this deployment's home unit only (rules.intake_union).
        unit = rules.intake_unit(code=payload.unit)
        if unit is None:
            return Status(404, {"detail": _("Không tìm thấy công đoàn cơ sở với mã này.")})
    try:
        concern = services.concern_submit(
            text=payload.text,
            unit=unit,
            channel=Channel.API,
            is_anonymous=payload.anonymous,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            contact_zalo_id=payload.contact_zalo_id,
            wants_upper_level=payload.wants_upper_level,
            actor=request.user if getattr(request.user, "is_authenticated", False) else None,
            ip=client_ip(request),
        )
    except services.Throttled as exc:
        return Status(429, {"detail": str(exc)})
    except ValidationError as exc:
        return Status(
            422, {"detail": exc.message_dict if hasattr(exc, "error_dict") else exc.messages}
        )
    return Status(
        201,
        {
            "code": concern.code,
            "status": concern.status,
            "tracking_url": request.build_absolute_uri(
                reverse("feedback:track", args=[concern.code])
            ),
        },
    )


@router.get(
    "/inbox",
    response=list[InboxOut],
    summary="The concerns you handle (officers)",
    description="Concerns in the caller's scope, filtered by status, topic, urgency, unit, channel or duplicate group; 50 a page.",
)
@paginate(PageNumberPagination, page_size=50)
def inbox(
    request: HttpRequest,
    status: str = "",
    topic: str = "",
    urgency: str = "",
    unit: str = "",
    channel: str = "",
    cluster: str = "",
) -> list[dict[str, Any]]:
    if not rules.is_officer(request.user):
        raise Http404
    filters = selectors.InboxFilters.from_query(
        {
            "status": status,
            "topic": topic,
            "urgency": urgency,
            "unit": unit,
            "channel": channel,
            "cluster": cluster,
        }
    )
    rows = selectors.concern_list(viewer=request.user, filters=filters, limit=5000)
    return [
        {
            "code": c.code,
            "created_at": c.created_at,
            "unit": c.unit.code if c.unit else None,
            "assigned_unit": c.assigned_unit.code if c.assigned_unit else None,
            "channel": c.channel,
            "text": c.text,
            "restored_text": c.restored_text,
            "topic": c.topic,
            "urgency": c.urgency,
            "sentiment": c.sentiment,
            "status": c.status,
            "is_anonymous": c.is_anonymous,
            "contact_name": c.contact_name,
            "contact_phone": c.contact_phone,
            "contact_zalo_id": c.contact_zalo_id,
            "due_at": c.due_at,
            "cluster_id": c.cluster_id,
        }
        for c in rows
    ]


@router.get(
    "/{code}",
    auth=None,
    response={200: TrackOut, 404: ErrorOut, 429: ErrorOut},
    summary="Follow a concern by its tracking code",
    description="Status and answer of one concern; whoever holds the tracking code may read it. Rate-limited per address.",
)
def track(request: HttpRequest, code: str) -> Status:
    try:
        services.throttle_lookup(client_ip(request))
    except services.Throttled as exc:
        return Status(429, {"detail": str(exc)})
    concern = selectors.concern_for_worker(code=code)
    if concern is None:
        return Status(404, {"detail": _("Không tìm thấy ý kiến với mã này.")})
    return Status(200, selectors.public_view(concern))
