"""The e-bulletin: double opt-in, one-click unsubscribe, a digest once a week, counted links
that lead only to this site's products, a subscribe form that cannot be used to spam."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from congdoan.content import bulletin
from congdoan.content.models import Product, ProductStatus, Sharing
from congdoan.content.models_bulletin import (
    BulletinClick,
    BulletinIssue,
    BulletinSubscriber,
    SubscriberStatus,
)
from congdoan.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

WEEK = bulletin.Week(2026, 45)  # 2–8 November 2026


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _published(cast: Any, title: str, week: bulletin.Week = WEEK, **fields: Any) -> Product:
    start, _end = week.bounds()
    defaults: dict[str, Any] = {
        "unit": cast.unit_a,
        "title": title,
        "slug": (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "tin")[:100],
        "summary": "Tóm tắt: " + title,
        "status": ProductStatus.PUBLISHED,
        "sharing": Sharing.PUBLIC,
        "published_at": start + timedelta(days=2, hours=9),
    }
    defaults.update(fields)
    return Product.objects.create(**defaults)


def _subscribe(client: Client, email: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post("/ban-tin/dang-ky/", {"email": email})


def _confirm_link(email: str) -> str:
    message = OutboundMessage.objects.get(recipient=email, purpose="content.bulletin.confirm")
    match = re.search(r"https?://\S+/ban-tin/xac-nhan/(\S+)/", message.body)
    assert match is not None
    return f"/ban-tin/xac-nhan/{match.group(1)}/"


def _digests(email: str) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(recipient=email, purpose="content.bulletin.digest"))


def _confirmed(email: str) -> BulletinSubscriber:
    return BulletinSubscriber.objects.create(
        email=email, status=SubscriberStatus.CONFIRMED, confirmed_at=timezone.now()
    )


def test_no_digest_is_sent_before_the_address_is_confirmed(
    cast: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _published(cast, "Hội nghị người lao động")
    _published(cast, "Tin tuần sau", week=WEEK.next())
    response = _subscribe(client, "ban.doc@example.vn", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    (confirm,) = OutboundMessage.objects.filter(recipient="ban.doc@example.vn")
    assert confirm.purpose == "content.bulletin.confirm"

    assert bulletin.digest_send(week=WEEK)["sent"] == 0
    assert _digests("ban.doc@example.vn") == []

    link = _confirm_link("ban.doc@example.vn")
    # Opening the link (a mail scanner does) confirms nothing: it shows a button.
    page = client.get(link)
    assert page.status_code == 200 and b"<button" in page.content
    assert BulletinSubscriber.objects.get().status == SubscriberStatus.PENDING
    assert client.post(link).status_code == 200
    assert BulletinSubscriber.objects.get().status == SubscriberStatus.CONFIRMED

    assert bulletin.digest_send(week=WEEK.next())["sent"] == 1
    (digest,) = _digests("ban.doc@example.vn")
    assert "Tin tuần sau" in digest.body


def test_a_forged_or_stale_confirmation_link_confirms_nothing(
    cast: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _subscribe(client, "a@example.vn", django_capture_on_commit_callbacks)
    subscriber = BulletinSubscriber.objects.get()
    forged = signing.Signer(salt=bulletin.CONFIRM_SALT).sign_object({"s": subscriber.pk})
    assert client.post(f"/ban-tin/xac-nhan/{forged}/").status_code == 404
    assert client.get(f"/ban-tin/xac-nhan/{forged}/").status_code == 404
    assert bulletin.subscription_confirm(token="khong-phai-token") is None
    # A link made for this row's old address does not confirm the new one.
    old = bulletin.confirm_token(subscriber)
    BulletinSubscriber.objects.filter(pk=subscriber.pk).update(email="b@example.vn")
    assert bulletin.subscription_confirm(token=old) is None
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_digest_of_a_week_is_sent_once_to_each_subscriber_with_unsubscribe_headers(
    cast: Any,
) -> None:
    _published(cast, "Tin một")
    _published(cast, "Tin nội bộ", sharing=Sharing.UNIT)  # not public: not in the digest
    _published(cast, "Bản nháp", status=ProductStatus.DRAFT, published_at=None)
    for email in ("a@example.vn", "b@example.vn"):
        _confirmed(email)
    BulletinSubscriber.objects.create(email="chua@example.vn")  # pending: nothing

    first = bulletin.digest_send(week=WEEK)
    again = bulletin.digest_send(week=WEEK)
    assert first == {"week": "2026-45", "sent": 2} and again == {"week": "2026-45", "sent": 0}
    assert BulletinIssue.objects.get().recipients == 2
    (mail,) = _digests("a@example.vn")
    assert len(_digests("b@example.vn")) == 1 and _digests("chua@example.vn") == []
    assert "Tin một" in mail.body and "Tin nội bộ" not in mail.body and "Bản nháp" not in mail.body
    unsubscribe = mail.headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/ban-tin/huy/" in unsubscribe
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in mail.body


def test_the_job_sends_last_week_from_monday_morning(cast: Any) -> None:
    _published(cast, "Tin")
    _confirmed("a@example.vn")
    tz = timezone.get_current_timezone()
    monday = WEEK.next().first_day
    early = datetime(monday.year, monday.month, monday.day, 6, 0, tzinfo=tz)
    assert bulletin.digest_send(now=early) == {"week": None, "sent": 0}
    later = early + timedelta(hours=2)
    assert bulletin.digest_send(now=later) == {"week": "2026-45", "sent": 1}
    assert bulletin.digest_send(now=later + timedelta(days=3))["sent"] == 0


def test_a_week_without_public_products_mails_nobody(cast: Any) -> None:
    _confirmed("a@example.vn")
    assert bulletin.digest_send(week=WEEK) == {"week": "2026-45", "sent": 0}
    assert _digests("a@example.vn") == []


def _unsubscribe_path(email: str) -> str:
    (mail,) = _digests(email)
    return "/" + mail.headers["List-Unsubscribe"].strip("<>").split("/", 3)[3]


def test_unsubscribe_page_shows_a_button_and_its_post_stops_the_mails(
    cast: Any, client: Client
) -> None:
    _published(cast, "Tin")
    _published(cast, "Tin sau", week=WEEK.next())
    _confirmed("a@example.vn")
    bulletin.digest_send(week=WEEK)
    path = _unsubscribe_path("a@example.vn")
    page = client.get(path)
    assert page.status_code == 200 and b"<button" in page.content
    assert BulletinSubscriber.objects.get().status == SubscriberStatus.CONFIRMED
    assert client.post(path).status_code == 200
    assert BulletinSubscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED
    assert bulletin.digest_send(week=WEEK.next())["sent"] == 0
    assert client.get("/ban-tin/huy/gia-mao/").status_code == 404


def test_mail_clients_one_click_post_unsubscribes_without_a_cookie(cast: Any) -> None:
    _published(cast, "Tin")
    _confirmed("a@example.vn")
    bulletin.digest_send(week=WEEK)
    path = _unsubscribe_path("a@example.vn")
    mail_client = Client(enforce_csrf_checks=True)  # RFC 8058: a bare POST, no CSRF cookie
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert BulletinSubscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED


def _click_path(email: str, title: str) -> str:
    (mail,) = _digests(email)
    lines = mail.body.splitlines()
    link = lines[lines.index(f"• {title}") + 2]
    return "/" + link.split("/", 3)[3]


def test_click_is_counted_and_leads_to_the_products_page_on_this_site(
    cast: Any, client: Client
) -> None:
    product = _published(cast, "Tin được bấm")
    _confirmed("a@example.vn")
    bulletin.digest_send(week=WEEK)
    path = _click_path("a@example.vn", "Tin được bấm")
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/tin/{cast.unit_a.code}/{product.slug}/"
    assert BulletinClick.objects.get(product=product).clicks == 2


def test_click_redirect_refuses_anything_but_a_genuine_token_for_a_public_product(
    cast: Any, client: Client
) -> None:
    product = _published(cast, "Tin")
    _confirmed("a@example.vn")
    bulletin.digest_send(week=WEEK)
    issue = BulletinIssue.objects.get()
    # A token naming an outside address, signed or not, leads nowhere.
    foreign = signing.Signer(salt=bulletin.CLICK_SALT).sign_object(
        {"i": issue.pk, "p": "https://evil.example/"}
    )
    for token in (foreign, "https:evil.example", "eyJ1IjoiaHR0cHM6Ly9ldmlsIn0:abc"):
        response = client.get(f"/ban-tin/c/{token}/")
        assert response.status_code == 404 and not response.has_header("Location")
    assert client.get("/ban-tin/c/x/?next=https://evil.example/").status_code == 404
    # A product withdrawn from the public after the mail left: no redirect either.
    path = _click_path("a@example.vn", "Tin")
    Product.objects.filter(pk=product.pk).update(sharing=Sharing.UNIT)
    assert client.get(path).status_code == 404
    assert not BulletinClick.objects.exists()


def test_subscribe_form_is_limited_per_client_and_mails_one_address_at_most_thrice_a_day(
    cast: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    for _attempt in range(bulletin.REQUESTS_PER_CLIENT_PER_HOUR):
        _subscribe(client, "nan.nhan@example.vn", django_capture_on_commit_callbacks)
    sent = OutboundMessage.objects.filter(recipient="nan.nhan@example.vn").count()
    assert sent == bulletin.CONFIRMATIONS_PER_ADDRESS_PER_DAY
    response = _subscribe(client, "khac@example.vn", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not OutboundMessage.objects.filter(recipient="khac@example.vn").exists()
    page = client.get(response["Location"])
    assert "quá nhiều yêu cầu" in page.content.decode()


def test_an_invalid_address_is_refused_and_a_subscribed_one_gets_no_mail(
    cast: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    response = _subscribe(client, "khong-phai-email", django_capture_on_commit_callbacks)
    assert "không hợp lệ" in client.get(response["Location"]).content.decode()
    _confirmed("da.nhan@example.vn")
    _subscribe(client, "DA.NHAN@example.vn ", django_capture_on_commit_callbacks)
    assert not OutboundMessage.objects.exists()


def test_bulletin_pages_escape_what_officers_typed(cast: Any, client: Client) -> None:
    _published(
        cast,
        "<script>alert(1)</script> Tin",
        slug="tin-script",
        summary='<img src=x onerror="alert(2)">',
    )
    page = client.get(f"/ban-tin/{WEEK.year}-{WEEK.week}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tin" in page and "<script>alert" not in page
    assert "<img src=x" not in page
    assert client.get("/ban-tin/").status_code == 200
    assert client.get("/ban-tin/2026-60/").status_code == 404


def test_the_bulletin_page_leads_with_the_latest_week_that_had_news(
    cast: Any, client: Client
) -> None:
    last = bulletin.last_complete_week()
    older = last.previous().previous()
    _published(cast, "Hội nghị người lao động năm 2027", week=older)
    page = client.get("/ban-tin/").content.decode()
    assert f"Tuần {older.week}/{older.year}" in page.split("Các số trước")[0]
    assert "Hội nghị người lao động năm 2027" in page
    assert "chưa có tin bài công khai" not in page

    _published(cast, "Tin của tuần trước", week=last)
    page = client.get("/ban-tin/").content.decode()
    assert f"Tuần {last.week}/{last.year}" in page.split("Các số trước")[0]
