"""Opens and clicks of the e-bulletin's digest mails: each mail its own token, a 1×1 pixel
that sets no cookie, redirects only to the links that were in that mail, counts once per
person, no address kept, figures shown to officers only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from congdoan.content import bulletin, bulletin_tracking
from congdoan.content.models import Product, Sharing
from congdoan.content.models_bulletin import BulletinClick, BulletinSend, BulletinSendClick
from congdoan.content.tests.test_bulletin import WEEK, _confirmed, _digests, _published
from congdoan.outbox.delivery import message_deliver

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"


def _links(email: str) -> list[str]:
    """The tracked links of the address's digest (text part), as paths on this site."""
    (message,) = _digests(email)
    return [
        "/" + url.split("/", 3)[3]
        for url in re.findall(r"https?://\S+/ban-tin/r/\S+/\d+/", message.body)
    ]


def _pixel(email: str) -> str:
    (message,) = _digests(email)
    match = re.search(r'<img src="https?://[^/"]+(/ban-tin/o/[^"]+\.gif)"', message.html)
    assert match is not None
    return match.group(1)


@pytest.fixture
def sent(cast: Any) -> tuple[Product, Product]:
    first = _published(cast, "Hội nghị người lao động")
    second = _published(cast, "Tháng Công nhân")
    _confirmed("a@example.vn")
    _confirmed("b@example.vn")
    bulletin.digest_send(week=WEEK)
    return first, second


def test_each_mail_has_its_own_token_in_its_links_and_its_pixel(
    sent: tuple[Product, Product],
) -> None:
    a_links, b_links = _links("a@example.vn"), _links("b@example.vn")
    assert len(a_links) == 3  # two products, then the issue's page
    assert a_links[0].endswith("/1/") and a_links[2].endswith("/3/")
    token_a = a_links[0].split("/")[3]
    token_b = b_links[0].split("/")[3]
    assert token_a != token_b and len(token_a) >= 32
    assert token_a in _pixel("a@example.vn")
    (message,) = _digests("a@example.vn")
    assert "Hội nghị người lao động" in message.html and "/ban-tin/huy/" in message.html
    assert BulletinSend.objects.count() == 2


def test_the_mail_leaves_as_text_with_an_html_alternative(
    sent: tuple[Product, Product], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (message,) = _digests("a@example.vn")
    message_deliver(message_id=message.pk)
    (out,) = mail.outbox
    assert "/ban-tin/r/" in out.body
    ((html, kind),) = out.alternatives  # type: ignore[attr-defined]
    assert kind == "text/html" and "/ban-tin/o/" in html


def test_the_pixel_counts_an_open_once_and_sets_no_cookie(
    sent: tuple[Product, Product], client: Client
) -> None:
    pixel = _pixel("a@example.vn")
    for _ in range(3):
        response = client.get(pixel, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 200 and response["Content-Type"] == "image/gif"
        assert response.content == bulletin_tracking.PIXEL and response.content[:6] == b"GIF89a"
        assert not response.cookies
        assert "no-store" in response["Cache-Control"]
    stats = bulletin_tracking.issue_stats(BulletinSend.objects.first().issue)  # type: ignore[union-attr]
    assert (stats.sent, stats.opened, stats.clicked) == (2, 1, 0)


def test_an_unknown_pixel_answers_the_same_gif_and_counts_nothing(
    sent: tuple[Product, Product], client: Client
) -> None:
    response = client.get("/ban-tin/o/not-a-token.gif")
    assert response.status_code == 200 and response.content == bulletin_tracking.PIXEL
    assert not BulletinSend.objects.filter(opened_at__isnull=False).exists()


def test_a_click_leads_to_the_link_of_that_mail_and_counts_once_per_person(
    sent: tuple[Product, Product], client: Client
) -> None:
    first, _second = sent
    a_links = _links("a@example.vn")
    for _ in range(2):
        response = client.get(a_links[0], REMOTE_ADDR=ADDRESS)
        assert response.status_code == 302
        assert response["Location"] == first.get_absolute_url()
    assert client.get(_links("b@example.vn")[0]).status_code == 302
    assert client.get(a_links[2])["Location"] == f"/ban-tin/{WEEK.year}-{WEEK.week}/"

    stats = bulletin_tracking.issue_stats(BulletinSend.objects.first().issue)  # type: ignore[union-attr]
    assert (stats.sent, stats.opened, stats.clicked) == (2, 2, 2)  # a click is an open too
    row = next(r for r in stats.products if r.product_id == first.pk)
    assert (row.clickers, row.clicks) == (2, 3)
    figures = bulletin_tracking.product_mail_stats([first.pk])[first.pk]
    assert (figures.sent, figures.opened, figures.clickers, figures.clicks) == (2, 2, 2, 3)


def test_a_redirect_goes_only_to_a_link_that_was_in_the_mail(
    sent: tuple[Product, Product], client: Client
) -> None:
    token = _links("a@example.vn")[0].split("/")[3]
    for path in (
        f"/ban-tin/r/{token}/0/",
        f"/ban-tin/r/{token}/4/",
        f"/ban-tin/r/{token}/1/?next=https://evil.example/",
        "/ban-tin/r/forged-token/1/",
    ):
        response = client.get(path)
        if path.endswith("?next=https://evil.example/"):
            assert response["Location"].startswith("/tin/")  # the query is ignored
            continue
        assert response.status_code == 404 and not response.has_header("Location")
    assert BulletinSendClick.objects.count() == 1


def test_a_stored_link_that_is_not_a_path_on_this_site_is_never_followed(
    sent: tuple[Product, Product], client: Client
) -> None:
    send = BulletinSend.objects.select_related("issue").first()
    assert send is not None
    issue = send.issue
    issue.links = [{"product": None, "path": "//evil.example/"}, {"path": "https://evil"}]
    issue.save()
    for n in (1, 2):
        assert client.get(f"/ban-tin/r/{send.token}/{n}/").status_code == 404


def test_a_product_withdrawn_from_the_public_is_not_redirected_to(
    sent: tuple[Product, Product], client: Client
) -> None:
    first, _second = sent
    Product.objects.filter(pk=first.pk).update(sharing=Sharing.UNIT)
    assert client.get(_links("a@example.vn")[0]).status_code == 404
    assert not BulletinClick.objects.exists()


def test_a_head_request_follows_without_counting(
    sent: tuple[Product, Product], client: Client
) -> None:
    link = _links("a@example.vn")[1]
    assert client.head(link).status_code == 302
    assert client.head(_pixel("a@example.vn")).status_code == 200
    assert not BulletinSendClick.objects.exists()
    assert not BulletinSend.objects.filter(opened_at__isnull=False).exists()


def test_no_reader_address_is_stored_anywhere(
    sent: tuple[Product, Product], client: Client
) -> None:
    client.get(_pixel("a@example.vn"), REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT="Thunderbird/128")
    client.get(_links("a@example.vn")[0], REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT="Thunderbird/128")
    for model in (BulletinSend, BulletinSendClick, BulletinClick):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")
            text = repr(cursor.fetchall())
        assert ADDRESS not in text and "Thunderbird" not in text


def test_officers_see_the_mail_figures_on_the_issue_page_and_readers_do_not(
    sent: tuple[Product, Product], cast: Any, client: Client, client_of: Any
) -> None:
    client.get(_pixel("a@example.vn"))
    client.get(_links("b@example.vn")[0])
    page = f"/ban-tin/{WEEK.year}-{WEEK.week}/"
    officer = client_of(cast.officer_a).get(page).content.decode()
    assert "Số liệu thư của số này" in officer
    assert "2 thư đã gửi · 2 người mở · 1 người bấm đường dẫn" in officer
    for viewer in (client, client_of(cast.member_user)):
        assert "Số liệu thư" not in viewer.get(page).content.decode()
