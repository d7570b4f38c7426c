"""The checks on what an officer writes into a product, each failing with a Vietnamese
`ValidationError` keyed by the field (so a form shows it beside the field): title, the two
versions (the full one sanitised here, see richtext.py), kind, sharing, audiences, tags, an
event's times."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congdoan.content.models import Audience, ProductKind, Sharing
from congdoan.content.richtext import clean_html

TITLE_MAX = 300
SUMMARY_MAX = 2000
BODY_MAX = 200_000
TAGS_MAX = 20
TAG_MAX = 50


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Xin nhập tiêu đề.")})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("Tiêu đề quá dài (tối đa 300 ký tự).")})
    return title


def clean_summary(summary: str) -> str:
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise ValidationError({"summary": _("Bản ngắn quá dài (tối đa 2.000 ký tự).")})
    return summary


def clean_body(body: str) -> str:
    cleaned = clean_html(body or "").strip()
    if len(cleaned) > BODY_MAX:
        raise ValidationError({"body": _("Bản đầy đủ quá dài (tối đa 200.000 ký tự).")})
    return cleaned


def clean_kind(kind: str) -> str:
    if kind not in ProductKind.values:
        raise ValidationError({"kind": _("Loại sản phẩm không hợp lệ.")})
    return kind


def clean_sharing(sharing: str) -> str:
    if sharing not in Sharing.values:
        raise ValidationError({"sharing": _("Mức chia sẻ không hợp lệ.")})
    return sharing


def clean_audiences(audiences: Iterable[str]) -> list[str]:
    valid = set(Audience.values)
    chosen = list(dict.fromkeys(str(a) for a in audiences))
    if any(a not in valid for a in chosen):
        raise ValidationError({"audiences": _("Đối tượng không hợp lệ.")})
    return chosen


def clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned = list(
        dict.fromkeys(" ".join(str(t).split())[:TAG_MAX] for t in tags if str(t).strip())
    )
    if len(cleaned) > TAGS_MAX:
        raise ValidationError({"tags": _("Tối đa 20 nhãn.")})
    return cleaned


def check_event(kind: str, starts: datetime | None, ends: datetime | None) -> None:
    if kind == ProductKind.EVENT and starts is None:
        raise ValidationError({"event_starts_at": _("Sự kiện cần có thời gian bắt đầu.")})
    if starts is not None and ends is not None and ends < starts:
        raise ValidationError(
            {"event_ends_at": _("Thời gian kết thúc phải sau thời gian bắt đầu.")}
        )
