"""Intake: a worker's concern as it arrives, from the web form, the API, Zalo, SMS, an
officer's record or a paper form, written first and triaged later.

`concern_submit` writes the concern and only then (on commit, or in the same transaction on
the database task backend) enqueues its triage: a concern is never lost because the
classifier or the worker is down. The checks on what was sent (`clean_text`, `clean_photo`,
the contact) answer in Vietnamese, field by field, for the form to show.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.audit.services import audit_record
from congdoan.core.images import ImageRefused, photo_policy
from congdoan.core.images import reencode as reencode_image
from congdoan.core.phones import normalize_phone
from congdoan.core.uploads import format_size
from congdoan.feedback.models import Channel, Concern, ConcernEvent, new_code
from congdoan.feedback.services import queue
from congdoan.feedback.services.history import signed_in
from congdoan.feedback.services.routing import route
from congdoan.feedback.services.throttling import THROTTLED_CHANNELS, ip_hash, throttle_submission
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer

log = logging.getLogger("congdoan.feedback")

# A repeat from the same sender on these channels within FEEDBACK_DUPLICATE_SECONDS is the
# same concern (see `same_submission`); officers' records and paper forms never are.
DEDUPLICATED_CHANNELS = (
    Channel.WEB.value,
    Channel.MEMBER.value,
    Channel.API.value,
    Channel.ZALO.value,
    Channel.SMS.value,
)


def clean_text(text: str) -> str:
    """The concern's text as stored, or a Vietnamese ValidationError."""
    value = (text or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not value:
        raise ValidationError({"text": _("Xin vui lòng viết nội dung ý kiến.")})
    limit = settings.FEEDBACK_TEXT_MAX_CHARS
    if len(value) > limit:
        raise ValidationError(
            {
                "text": _("Nội dung quá dài (%(n)s ký tự); xin viết ngắn gọn dưới %(limit)s ký tự.")
                % {
                    "n": f"{len(value):,}".replace(",", "."),
                    "limit": f"{limit:,}".replace(",", "."),
                }
            }
        )
    if not any(ch.isalnum() for ch in value):
        raise ValidationError(
            {"text": _("Nội dung cần có chữ để cán bộ công đoàn hiểu được ý kiến của bạn.")}
        )
    return value


def clean_photo(photo: UploadedFile | None) -> File | None:
    """A real image under the size limit, re-encoded by the one image policy (core.images).

    Steps: 1. refuse files over FEEDBACK_PHOTO_MAX_BYTES, reading no more than that;
    2. the header alone must say JPEG/PNG/WebP/GIF of at most IMAGE_MAX_PIXELS (a
    decompression bomb is refused before anything is decoded); 3. decoded, turned upright,
    shrunk to IMAGE_PHOTO_MAX_SIDE and written afresh without EXIF: a phone photo's EXIF
    holds GPS, device and sometimes the owner's name — it would identify an anonymous worker.
    """
    if photo is None:
        return None
    max_bytes = settings.FEEDBACK_PHOTO_MAX_BYTES
    too_large = ValidationError(
        {
            "photo": _("Ảnh quá lớn (hơn %(limit)s); xin gửi ảnh nhỏ hơn.")
            % {"limit": format_size(max_bytes)}
        }
    )
    if photo.size and photo.size > max_bytes:
        raise too_large
    photo.seek(0)
    data = photo.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    try:
        clean = reencode_image(data, name=photo.name or "anh", policy=photo_policy())
    except ImageRefused as exc:
        raise ValidationError({"photo": exc.message}) from exc
    return ContentFile(clean.data, name=f"anh{clean.suffix}")


def clean_contact(
    contact_name: str, contact_phone: str, contact_zalo_id: str
) -> tuple[str, str, str]:
    """(name, phone in E.164, Zalo id) as stored; a phone number that is not one is refused."""
    name = " ".join((contact_name or "").split())[:120]
    phone = ""
    if (contact_phone or "").strip():
        normalized = normalize_phone(contact_phone)
        if normalized is None:
            raise ValidationError(
                {"contact_phone": _("Số điện thoại không hợp lệ, ví dụ đúng: 0912 345 678.")}
            )
        phone = normalized
    zalo = (contact_zalo_id or "").strip()[:64]
    return name, phone, zalo


def same_submission(
    *,
    channel: str,
    unit: Unit | None,
    text: str,
    user: User | None,
    phone: str,
    zalo: str,
    same_as: str,
) -> Concern | None:
    """The same concern sent again by the same sender within FEEDBACK_DUPLICATE_SECONDS — a
    double tap on "Gửi", a phone resending over a weak connection, a client's retry: the
    stored concern, so the worker gets the same tracking code and the inbox no copy.

    The same words from another sender are another worker's concern: they are kept and join
    the first one's group at triage (clustering). The sender is the logged-in person, else the
    Zalo id or phone number, else — an anonymous browser — the tracking code its session was
    given last (`same_as`). Never the address alone: workers behind one factory Wi-Fi share
    it. Officers' records and paper forms are never merged: two workers may say the same
    thing on the hotline.
    """
    seconds = settings.FEEDBACK_DUPLICATE_SECONDS
    if seconds <= 0 or channel not in DEDUPLICATED_CHANNELS:
        return None
    if user is not None:
        sender = Q(submitted_by=user)
    elif zalo:
        sender = Q(contact_zalo_id=zalo)
    elif phone:
        sender = Q(contact_phone=phone)
    elif same_as:
        sender = Q(code=same_as)
    else:
        return None
    since = timezone.now() - timedelta(seconds=seconds)
    return (
        Concern.objects.filter(sender, channel=channel, unit=unit, text=text, created_at__gte=since)
        .order_by("-created_at", "-pk")
        .first()
    )


class _QueueBroken(Exception):
    """The task could not be written in the intake's transaction (rolled back, retried without it)."""


def concern_submit(
    *,
    text: str,
    unit: Unit | None,
    channel: str,
    is_anonymous: bool = True,
    contact_name: str = "",
    contact_phone: str = "",
    contact_zalo_id: str = "",
    external_id: str = "",
    photo: UploadedFile | None = None,
    wants_upper_level: bool = False,
    actor: Viewer = None,
    ip: str | None = None,
    same_as: str = "",
) -> Concern:
    """Write a concern as it arrived and enqueue its triage.

    `actor`: whoever sends it (a member signed in, an officer recording it, or nobody);
    `same_as`: the tracking code this browser was given last (the web form keeps it in the
    session), so that a double tap returns that concern instead of a copy.

    Steps: 1. a repeat of (channel, external_id) returns the stored concern (webhooks
    retry), and so does the same text from the same sender within a few seconds
    (`same_submission`); 2. validate text, contact and photo (Vietnamese errors); 3. throttle
    web/API posts per address; 4. in ONE transaction: insert the concern, its "submit" event
    and (database task backend) the triage task — a race on the same external id, or a code
    that is taken, rolls that transaction back and returns the winner or tries a new code;
    5. other task backends: enqueue triage on commit.

    The transaction is opened here around the writes only (not as a decorator around the
    whole function) so that the usual intake costs one BEGIN … COMMIT and no savepoint;
    inside a caller's transaction (the paper-form import) it is a savepoint, as before.
    """
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Kênh tiếp nhận không hợp lệ.")})
    external_id = (external_id or "").strip()[:128]
    if external_id:
        existing = Concern.objects.filter(channel=channel, external_id=external_id).first()
        if existing is not None:
            return existing
    value = clean_text(text)
    if ip and channel in THROTTLED_CHANNELS:
        throttle_submission(ip)  # before decoding any photo: a flood costs as little as possible
    name, phone, zalo = clean_contact(contact_name, contact_phone, contact_zalo_id)
    user = signed_in(actor)
    repeat = same_submission(
        channel=channel, unit=unit, text=value, user=user, phone=phone, zalo=zalo, same_as=same_as
    )
    if repeat is not None:
        return repeat
    clean_image = clean_photo(photo)
    concern = Concern(
        unit=unit,
        channel=channel,
        text=value,
        is_anonymous=bool(is_anonymous),
        contact_name=name,
        contact_phone=phone,
        contact_zalo_id=zalo,
        external_id=external_id,
        wants_upper_level=bool(wants_upper_level),
        submitted_by=user,
        ip_hash=ip_hash(ip) if ip else "",
    )
    # Routed already at intake, so that an untriaged concern is in the right inbox at once.
    concern.assigned_unit, concern.hidden_from_unit = route(concern)
    if clean_image is not None:
        concern.photo = clean_image
    enqueue_inside = queue.in_same_database("triage_concern")
    for attempt in range(6):
        try:
            with transaction.atomic():
                concern.save()
                # The history names the officer who recorded it, never a member who wrote it
                # themselves: officers read the history, and the sender may have asked to stay
                # anonymous.
                ConcernEvent.objects.create(
                    concern=concern,
                    kind="submit",
                    to_status=concern.status,
                    actor=user if channel == Channel.OFFICER else None,
                )
                if user is not None and channel == Channel.OFFICER:
                    audit_record(
                        actor=user,
                        action="feedback.record",
                        target=concern,
                        unit=unit,
                        changes={"channel": channel, "anonymous": concern.is_anonymous},
                    )
                if enqueue_inside:
                    try:
                        queue.task_named("triage_concern").enqueue(concern.pk)
                    except Exception as exc:
                        raise _QueueBroken from exc
            break
        except _QueueBroken:
            # A broken queue never loses the concern: write it again without the task (the
            # on-commit enqueue below logs a second failure; the periodic sweep triages it).
            log.exception("feedback: could not enqueue the triage of a new concern")
            enqueue_inside = False
            concern.pk = None
            continue
        except IntegrityError:
            if external_id:
                winner = Concern.objects.filter(channel=channel, external_id=external_id).first()
                if winner is not None:
                    return winner
            if attempt >= 4:
                raise
            concern.pk = None
            concern.code = new_code()
    if not enqueue_inside:
        queue.enqueue_on_commit("triage_concern", concern.pk)
    return concern
