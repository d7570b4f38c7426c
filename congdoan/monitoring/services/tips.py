"""Tips: an officer or a member reports a link, pasted text or a screenshot (the web form, or
a Zalo OA message starting with "#baotin").

Steps of `submit_tip`:
1. at least one of link, text, screenshot; the screenshot through the one image policy
   (`core.images`: checked, re-encoded, no location data);
2. the link is checked at once (`fetch.check_url`): a private or non-http address is refused
   on the tip (`fetch_error`, a msgid with `fetch_error_params`: shown in the reader's
   language), never fetched; the tip is kept all the same;
3. the tip is saved, and its pasted text becomes an item of the unit's tips source ("Tin báo",
   made on the first tip);
4. after commit: the item is scored and grouped, and the link (if any) is fetched in a task
   (`services.fetching.fetch_tip_link`: a snapshot as evidence, or the item itself when
   nothing was pasted).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import regex
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.core.images import ImageRefused, photo_policy, reencode
from congdoan.monitoring import tasks
from congdoan.monitoring.fetch import FetchError, FetchRefused, check_url
from congdoan.monitoring.models import ItemKind, Tip, TipChannel
from congdoan.monitoring.services.ingest import ingest, tips_source
from congdoan.monitoring.types import RawItem
from congdoan.orgs.models import Unit
from congdoan.orgs.site import home_unit, successor_of

logger = logging.getLogger("congdoan.monitoring")

MAX_TEXT = 20_000
_URL = regex.compile(r"https?://[^\s<>\"']+", regex.IGNORECASE)


def _screenshot(upload: Any) -> ContentFile[bytes]:
    name = getattr(upload, "name", "") or "anh"
    try:
        clean = reencode(upload.read(), name=name, policy=photo_policy())
    except ImageRefused as exc:
        raise ValidationError({"screenshot": exc.message}) from exc
    return ContentFile(clean.data, name=f"tin-bao{clean.suffix}")


@transaction.atomic
def submit_tip(
    *,
    user: Any,
    unit: Unit,
    url: str = "",
    text: str = "",
    screenshot: Any = None,
    channel: str = TipChannel.WEB,
    zalo_user_id: str = "",
) -> Tip:
    """Keep a tip and make its item (steps in the module's docstring)."""
    url = (url or "").strip()
    text = (text or "").strip()
    if not (url or text or screenshot):
        raise ValidationError(
            _("Cho biết ít nhất một trong ba: đường dẫn, nội dung hoặc ảnh chụp màn hình.")
        )
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Nội dung quá dài.")})
    if len(url) > 1000:
        raise ValidationError({"url": _("Đường dẫn quá dài.")})
    fetch_error, fetch_error_params = "", {}
    if url:
        try:
            check_url(url)
        except FetchRefused as exc:  # kept as its msgid: shown in each reader's language
            fetch_error, fetch_error_params = exc.template, exc.params
        except FetchError:
            pass  # tried again by the task; its failure is written then
    tip = Tip(
        unit=unit,
        reporter=user if getattr(user, "is_authenticated", False) else None,
        channel=channel,
        zalo_user_id=zalo_user_id[:64],
        url=url,
        text=text,
        fetch_error=fetch_error,
        fetch_error_params=fetch_error_params,
    )
    if screenshot:
        content = _screenshot(screenshot)
        tip.screenshot.save(content.name or "tin-bao.jpg", content, save=False)
    tip.save()
    item_ids: list[int] = []
    if text:
        result = ingest(
            tips_source(unit),
            [
                RawItem(
                    external_id=f"tip:{tip.pk}",
                    url=url if not fetch_error else "",
                    text=text,
                    kind=ItemKind.TIP,
                    meta={"tip": tip.pk, "channel": channel},
                )
            ],
            process=False,
        )
        if result.item_ids:
            tip.item_id = result.item_ids[0]
            tip.save(update_fields=["item"])
            item_ids = result.item_ids
    audit_record(
        actor=user,
        action="monitoring.tip.submit",
        target=tip,
        unit=unit,
        changes={"channel": channel, "url": url},
    )
    tip_id = tip.pk
    if item_ids:
        transaction.on_commit(lambda: tasks.process_items_task.enqueue(item_ids))
    if url and not fetch_error:
        transaction.on_commit(lambda: tasks.fetch_tip_link_task.enqueue(tip_id))
    return tip


# A Zalo OA message starting with one of these is a tip (feedback's intake hands it over:
# `feedback.channels.intake.register_zalo_prefix`, registered in MonitoringConfig.ready()).
ZALO_PREFIXES = ("#baotin", "#báotin", "báo tin:", "bao tin:")
ZALO_HANDLER = "congdoan.monitoring.services.tips.zalo_tip"
_TAG = regex.compile(r"(?<![\w#])#([A-Za-z0-9][A-Za-z0-9_\-]{1,39})(?![\w\-])")
REDELIVERY_WINDOW_HOURS = 24


def _zalo_unit(text: str) -> tuple[Unit | None, str]:
    """(the unit named by a "#CODE" tag, the text without it), else the site's home unit."""
    for found in _TAG.finditer(text):
        unit = Unit.objects.filter(code__iexact=found.group(1), is_active=True).first()
        if unit is not None:
            rest = (text[: found.start()] + " " + text[found.end() :]).strip()
            return successor_of(unit), " ".join(rest.split(" "))
    return home_unit(), text


def zalo_tip(*, sender_id: str, text: str, msg_id: str) -> str:
    """A tip from a Zalo OA message (the text after the prefix); the reply to send back.

    Zalo redelivers a message it thinks was lost: the same sender's same text within a day is
    the same tip (the reply's outbox key, from msg_id, sends it once)."""
    unit, rest = _zalo_unit(text)
    found = _URL.search(rest)
    url = found.group(0).rstrip(".,;)") if found else ""
    said = " ".join(_URL.sub(" ", rest).split()) if url else rest
    if not rest:
        return _(
            "Để báo tin, nhắn: #baotin kèm đường dẫn bài viết hoặc nội dung bạn thấy, "
            "ví dụ: #baotin https://…"
        )
    if unit is None:
        return _("Chưa xác định được đơn vị nhận tin báo. Hãy ghi mã công đoàn, ví dụ #PX-A.")
    since = timezone.now() - timedelta(hours=REDELIVERY_WINDOW_HOURS)
    exists = Tip.objects.filter(
        channel=TipChannel.ZALO,
        zalo_user_id=sender_id[:64],
        url=url,
        text=said,
        created_at__gte=since,
    ).exists()
    if not exists:
        try:
            submit_tip(
                user=None,
                unit=unit,
                url=url,
                text=said,
                channel=TipChannel.ZALO,
                zalo_user_id=sender_id,
            )
        except ValidationError as exc:
            return _("Chưa ghi nhận được tin báo: %(error)s") % {"error": " ".join(exc.messages)}
    return _("Công đoàn đã nhận tin báo của bạn. Cảm ơn bạn đã báo tin.")
