"""Opens and clicks of the e-bulletin's digest mails, counted once per person, privately.

Each digest mail (`BulletinSend`: one issue, one subscriber) carries a random token of its own:
- the HTML part shows a 1×1 GIF from /ban-tin/o/<token>.gif (`open_record`): the first load
  marks the mail opened; the answer sets no cookie and may not be cached, so a later open is
  not hidden by a proxy, and counts nothing twice;
- each link goes through /ban-tin/r/<token>/<n>/ (`click_follow`): the n-th link of that
  issue's mail (`BulletinIssue.links`, written when the issue was sent), and nothing else: the
  target is a path on this site that we wrote, never one taken from the request (no open
  redirect). A click marks the mail clicked, and opened too (a reader whose mail program
  blocks images still opened it), and the link clicked once per mail.
Nothing about the reader's address (IP) or browser is kept, and no third party is involved:
the pixel and the links are this site's. Pages show counts only (`issue_stats`,
`product_mail_stats`), never who opened what.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from congdoan.content import selectors
from congdoan.content.models import Product
from congdoan.content.models_bulletin import (
    BulletinClick,
    BulletinIssue,
    BulletinSend,
    BulletinSendClick,
)

# A transparent 1×1 GIF (GIF89a, one palette entry, transparency on).
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def public_products() -> QuerySet[Product]:
    """What the public site shows (selectors.public_site_q): the same products as its lists."""
    return Product.objects.filter(selectors.public_site_q())


def new_token() -> str:
    return secrets.token_urlsafe(24)


def issue_links(products: Sequence[Product], week_path: str) -> list[dict[str, Any]]:
    """The links of an issue's mail, in order: each product's page, then the issue's page."""
    links: list[dict[str, Any]] = [
        {"product": product.pk, "path": product.get_absolute_url()} for product in products
    ]
    links.append({"product": None, "path": week_path})
    return links


def pixel_path(token: str) -> str:
    return reverse("bulletin:open", args=[token])


def link_path(token: str, n: int) -> str:
    return reverse("bulletin:redirect", args=[token, n])


def send_create(*, issue: BulletinIssue, subscriber_id: int) -> BulletinSend:
    return BulletinSend.objects.create(issue=issue, subscriber_id=subscriber_id, token=new_token())


def open_record(token: str, now: datetime | None = None) -> bool:
    """The pixel was loaded: the mail is opened (True the first time only)."""
    if not token or len(token) > 64:
        return False
    return (
        BulletinSend.objects.filter(token=token, opened_at__isnull=True).update(
            opened_at=now or timezone.now()
        )
        == 1
    )


def _safe_path(path: Any) -> str | None:
    """A path on this site (never "//host", never a scheme): what a redirect may go to."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        return None
    if "\\" in path or any(ord(c) < 32 for c in path):
        return None
    return path


def count_click(issue: BulletinIssue, product_id: int) -> None:
    """One more click on the product in the issue (all clicks, not only the first)."""
    updated = BulletinClick.objects.filter(issue=issue, product_id=product_id).update(
        clicks=F("clicks") + 1
    )
    if not updated:
        try:
            with transaction.atomic():
                BulletinClick.objects.create(issue=issue, product_id=product_id, clicks=1)
        except IntegrityError:  # the first click of two at once
            BulletinClick.objects.filter(issue=issue, product_id=product_id).update(
                clicks=F("clicks") + 1
            )


def _link(token: str, n: int) -> tuple[BulletinSend, str, int | None] | None:
    """The mail of `token`, the path of its n-th link and that link's product, or None."""
    if not token or len(token) > 64:
        return None
    send = BulletinSend.objects.select_related("issue").filter(token=token).first()
    if send is None or not 1 <= n <= len(send.issue.links or []):
        return None
    link = send.issue.links[n - 1]
    path = _safe_path(link.get("path") if isinstance(link, dict) else None)
    if path is None:
        return None
    product_id = link.get("product")
    if product_id is not None and not public_products().filter(pk=product_id).exists():
        return None  # withdrawn from the public (or deleted) since the mail left
    return send, path, product_id


def link_of(token: str, n: int) -> str | None:
    """Where the n-th link of the mail leads (without counting: a HEAD request)."""
    found = _link(token, n)
    return found[1] if found else None


def click_follow(token: str, n: int, now: datetime | None = None) -> str | None:
    """Count a click on the n-th link of a mail; the path it leads to, or None (unknown token,
    no such link)."""
    found = _link(token, n)
    if found is None:
        return None
    send, path, product_id = found
    now = now or timezone.now()
    with transaction.atomic():
        BulletinSendClick.objects.bulk_create(
            [BulletinSendClick(send=send, position=n, product_id=product_id, clicked_at=now)],
            ignore_conflicts=True,
        )
        # The first click marks the mail clicked, and opened (if its pixel was not loaded).
        BulletinSend.objects.filter(pk=send.pk).update(
            clicked_at=Coalesce("clicked_at", Value(now)),
            opened_at=Coalesce("opened_at", Value(now)),
        )
        if product_id is not None:
            count_click(send.issue, product_id)
    return path


# --- counts for officers ---------------------------------------------------------------------


@dataclass
class ProductClicks:
    product_id: int
    title: str
    clickers: int  # people (mails) who clicked it at least once
    clicks: int  # all clicks


@dataclass
class IssueStats:
    sent: int  # mails with a token (sent since tracking began)
    opened: int  # of them, opened at least once
    clicked: int  # of them, with a link clicked at least once
    products: list[ProductClicks] = field(default_factory=list)

    @property
    def open_rate(self) -> int | None:
        return round(100 * self.opened / self.sent) if self.sent else None

    @property
    def click_rate(self) -> int | None:
        return round(100 * self.clicked / self.sent) if self.sent else None


def issue_stats(issue: BulletinIssue) -> IssueStats:
    sends = BulletinSend.objects.filter(issue=issue).aggregate(
        sent=Count("pk"),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
    )
    clickers = dict(
        BulletinSendClick.objects.filter(send__issue=issue, product__isnull=False)
        .values("product")
        .annotate(n=Count("send", distinct=True))
        .values_list("product", "n")
    )
    totals = dict(BulletinClick.objects.filter(issue=issue).values_list("product_id", "clicks"))
    ids = [link.get("product") for link in issue.links or [] if isinstance(link, dict)]
    titles = dict(Product.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "title"))
    rows = [
        ProductClicks(
            product_id=pid,
            title=titles[pid],
            clickers=clickers.get(pid, 0),
            clicks=totals.get(pid, 0),
        )
        for pid in ids
        if pid in titles
    ]
    return IssueStats(
        sent=sends["sent"], opened=sends["opened"], clicked=sends["clicked"], products=rows
    )


@dataclass
class MailFigures:
    """A product in the e-bulletin: the mails that carried it, how many of those were opened,
    how many people clicked it and how many clicks in all."""

    sent: int = 0
    opened: int = 0
    clickers: int = 0
    clicks: int = 0


def product_mail_stats(product_ids: Sequence[int]) -> dict[int, MailFigures]:
    """Per product: its e-bulletin figures (issues that linked it, over all their mails)."""
    wanted = set(product_ids)
    found: dict[int, MailFigures] = defaultdict(MailFigures)
    if not wanted:
        return {}
    # The issues that linked each product, read from their links (52 issues a year).
    issue_products: dict[int, set[int]] = {}
    for issue in BulletinIssue.objects.only("pk", "links"):
        linked = {
            int(link["product"])
            for link in issue.links or []
            if isinstance(link, dict) and link.get("product") in wanted
        }
        if linked:
            issue_products[issue.pk] = linked
    per_issue = {
        row["issue"]: row
        for row in BulletinSend.objects.filter(issue_id__in=list(issue_products))
        .values("issue")
        .annotate(sent=Count("pk"), opened=Count("pk", filter=Q(opened_at__isnull=False)))
    }
    for issue_id, products in issue_products.items():
        row = per_issue.get(issue_id)
        if row is None:
            continue
        for pid in products:
            found[pid].sent += row["sent"]
            found[pid].opened += row["opened"]
    for pid, n in (
        BulletinSendClick.objects.filter(product_id__in=wanted)
        .values("product")
        .annotate(n=Count("send", distinct=True))
        .values_list("product", "n")
    ):
        found[pid].clickers += n
    for pid, n in BulletinClick.objects.filter(product_id__in=wanted).values_list(
        "product_id", "clicks"
    ):
        found[pid].clicks += n
    return dict(found)
