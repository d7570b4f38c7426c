"""Tips from officers and members (the web form's service, the Zalo OA "#baotin"): kept with
their pasted text as an item; a link is fetched only at a public address."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from congdoan.feedback.channels import intake
from congdoan.feedback.models import Concern
from congdoan.monitoring.models import Item, ItemKind, Snapshot, SourceKind, Tip, TipChannel
from congdoan.monitoring.services import tips
from congdoan.monitoring.services.tips import submit_tip
from congdoan.monitoring.tests.fakes import FakeWeb
from congdoan.orgs.site import set_home_unit
from congdoan.outbox.models import OutboundMessage

pytestmark = pytest.mark.django_db

ARTICLE = """<html><head><script>var s = "bí mật";</script></head><body><article>
<h1>Tin đồn công đoàn giữ tiền hỗ trợ</h1>
<p>Một trang mạng đăng tin công đoàn cơ sở giữ lại tiền hỗ trợ của công nhân, tin này không
đúng sự thật vì khoản hỗ trợ đã được chuyển thẳng vào tài khoản của từng người.</p>
</article></body></html>"""


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return SimpleUploadedFile("man-hinh.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_members_pasted_text_becomes_an_item_of_the_units_tips(
    member: Any, cast: Any, on_commit: Any
) -> None:
    with on_commit():
        tip = submit_tip(
            user=member, unit=cast.unit_a, text="Có người nói công đoàn ăn chặn tiền hỗ trợ"
        )
    tip.refresh_from_db()
    assert tip.reporter == member and tip.channel == TipChannel.WEB
    item = tip.item
    assert item is not None and item.kind == ItemKind.TIP
    assert item.source.kind == SourceKind.TIPS and item.source.name == "Tin báo"
    assert item.source.unit == cast.unit_a
    assert item.scored_at is not None  # scored after commit
    second = submit_tip(user=member, unit=cast.unit_a, text="Một tin khác về lương")
    assert second.item is not None and second.item.source == item.source


def test_a_tip_needs_something(member: Any, cast: Any) -> None:
    with pytest.raises(ValidationError):
        submit_tip(user=member, unit=cast.unit_a, text="   ")
    assert not Tip.objects.exists()


def test_a_zalo_tip_without_a_unit_asks_for_one(cast: Any) -> None:
    reply = tips.zalo_tip(sender_id="z-1", text="tin đồn", msg_id="m0")
    assert "mã công đoàn" in reply and not Tip.objects.exists()
    assert "#baotin" in tips.zalo_tip(sender_id="z-1", text="", msg_id="m0")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/admin/",
        "http://10.0.0.8/internal",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[::1]/",
        "http://localhost/",
        "file:///etc/passwd",
    ],
)
def test_a_tip_link_to_a_private_address_is_never_fetched(
    member: Any, cast: Any, on_commit: Any, settings: Any, url: str
) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    with on_commit():
        tip = submit_tip(user=member, unit=cast.unit_a, url=url, text="Xem bài này")
    tip.refresh_from_db()
    assert tip.fetch_error
    assert tip.item is not None and tip.item.text == "Xem bài này"
    assert tip.item.url == ""
    assert Snapshot.objects.filter(item=tip.item).count() == 1  # the pasted text only


def test_a_tip_link_is_fetched_as_evidence(
    web: FakeWeb, member: Any, cast: Any, on_commit: Any
) -> None:
    url = web.route("/bai-viet", ARTICLE)
    with on_commit():
        tip = submit_tip(user=member, unit=cast.unit_a, url=url, text="Tin này sai")
    tip.refresh_from_db()
    assert tip.fetch_error == ""
    snaps = list(Snapshot.objects.filter(item=tip.item).order_by("pk"))
    assert len(snaps) == 2
    assert "chuyển thẳng vào tài khoản" in snaps[1].text
    assert "bí mật" not in snaps[1].text and "<script" not in snaps[1].html
    assert snaps[1].status_code == 200


def test_a_tip_with_only_a_link_gets_its_item_from_the_page(
    web: FakeWeb, member: Any, cast: Any, on_commit: Any
) -> None:
    url = web.route("/bai-viet", ARTICLE)
    with on_commit():
        tip = submit_tip(user=member, unit=cast.unit_a, url=url)
    tip.refresh_from_db()
    assert tip.item is not None
    assert "giữ lại tiền hỗ trợ" in tip.item.text
    assert tip.item.title == "Tin đồn công đoàn giữ tiền hỗ trợ"


def test_a_tip_link_that_never_answers_is_written_on_the_tip(
    web: FakeWeb, member: Any, cast: Any, on_commit: Any, settings: Any
) -> None:
    settings.MONITORING_FETCH_TIMEOUT = 0.3
    url = web.hang("/cham", seconds=20)
    with on_commit():
        tip = submit_tip(user=member, unit=cast.unit_a, url=url, text="Bài này")
    tip.refresh_from_db()
    assert "thời gian" in tip.fetch_error
    assert tip.item is not None


def test_a_screenshot_is_kept_reencoded_and_a_fake_one_refused(member: Any, cast: Any) -> None:
    tip = submit_tip(user=member, unit=cast.unit_a, screenshot=png())
    assert (tip.screenshot.name or "").startswith("monitoring/tips/")
    assert tip.item is None
    fake = SimpleUploadedFile("anh.png", b"<?php echo 1; ?>", content_type="image/png")
    with pytest.raises(ValidationError):
        submit_tip(user=member, unit=cast.unit_a, screenshot=fake)


def test_a_tip_of_a_screenshot_alone_says_so_in_the_lists(
    member: Any, cast: Any, client_of: Any
) -> None:
    tip = submit_tip(user=member, unit=cast.unit_a, screenshot=png())
    assert tip.summary == "(ảnh chụp màn hình)" and str(tip) == "(ảnh chụp màn hình)"
    officers = client_of(cast.officer_a).get(reverse("monitoring:tips")).content.decode()
    assert "(ảnh chụp màn hình)" in officers
    mine = client_of(member).get(reverse("monitoring:tip_thanks")).content.decode()
    assert "(ảnh chụp màn hình)" in mine and "— </li>" not in mine
    with_text = submit_tip(user=member, unit=cast.unit_a, text="Bài này", screenshot=png())
    assert with_text.summary == "Bài này"


@pytest.fixture
def zalo_prefixes(cast: Any) -> Any:
    set_home_unit(cast.district)
    saved = list(intake._ZALO_PREFIXES)
    for prefix in tips.ZALO_PREFIXES:
        intake.register_zalo_prefix(prefix, tips.ZALO_HANDLER)
    yield
    intake._ZALO_PREFIXES[:] = saved


@pytest.mark.parametrize(
    "message",
    [
        "#baotin Trang X đăng tin công đoàn ăn chặn tiền hỗ trợ",
        "#BáoTin Trang X đăng tin công đoàn ăn chặn tiền hỗ trợ",
        "Báo tin: Trang X đăng tin công đoàn ăn chặn tiền hỗ trợ",
    ],
)
def test_a_zalo_message_starting_with_baotin_is_a_tip(
    zalo_prefixes: Any, cast: Any, message: str, on_commit: Any
) -> None:
    with on_commit():
        result = intake.zalo_intake(sender_id="z-42", text=message, msg_id="m1")
    assert result.concern is None
    assert not Concern.objects.exists()
    tip = Tip.objects.get()
    assert tip.channel == TipChannel.ZALO and tip.zalo_user_id == "z-42"
    assert tip.text == "Trang X đăng tin công đoàn ăn chặn tiền hỗ trợ"
    assert tip.unit == cast.district  # no unit tag: the site's home unit
    reply = OutboundMessage.objects.get(recipient="z-42")
    assert "đã nhận tin báo" in reply.body
    # Zalo redelivers the same message: still one tip, one reply.
    intake.zalo_intake(sender_id="z-42", text=message, msg_id="m1")
    assert Tip.objects.count() == 1 and OutboundMessage.objects.count() == 1


def test_a_zalo_tip_names_its_unit_and_its_link(
    zalo_prefixes: Any, cast: Any, settings: Any, on_commit: Any
) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    with on_commit():
        intake.zalo_intake(
            sender_id="z-7",
            text="#baotin #PX-A http://10.0.0.1/bai xem bài này",
            msg_id="m2",
        )
    tip = Tip.objects.get()
    assert tip.unit == cast.unit_a
    assert tip.url == "http://10.0.0.1/bai" and tip.fetch_error
    assert tip.text == "xem bài này"
    assert Item.objects.get(tip=tip).text == "xem bài này"


def test_other_zalo_messages_are_still_concerns(zalo_prefixes: Any, cast: Any) -> None:
    result = intake.zalo_intake(
        sender_id="z-9", text="Công ty chậm trả lương tháng 11, mong công đoàn giúp", msg_id="m3"
    )
    assert result.concern is not None
    assert not Tip.objects.exists()
