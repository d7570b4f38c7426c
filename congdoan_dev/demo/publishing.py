"""The demo's channels and reach: where LĐLĐ huyện Phú Xuyên's products went and how far.

- four channel accounts, clearly demo ("(mẫu)" in their names, "demo-…" ids, no token at all:
  a post to one fails at once, "chưa có mã truy cập", without asking the platform): the
  district's Facebook page, YouTube channel and Zalo OA, and May Phú Minh's Facebook page;
- the district's public products posted there, each a few minutes after it was published
  (to Facebook; to YouTube only with a video and to Zalo only with a photo, as the senders
  require, so the demo's text-only products go to Facebook alone),
  with the figures the platforms would have given over the 30 days they are read
  (`PublicationMetrics`, and one `PublicationMetricsDay` a day); a post on May Phú Minh's
  page (under 100 likes, so Facebook gives it no insights) would keep reach and clicks "—", as
  the real job does, but its products so far stay inside the union;
- the e-bulletin's subscribers (example.com addresses) and three past issues with their mails,
  opens and clicks, so the reach page and the issue pages have figures;
- the district's two latest public news items read aloud (espeak-ng, when installed), so the
  podcast and the public pages' player have something to play.

Figures come from a seeded random generator: the same on every run. Idempotent: the accounts
are the marker (a second run adds nothing).
"""

from __future__ import annotations

import math
import random
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from congdoan.content import audio, bulletin, bulletin_tracking
from congdoan.content.models import MediaKind, Product, ProductVersion
from congdoan.content.models_bulletin import (
    BulletinClick,
    BulletinIssue,
    BulletinSend,
    BulletinSendClick,
    BulletinSubscriber,
    SubscriberStatus,
)
from congdoan.orgs.models import Unit
from congdoan.publishing.models import (
    AccountStatus,
    ChannelAccount,
    ChannelChoice,
    ChannelKind,
    Publication,
    PublicationStatus,
)
from congdoan.publishing.models_metrics import PublicationMetrics, PublicationMetricsDay
from congdoan.publishing.publications import product_version, publication_key

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAYS_READ = 30  # REACH_FETCH_DAYS: how long a post's figures keep being read

# (unit code, kind, name, external id)
ACCOUNTS = [
    ("PX", ChannelKind.FACEBOOK_PAGE, "Công đoàn huyện Phú Xuyên (trang mẫu)", "demo-fb-px"),
    ("PX", ChannelKind.YOUTUBE, "LĐLĐ huyện Phú Xuyên (kênh mẫu)", "demo-yt-px"),
    ("PX", ChannelKind.ZALO_OA, "Công đoàn Phú Xuyên (OA mẫu)", "demo-zalo-px"),
    (
        "PX-MAY-PHUMINH",
        ChannelKind.FACEBOOK_PAGE,
        "CĐCS May Phú Minh (trang mẫu)",
        "demo-fb-phuminh",
    ),
]

# The kinds of product the district sends its Zalo OA's followers (those with a photo).
ZALO_KINDS = {"news", "explainer", "e_bulletin", "event"}

# The e-bulletin's list: (confirmed subscribers, pending, unsubscribed).
SUBSCRIBERS = (46, 3, 2)
ISSUES = 3  # the last weeks with public products, each mailed on the Monday after
AUDIO_KINDS = ("news", "explainer")  # read aloud: the podcast has something to play


def seed(stdout: Any = None) -> None:
    if ChannelAccount.objects.filter(external_id__startswith="demo-").exists():
        return
    with transaction.atomic():
        rng = random.Random(14)
        accounts = _accounts()
        posts = _publications(accounts, rng)
        issues, sends = _bulletin(rng)
    spoken = _audio()
    if stdout is not None:
        stdout.write(
            f"  {len(accounts)} kênh mẫu, {posts} lượt đăng có số liệu tiếp cận; "
            f"bản tin điện tử: {issues} số đã gửi, {sends} thư; {spoken} bản tin âm thanh"
        )


def _audio() -> int:
    """The district's two latest public news items read aloud (the podcast and the public
    pages' player), when espeak-ng is installed; without it the demo goes on without."""
    engine = audio.get_engine()
    if engine.unavailable():
        return 0
    products = (
        bulletin_tracking.public_products()
        .filter(unit__code="PX", kind__in=AUDIO_KINDS)
        .select_related("unit")
        .order_by("-published_at")[:2]
    )
    made = 0
    for product in products:
        try:
            audio.product_audio_render(product=product, engine=engine)
        except audio.SpeechFailed:  # a voice that fails leaves the demo without audio
            continue
        made += 1
    return made


def _accounts() -> list[ChannelAccount]:
    units = {u.code: u for u in Unit.objects.filter(code__in={a[0] for a in ACCOUNTS})}
    now = timezone.now()
    made = []
    for code, kind, name, external_id in ACCOUNTS:
        made.append(
            ChannelAccount.objects.create(
                unit=units[code],
                kind=kind,
                display_name=name,
                external_id=external_id,
                status=AccountStatus.CONNECTED,
                # No refresh is due before the grant's end, two months away (no warning yet).
                access_token_expires_at=(now + timedelta(days=60))
                if kind == ChannelKind.ZALO_OA
                else None,
                refresh_token_expires_at=now + timedelta(days=60),
                created_at=datetime(2026, 3, 2, 9, 0, tzinfo=TZ),
            )
        )
    return made


def _targets(product: Product, accounts: list[ChannelAccount]) -> list[ChannelAccount]:
    """Where the unit would have posted it: Facebook everything public; YouTube only a product
    with a video and Zalo only one with a photo, as the real senders require."""
    own = [a for a in accounts if a.unit_id == product.unit_id]
    kinds = set(product.media.values_list("kind", flat=True))
    return [
        a
        for a in own
        if a.kind == ChannelKind.FACEBOOK_PAGE
        or (a.kind == ChannelKind.YOUTUBE and MediaKind.VIDEO in kinds)
        or (
            a.kind == ChannelKind.ZALO_OA
            and MediaKind.PHOTO in kinds
            and product.kind in ZALO_KINDS
        )
    ]


def _final(kind: str, small_page: bool, rng: random.Random) -> dict[str, int | None]:
    """The figures a post has after 30 days (None where the platform gives none)."""
    if kind == ChannelKind.FACEBOOK_PAGE:
        scale = 0.15 if small_page else 1.0
        reach = int(rng.randint(900, 4200) * scale)
        return {
            "reach": None if small_page else reach,
            "views": None,
            "reactions": max(3, reach * rng.randint(4, 9) // 100),
            "comments": rng.randint(1, 6) if small_page else rng.randint(6, 45),
            "shares": rng.randint(0, 5) if small_page else rng.randint(8, 70),
            "clicks": None if small_page else reach * rng.randint(3, 8) // 100,
        }
    if kind == ChannelKind.YOUTUBE:
        views = rng.randint(180, 950)
        return {
            "reach": None,
            "views": views,
            "reactions": views * rng.randint(4, 8) // 100,
            "comments": rng.randint(1, 12),
            "shares": None,
            "clicks": None,
        }
    views = rng.randint(400, 1800)  # Zalo OA: total_view, total_share
    return {
        "reach": None,
        "views": views,
        "reactions": None,
        "comments": None,
        "shares": rng.randint(4, 35),
        "clicks": None,
    }


def _on_day(final: dict[str, int | None], day: int) -> dict[str, int | None]:
    """The figures after `day` days: most of a post's reach comes in its first three days."""
    part = (1 - math.exp(-day / 2.2)) / (1 - math.exp(-DAYS_READ / 2.2))
    return {name: None if value is None else round(value * part) for name, value in final.items()}


def _publications(accounts: list[ChannelAccount], rng: random.Random) -> int:
    # Only what the public site shows: a channel post links to its public page.
    products = (
        bulletin_tracking.public_products()
        .filter(published_at__isnull=False, unit__in={a.unit_id for a in accounts})
        .order_by("published_at", "pk")
    )
    count = 0
    for product in products:
        assert product.published_at is not None
        # The version that was published (a later correction is not what was posted then).
        version = (
            ProductVersion.objects.filter(product=product, created_at__lte=product.published_at)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        ) or product_version(product)
        for account in _targets(product, accounts):
            posted = product.published_at + timedelta(minutes=rng.randint(3, 40))
            # Ticked on the product's channel page before it was published, as an officer does.
            ChannelChoice.objects.create(
                product=product,
                account=account,
                chosen_by=product.author,
                created_at=product.published_at - timedelta(hours=2),
            )
            small = account.external_id == "demo-fb-phuminh"
            publication = Publication.objects.create(
                product=product,
                unit_id=product.unit_id,
                account=account,
                kind=account.kind,
                account_name=account.display_name,
                version=version,
                idempotency_key=publication_key(product, version, account),
                status=PublicationStatus.PUBLISHED,
                remote_id=f"{account.external_id}-{product.pk}",
                created_by=None,
                created_at=posted,
                published_at=posted,
            )
            final = _final(account.kind, small, rng)
            for day in range(1, DAYS_READ + 1):
                PublicationMetricsDay.objects.create(
                    publication=publication,
                    day=(posted.astimezone(TZ) + timedelta(days=day)).date(),
                    **_on_day(final, day),
                )
            last = datetime.combine(
                (posted.astimezone(TZ) + timedelta(days=DAYS_READ)).date(), time(6, 0), TZ
            )
            PublicationMetrics.objects.create(
                publication=publication,
                fetched_at=last,
                tried_at=last,
                raw={"demo": True},
                **final,
            )
            count += 1
    return count


def _bulletin(rng: random.Random) -> tuple[int, int]:
    confirmed, pending, gone = SUBSCRIBERS
    start = datetime(2026, 3, 16, 20, 0, tzinfo=TZ)
    subscribers = []
    for n in range(confirmed + pending + gone):
        joined = start + timedelta(days=n * 5, hours=rng.randint(0, 40))
        status = (
            SubscriberStatus.CONFIRMED
            if n < confirmed
            else SubscriberStatus.PENDING
            if n < confirmed + pending
            else SubscriberStatus.UNSUBSCRIBED
        )
        subscribers.append(
            BulletinSubscriber.objects.create(
                email=f"doanvien{n + 1:02d}@example.com",
                status=status,
                created_at=joined,
                confirm_sent_at=joined,
                confirmed_at=None
                if status == SubscriberStatus.PENDING
                else joined + timedelta(minutes=rng.randint(2, 300)),
                unsubscribed_at=joined + timedelta(days=40)
                if status == SubscriberStatus.UNSUBSCRIBED
                else None,
            )
        )
    now = timezone.now()
    weeks = [
        week
        for week, _count in bulletin.recent_weeks(limit=12)
        if week.first_day >= start.date() and week.last_day < now.astimezone(TZ).date()
    ][:ISSUES]
    sends = 0
    for week in weeks:
        if BulletinIssue.objects.filter(year=week.year, week=week.week).exists():
            continue
        products = bulletin.digest_products(week)
        sent_at = datetime.combine(week.last_day + timedelta(days=1), time(7, 0), TZ)
        issue = BulletinIssue.objects.create(
            year=week.year,
            week=week.week,
            sent_at=sent_at,
            products=len(products),
            links=bulletin_tracking.issue_links(
                products, reverse("bulletin:week", args=[week.year, week.week])
            ),
        )
        readers = [
            s
            for s in subscribers
            if s.confirmed_at is not None
            and s.confirmed_at < sent_at
            and (s.unsubscribed_at is None or s.unsubscribed_at > sent_at)
        ]
        for subscriber in readers:
            send = bulletin_tracking.send_create(issue=issue, subscriber_id=subscriber.pk)
            if rng.random() < 0.58:
                opened = sent_at + timedelta(minutes=rng.randint(20, 60 * 30))
                clicked = None
                for position, product in enumerate(products):
                    if rng.random() < 0.3:
                        clicked = clicked or opened + timedelta(minutes=1)
                        BulletinSendClick.objects.create(
                            send=send, position=position, product=product, clicked_at=clicked
                        )
                        click, _ = BulletinClick.objects.get_or_create(issue=issue, product=product)
                        BulletinClick.objects.filter(pk=click.pk).update(
                            clicks=click.clicks + rng.randint(1, 2)
                        )
                BulletinSend.objects.filter(pk=send.pk).update(opened_at=opened, clicked_at=clicked)
            sends += 1
        BulletinIssue.objects.filter(pk=issue.pk).update(recipients=len(readers))
    return len(weeks), sends
