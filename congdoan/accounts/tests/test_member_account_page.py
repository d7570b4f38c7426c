"""A member's account page, as a worker reads it on a phone."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from congdoan.core.phones import display_phone


def test_member_sees_their_phone_written_the_vietnamese_way_and_their_union(
    cast: Any, client_of: Any
) -> None:
    user = cast.member_user
    user.phone = "+84912345678"
    user.save(update_fields=["phone"])
    html = client_of(user).get(reverse("accounts:profile")).content.decode()
    assert '<dd id="so-dien-thoai">0912 345 678</dd>' in html and "+84912345678" not in html
    assert '<dd id="cong-doan">' + cast.unit_a.name + "</dd>" in html
    assert cast.member_a.card_number in html


def test_an_officer_without_a_membership_has_no_union_line(cast: Any, client_of: Any) -> None:
    html = client_of(cast.officer_a).get(reverse("accounts:profile")).content.decode()
    assert 'id="cong-doan"' not in html


def test_display_phone_keeps_foreign_and_unparsable_numbers_readable() -> None:
    assert display_phone("+842433123456") == "024 3312 3456"
    assert display_phone("+14155550123") == "+1 415-555-0123"
    assert display_phone("zalo:abc") == "zalo:abc"
    assert display_phone("") == ""


def test_the_sms_code_page_writes_the_number_the_way_the_member_typed_it(
    cast: Any, client: Any
) -> None:
    response = client.post(reverse("accounts:sms_reset"), {"phone": "0912.345.678"}, follow=True)
    html = response.content.decode()
    assert "Nếu số 0912 345 678 có tài khoản" in html and "+84912345678" not in html


def test_forgotten_password_page_offers_the_sms_code_before_the_e_mail_form(client: Any) -> None:
    html = client.get(reverse("accounts:password_reset")).content.decode()
    sms = html.index(reverse("accounts:sms_reset"))
    assert sms < html.index('name="email"') and 'id="qua-sms"' in html
