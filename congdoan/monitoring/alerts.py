"""Alerts: tell the officers when a high-risk narrative appears or grows fast.

`send_alerts()` runs every 10 minutes (a periodic job). A narrative is alerted when
- it was never alerted and its risk is at least `settings.MONITORING_ALERT_RISK`, or
- it was alerted and has grown fast since: at least twice the items of the last alert and at
  least `GROWTH_MIN_ITEMS` more, or its risk rose by at least `RISK_RISE`.
Dismissed narratives are never alerted (an officer judged them harmless), nor a story not seen
for `MONITORING_ALERT_WINDOW_HOURS` (default 72: an export of last year's posts loaded today is
no emergency).

Who is told: the assignee if there is one, else the officers of the narrative's unit (else of
the nearest level above with officers), by e-mail and by Zalo (through the outbox: sent after
commit, retried). A Zalo message needs the officer's Zalo id as the union's OA knows it: the
one they linked on their account page ("#lienket <code>" to the OA, congdoan/accounts/zalo.py);
without one, the e-mail goes alone. (The id of a tip sent through the OA is not used: such a
tip has no account behind it, and nothing proves whose it is.)

No double alert: the narrative is claimed by a conditional UPDATE of its `alerted_*` fields
(`WHERE` they are still what this run read), in the same transaction as the messages and the
ALERT event; a second run, a retry after a crash, or two schedulers at once find nothing left
to claim, and each message has an outbox key too.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from congdoan.monitoring.messages import message, nmessage, render
from congdoan.monitoring.models import (
    EventKind,
    Narrative,
    NarrativeEvent,
    NarrativeStatus,
)
from congdoan.orgs.models import Unit
from congdoan.orgs.selectors import unit_officer_contacts
from congdoan.outbox.services import email_enqueue, message_enqueue

log = logging.getLogger("congdoan.monitoring")

DEFAULT_ALERT_RISK = 0.7
DEFAULT_WINDOW_HOURS = 72
GROWTH_FACTOR = 2
GROWTH_MIN_ITEMS = 5
RISK_RISE = 0.2
BATCH = 200


def alert_risk() -> float:
    """The risk from which a new narrative is alerted (`MONITORING_ALERT_RISK`, default 0.7)."""
    return float(getattr(settings, "MONITORING_ALERT_RISK", DEFAULT_ALERT_RISK))


def alert_window() -> timedelta:
    """How recent a narrative's last item must be to be alerted."""
    hours = float(getattr(settings, "MONITORING_ALERT_WINDOW_HOURS", DEFAULT_WINDOW_HOURS))
    return timedelta(hours=hours)


def narrative_link(narrative: Narrative) -> str:
    """The narrative's officer page, as an absolute address for a message."""
    try:
        path = reverse("monitoring:narrative", args=[narrative.pk])
    except NoReverseMatch:
        path = f"/theo-doi/luong/{narrative.pk}/"
    return settings.SITE_URL.rstrip("/") + path


def due() -> QuerySet[Narrative]:
    """Narratives to alert now: new and risky, or grown fast since their last alert."""
    new = Q(alerted_at__isnull=True, risk__gte=alert_risk())
    grown = Q(alerted_at__isnull=False) & (
        (
            Q(item_count__gte=F("alerted_item_count") * GROWTH_FACTOR)
            & Q(item_count__gte=F("alerted_item_count") + GROWTH_MIN_ITEMS)
        )
        | Q(risk__gte=F("alerted_risk") + RISK_RISE)
    )
    return (
        Narrative.objects.filter(new | grown)
        .filter(last_seen_at__gte=timezone.now() - alert_window())
        .exclude(status=NarrativeStatus.DISMISSED)
        .select_related("unit", "assignee")
        .order_by("-risk", "pk")
    )


def _officer_contacts(unit: Unit) -> tuple[list[str], list[str]]:
    """The unit's officers' e-mails and linked Zalo ids, else those of the nearest level
    above that has an officer with either."""
    current: Unit | None = unit
    while current is not None:
        emails, zalo_ids = unit_officer_contacts(current)
        if emails or zalo_ids:
            return emails, zalo_ids
        current = current.parent
    return [], []


def recipients(narrative: Narrative) -> tuple[list[str], list[str]]:
    """(e-mail addresses, Zalo ids) to tell about this narrative: the assignee when active and
    reachable (an e-mail or a linked Zalo), else the officers of the unit or of the level above."""
    assignee = narrative.assignee
    if assignee is not None and assignee.is_active and (assignee.email or assignee.zalo_user_id):
        emails = [assignee.email] if assignee.email else []
        return emails, [assignee.zalo_user_id] if assignee.zalo_user_id else []
    return _officer_contacts(narrative.unit)


def _why_said(narrative: Narrative, first: bool) -> dict[str, Any]:
    """Why the alert, as a stored message (`congdoan.monitoring.messages`)."""
    if first:
        return message(gettext_noop("Luồng thông tin mới có mức rủi ro cao"))
    return message(
        gettext_noop("Luồng thông tin lan nhanh (từ %(old)s lên %(new)s tin)"),
        old=narrative.alerted_item_count,
        new=narrative.item_count,
    )


def _why(narrative: Narrative, first: bool) -> str:
    return render(_why_said(narrative, first))


def _sent_to_said(emails: list[str], zalo_ids: list[str]) -> list[Any] | dict[str, Any]:
    """Who was told, as a stored message: the addresses, then the count of Zalo accounts."""
    if not (emails or zalo_ids):
        return message(gettext_noop("không có người nhận"))
    parts: list[Any] = []
    for email in emails:
        parts += [", " if parts else "", email]
    if zalo_ids:
        n = len(zalo_ids)
        ngettext("%(n)s tài khoản Zalo", "%(n)s tài khoản Zalo", n)  # the msgids, for makemessages
        zalo = nmessage("%(n)s tài khoản Zalo", "%(n)s tài khoản Zalo", n)
        parts += [", " if parts else "", zalo]
    return parts


def message_text(narrative: Narrative, *, first: bool) -> tuple[str, str, str]:
    """(subject, e-mail body, short Zalo text) of the alert."""
    why = _why(narrative, first)
    subject = _("Cảnh báo: %(why)s – %(title)s") % {"why": why, "title": narrative.title[:120]}
    link = narrative_link(narrative)
    body = _(
        "%(why)s.\n\n“%(title)s”\nĐơn vị: %(unit)s\nMức rủi ro: %(risk)s %%\n"
        "Số tin: %(items)s, số nguồn: %(sources)s, tổng lượt tiếp cận: %(reach)s\n"
        "Tình trạng: %(status)s\n\nXem và xử lý tại: %(link)s"
    ) % {
        "why": why,
        "title": narrative.title,
        "unit": narrative.unit.name,
        "risk": round(narrative.risk * 100),
        "items": narrative.item_count,
        "sources": narrative.source_count,
        "reach": narrative.total_reach,
        "status": NarrativeStatus(narrative.status).label,
        "link": link,
    }
    short = _("%(why)s: “%(title)s” (rủi ro %(risk)s %%, %(items)s tin). %(link)s") % {
        "why": why,
        "title": narrative.title[:150],
        "risk": round(narrative.risk * 100),
        "items": narrative.item_count,
        "link": link,
    }
    return subject, body, short


def _claim(narrative: Narrative, now: Any) -> bool:
    """Take the right to alert this narrative: the alerted_* fields still as read."""
    return (
        Narrative.objects.filter(
            pk=narrative.pk,
            alerted_at=narrative.alerted_at,
            alerted_item_count=narrative.alerted_item_count,
        )
        .filter(
            Q(alerted_risk__isnull=True)
            if narrative.alerted_risk is None
            else Q(alerted_risk=narrative.alerted_risk)
        )
        .update(
            alerted_at=now, alerted_item_count=narrative.item_count, alerted_risk=narrative.risk
        )
        == 1
    )


def alert_one(narrative: Narrative) -> bool:
    """Alert about one narrative (claimed first); True when this call sent it."""
    first = narrative.alerted_at is None
    key = f"monitoring.alert:{narrative.pk}:{narrative.item_count}:{round(narrative.risk, 2)}"
    with transaction.atomic():
        if not _claim(narrative, timezone.now()):
            return False
        subject, body, short = message_text(narrative, first=first)
        emails, zalo_ids = recipients(narrative)
        ref = f"monitoring.narrative:{narrative.pk}"
        if emails or not zalo_ids:  # nobody at all: the outbox keeps it, flagged
            email_enqueue(
                to=emails, subject=subject, body=body, purpose="monitoring.alert", ref=ref, key=key
            )
        for zalo_id in zalo_ids:
            message_enqueue(
                channel="zalo",
                recipient=zalo_id,
                body=short,
                purpose="monitoring.alert",
                ref=ref,
                key=f"{key}:zalo:{zalo_id}",
            )
        # Stored to be shown in each reader's language; `text` in the worker's (the site's).
        said = message(
            gettext_noop("%(why)s. Đã gửi cảnh báo tới: %(who)s."),
            why=_why_said(narrative, first),
            who=_sent_to_said(emails, zalo_ids),
        )
        NarrativeEvent.objects.create(
            narrative=narrative, kind=EventKind.ALERT, text=render(said), message=said
        )
    return True


def send_alerts() -> int:
    """The periodic job: alert every narrative that is due (`due`); how many were alerted.
    One narrative that fails is logged and the others go on."""
    sent = 0
    for narrative in list(due()[:BATCH]):
        try:
            if alert_one(narrative):
                sent += 1
        except Exception:
            log.exception("monitoring: could not alert narrative %s", narrative.pk)
    return sent
