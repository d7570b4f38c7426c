"""Writes to workers' concerns. Each function is atomic; officers' writes are audited.

Intake (`concern_submit`) writes the concern first and only then, on commit, enqueues the
triage task: a concern is never lost because the classifier or the worker is down.
"""

from __future__ import annotations

import hashlib
import io
import logging
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.audit.services import audit_record
from congdoan.core.phones import normalize_phone
from congdoan.feedback.models import (
    OPEN_STATUSES,
    Channel,
    Cluster,
    Concern,
    ConcernEvent,
    Status,
    Topic,
    Urgency,
)
from congdoan.orgs.models import Unit

log = logging.getLogger("congdoan.feedback")

CLUSTER_THRESHOLD = 0.6
CLUSTER_WINDOW_DAYS = 30
CLUSTER_CANDIDATES = 3000
THROTTLED_CHANNELS = (Channel.WEB.value, Channel.API.value, Channel.MEMBER.value)


class Throttled(Exception):
    """Too many concerns from one address in a minute (the caller answers 429)."""


THROTTLE_MESSAGES = {
    "rate": gettext_lazy(
        "Bạn đã gửi quá nhiều ý kiến trong một phút. Xin vui lòng đợi một lát rồi gửi lại."
    ),
    "lookup": gettext_lazy(
        "Bạn đã tra cứu quá nhiều lần trong một phút. Xin đợi một lát rồi thử lại."
    ),
}


# -- intake ------------------------------------------------------------------------------------


def _ip_hash(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


LOOKUPS_PER_MINUTE = 30


def throttle_lookup(ip: str) -> None:
    """Tracking-code lookups per address: enough for a person, too few to enumerate codes."""
    _throttle(ip, limit=LOOKUPS_PER_MINUTE, kind="lookup")


def _throttle(ip: str, limit: int | None = None, kind: str = "rate") -> None:
    """Fixed one-minute window per address in the shared cache (Redis in production)."""
    limit = settings.FEEDBACK_RATE_LIMIT_PER_MINUTE if limit is None else limit
    if limit <= 0 or not ip:
        return
    key = f"feedback:{kind}:{_ip_hash(ip)}:{int(timezone.now().timestamp() // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    if count > limit:
        raise Throttled(str(THROTTLE_MESSAGES.get(kind, THROTTLE_MESSAGES["rate"])))


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
    """A real image under the size limit, re-encoded without its metadata.

    Steps: 1. refuse files over FEEDBACK_PHOTO_MAX_BYTES; 2. Pillow must open and decode it
    as JPEG/PNG/WebP/GIF (not the name or the browser's type; decompression bombs refused);
    3. save a fresh copy without EXIF: a phone photo's EXIF holds GPS, device and sometimes
    the owner's name — it would identify an anonymous worker.
    """
    if photo is None:
        return None
    if photo.size and photo.size > settings.FEEDBACK_PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "photo": _("Ảnh quá lớn; xin gửi ảnh dưới %(mb)s MB.")
                % {"mb": settings.FEEDBACK_PHOTO_MAX_BYTES // (1024 * 1024)}
            }
        )
    from PIL import Image, ImageOps, UnidentifiedImageError

    not_an_image = ValidationError(
        {"photo": _("Tệp đính kèm không phải là ảnh (JPEG, PNG, WebP).")}
    )
    try:
        photo.seek(0)
        with Image.open(photo) as img:
            fmt = (img.format or "").upper()
            if fmt not in ("JPEG", "PNG", "WEBP", "GIF"):
                raise not_an_image
            img.load()
            clean = ImageOps.exif_transpose(img)  # keep the orientation the EXIF asked for
            if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise not_an_image from exc
    suffix = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}[fmt]
    return ContentFile(out.getvalue(), name=f"anh{suffix}")


def _clean_contact(
    contact_name: str, contact_phone: str, contact_zalo_id: str
) -> tuple[str, str, str]:
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


def _enqueue(task_name: str, *args: Any) -> None:
    """Enqueue after commit; a broken queue is logged, never loses the row (a later sweep retries)."""
    from congdoan.feedback import tasks

    def run() -> None:
        try:
            getattr(tasks, task_name).enqueue(*args)
        except Exception:
            log.exception(
                "feedback: could not enqueue %s%r; the periodic check will retry", task_name, args
            )

    transaction.on_commit(run)


@transaction.atomic
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
    actor: Any = None,
    ip: str | None = None,
) -> Concern:
    """Write a concern as it arrived and enqueue its triage.

    Steps: 1. a repeat of (channel, external_id) returns the stored concern (webhooks
    retry); 2. validate text, contact and photo (Vietnamese errors); 3. throttle web/API
    posts per address; 4. insert (a race on the same external id returns the winner);
    5. on commit, enqueue triage.
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
        _throttle(ip)  # before decoding any photo: a flood costs as little as possible
    name, phone, zalo = _clean_contact(contact_name, contact_phone, contact_zalo_id)
    clean_image = clean_photo(photo)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
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
        ip_hash=_ip_hash(ip) if ip else "",
    )
    # Routed already at intake, so that an untriaged concern is in the right inbox at once.
    concern.assigned_unit, concern.hidden_from_unit = route(concern)
    if clean_image is not None:
        concern.photo = clean_image  # type: ignore[assignment]
    for attempt in range(5):
        try:
            with transaction.atomic():
                concern.save()
            break
        except IntegrityError:
            if external_id:
                winner = Concern.objects.filter(channel=channel, external_id=external_id).first()
                if winner is not None:
                    return winner
            if attempt == 4:
                raise
            from congdoan.feedback.models import new_code

            concern.pk = None
            concern.code = new_code()
    # The history names the officer who recorded it, never a member who wrote it themselves:
    # officers read the history, and the sender may have asked to stay anonymous.
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
    _enqueue("triage_concern", concern.pk)
    return concern


# -- triage and routing ------------------------------------------------------------------------


def _upper_unit(unit: Unit | None) -> Unit | None:
    """The nearest unit above a grassroots union (the district), or the unit itself if it is not grassroots."""
    if unit is None:
        return fallback_unit()
    if not unit.level.is_grassroots:
        return unit
    return unit.parent or unit


def fallback_unit() -> Unit | None:
    """Where a concern with no known union goes.

    FEEDBACK_FALLBACK_UNIT when set; otherwise the lowest unit above every active grassroots
    union of this deployment (the district federation for Phú Xuyên), found from the distinct
    parents' materialised paths and cached for ten minutes; the root as a last resort.
    """
    code = settings.FEEDBACK_FALLBACK_UNIT
    unit = Unit.objects.filter(code=code).first() if code else None
    if unit is not None:
        return unit
    cached = cache.get("feedback:fallback_unit")
    if cached is not None:
        unit = Unit.objects.filter(pk=cached).first()
        if unit is not None:
            return unit
    paths = list(
        Unit.objects.filter(level__is_grassroots=True, is_active=True, parent__isnull=False)
        .values_list("parent__path", flat=True)
        .distinct()[:5000]
    )
    if paths:
        parts = [p.strip("/").split("/") for p in paths]
        common: list[str] = []
        for column in zip(*parts, strict=False):
            if len(set(column)) != 1:
                break
            common.append(column[0])
        if common:
            unit = Unit.objects.filter(pk=int(common[-1])).first()
    unit = unit or Unit.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()
    if unit is not None:
        cache.set("feedback:fallback_unit", unit.pk, timeout=600)
    return unit


def route(concern: Concern) -> tuple[Unit | None, bool]:
    """(unit that handles it, hidden from the grassroots union).

    To the worker's grassroots union; to the upper level (and hidden from the grassroots
    union) when the worker asked for it or the concern is about the union or its officers;
    to the fallback unit when the union is unknown.
    """
    if concern.unit is None:
        return fallback_unit(), False
    if concern.wants_upper_level or concern.about_union:
        return _upper_unit(concern.unit), True
    return concern.unit, False


def deadline_for(urgency: str, start: Any = None) -> Any:
    hours = settings.FEEDBACK_DEADLINE_HOURS.get(
        urgency, settings.FEEDBACK_DEADLINE_HOURS["normal"]
    )
    return (start or timezone.now()) + timedelta(hours=hours)


def _signature_of(text: str) -> bytes:
    from congdoan.text.match import minhash

    return minhash(text).astype(np.uint32).tobytes()


def _cluster(concern: Concern, signature: bytes) -> Cluster | None:
    """Join the most similar recent concern of the same union (its cluster, or a new one)."""
    sig = np.frombuffer(signature, dtype=np.uint32)
    since = timezone.now() - timedelta(days=CLUSTER_WINDOW_DAYS)
    candidates = (
        Concern.objects.filter(unit=concern.unit, created_at__gte=since, signature__isnull=False)
        .exclude(pk=concern.pk)
        .order_by("-created_at")
        .values_list("pk", "signature", "cluster_id")[:CLUSTER_CANDIDATES]
    )
    best: tuple[float, int, int | None] | None = None
    for pk, other, other_cluster in candidates:
        if other is None:
            continue
        other_sig = np.frombuffer(bytes(other), dtype=np.uint32)
        if other_sig.shape != sig.shape:
            continue
        score = float(np.count_nonzero(other_sig == sig)) / len(sig)
        if score >= CLUSTER_THRESHOLD and (
            best is None or score > best[0] or (score == best[0] and other_cluster and not best[2])
        ):
            best = (score, pk, other_cluster)
    if best is None:
        return None
    _score, other_pk, cluster_id = best
    if cluster_id is None:
        cluster = Cluster.objects.create(
            unit=concern.unit, topic=concern.topic, title=concern.display_text[:200], size=0
        )
        if Concern.objects.filter(pk=other_pk, cluster__isnull=True).update(cluster=cluster) != 1:
            # Another worker clustered that concern meanwhile: join its cluster instead.
            cluster.delete()
            joined = (
                Concern.objects.filter(pk=other_pk).values_list("cluster_id", flat=True).first()
            )
            if joined is None:
                return None
            cluster = Cluster.objects.get(pk=joined)
    else:
        cluster = Cluster.objects.get(pk=cluster_id)
    Concern.objects.filter(pk=concern.pk).update(cluster=cluster)
    size = Concern.objects.filter(cluster=cluster).count()
    Cluster.objects.filter(pk=cluster.pk).update(size=size, updated_at=timezone.now())
    cluster.size = size
    return cluster


def concern_triage(*, concern_id: int) -> Concern | None:
    """Restore, classify, route and cluster one concern; a no-op if it was triaged already.

    The slow analysis runs outside the transaction; the result lands with a conditional
    UPDATE (`triaged_at IS NULL`), so two workers triaging the same row never both win.
    """
    from congdoan.feedback.triage import analyse

    concern = Concern.objects.select_related("unit", "unit__level").filter(pk=concern_id).first()
    if concern is None or concern.triaged_at is not None:
        return concern
    result = analyse(concern.text)
    signature = _signature_of(concern.text)
    now = timezone.now()
    with transaction.atomic():
        concern.about_union = result.about_union
        assigned, hidden = route(concern)
        updated = Concern.objects.filter(pk=concern.pk, triaged_at__isnull=True).update(
            restored_text=result.restored,
            topic=F("topic") if concern.topic_corrected else result.topic,
            topic_confidence=result.topic_confidence,
            urgency=F("urgency") if concern.urgency_corrected else result.urgency,
            urgency_reasons=result.urgency_reasons,
            sentiment=result.sentiment,
            about_union=result.about_union,
            assigned_unit=assigned,
            hidden_from_unit=hidden,
            signature=signature,
            triaged_at=now,
            due_at=deadline_for(
                concern.urgency if concern.urgency_corrected else result.urgency, concern.created_at
            ),
        )
        if updated != 1:
            return Concern.objects.get(pk=concern.pk)
        Concern.objects.filter(pk=concern.pk, status=Status.RECEIVED).update(status=Status.TRIAGED)
        concern.refresh_from_db()
        _cluster(concern, signature)
        ConcernEvent.objects.create(
            concern=concern,
            kind="triage",
            from_status=Status.RECEIVED,
            to_status=concern.status,
            note=f"{concern.topic} / {concern.urgency}",
        )
        if concern.urgency == Urgency.URGENT:
            _enqueue("notify_urgent", concern.pk)
    concern.refresh_from_db()
    return concern


def untriaged(limit: int = 500) -> list[int]:
    """Concerns whose triage never ran (worker down, queue lost), oldest first."""
    return list(
        Concern.objects.filter(triaged_at__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


# -- officers' work on a concern ---------------------------------------------------------------


def _transition(
    concern: Concern,
    *,
    to: str,
    allowed_from: tuple[str, ...],
    actor: Any,
    kind: str,
    note: str = "",
    **extra: Any,
) -> Concern:
    """Conditional UPDATE on the status: of two people acting at once, only one wins."""
    old = concern.status
    updated = Concern.objects.filter(pk=concern.pk, status__in=allowed_from).update(
        status=to, **extra
    )
    if updated != 1:
        raise ValidationError(
            _("Ý kiến này vừa được cập nhật hoặc không ở trạng thái phù hợp; xin tải lại trang.")
        )
    concern.refresh_from_db()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    ConcernEvent.objects.create(
        concern=concern, kind=kind, from_status=old, to_status=to, actor=user, note=note
    )
    return concern


def _audit(actor: Any, action: str, concern: Concern, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=concern,
        unit=concern.assigned_unit or concern.unit,
        changes=changes,
    )


@transaction.atomic
def concern_correct(*, actor: Any, concern: Concern, topic: str, urgency: str) -> Concern:
    """An officer corrects topic and/or urgency; corrections become training data for `retrain`."""
    if topic not in Topic.values:
        raise ValidationError({"topic": _("Chủ đề không hợp lệ.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Mức độ không hợp lệ.")})
    # Saving the form is an officer's label even when it confirms the classifier's guess:
    # confirmed labels are training data for `retrain` too.
    changes: dict[str, Any] = {}
    fields: dict[str, Any] = {
        "topic": topic,
        "topic_corrected": True,
        "urgency": urgency,
        "urgency_corrected": True,
    }
    if topic != concern.topic:
        changes["topic"] = [concern.topic, topic]
    if urgency != concern.urgency:
        changes["urgency"] = [concern.urgency, urgency]
        if concern.is_open:
            fields["due_at"] = deadline_for(urgency, concern.created_at)
    Concern.objects.filter(pk=concern.pk).update(**fields)
    concern.refresh_from_db()
    ConcernEvent.objects.create(concern=concern, kind="correct", actor=actor, note=str(changes))
    _audit(actor, "feedback.correct", concern, changes)
    return concern


@transaction.atomic
def concern_assign(
    *, actor: Any, concern: Concern, assignee: Any = None, unit: Unit | None = None
) -> Concern:
    """Give the concern to an officer (and/or another unit the viewer manages)."""
    extra: dict[str, Any] = {"assignee": assignee}
    if unit is not None:
        extra["assigned_unit"] = unit
    allowed = (
        Status.RECEIVED,
        Status.TRIAGED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.REOPENED,
    )
    concern = _transition(
        concern,
        to=Status.ASSIGNED,
        allowed_from=allowed,
        actor=actor,
        kind="assign",
        note=str(assignee or unit or ""),
        **extra,
    )
    _audit(
        actor,
        "feedback.assign",
        concern,
        {"assignee": getattr(assignee, "pk", None), "unit": getattr(unit, "code", None)},
    )
    return concern


@transaction.atomic
def concern_forward_up(*, actor: Any, concern: Concern, note: str = "") -> Concern:
    """A grassroots officer hands the concern to the level above (the district)."""
    target = concern.assigned_unit
    if target is None or not target.level.is_grassroots:
        raise ValidationError(_("Ý kiến đã ở cấp trên."))
    upper = _upper_unit(target)
    concern = _transition(
        concern,
        to=Status.ASSIGNED,
        allowed_from=OPEN_STATUSES,
        actor=actor,
        kind="forward",
        note=(note or "").strip()[:2000],
        assigned_unit=upper,
        assignee=None,
    )
    _audit(actor, "feedback.forward", concern, {"to": getattr(upper, "code", None)})
    return concern


@transaction.atomic
def concern_start(*, actor: Any, concern: Concern) -> Concern:
    allowed = (Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.REOPENED)
    concern = _transition(
        concern, to=Status.IN_PROGRESS, allowed_from=allowed, actor=actor, kind="start"
    )
    _audit(actor, "feedback.start", concern, {})
    return concern


@transaction.atomic
def concern_answer(
    *,
    actor: Any,
    concern: Concern,
    text: str,
    citation: str = "",
    citation_url: str = "",
    note: str = "",
) -> Concern:
    """Publish the answer the worker reads with the code; push it back on Zalo/SMS after commit."""
    answer = (text or "").replace("\x00", "").strip()
    if not answer:
        raise ValidationError({"text": _("Xin viết nội dung trả lời.")})
    if len(answer) > 10000:
        raise ValidationError({"text": _("Nội dung trả lời quá dài (tối đa 10.000 ký tự).")})
    url = (citation_url or "").strip()
    if url and not url.startswith(("http://", "https://", "/")):
        raise ValidationError(
            {"citation_url": _("Đường dẫn căn cứ phải bắt đầu bằng http:// hoặc https://.")}
        )
    now = timezone.now()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    on_time = concern.due_at is None or now <= concern.due_at
    concern = _transition(
        concern,
        to=Status.ANSWERED,
        allowed_from=OPEN_STATUSES,
        actor=actor,
        kind="answer",
        answer_text=answer,
        answer_citation=(citation or "").strip()[:255],
        answer_url=url[:200],
        answered_by=user,
        answered_at=now,
        answered_on_time=on_time,
        internal_note=(concern.internal_note + "\n" + note).strip()
        if note
        else concern.internal_note,
    )
    _audit(
        actor, "feedback.answer", concern, {"citation": concern.answer_citation, "on_time": on_time}
    )
    _enqueue("deliver_answer", concern.pk)
    return concern


def concern_answer_many(
    *, actor: Any, concerns: list[Concern], text: str, citation: str = "", citation_url: str = ""
) -> int:
    """The same answer to many concerns (a cluster); each in its own transaction, a concern
    that someone else answered meanwhile is skipped. Returns how many were answered."""
    done = 0
    for concern in concerns:
        try:
            concern_answer(
                actor=actor,
                concern=concern,
                text=text,
                citation=citation,
                citation_url=citation_url,
            )
        except ValidationError:
            continue
        done += 1
    return done


@transaction.atomic
def concern_close(*, actor: Any, concern: Concern, note: str = "") -> Concern:
    allowed = (*OPEN_STATUSES, Status.ANSWERED)
    concern = _transition(
        concern,
        to=Status.CLOSED,
        allowed_from=allowed,
        actor=actor,
        kind="close",
        note=note,
        closed_at=timezone.now(),
    )
    _audit(actor, "feedback.close", concern, {"note": note})
    return concern


@transaction.atomic
def concern_add_note(*, actor: Any, concern: Concern, note: str) -> Concern:
    note = (note or "").strip()[:2000]
    if not note:
        raise ValidationError({"note": _("Xin viết ghi chú.")})
    ConcernEvent.objects.create(concern=concern, kind="note", actor=actor, note=note)
    _audit(actor, "feedback.note", concern, {})
    return concern


# -- the worker, with the tracking code ---------------------------------------------------------


@transaction.atomic
def concern_rate(*, concern: Concern, rating: int, comment: str = "") -> Concern:
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"rating": _("Xin chọn mức hài lòng từ 1 đến 5.")})
    updated = Concern.objects.filter(
        pk=concern.pk, status__in=(Status.ANSWERED, Status.CLOSED)
    ).update(rating=value, rating_comment=(comment or "").strip()[:500])
    if updated != 1:
        raise ValidationError(_("Chỉ đánh giá được khi ý kiến đã có trả lời."))
    concern.refresh_from_db()
    ConcernEvent.objects.create(concern=concern, kind="rate", note=str(value))
    return concern


MAX_REOPENS = 3


@transaction.atomic
def concern_reopen(*, concern: Concern, reason: str) -> Concern:
    """The worker is not satisfied: back to the same unit, with a fresh deadline."""
    reason = (reason or "").strip()[:2000]
    if not reason:
        raise ValidationError({"reason": _("Xin cho biết vì sao bạn chưa hài lòng với trả lời.")})
    if concern.reopen_count >= MAX_REOPENS:
        raise ValidationError(
            _("Ý kiến đã được mở lại %(n)s lần; xin gửi một ý kiến mới.") % {"n": MAX_REOPENS}
        )
    return _transition(
        concern,
        to=Status.REOPENED,
        allowed_from=(Status.ANSWERED, Status.CLOSED),
        actor=None,
        kind="reopen",
        note=reason,
        reopen_count=F("reopen_count") + 1,
        due_at=deadline_for(concern.urgency),
        reminded_at=None,
        escalated_at=None,
        closed_at=None,
    )


@transaction.atomic
def concern_erase_contact(*, concern: Concern, actor: Any = None) -> Concern:
    """Forget who sent it (the worker asked, with the code, or an officer of the Office did)."""
    Concern.objects.filter(pk=concern.pk).update(
        contact_name="",
        contact_phone="",
        contact_zalo_id="",
        ip_hash="",
        submitted_by=None,
        contact_erased_at=timezone.now(),
    )
    concern.refresh_from_db()
    ConcernEvent.objects.create(
        concern=concern,
        kind="erase_contact",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if actor is not None and getattr(actor, "is_authenticated", False):
        _audit(actor, "feedback.erase_contact", concern, {})
    return concern
