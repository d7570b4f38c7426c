"""Website views of public products, counted without cookies and without storing addresses.

A visitor is known for one day only, by a hash in the cache: sha256 of a random salt made
for that day (kept in the cache, gone the day after), the address, the browser's user agent
and the product. Neither the address nor the hash is written to the database; once the
day's salt expires nobody, us included, can tell who read what.

Steps of `product_view_record` (called by the public product page):
1. a request from a robot (by its user agent, or with none), or a HEAD, is not counted;
2. the day's salt is taken from the cache, or made there with `cache.add` (atomic on every
   shared backend, so every process uses the same salt);
3. the visitor's hash takes its key with `cache.add`: only the first view of the day adds it;
4. that first view adds one to ProductViewDay (update with F(), else insert; an insert that
   lost the race becomes the update) and to Product.view_count, in one transaction.
Any error is logged and swallowed: counting never breaks or slows the page for a reader.

Reads by signed-in members (`product_read_record`) are another matter: the plan's "reached"
figure needs to know that a member read a product. A signed-in user who is a `Member` opening
a public product's page writes one `ProductRead(member, product, first_read_on)`, once: an
`INSERT … ON CONFLICT DO NOTHING` (bulk_create with ignore_conflicts), skipped altogether for
a day after it by a cache key, so a member reading again costs one cache look-up. No page
shows who read what; selectors give counts and member ids to the plan's reports only.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import date, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from congdoan.content.models import Product, ProductRead, ProductViewDay
from congdoan.core.request_context import client_ip
from congdoan.orgs.selectors import member_id_of

logger = logging.getLogger(__name__)

# Robots announce themselves in their user agent. Link previews (Facebook, Zalo's and
# Telegram's fetchers, Slack…) are robots too: a shared link is not a reader. Zalo's own
# in-app browser says "Zalo" as well, so that word alone is not a robot.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|fetch|preview|facebookexternalhit|facebookcatalog"
    r"|headless|lighthouse|pingdom|uptime|monitor|curl/|wget/|python-|httpx|go-http|java/"
    r"|okhttp|axios|node-fetch|libwww|feed|rss|validator|archiver",
    re.IGNORECASE,
)
SEEN_FOR = timedelta(days=1, hours=1)  # the visitor's key outlives the day it counts


def is_bot(user_agent: str) -> bool:
    """True for a robot's user agent, or for none at all (browsers always send one)."""
    return not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def _day_salt(day: date) -> str:
    key = f"content:view-salt:{day.isoformat()}"
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_hex(16), timeout=int(SEEN_FOR.total_seconds()))
        salt = cache.get(key)
    return str(salt)


def visitor_hash(*, request: HttpRequest, product_id: int, day: date) -> str:
    """The visitor's key for this product on this day (nothing in it can be reversed)."""
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    text = f"{_day_salt(day)}|{client_ip(request)}|{user_agent}|{product_id}"
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def product_view_add(*, product_id: int, day: date) -> None:
    """One more view of the product on that day, in the daily row and the product's total."""
    with transaction.atomic():
        updated = ProductViewDay.objects.filter(product_id=product_id, day=day).update(
            views=F("views") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    ProductViewDay.objects.create(product_id=product_id, day=day, views=1)
            except IntegrityError:  # another process made the row first
                ProductViewDay.objects.filter(product_id=product_id, day=day).update(
                    views=F("views") + 1
                )
        Product.objects.filter(pk=product_id).update(view_count=F("view_count") + 1)


def product_view_record(*, request: HttpRequest, product_id: int) -> bool:
    """Count a reader's view of a public product once a day; True when it was counted."""
    try:
        if request.method != "GET" or is_bot(request.META.get("HTTP_USER_AGENT", "")):
            return False
        day = timezone.localdate()
        digest = visitor_hash(request=request, product_id=product_id, day=day)
        key = f"content:viewed:{digest}"
        # A read first: the database cache counts its table on every write (`add` included).
        if cache.get(key) is not None:
            return False
        if not cache.add(key, 1, timeout=int(SEEN_FOR.total_seconds())):
            return False
        product_view_add(product_id=product_id, day=day)
        return True
    except Exception:
        logger.exception("content: could not count a view of product %s", product_id)
        return False


READ_REMEMBERED_FOR = timedelta(days=1)


def product_read_record(*, request: HttpRequest, product_id: int) -> bool:
    """Note that the signed-in member read the product (kept from the first time on); True
    when the read was noted. Anonymous readers and users who are not members are not."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or request.method != "GET":
        return False
    try:
        key = f"content:read:{user.pk}:{product_id}"
        if not cache.add(key, 1, timeout=int(READ_REMEMBERED_FOR.total_seconds())):
            return False  # recorded (or found not a member) within the day
        member_id = member_id_of(user.pk)
        if member_id is None:
            return False
        ProductRead.objects.bulk_create(
            [ProductRead(member_id=member_id, product_id=product_id)], ignore_conflicts=True
        )
        return True
    except Exception:
        logger.exception("content: could not record a read of product %s", product_id)
        return False
