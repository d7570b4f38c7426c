"""Joining: members by their login (eligible in the subtree only), anyone by a phone code sent
through the outbox (hash kept, expiry, tries, limits), one participant per phone/login/member."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from congdoan.contests.models import Contest, Eligibility, Participant, PhoneCode
from congdoan.contests.services import participants as join
from congdoan.contests.services.participants import JoinError
from congdoan.orgs.tests import factories
from congdoan.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

PHONE = "0912 345 678"
E164 = "+84912345678"


def _code_sent(phone: str = E164) -> str:
    message = OutboundMessage.objects.filter(
        channel="sms", recipient=phone, purpose="contests.join_code"
    ).latest("pk")
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def phone_contest(contest: Contest) -> Contest:
    contest.eligibility = Eligibility.PHONE
    contest.save()
    return contest


def test_an_eligible_member_joins_by_login_once(contest: Contest, cast: Any) -> None:
    first = join.join_with_login(contest=contest, user=cast.member_user)
    again = join.join_with_login(contest=contest, user=cast.member_user)
    assert first.pk == again.pk
    assert first.member == cast.member_a and first.unit == cast.unit_a
    assert Participant.objects.count() == 1


def test_a_member_outside_the_subtree_may_not_join(contest: Contest, cast: Any) -> None:
    contest.eligible_unit = cast.unit_b
    contest.save()
    assert not join.may_enter(contest, cast.member_user)
    with pytest.raises(JoinError) as err:
        join.join_with_login(contest=contest, user=cast.member_user)
    assert cast.unit_b.name in err.value.message
    assert not Participant.objects.exists()


def test_an_officer_without_a_member_may_not_join_a_members_contest(
    contest: Contest, cast: Any
) -> None:
    with pytest.raises(JoinError):
        join.join_with_login(contest=contest, user=cast.officer_b)


def test_a_phone_join_sends_a_code_by_sms_and_keeps_only_its_hash(
    phone_contest: Contest, cast: Any
) -> None:
    join.phone_code_send(contest=phone_contest, phone=PHONE, address="10.0.0.1")
    code = _code_sent()
    stored = PhoneCode.objects.get()
    assert stored.phone == E164 and code not in stored.code_hash
    assert stored.expires_at - stored.created_at == timedelta(minutes=10)
    participant = join.phone_join(
        contest=phone_contest,
        phone=PHONE,
        code=code,
        full_name=" Lê  Văn   Hùng ",
        unit=cast.unit_a,
    )
    assert participant.phone == E164 and participant.phone_verified_at is not None
    assert participant.full_name == "Lê Văn Hùng" and participant.unit == cast.unit_a
    # The code is spent: a second use is refused.
    with pytest.raises(JoinError):
        join.phone_join(contest=phone_contest, phone=PHONE, code=code, full_name="X", workplace="Y")


def test_one_participant_per_phone(phone_contest: Contest, cast: Any) -> None:
    join.phone_code_send(contest=phone_contest, phone=PHONE)
    first = join.phone_join(
        contest=phone_contest, phone=PHONE, code=_code_sent(), full_name="A", workplace="Nhà máy"
    )
    join.phone_code_send(contest=phone_contest, phone=PHONE)
    second = join.phone_join(
        contest=phone_contest, phone=PHONE, code=_code_sent(), full_name="B", workplace="Khác"
    )
    assert first.pk == second.pk
    assert Participant.objects.count() == 1


def test_a_wrong_code_counts_tries_and_five_kill_it(phone_contest: Contest) -> None:
    join.phone_code_send(contest=phone_contest, phone=PHONE)
    code = _code_sent()
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(JoinError) as err:
            join.phone_join(
                contest=phone_contest, phone=PHONE, code=wrong, full_name="A", workplace="B"
            )
        assert str(left) in err.value.message
    with pytest.raises(JoinError) as err:
        join.phone_join(
            contest=phone_contest, phone=PHONE, code=wrong, full_name="A", workplace="B"
        )
    assert "hết lượt" in err.value.message
    with pytest.raises(JoinError) as err:
        join.phone_join(contest=phone_contest, phone=PHONE, code=code, full_name="A", workplace="B")
    assert "hết hạn" in err.value.message
    assert not Participant.objects.exists()


def test_an_expired_code_is_refused(phone_contest: Contest) -> None:
    join.phone_code_send(contest=phone_contest, phone=PHONE)
    code = _code_sent()
    later = timezone.now() + timedelta(minutes=11)
    with pytest.raises(JoinError):
        join.phone_join(
            contest=phone_contest, phone=PHONE, code=code, full_name="A", workplace="B", now=later
        )


def test_codes_are_rate_limited_per_phone_and_per_address(phone_contest: Contest) -> None:
    for _ in range(join.CODES_PER_PHONE_HOUR):
        join.phone_code_send(contest=phone_contest, phone=PHONE, address="10.0.0.2")
    with pytest.raises(JoinError):
        join.phone_code_send(contest=phone_contest, phone=PHONE, address="10.0.0.2")
    sent = OutboundMessage.objects.filter(purpose="contests.join_code").count()
    assert sent == join.CODES_PER_PHONE_HOUR
    # Another address spread over many phones stops at its own limit.
    for i in range(join.CODES_PER_ADDRESS):
        join.phone_code_send(contest=phone_contest, phone=f"09123400{i:02d}", address="10.0.0.3")
    with pytest.raises(JoinError):
        join.phone_code_send(contest=phone_contest, phone="0912340099", address="10.0.0.3")


def test_a_bad_phone_or_a_members_contest_sends_nothing(
    contest: Contest, phone_contest: Contest
) -> None:
    with pytest.raises(JoinError):
        join.phone_code_send(contest=phone_contest, phone="12345")
    members = Contest.objects.create(
        unit=contest.unit, title="Khác", slug="khac", status="published"
    )
    with pytest.raises(JoinError):
        join.phone_code_send(contest=members, phone=PHONE)
    assert not OutboundMessage.objects.filter(purpose="contests.join_code").exists()


def test_a_unit_outside_the_subtree_is_refused(phone_contest: Contest, cast: Any) -> None:
    join.phone_code_send(contest=phone_contest, phone=PHONE)
    with pytest.raises(JoinError):
        join.phone_join(
            contest=phone_contest,
            phone=PHONE,
            code=_code_sent(),
            full_name="A",
            unit=cast.other_district,
        )


def test_an_account_with_a_phone_joins_a_phone_contest_without_a_code(
    phone_contest: Contest, cast: Any
) -> None:
    user = factories.user("Phạm Thu", phone=E164)
    participant = join.join_with_login(contest=phone_contest, user=user, workplace="Công ty May")
    assert participant.user == user and participant.phone == E164
    assert participant.workplace == "Công ty May" and participant.unit is None
    assert not OutboundMessage.objects.filter(purpose="contests.join_code").exists()


def test_phone_join_pages_without_javascript(phone_contest: Contest, cast: Any) -> None:
    client = Client()
    url = f"/cuoc-thi/{phone_contest.slug}/tham-gia/"
    page = client.get(url)
    assert page.status_code == 200 and "Gửi mã xác nhận" in page.content.decode()
    sent = client.post(
        url,
        {"action": "send", "full_name": "Lê Văn Hùng", "phone": PHONE, "unit": cast.unit_a.pk},
    )
    assert sent.status_code == 302
    waiting = client.get(url).content.decode()
    assert "Xác nhận và tham gia" in waiting
    wrong = client.post(url, {"action": "verify", "code": "12"})
    assert "6 chữ số" in wrong.content.decode()
    done = client.post(url, {"action": "verify", "code": _code_sent()})
    assert done.status_code == 302 and done["Location"] == f"/cuoc-thi/{phone_contest.slug}/"
    participant = Participant.objects.get()
    assert participant.unit == cast.unit_a and participant.full_name == "Lê Văn Hùng"
    contest_page = client.get(done["Location"]).content.decode()
    assert "Lê Văn Hùng" in contest_page


def test_a_member_joins_with_one_click(contest: Contest, client_of: Any, cast: Any) -> None:
    client = client_of(cast.member_user)
    url = f"/cuoc-thi/{contest.slug}/tham-gia/"
    assert cast.member_a.full_name in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert Participant.objects.get().member == cast.member_a


def test_an_anonymous_visitor_is_asked_to_log_in_for_a_members_contest(contest: Contest) -> None:
    page = Client().get(f"/cuoc-thi/{contest.slug}/tham-gia/").content.decode()
    assert "Đăng nhập" in page
    assert Client().post(f"/cuoc-thi/{contest.slug}/tham-gia/").status_code == 200
    assert not Participant.objects.exists()


def test_a_join_that_loses_the_race_returns_the_participant_already_there(
    contest: Contest, cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = join.join_with_login(contest=contest, user=cast.member_user)
    looks = iter([None])
    real = join._existing
    monkeypatch.setattr(join, "_existing", lambda c, **kw: next(looks, None) or real(c, **kw))
    again = join.join_with_login(contest=contest, user=cast.member_user)
    assert again.pk == winner.pk and Participant.objects.count() == 1


def test_an_account_with_a_phone_joins_on_the_page_with_its_workplace(
    phone_contest: Contest, client_of: Any
) -> None:
    user = factories.user("Phạm Thu", phone=E164)
    client = client_of(user)
    url = f"/cuoc-thi/{phone_contest.slug}/tham-gia/"
    assert "0912 345 678" in client.get(url).content.decode()
    empty = client.post(url, {"action": "account"})
    assert "nơi làm việc" in empty.content.decode() and not Participant.objects.exists()
    done = client.post(url, {"action": "account", "workplace": "Công ty May Việt"})
    assert done.status_code == 302
    participant = Participant.objects.get()
    assert participant.user == user and participant.workplace == "Công ty May Việt"
    assert not OutboundMessage.objects.filter(purpose="contests.join_code").exists()
