# ruff: noqa: F811 - pytest fixtures from fakes.fixtures are used as parameters
"""Linking one's Zalo account from the account page: a one-time code shown on the page, sent
as "#lienket <code>" to the union's OA through the real webhook (signed, with the fake Zalo
server answering the replies); nothing in the test registers the command."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import regex
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congdoan.accounts import zalo
from congdoan.accounts.models import User, ZaloLinkCode
from congdoan.audit.models import AuditEntry
from congdoan.core.vndate import vn_date
from congdoan.feedback.models import Concern
from congdoan.feedback.tests.fakes import FakeZaloOA
from congdoan.feedback.tests.fakes.fixtures import (  # noqa: F401 (fixtures)
    fake_zalo,
    fast_retries,
)
from congdoan.feedback.tests.test_channels_webhooks import post_zalo, zalo_event
from congdoan.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

PHONE_A = "3001002003004005"
PHONE_B = "3001002003004999"


def code_on_page(client: Client) -> str:
    """Press "Kết nối Zalo" and read the code the account page then shows."""
    response = client.post(reverse("accounts:zalo_link"))
    assert response.status_code == 302 and response["Location"].endswith("/tai-khoan/#zalo")
    page = client.get(reverse("accounts:profile"))
    assert page["Cache-Control"] == "no-store"
    found = regex.search(r"#lienket (\d{6})", page.content.decode())
    assert found is not None
    return found.group(1)


def send(text: str, *, sender: str, msg_id: str, capture: Any) -> None:
    with capture(execute=True):
        assert (
            post_zalo(Client(), zalo_event(text, msg_id=msg_id, sender=sender)).status_code == 200
        )


def replies(fake: FakeZaloOA, sender: str) -> list[str]:
    return [m["text"] for m in fake.sent if m["user_id"] == sender]


def test_an_officer_links_zalo_from_the_account_page_and_the_oa_says_so(
    cast: Any,
    client_of: Any,
    fake_zalo: FakeZaloOA,
    django_capture_on_commit_callbacks: Any,
) -> None:
    officer = client_of(cast.officer_a)
    page = officer.get(reverse("accounts:profile")).content.decode()
    assert "Kết nối Zalo" in page and "Đã kết nối Zalo" not in page
    code = code_on_page(officer)
    # A reload shows the same code: it does not make another.
    assert f"#lienket {code}" in officer.get(reverse("accounts:profile")).content.decode()
    send(
        f"#lienket {code}", sender=PHONE_A, msg_id="l-1", capture=django_capture_on_commit_callbacks
    )
    user = User.objects.get(pk=cast.officer_a.pk)
    assert user.zalo_user_id == PHONE_A and user.zalo_linked_at is not None
    assert not Concern.objects.exists()
    (reply,) = replies(fake_zalo, PHONE_A)
    assert reply.startswith("Đã kết nối Zalo") and cast.officer_a.full_name in reply
    entry = AuditEntry.objects.get(action="account.zalo_link")
    assert entry.actor_id == user.pk and PHONE_A not in str(entry.changes)
    # The officer is told by e-mail too (a link they did not make would not go unseen).
    assert OutboundMessage.objects.filter(
        purpose="account.notice", recipient=user.email, body__contains="Zalo"
    ).exists()
    page = officer.get(reverse("accounts:profile")).content.decode()
    assert "Đã kết nối Zalo" in page and "Ngắt kết nối" in page
    assert f"từ {vn_date(user.zalo_linked_at)}</p>" in page
    assert PHONE_A not in page and f"#lienket {code}" not in page
    # Zalo redelivers the message: the same answer once, nothing counted as a wrong try.
    send(
        f"#lienket {code}", sender=PHONE_A, msg_id="l-1", capture=django_capture_on_commit_callbacks
    )
    assert len(replies(fake_zalo, PHONE_A)) == 1
    assert AuditEntry.objects.filter(action="account.zalo_link").count() == 1


@pytest.mark.parametrize(
    "command", ["#LIENKET {code}", "# lien ket {code}", "#Liên kết  {code}", "#lienket {spaced}"]
)
def test_the_command_is_understood_in_upper_case_with_or_without_accents_and_spaces(
    cast: Any, command: str, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    code, _until = zalo.link_code_create(user=cast.member_user)
    text = command.format(code=code, spaced=f"{code[:3]} {code[3:]}")
    send(text, sender=PHONE_B, msg_id="v-1", capture=django_capture_on_commit_callbacks)
    assert User.objects.get(pk=cast.member_user.pk).zalo_user_id == PHONE_B
    assert replies(fake_zalo, PHONE_B)[0].startswith("Đã kết nối Zalo")
    assert not Concern.objects.exists()


def test_wrong_expired_and_spent_codes_get_a_clear_answer_and_link_nothing(
    cast: Any,
    client_of: Any,
    fake_zalo: FakeZaloOA,
    django_capture_on_commit_callbacks: Any,
) -> None:
    officer = client_of(cast.officer_a)
    code = code_on_page(officer)
    wrong = "111111" if code != "111111" else "222222"
    send(
        f"#lienket {wrong}",
        sender=PHONE_A,
        msg_id="w-1",
        capture=django_capture_on_commit_callbacks,
    )
    send("#lienket", sender=PHONE_A, msg_id="w-2", capture=django_capture_on_commit_callbacks)
    ZaloLinkCode.objects.filter(user=cast.officer_a).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    send(
        f"#lienket {code}", sender=PHONE_A, msg_id="w-3", capture=django_capture_on_commit_callbacks
    )
    wrong_reply, help_reply, expired_reply = replies(fake_zalo, PHONE_A)
    assert "không đúng" in wrong_reply
    assert "#lienket kèm mã 6 chữ số" in help_reply
    assert "hết hạn" in expired_reply
    assert User.objects.get(pk=cast.officer_a.pk).zalo_user_id == ""
    # The expired code is no longer shown; a new one works, once.
    assert "#lienket" not in officer.get(reverse("accounts:profile")).content.decode()
    fresh = code_on_page(officer)
    send(
        f"#lienket {fresh}",
        sender=PHONE_A,
        msg_id="w-4",
        capture=django_capture_on_commit_callbacks,
    )
    send(
        f"#lienket {fresh}",
        sender=PHONE_B,
        msg_id="w-5",
        capture=django_capture_on_commit_callbacks,
    )
    assert "đã được dùng" in replies(fake_zalo, PHONE_B)[0]
    assert User.objects.get(pk=cast.officer_a.pk).zalo_user_id == PHONE_A
    assert not Concern.objects.exists()


def test_a_sender_has_five_tries_per_quarter_hour(
    cast: Any, client_of: Any, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    code = code_on_page(client_of(cast.officer_a))
    wrong = [c for c in ("111111", "222222", "333333", "444444", "555555", "666666") if c != code]
    for n, guess in enumerate(wrong[:5]):
        send(
            f"#lienket {guess}",
            sender=PHONE_B,
            msg_id=f"r-{n}",
            capture=django_capture_on_commit_callbacks,
        )
    # The sixth try, even with the right code, is refused.
    send(
        f"#lienket {code}", sender=PHONE_B, msg_id="r-6", capture=django_capture_on_commit_callbacks
    )
    assert "quá nhiều lần" in replies(fake_zalo, PHONE_B)[-1]
    assert User.objects.get(pk=cast.officer_a.pk).zalo_user_id == ""
    # Another sender is not held back by it.
    send(
        f"#lienket {code}", sender=PHONE_A, msg_id="r-7", capture=django_capture_on_commit_callbacks
    )
    assert User.objects.get(pk=cast.officer_a.pk).zalo_user_id == PHONE_A


def test_a_zalo_account_linked_again_moves_to_the_new_platform_account(
    cast: Any, client_of: Any, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = cast.officer_a, cast.officer_b
    code = code_on_page(client_of(first))
    send(
        f"#lienket {code}", sender=PHONE_A, msg_id="m-1", capture=django_capture_on_commit_callbacks
    )
    code = code_on_page(client_of(second))
    send(
        f"#lienket {code}", sender=PHONE_A, msg_id="m-2", capture=django_capture_on_commit_callbacks
    )
    assert User.objects.get(pk=second.pk).zalo_user_id == PHONE_A
    assert User.objects.get(pk=first.pk).zalo_user_id == ""
    moved = AuditEntry.objects.get(action="account.zalo_unlink")
    assert moved.object_id == str(first.pk) and moved.actor_id == second.pk
    assert moved.changes["moved_to_user"] == second.pk
    assert OutboundMessage.objects.filter(
        purpose="account.notice", recipient=first.email, body__contains="ngắt kết nối Zalo"
    ).exists()
    page = client_of(first).get(reverse("accounts:profile")).content.decode()
    assert "Đã kết nối Zalo" not in page


def test_unlink_is_a_post_with_csrf_audited(cast: Any, client_of: Any) -> None:
    user = cast.officer_a
    zalo.zalo_link(user=user, zalo_user_id=PHONE_A)
    officer = client_of(user)
    assert officer.get(reverse("accounts:zalo_unlink")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
    assert strict.post(reverse("accounts:zalo_unlink")).status_code == 403
    assert User.objects.get(pk=user.pk).zalo_user_id == PHONE_A
    response = officer.post(reverse("accounts:zalo_unlink"), follow=True)
    assert "Đã ngắt kết nối Zalo" in response.content.decode()
    assert User.objects.get(pk=user.pk).zalo_user_id == ""
    assert AuditEntry.objects.filter(action="account.zalo_unlink", actor=user).count() == 1
    # Unlinking twice records nothing more.
    officer.post(reverse("accounts:zalo_unlink"))
    assert AuditEntry.objects.filter(action="account.zalo_unlink").count() == 1


def test_nobody_sees_a_linked_zalo_id_not_another_member_not_the_unions_officer(
    cast: Any, client_of: Any
) -> None:
    zalo.zalo_link(user=cast.member_user, zalo_user_id=PHONE_B)
    zalo.zalo_link(user=cast.officer_a, zalo_user_id=PHONE_A)
    mine = client_of(cast.member_user).get(reverse("accounts:profile")).content.decode()
    assert "Đã kết nối Zalo" in mine and PHONE_A not in mine and PHONE_B not in mine
    officer = client_of(cast.officer_a)
    detail = officer.get(reverse("orgs:member_detail", args=[cast.unit_a.code, cast.member_a.pk]))
    assert detail.status_code == 200 and PHONE_B not in detail.content.decode()
    export = officer.get(reverse("orgs:member_export", args=[cast.unit_a.code]))
    assert export.status_code == 200
    book = load_workbook(
        io.BytesIO(b"".join(export.streaming_content if export.streaming else [export.content]))
    )
    cells = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row}
    assert cast.member_a.full_name in cells and PHONE_B not in cells


def test_a_wrong_try_that_zalo_delivers_twice_counts_once(
    cast: Any, client_of: Any, fake_zalo: FakeZaloOA, django_capture_on_commit_callbacks: Any
) -> None:
    code = code_on_page(client_of(cast.officer_a))
    wrong = [c for c in ("111111", "222222", "333333", "444444") if c != code][:3]
    for n, guess in enumerate(wrong):
        for _delivery in range(2):  # Zalo redelivers a message its webhook call did not see end
            send(
                f"#lienket {guess}",
                sender=PHONE_B,
                msg_id=f"twice-{n}",
                capture=django_capture_on_commit_callbacks,
            )
    # three tries, not six: the fourth, with the right code, links
    send(
        f"#lienket {code}",
        sender=PHONE_B,
        msg_id="twice-9",
        capture=django_capture_on_commit_callbacks,
    )
    assert User.objects.get(pk=cast.officer_a.pk).zalo_user_id == PHONE_B
