"""Writes of communication products: each one atomic, checked against the rules, audited.

The workflow, as states (`ProductStatus`) and the functions that move a product between them:

    draft ──submit──▶ submitted ──approve──▶ approved ──schedule──▶ scheduled
      ▲                  │                      │ └──────publish──────┐  │ publish_due()
      └──────reject──────┴──────────────────────┴───────────────────  ▼  ▼
                                                                    published ──archive──▶ archived

Every state change is a conditional UPDATE on the state read (`_move`): of two officers who
press "Đăng" at once, one moves the product and the other is told it has already moved. The
text is snapshotted (`ProductVersion`) when it is submitted, approved, published and when a
published product is corrected, so a correction never loses what readers saw before. Other apps
hear of publications and corrections through `congdoan.content.hooks`, after commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import Enum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.audit.services import audit_record
from congdoan.content import hooks, rules, validation
from congdoan.content.models import (
    NON_DIGITAL_KINDS,
    ApprovalBy,
    ContentSettings,
    Highlight,
    Product,
    ProductComment,
    ProductKind,
    ProductMedia,
    ProductStatus,
    ProductVersion,
    Sharing,
    Theme,
    VersionReason,
)
from congdoan.content.richtext import search_text
from congdoan.core.page_cache import public_pages_changed
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer
from congdoan.text import fold


class Keep(Enum):
    """An argument of `product_update` left out: the field stays as it is."""

    KEEP = "keep"


# Fields an officer writes; the rest (status, counters, times) only the workflow moves.
TEXT_FIELDS = ("title", "summary", "body")
COMMENT_MAX = 5000


# --- helpers -------------------------------------------------------------------------------


def _person(actor: Viewer) -> User | None:
    """The signed-in person behind `actor` (None for the periodic job or a visitor)."""
    return actor if isinstance(actor, User) else None


def _unique_slug(unit: Unit, title: str) -> str:
    base = slugify(fold(title))[:80].strip("-") or "san-pham"
    taken = set(
        Product.objects.filter(unit=unit, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _refresh_search_text(product: Product) -> None:
    product.search_text = search_text(
        title=product.title, summary=product.summary, body=product.body
    )


def _snapshot(product: Product, *, reason: str, actor: Viewer) -> ProductVersion:
    """Write the next version of the product's text (the caller holds the product's row)."""
    last = product.versions.aggregate(n=Max("number"))["n"] or 0
    return ProductVersion.objects.create(
        product=product,
        number=last + 1,
        title=product.title,
        summary=product.summary,
        body=product.body,
        reason=reason,
        created_by=_person(actor),
    )


def _move(product: Product, *, from_statuses: Sequence[str], to: str, **fields: Any) -> None:
    """Change the state with a conditional UPDATE; refuse when someone moved it first."""
    now = timezone.now()
    moved = Product.objects.filter(pk=product.pk, status__in=list(from_statuses)).update(
        status=to, updated_at=now, **fields
    )
    if moved != 1:
        current = Product.objects.filter(pk=product.pk).values_list("status", flat=True).first()
        label = ProductStatus(current).label if current else _("đã bị xóa")
        raise ValidationError(
            _(
                "Sản phẩm vừa được người khác chuyển sang trạng thái “%(status)s”; xin tải lại trang."
            )
            % {"status": label}
        )
    product.status = to
    product.updated_at = now
    for name, value in fields.items():
        setattr(product, name, value)
    public_pages_changed()  # an UPDATE sends no post_save: the kept public pages go now


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- writing -------------------------------------------------------------------------------


@transaction.atomic
def product_create(
    *,
    actor: Viewer,
    unit: Unit,
    title: str,
    kind: str = ProductKind.NEWS,
    summary: str = "",
    body: str = "",
    themes: Iterable[Theme] = (),
    audiences: Iterable[str] = (),
    tags: Iterable[str] = (),
    is_digital: bool | None = None,
    sharing: str = Sharing.UNIT,
    event_starts_at: datetime | None = None,
    event_ends_at: datetime | None = None,
    event_place: str = "",
    highlight: Highlight | None = None,
) -> Product:
    """A new draft of `unit`, written by `actor` (who manages the unit)."""
    _require(rules.can_create(actor, unit))
    kind = validation.clean_kind(kind)
    sharing = validation.clean_sharing(sharing)
    validation.check_event(kind, event_starts_at, event_ends_at)
    title = validation.clean_title(title)
    product = Product(
        unit=unit,
        kind=kind,
        title=title,
        slug=_unique_slug(unit, title),
        summary=validation.clean_summary(summary),
        body=validation.clean_body(body),
        audiences=validation.clean_audiences(audiences),
        tags=validation.clean_tags(tags),
        is_digital=kind not in NON_DIGITAL_KINDS if is_digital is None else is_digital,
        sharing=sharing,
        author=_person(actor),
        event_starts_at=event_starts_at,
        event_ends_at=event_ends_at,
        event_place=event_place.strip(),
        highlight=highlight,
    )
    _refresh_search_text(product)
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:  # another officer took the same address a moment ago
        product.pk = None
        product.slug = f"{product.slug[:70]}-{secrets.token_hex(3)}"
        product.save()
    product.themes.set(list(themes))
    audit_record(
        actor=actor, action="content.product.create", target=product, changes={"kind": kind}
    )
    return product


@transaction.atomic
def product_update(
    *,
    actor: Viewer,
    product: Product,
    title: str | None = None,
    kind: str | None = None,
    summary: str | None = None,
    body: str | None = None,
    themes: Iterable[Theme] | None = None,
    audiences: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    is_digital: bool | None = None,
    sharing: str | None = None,
    event_starts_at: datetime | Keep | None = Keep.KEEP,
    event_ends_at: datetime | Keep | None = Keep.KEEP,
    event_place: str | None = None,
    highlight: Highlight | Keep | None = Keep.KEEP,
    cover: ProductMedia | Keep | None = Keep.KEEP,
) -> Product:
    """Change a draft, or correct a published product. Arguments left out stay as they are
    (None too, for the ones that cannot be empty); the event's times, the highlight and the
    cover are emptied by None.

    A published product whose text changes is a correction: the new text is kept as a version
    ("corrected"), `corrected_at` is set (the public page says "đã cập nhật") and the
    on-corrected hooks run after commit. Products waiting for approval or publication are sent
    back to draft (`product_reject`) before they are edited.
    """
    locked = Product.objects.select_for_update().select_related("unit").get(pk=product.pk)
    _require(rules.can_edit(actor, locked))
    changed: list[str] = []

    def put(name: str, value: Any) -> None:
        if getattr(locked, name) != value:
            setattr(locked, name, value)
            changed.append(name)

    if title is not None:
        put("title", validation.clean_title(title))
    if summary is not None:
        put("summary", validation.clean_summary(summary))
    if body is not None:
        put("body", validation.clean_body(body))
    if kind is not None:
        put("kind", validation.clean_kind(kind))
    if sharing is not None:
        put("sharing", validation.clean_sharing(sharing))
    if audiences is not None:
        put("audiences", validation.clean_audiences(audiences))
    if tags is not None:
        put("tags", validation.clean_tags(tags))
    if is_digital is not None:
        put("is_digital", is_digital)
    if not isinstance(event_starts_at, Keep):
        put("event_starts_at", event_starts_at)
    if not isinstance(event_ends_at, Keep):
        put("event_ends_at", event_ends_at)
    if event_place is not None:
        put("event_place", event_place.strip())
    if not isinstance(highlight, Keep):
        put("highlight", highlight)
    if not isinstance(cover, Keep):
        if cover is not None and cover.product_id != locked.pk:
            raise ValidationError({"cover": _("Ảnh đại diện phải là ảnh của sản phẩm này.")})
        put("cover", cover)
    validation.check_event(locked.kind, locked.event_starts_at, locked.event_ends_at)
    if themes is not None:
        new_themes = {t.pk for t in themes}
        if new_themes != set(locked.themes.values_list("pk", flat=True)):
            locked.themes.set(list(new_themes))
            changed.append("themes")
    if not changed:
        return locked
    now = timezone.now()
    locked.updated_at = now
    correction = locked.status == ProductStatus.PUBLISHED and bool(set(changed) & set(TEXT_FIELDS))
    if correction:
        locked.corrected_at = now
    _refresh_search_text(locked)
    locked.save()
    if correction:
        _snapshot(locked, reason=VersionReason.CORRECTED, actor=actor)
        hooks.corrected_on_commit(locked.pk)
    audit_record(
        actor=actor,
        action="content.product.correct" if correction else "content.product.update",
        target=locked,
        changes={"fields": changed},
    )
    return locked


def product_correct(
    *, actor: Viewer, product: Product, title: str, summary: str, body: str
) -> Product:
    """Correct a published product's text (see `product_update`)."""
    if product.status != ProductStatus.PUBLISHED:
        raise ValidationError(_("Chỉ đính chính được sản phẩm đã đăng."))
    return product_update(actor=actor, product=product, title=title, summary=summary, body=body)


# --- workflow ------------------------------------------------------------------------------


@transaction.atomic
def product_submit(*, actor: Viewer, product: Product) -> Product:
    """The author's side sends a draft for approval."""
    _require(rules.can_submit(actor, product))
    _move(product, from_statuses=[ProductStatus.DRAFT], to=ProductStatus.SUBMITTED)
    _snapshot(product, reason=VersionReason.SUBMITTED, actor=actor)
    audit_record(actor=actor, action="content.product.submit", target=product)
    return product


@transaction.atomic
def product_approve(*, actor: Viewer, product: Product) -> Product:
    """A leader approves a submitted product (`rules.can_approve`: never their own unless the
    unit allows it)."""
    if not rules.can_approve(actor, product):
        if actor is not None and product.author_id == actor.pk:
            raise ValidationError(
                _("Bạn không thể tự duyệt sản phẩm do mình viết; xin gửi lãnh đạo khác duyệt.")
            )
        raise PermissionDenied
    now = timezone.now()
    _move(
        product,
        from_statuses=[ProductStatus.SUBMITTED],
        to=ProductStatus.APPROVED,
        approver=_person(actor),
        approved_at=now,
    )
    _snapshot(product, reason=VersionReason.APPROVED, actor=actor)
    audit_record(actor=actor, action="content.product.approve", target=product)
    return product


@transaction.atomic
def product_reject(*, actor: Viewer, product: Product, comment: str) -> Product:
    """An approver sends a product back to draft, saying why (the comment is kept)."""
    _require(rules.can_approve(actor, product))
    text = (comment or "").strip()
    if not text:
        raise ValidationError({"comment": _("Xin ghi lý do trả lại để tác giả sửa.")})
    _move(
        product,
        from_statuses=[ProductStatus.SUBMITTED, ProductStatus.APPROVED, ProductStatus.SCHEDULED],
        to=ProductStatus.DRAFT,
        approver=None,
        approved_at=None,
        publish_at=None,
    )
    _comment(actor=actor, product=product, text=text)
    audit_record(actor=actor, action="content.product.reject", target=product)
    return product


@transaction.atomic
def product_schedule(*, actor: Viewer, product: Product, publish_at: datetime) -> Product:
    """Set an approved product to be published at `publish_at` (a time still to come)."""
    _require(rules.can_publish(actor, product))
    if timezone.is_naive(publish_at):
        publish_at = timezone.make_aware(publish_at)
    if publish_at <= timezone.now():
        raise ValidationError(
            {"publish_at": _("Thời điểm đăng đã qua; xin chọn một thời điểm trong tương lai.")}
        )
    _move(
        product,
        from_statuses=[ProductStatus.APPROVED, ProductStatus.SCHEDULED],
        to=ProductStatus.SCHEDULED,
        publish_at=publish_at,
    )
    audit_record(
        actor=actor,
        action="content.product.schedule",
        target=product,
        changes={"publish_at": publish_at},
    )
    return product


def _publish(product: Product, *, actor: Viewer, from_statuses: Sequence[str]) -> Product:
    now = timezone.now()
    _move(
        product,
        from_statuses=from_statuses,
        to=ProductStatus.PUBLISHED,
        published_at=product.published_at or now,
    )
    _snapshot(product, reason=VersionReason.PUBLISHED, actor=actor)
    audit_record(actor=actor, action="content.product.publish", target=product)
    hooks.published_on_commit(product.pk)
    return product


@transaction.atomic
def product_publish(*, actor: Viewer, product: Product) -> Product:
    """Publish an approved (or scheduled) product now. Of two officers at once, one wins; the
    other is told it is already published."""
    _require(rules.can_publish(actor, product))
    if product.status in (ProductStatus.DRAFT, ProductStatus.SUBMITTED):
        raise ValidationError(_("Sản phẩm chưa được duyệt: không thể đăng."))
    return _publish(
        product, actor=actor, from_statuses=[ProductStatus.APPROVED, ProductStatus.SCHEDULED]
    )


def publish_due() -> int:
    """The periodic job: publish each scheduled product whose time has come; how many.

    Each product in its own transaction, so that one failure does not hold back the others;
    a product published meanwhile by an officer is skipped (the conditional UPDATE refuses)."""
    now = timezone.now()
    due = list(
        Product.objects.filter(status=ProductStatus.SCHEDULED, publish_at__lte=now)
        .select_related("unit")
        .order_by("publish_at", "pk")
    )
    published = 0
    for product in due:
        try:
            with transaction.atomic():
                _publish(product, actor=None, from_statuses=[ProductStatus.SCHEDULED])
        except ValidationError:
            continue
        published += 1
    return published


@transaction.atomic
def product_archive(*, actor: Viewer, product: Product) -> Product:
    """Take a product out of circulation (off the public site and the shared library)."""
    _require(rules.can_publish(actor, product))
    _move(
        product,
        from_statuses=[s for s in ProductStatus.values if s != ProductStatus.ARCHIVED],
        to=ProductStatus.ARCHIVED,
        archived_at=timezone.now(),
    )
    audit_record(actor=actor, action="content.product.archive", target=product)
    return product


def _comment(*, actor: Viewer, product: Product, text: str) -> ProductComment:
    if len(text) > COMMENT_MAX:
        raise ValidationError({"text": _("Ý kiến quá dài (tối đa 5.000 ký tự).")})
    return ProductComment.objects.create(
        product=product,
        author=_person(actor),
        text=text,
    )


@transaction.atomic
def product_comment(*, actor: Viewer, product: Product, text: str) -> ProductComment:
    """A word between the author's side and the approvers, kept on the product."""
    _require(rules.can_comment(actor, product))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Xin nhập nội dung trao đổi.")})
    comment = _comment(actor=actor, product=product, text=text)
    audit_record(actor=actor, action="content.product.comment", target=product)
    return comment


@transaction.atomic
def product_reuse(*, actor: Viewer, source: Product, unit: Unit) -> Product:
    """Copy a shared product into `unit` as a draft that names where it came from; the source
    counts one more reuse (shown to its author)."""
    _require(rules.can_reuse(actor, source, unit))
    copy = product_create(
        actor=actor,
        unit=unit,
        title=source.title,
        kind=source.kind,
        summary=source.summary,
        body=source.body,
        themes=list(source.themes.all()),
        audiences=source.audiences,
        tags=source.tags,
        is_digital=source.is_digital,
        event_starts_at=source.event_starts_at,
        event_ends_at=source.event_ends_at,
        event_place=source.event_place,
        highlight=source.highlight,
    )
    copy.source = source
    copy.attribution = _("Nguồn: %(unit)s") % {"unit": source.unit.name}
    copy.save(update_fields=["source", "attribution"])
    media = [
        ProductMedia(
            product=copy,
            kind=m.kind,
            file=m.file.name,
            content_type=m.content_type,
            size=m.size,
            width=m.width,
            height=m.height,
            variants=m.variants,  # the photo's smaller sizes, the bulletin's OGG: shared too
            duration_seconds=m.duration_seconds,
            caption=m.caption,
            order=m.order,
        )
        for m in source.media.all()
    ]
    ProductMedia.objects.bulk_create(media)
    Product.objects.filter(pk=source.pk).update(reuse_count=F("reuse_count") + 1)
    audit_record(
        actor=actor,
        action="content.product.reuse",
        target=copy,
        changes={"source": source.pk},
    )
    return copy


# --- settings ------------------------------------------------------------------------------


@transaction.atomic
def content_settings_update(
    *, actor: Viewer, unit: Unit, approval_by: str, allow_self_approval: bool
) -> ContentSettings:
    """Set who approves `unit`'s products; decided by the level above (`rules.can_set_rules`)."""
    _require(rules.can_set_rules(actor, unit))
    if approval_by not in ApprovalBy.values:
        raise ValidationError({"approval_by": _("Cách duyệt không hợp lệ.")})
    found, _created = ContentSettings.objects.update_or_create(
        unit=unit,
        defaults={"approval_by": approval_by, "allow_self_approval": allow_self_approval},
    )
    audit_record(
        actor=actor,
        action="content.settings.update",
        target=unit,
        changes={"approval_by": approval_by, "allow_self_approval": allow_self_approval},
    )
    return found
