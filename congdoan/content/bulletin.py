"""The e-bulletin ("Bản tin điện tử"): a weekly digest of the deployment's public products.

- The digest of an ISO week is its public products published that week (`digest_products`),
  shown at /ban-tin/<year>-<week>/ and mailed to the confirmed subscribers once the week is
  over (`digest_send`, a periodic job): a `BulletinIssue` row is written in the same
  transaction as the mails, and each mail has an idempotency key per subscriber and week, so a
  week is sent once however often the job runs.
- Subscribing is double opt-in: `subscription_request` keeps the address PENDING and mails a
  link with a signed, dated token; only `subscription_confirm` (following it) makes it
  CONFIRMED. The form is rate-limited per client and per address, and answers the same words
  whether or not the address was known, so it cannot be used to mail someone over and over or
  to learn who subscribed.
- Every digest carries a one-click unsubscribe link (a signed token of the subscriber) in its
  text and in the `List-Unsubscribe` / `List-Unsubscribe-Post` headers (RFC 8058).
- Opens and clicks (bulletin_tracking.py): each mail has its own random token; its HTML part
  loads a 1×1 pixel and its links go through /ban-tin/r/<token>/<n>/, which leads only to the
  n-th link of that issue's mail, so opens and clicks are counted once per person, with no
  address, no cookie and no third party kept. Mails sent before that carried
  /ban-tin/c/<token>/ (a signed token of issue and product): those links keep working.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.content import bulletin_tracking
from congdoan.content.models import Product
from congdoan.content.models_bulletin import (
    BulletinIssue,
    BulletinSubscriber,
    SubscriberStatus,
)
from congdoan.core import ratelimit
from congdoan.core.vndate import vn_short_date
from congdoan.orgs.scoping import Viewer, scope_for
from congdoan.outbox.services import email_enqueue

log = logging.getLogger("congdoan.content.bulletin")

CONFIRM_SALT = "content.bulletin.confirm"
UNSUBSCRIBE_SALT = "content.bulletin.unsubscribe"
CLICK_SALT = "content.bulletin.click"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # a confirmation link works for a week
REQUESTS_PER_CLIENT_PER_HOUR = 5  # subscribe form posts from one address (IP)
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3  # confirmation mails to one e-mail address
# The digest of a week leaves on the Monday after it, from this local hour.
SEND_AFTER = time(7, 0)


def absolute(path: str) -> str:
    """The address of a path on this deployment's canonical site (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


# --- weeks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    year: int
    week: int

    @property
    def first_day(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.week:02d}"

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the week in local time."""
        tz = timezone.get_current_timezone()
        start = datetime.combine(self.first_day, time.min, tzinfo=tz)
        return start, start + timedelta(days=7)

    def previous(self) -> Week:
        return week_of(self.first_day - timedelta(days=7))

    def next(self) -> Week:
        return week_of(self.first_day + timedelta(days=7))


def week_of(day: date) -> Week:
    iso = day.isocalendar()
    return Week(iso.year, iso.week)


def week_from(year: int, week: int) -> Week | None:
    """The ISO week, or None when it does not exist (week 53 of most years, year 0…)."""
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return Week(year, week)


def last_complete_week(now: datetime | None = None) -> Week:
    return week_of(timezone.localtime(now or timezone.now()).date()).previous()


# --- the digest ------------------------------------------------------------------------------


def public_products() -> QuerySet[Product]:
    """What the public site shows, as the site's own lists do (selectors.public_site_q)."""
    return bulletin_tracking.public_products().select_related("unit")


def digest_products(week: Week) -> list[Product]:
    start, end = week.bounds()
    return list(
        public_products()
        .filter(published_at__gte=start, published_at__lt=end)
        .order_by("published_at", "pk")
    )


def latest_issue(now: datetime | None = None) -> tuple[Week, list[Product]]:
    """What the e-bulletin's page leads with: the last complete week, or, when it had no public
    product, the latest earlier week that had (a reader never lands on an empty issue)."""
    week = last_complete_week(now)
    products = digest_products(week)
    if not products:
        for earlier, _count in recent_weeks():
            if earlier.first_day < week.first_day:
                return earlier, digest_products(earlier)
    return week, products


def recent_weeks(limit: int = 12) -> list[tuple[Week, int]]:
    """The latest weeks that have public products, newest first, with how many."""
    counts: dict[Week, int] = {}
    dates = public_products().order_by("-published_at").values_list("published_at", flat=True)
    for published_at in dates[:2000].iterator():
        if published_at is None:
            continue
        week = week_of(timezone.localtime(published_at).date())
        if week not in counts and len(counts) >= limit:
            break
        counts[week] = counts.get(week, 0) + 1
    return list(counts.items())


# --- tokens ----------------------------------------------------------------------------------


def confirm_token(subscriber: BulletinSubscriber) -> str:
    # The address is in the token: a link mailed to an old address cannot confirm a new one.
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"s": subscriber.pk, "e": subscriber.email}
    )


def unsubscribe_token(subscriber: BulletinSubscriber) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"s": subscriber.pk})


def click_token(issue: BulletinIssue, product: Product) -> str:
    return signing.Signer(salt=CLICK_SALT).sign_object({"i": issue.pk, "p": product.pk})


def _unsign(
    signer: signing.Signer, token: str, ints: tuple[str, ...], max_age: int | None = None
) -> dict[str, Any] | None:
    """The token's object when it is genuine and its `ints` are integers; else None."""
    try:
        if isinstance(signer, signing.TimestampSigner):
            data = signer.unsign_object(token, max_age=max_age)
        else:
            data = signer.unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ints):
        return None
    return data


def subscriber_from_unsubscribe_token(token: str) -> BulletinSubscriber | None:
    data = _unsign(signing.Signer(salt=UNSUBSCRIBE_SALT), token, ("s",))
    if data is None:
        return None
    return BulletinSubscriber.objects.filter(pk=int(data["s"])).first()


# --- subscribing -----------------------------------------------------------------------------


class SubscribeResult:
    QUEUED = "queued"  # the same answer whether a mail left or not (see the module's docstring)
    INVALID = "invalid"
    LIMITED = "limited"


def subscription_request(*, email: str, client: str, now: datetime | None = None) -> str:
    """Someone typed an address in the form: mail it a confirmation link, within the limits.

    An address that already receives the bulletin gets nothing (it is subscribed); one that
    unsubscribed is PENDING again and must confirm again.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return SubscribeResult.INVALID
    if not ratelimit.hit(
        f"bulletin:subscribe:{client}", limit=REQUESTS_PER_CLIENT_PER_HOUR, window=3600
    ):
        return SubscribeResult.LIMITED
    now = now or timezone.now()
    with transaction.atomic():
        subscriber, _created = BulletinSubscriber.objects.get_or_create(email=email)
        if subscriber.status == SubscriberStatus.CONFIRMED:
            return SubscribeResult.QUEUED
        if not ratelimit.hit(
            f"bulletin:confirm:{subscriber.pk}",
            limit=CONFIRMATIONS_PER_ADDRESS_PER_DAY,
            window=24 * 3600,
        ):
            return SubscribeResult.QUEUED  # said the same way: no hint about the address
        BulletinSubscriber.objects.filter(pk=subscriber.pk).update(
            status=SubscriberStatus.PENDING, confirm_sent_at=now
        )
        link = absolute(reverse("bulletin:confirm", args=[confirm_token(subscriber)]))
        body = _(
            "Xin chào,\n\n"
            "Ai đó (có thể là bạn) đã đăng ký nhận Bản tin điện tử của Công Đoàn Số bằng địa chỉ "
            "này. Để bắt đầu nhận bản tin hằng tuần, hãy mở đường dẫn sau trong vòng 7 ngày:\n\n"
            "%(link)s\n\n"
            "Nếu bạn không đăng ký, hãy bỏ qua thư này: bạn sẽ không nhận thêm thư nào."
        ) % {"link": link}
        email_enqueue(
            to=[email],
            subject=_("Xác nhận đăng ký Bản tin điện tử"),
            body=body,
            purpose="content.bulletin.confirm",
            ref=f"content.bulletin_subscriber:{subscriber.pk}",
        )
    return SubscribeResult.QUEUED


def _confirm_data(token: str) -> dict[str, Any] | None:
    return _unsign(
        signing.TimestampSigner(salt=CONFIRM_SALT), token, ("s",), max_age=CONFIRM_MAX_AGE
    )


def confirm_token_valid(token: str) -> bool:
    """Whether a confirmation link is genuine and fresh (its page then shows the button)."""
    return _confirm_data(token) is not None


def subscription_confirm(*, token: str, now: datetime | None = None) -> BulletinSubscriber | None:
    """The link of the confirmation mail: the address now receives the digest."""
    data = _confirm_data(token)
    if data is None:
        return None
    subscriber = BulletinSubscriber.objects.filter(pk=int(data["s"]), email=data.get("e")).first()
    if subscriber is None:
        return None
    if subscriber.status == SubscriberStatus.PENDING:
        BulletinSubscriber.objects.filter(pk=subscriber.pk, status=SubscriberStatus.PENDING).update(
            status=SubscriberStatus.CONFIRMED, confirmed_at=now or timezone.now()
        )
        subscriber.refresh_from_db()
    return subscriber


def subscription_cancel(*, subscriber: BulletinSubscriber, now: datetime | None = None) -> bool:
    """One click: the address receives nothing more (True when this call stopped it)."""
    return (
        BulletinSubscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=SubscriberStatus.UNSUBSCRIBED)
        .update(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=now or timezone.now())
        == 1
    )


# --- clicks ----------------------------------------------------------------------------------


def click_follow(token: str) -> str | None:
    """Count a click on a product of an issue; the path of its public page, or None.

    The token names an issue and a product, never an address: the answer is always a path on
    this site, and only for a product the public may still see.
    """
    data = _unsign(signing.Signer(salt=CLICK_SALT), token, ("i", "p"))
    if data is None:
        return None
    product = public_products().filter(pk=int(data["p"])).first()
    issue = BulletinIssue.objects.filter(pk=int(data["i"])).first()
    if product is None or issue is None:
        return None
    bulletin_tracking.count_click(issue, product.pk)
    return product.get_absolute_url()


def issue_stats_for(*, viewer: Viewer, week: Week) -> bulletin_tracking.IssueStats | None:
    """The mail figures of a sent issue, for officers (counts only); None for anyone else or a
    week that was not sent."""
    if not scope_for(viewer).is_officer:
        return None
    issue = BulletinIssue.objects.filter(year=week.year, week=week.week).first()
    return bulletin_tracking.issue_stats(issue) if issue is not None else None


# --- sending ---------------------------------------------------------------------------------


def _digest_text(week: Week, products: list[Product], link: Callable[[int], str]) -> str:
    """The digest's text; `link(n)` is the address of the mail's n-th link (its products in
    order, then the issue's page: `bulletin_tracking.issue_links`)."""
    lines = [_heading(week), ""]
    for n, product in enumerate(products, start=1):
        lines += [f"• {product.title}"]
        if product.summary:
            lines += [product.summary.strip()]
        lines += [link(n), ""]
    lines += [
        _("Xem bản tin trên trang web: %(link)s") % {"link": link(len(products) + 1)},
        "",
    ]
    return "\n".join(lines)


def _heading(week: Week) -> str:
    return _("Bản tin điện tử Công Đoàn Số, tuần %(week)s (%(first)s – %(last)s)") % {
        "week": week.week,
        "first": week.first_day.strftime("%d/%m"),
        "last": vn_short_date(week.last_day),
    }


def _digest_html(
    week: Week, products: list[Product], link: Callable[[int], str], *, pixel: str, unsubscribe: str
) -> str:
    """The same digest as HTML (links through `link`, the open pixel at the end)."""
    return render_to_string(
        "content/bulletin/email.html",
        {
            "heading": _heading(week),
            "items": [(product, link(n)) for n, product in enumerate(products, start=1)],
            "week_link": link(len(products) + 1),
            "pixel": pixel,
            "unsubscribe": unsubscribe,
        },
    )


def _unsubscribe_line(link: str) -> str:
    return _("Bạn nhận thư này vì đã đăng ký và xác nhận. Hủy nhận bằng một lần bấm: %(link)s") % {
        "link": link
    }


def due_week(now: datetime | None = None) -> Week | None:
    """The week whose digest may leave now: the last complete one, from Monday SEND_AFTER."""
    local = timezone.localtime(now or timezone.now())
    if local.weekday() == 0 and local.time() < SEND_AFTER:
        return None
    return last_complete_week(local)


def digest_send(*, now: datetime | None = None, week: Week | None = None) -> dict[str, Any]:
    """The periodic job: mail the last complete week's digest once to each confirmed subscriber.

    The issue row, the mails and their keys are written in one transaction: if it fails,
    nothing is recorded and the next run tries again; once it committed, later runs find the
    issue and send nothing. A week without public products is recorded and sends no mail.
    """
    week = week or due_week(now)
    if week is None:
        return {"week": None, "sent": 0}
    if BulletinIssue.objects.filter(year=week.year, week=week.week).exists():
        return {"week": week.slug, "sent": 0}
    products = digest_products(week)
    subject = _("Bản tin điện tử tuần %(week)s/%(year)s") % {"week": week.week, "year": week.year}
    sent = 0
    try:
        with transaction.atomic():
            issue = BulletinIssue.objects.create(
                year=week.year,
                week=week.week,
                products=len(products),
                links=bulletin_tracking.issue_links(
                    products, reverse("bulletin:week", args=[week.year, week.week])
                ),
            )
            if products:
                subscribers = BulletinSubscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
                for subscriber in subscribers.iterator():
                    # Each mail its own token: its opens and clicks count once (tracking).
                    token = bulletin_tracking.send_create(
                        issue=issue, subscriber_id=subscriber.pk
                    ).token

                    def link(n: int, token: str = token) -> str:
                        return absolute(bulletin_tracking.link_path(token, n))

                    unsubscribe = absolute(
                        reverse("bulletin:unsubscribe", args=[unsubscribe_token(subscriber)])
                    )
                    email_enqueue(
                        to=[subscriber.email],
                        subject=subject,
                        body=_digest_text(week, products, link)
                        + "\n"
                        + _unsubscribe_line(unsubscribe),
                        html=_digest_html(
                            week,
                            products,
                            link,
                            pixel=absolute(bulletin_tracking.pixel_path(token)),
                            unsubscribe=unsubscribe,
                        ),
                        purpose="content.bulletin.digest",
                        ref=f"content.bulletin_issue:{issue.pk}",
                        key=f"content.bulletin:{week.slug}:{subscriber.pk}",
                        headers={
                            "List-Unsubscribe": f"<{unsubscribe}>",
                            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                        },
                    )
                    sent += 1
            BulletinIssue.objects.filter(pk=issue.pk).update(recipients=sent)
    except IntegrityError:  # another run sent this week at the same moment
        return {"week": week.slug, "sent": 0}
    log.info("bulletin: week %s sent to %s subscribers", week.slug, sent)
    return {"week": week.slug, "sent": sent}
