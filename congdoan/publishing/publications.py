"""Writes of publications: a product posted to a unit's channel accounts through the outbox.

`publication_enqueue` writes a `Publication` and its outbox message in one transaction, both
under one idempotency key (product, version, account): a second click, a retry or two
officers at once find the first and post nothing more. The outbox sends, retries with its one
policy and logs each attempt; its signals bring the outcome back here (`_on_sent`,
`_on_failed`). `publish_to_chosen` is content's on-published hook: the accounts an officer
ticked on /xuat-ban/<product>/ are posted to when the product is published.

A Zalo OA account gets an article (the full version, its photos, the link to the public page)
and a broadcast of it to the OA's followers, through the outbox's Zalo channel
(`congdoan.outbox.channels.zalo.send_post`); what it has done so far (the article's token and
id, the broadcast) is kept in the publication's `progress`, so no migration was needed.
"""

from __future__ import annotations

import html
import json
import logging
import re
from datetime import timedelta
from typing import Any

import nh3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.content.models import MediaKind, Product, ProductMedia, ProductVersion
from congdoan.outbox.channels.zalo import POST_PURPOSE
from congdoan.outbox.models import OutboundMessage
from congdoan.outbox.services import email_enqueue, message_enqueue, message_retry
from congdoan.outbox.signals import message_failed, message_sent
from congdoan.publishing.models import (
    UNUSABLE_STATUSES,
    ChannelAccount,
    ChannelChoice,
    ChannelKind,
    Publication,
    PublicationStatus,
)

log = logging.getLogger("congdoan.publishing")

# The outbox channel that posts for each kind of account.
OUTBOX_CHANNEL = {
    ChannelKind.FACEBOOK_PAGE: "facebook",
    ChannelKind.YOUTUBE: "youtube",
    ChannelKind.ZALO_OA: "zalo",
}
# The outbox's Zalo channel tells a post from a reply to a worker by this purpose.
PURPOSE = POST_PURPOSE
REF = "publishing.publication:"
# Facebook schedules a post 10 minutes to 75 days ahead.
FACEBOOK_SCHEDULE_MIN = timedelta(minutes=10)
# Photos of a Zalo article's body besides its cover.
ZALO_PHOTOS_MAX = 10
# Where a paragraph of the full version ends (content's sanitised HTML: richtext.py).
_BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|tr|figcaption)>|<br\s*/?>", re.IGNORECASE)


class NotPublishable(Exception):
    """This product cannot go to this account (the message says why, for the officer)."""


def product_version(product: Product) -> int:
    return ProductVersion.objects.filter(product=product).aggregate(n=Max("number"))["n"] or 0


def publication_key(product: Product, version: int, account: ChannelAccount) -> str:
    return f"publishing:{product.pk}:v{version}:{account.pk}"


def public_url(product: Product) -> str:
    """The product's public page, when it has one (published and shared with the public)."""
    if not product.is_public_visible:
        return ""
    try:
        path = product.get_absolute_url()
    except NoReverseMatch:  # a deployment without the public site: the post goes without
        log.warning("publishing: no public page route for product %s", product.pk)
        return ""
    return settings.SITE_URL.rstrip("/") + path


def _media(product: Product, kind: str) -> ProductMedia | None:
    if kind == MediaKind.PHOTO and product.cover_id:
        cover = ProductMedia.objects.filter(pk=product.cover_id, kind=kind).first()
        if cover is not None:
            return cover
    return ProductMedia.objects.filter(product=product, kind=kind).order_by("order", "pk").first()


def _photo_url(product: Product, media: ProductMedia) -> str:
    path = reverse("content_public:product_photo", args=[product.unit.code, product.slug, media.pk])
    return settings.SITE_URL.rstrip("/") + path


def _paragraphs(body: str) -> list[str]:
    """The full version's paragraphs as plain text. (content.richtext.html_to_text does the
    same, but publishing may read only content's models: the import contract.)"""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", body or "")
    text = html.unescape(nh3.clean(marked, tags=set()))
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def zalo_post(product: Product, account: ChannelAccount) -> dict[str, Any]:
    """A Zalo OA article of the product and its broadcast: Zalo fetches the cover and photos
    from their public addresses, so the product must be public and have a photo. A later
    version (a correction) updates the article already on the OA, without a second broadcast
    (`update_of`: its id)."""
    link = public_url(product)
    cover = _media(product, MediaKind.PHOTO)
    if not link:
        raise NotPublishable(
            _(
                "Zalo OA chỉ đăng được sản phẩm đã đăng và chia sẻ công khai (Zalo lấy ảnh và "
                "bài đầy đủ từ trang công khai)."
            )
        )
    if cover is None or not cover.file:
        raise NotPublishable(_("Bài viết trên Zalo OA cần một ảnh bìa: hãy thêm ảnh cho sản phẩm."))
    paragraphs = _paragraphs(product.body) or [product.summary.strip() or product.title]
    others = (
        ProductMedia.objects.filter(product=product, kind=MediaKind.PHOTO)
        .exclude(pk=cover.pk)
        .order_by("order", "pk")[:ZALO_PHOTOS_MAX]
    )
    earlier = (
        Publication.objects.filter(
            product=product, account=account, status=PublicationStatus.PUBLISHED
        )
        .exclude(remote_id="")
        .order_by("-version", "-pk")
        .first()
    )
    return {
        "update_of": earlier.remote_id if earlier is not None else "",
        "title": product.title,
        "author": product.unit.name,
        "description": product.summary.strip() or paragraphs[0],
        "cover_url": _photo_url(product, cover),
        "paragraphs": paragraphs,
        "photos": [{"url": _photo_url(product, m), "caption": m.caption} for m in others],
        "link": link,
        "broadcast": earlier is None,
    }


def post_body(product: Product, account: ChannelAccount) -> dict[str, Any]:
    """What the channel posts: the short version ("Nhanh, Ngắn") and the link to the full one."""
    link = public_url(product)
    if not link and account.kind in (ChannelKind.FACEBOOK_PAGE, ChannelKind.YOUTUBE):
        # A page or a channel is read by anyone: what the unit keeps to the union stays off it.
        raise NotPublishable(
            _(
                "Trang Facebook và kênh YouTube ai cũng xem được: chỉ đăng lên đó sản phẩm đã "
                "đăng và chia sẻ công khai."
            )
        )
    text = "\n\n".join(p for p in (product.title, product.summary.strip()) if p)
    if account.kind == ChannelKind.FACEBOOK_PAGE:
        post: dict[str, Any] = {"message": text, "link": link}
        photo = _media(product, MediaKind.PHOTO)
        if photo is not None and photo.file:
            post["photo_path"] = photo.file.name
        if product.publish_at and product.publish_at > timezone.now() + FACEBOOK_SCHEDULE_MIN:
            post["scheduled_publish_time"] = int(product.publish_at.timestamp())
        return post
    if account.kind == ChannelKind.YOUTUBE:
        video = _media(product, MediaKind.VIDEO)
        if video is None or not video.file:
            raise NotPublishable(_("Sản phẩm không có tệp video để đăng lên YouTube."))
        return {
            "title": product.title,
            "description": "\n\n".join(p for p in (product.summary.strip(), link) if p),
            "tags": [str(t) for t in product.tags or []][:30],
            "video_path": video.file.name,
            "content_type": video.content_type or "video/*",
        }
    if account.kind == ChannelKind.ZALO_OA:
        return zalo_post(product, account)
    raise NotPublishable(_("Loại kênh này chưa đăng bài được."))


def remote_url(kind: str, remote_id: str) -> str:
    if not remote_id:
        return ""
    if kind == ChannelKind.FACEBOOK_PAGE:
        return f"https://www.facebook.com/{remote_id}"
    if kind == ChannelKind.YOUTUBE:
        return f"https://www.youtube.com/watch?v={remote_id}"
    return ""


@transaction.atomic
def publication_enqueue(
    *, actor: Any, product: Product, account: ChannelAccount
) -> tuple[Publication, bool]:
    """Post the product's current version to the account, once; (publication, created).

    Raises NotPublishable when the account cannot take this product or is not connected.
    """
    if account.unit_id != product.unit_id:
        raise NotPublishable(_("Kênh này không thuộc đơn vị của sản phẩm."))
    if account.kind not in OUTBOX_CHANNEL:
        raise NotPublishable(_("Loại kênh này chưa đăng bài được."))
    version = product_version(product)
    key = publication_key(product, version, account)
    existing = Publication.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing, False
    if account.status in UNUSABLE_STATUSES:
        raise NotPublishable(
            _("Kênh %(name)s cần được kết nối lại trước khi đăng.") % {"name": account}
        )
    body = post_body(product, account)
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                product=product,
                unit_id=product.unit_id,
                account=account,
                kind=account.kind,
                account_name=account.display_name,
                version=version,
                idempotency_key=key,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # the same post asked at this very moment by someone else
        return Publication.objects.get(idempotency_key=key), False
    message = message_enqueue(
        channel=OUTBOX_CHANNEL[ChannelKind(account.kind)],
        recipient=str(account.pk),
        subject=product.title[:255],
        body=json.dumps(body, ensure_ascii=False),
        purpose=PURPOSE,
        ref=f"{REF}{publication.pk}",
        key=key,
    )
    Publication.objects.filter(pk=publication.pk).update(message=message)
    publication.message = message
    audit_record(
        actor=actor,
        action="publishing.publication.enqueue",
        target=publication,
        changes={"product": product.title, "account": str(account), "version": version},
    )
    return publication, True


def publish_to_chosen(product: Product) -> None:
    """content's on-published hook: post to every connected account ticked for the product."""
    choices = ChannelChoice.objects.filter(product=product).select_related("account", "chosen_by")
    for choice in choices:
        try:
            publication_enqueue(actor=choice.chosen_by, product=product, account=choice.account)
        except NotPublishable as exc:
            log.warning(
                "publishing: product %s not posted to %s: %s", product.pk, choice.account, exc
            )
            _tell_not_posted(choice.chosen_by, product, choice.account, str(exc))


def _tell_not_posted(officer: Any, product: Product, account: ChannelAccount, reason: str) -> None:
    """The officer who ticked the channel hears why the product did not go there (once)."""
    address = getattr(officer, "email", "") or ""
    if not address:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("publishing:product", args=[product.pk])
    email_enqueue(
        to=[address],
        subject=_("Chưa đăng “%(title)s” lên %(name)s") % {"title": product.title, "name": account},
        body=_(
            "Sản phẩm “%(title)s” đã đăng trên trang của đơn vị nhưng chưa đăng lên kênh "
            "%(name)s: %(reason)s\n\nXem và chọn lại kênh tại: %(link)s"
        )
        % {"title": product.title, "name": account, "reason": reason, "link": link},
        purpose="publishing.not_posted",
        ref=f"content.product:{product.pk}",
        key=f"publishing.not_posted:{product.pk}:{account.pk}",
    )


def zalo_update_corrected(product: Product) -> None:
    """content's on-corrected hook (registered by zalo.register): a correction of a product
    already on a unit's Zalo OA updates the article there (the new version, once)."""
    choices = ChannelChoice.objects.filter(
        product=product, account__kind=ChannelKind.ZALO_OA
    ).select_related("account", "chosen_by")
    for choice in choices:
        if not Publication.objects.filter(
            product=product, account=choice.account, status=PublicationStatus.PUBLISHED
        ).exists():
            continue  # never posted there: the correction is not a reason to post it now
        try:
            publication_enqueue(actor=choice.chosen_by, product=product, account=choice.account)
        except NotPublishable as exc:
            log.warning(
                "publishing: correction of %s not sent to %s: %s", product.pk, choice.account, exc
            )


@transaction.atomic
def choices_set(*, actor: Any, product: Product, accounts: list[ChannelAccount]) -> None:
    """The accounts the product goes to when it is published (replacing the earlier ticks)."""
    keep = {a.pk for a in accounts}
    ChannelChoice.objects.filter(product=product).exclude(account_id__in=keep).delete()
    for account in accounts:
        ChannelChoice.objects.get_or_create(
            product=product, account=account, defaults={"chosen_by": actor}
        )
    audit_record(
        actor=actor,
        action="publishing.choices.set",
        target=product,
        unit=product.unit,
        changes={"accounts": ", ".join(str(a) for a in accounts) or "—"},
    )


@transaction.atomic
def publication_retry(*, actor: Any, publication: Publication) -> bool:
    """An officer's "try again" on a failed publication: its outbox message is due again."""
    message = publication.message
    if message is None or publication.status != PublicationStatus.FAILED:
        return False
    account = publication.account
    if account is None or account.status in UNUSABLE_STATUSES:
        return False
    if not message_retry(actor=actor, message=message):
        return False
    Publication.objects.filter(pk=publication.pk, status=PublicationStatus.FAILED).update(
        status=PublicationStatus.QUEUED, last_answer=""
    )
    audit_record(
        actor=actor,
        action="publishing.publication.retry",
        target=publication,
        unit=publication.unit,
        changes={"account": publication.account_name},
    )
    return True


def _publication_of(message: OutboundMessage) -> Publication | None:
    if message.purpose != PURPOSE or not message.ref.startswith(REF):
        return None
    return Publication.objects.filter(pk=int(message.ref[len(REF) :])).first()


@receiver(message_sent, dispatch_uid="publishing.sent")
def _on_sent(sender: Any, message: OutboundMessage, **kwargs: Any) -> None:
    publication = _publication_of(message)
    if publication is None:
        return
    progress = publication.progress or {}
    Publication.objects.filter(pk=publication.pk).update(
        status=PublicationStatus.PUBLISHED,
        remote_id=message.provider_id,
        # Zalo's article link comes with its answers (progress), the others are built.
        remote_url=str(progress.get("link") or "")[:500]
        or remote_url(publication.kind, message.provider_id),
        # A step the channel could not confirm (a Zalo broadcast whose answer was lost).
        last_answer=str(progress.get("note") or ""),
        published_at=message.sent_at or timezone.now(),
        updated_at=timezone.now(),
    )


@receiver(message_failed, dispatch_uid="publishing.failed")
def _on_failed(sender: Any, message: OutboundMessage, final: bool = False, **kwargs: Any) -> None:
    publication = _publication_of(message)
    if publication is None:
        return
    # A later attempt may have posted it and said so already (this attempt's signal came late:
    # a slow process, a database lock): a published publication stays published.
    Publication.objects.filter(pk=publication.pk).exclude(
        status=PublicationStatus.PUBLISHED
    ).update(
        status=PublicationStatus.FAILED if final else PublicationStatus.QUEUED,
        last_answer=message.last_error,
        updated_at=timezone.now(),
    )


# --- the outbox's account backend (registered in apps.py) ---


def progress_get(message: OutboundMessage) -> dict[str, Any]:
    publication = _publication_of(message)
    return dict(publication.progress) if publication is not None else {}


def progress_save(message: OutboundMessage, data: dict[str, Any]) -> None:
    publication = _publication_of(message)
    if publication is not None:
        Publication.objects.filter(pk=publication.pk).update(progress=data)
