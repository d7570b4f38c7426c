"""The studio in Debian's Chromium on a 360×640 phone: a grassroots officer writes a news item
with a photo (shrunk in the browser by content/photos.js) and sends it for approval.

Run with `make browser-test`; the screenshots land in var/browser/ (not committed)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image

from congdoan import testing
from congdoan.content.models import Product, ProductStatus
from congdoan.content.tests.factories import published
from congdoan.orgs import services as org_services
from congdoan.orgs.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PASSWORD = "mat-khau-rat-dai-123"  # the cast's (congdoan/orgs/tests/factories.py)
SHOTS = Path(settings.VAR_DIR) / "browser"


def _phone(settings: Any, tmp_path: Any, **options: Any) -> Iterator[Any]:
    settings.MEDIA_ROOT = str(tmp_path)
    testing.require("browser", testing.browser_unavailable())
    sync_api = testing.require_module("playwright.sync_api", "playwright")
    with pytest.MonkeyPatch.context() as mp, sync_api.sync_playwright() as pw:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the loop never runs our code
        chromium = pw.chromium.launch(executable_path=testing.CHROMIUM, args=ARGS, headless=True)
        context = chromium.new_context(viewport={"width": 360, "height": 640}, **options)
        yield context.new_page()
        context.close()
        chromium.close()


@pytest.fixture
def phone(settings: Any, tmp_path: Any) -> Iterator[Any]:
    yield from _phone(settings, tmp_path, device_scale_factor=2, is_mobile=True, has_touch=True)


@pytest.fixture
def browser_no_js(settings: Any, tmp_path: Any) -> Iterator[Any]:
    yield from _phone(settings, tmp_path, java_script_enabled=False)


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_grassroots_officer_writes_and_submits_a_news_item_on_a_phone(
    phone, live_server, cast, tmp_path
):
    page = phone
    photo = tmp_path / "IMG_2001.jpg"
    Image.new("RGB", (4000, 3000), (20, 120, 200)).save(photo, "JPEG", quality=95)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", cast.officer_a.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")

    page.goto(f"{live_server.url}/noi-dung/")
    page.click("text=Viết sản phẩm mới")
    page.wait_for_load_state("load")
    assert _overflow(page) <= 0
    page.fill("#id_title", "Công đoàn thăm công nhân ca đêm")
    page.fill("#id_summary", "Tối nay Công đoàn cơ sở đã thăm ca đêm.")
    # The full version in the editor (pell over the textarea): a paragraph, then a list.
    page.click(".pell-content")
    page.keyboard.type("Đoạn đầu.")
    page.keyboard.press("Enter")
    page.click("button[title='Danh sách']")
    page.keyboard.type("bánh")
    page.keyboard.press("Enter")
    page.keyboard.type("sữa")
    page.set_input_files("#id_photos", str(photo))
    status = page.locator("[data-shrink-status]")
    status.wait_for(state="visible")
    page.locator("[data-shrink-status]:has-text('MB')").wait_for()
    page.locator("button[value=submit]:not([disabled])").wait_for()
    shrunk = page.evaluate("document.querySelector('#id_photos').files[0].size")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "phone-studio-form.png"), full_page=True)
    page.click("button[value=submit]")
    page.wait_for_load_state("load")

    assert "Đã lưu và gửi duyệt." in page.content()
    assert _overflow(page) <= 0
    page.screenshot(path=str(SHOTS / "phone-studio-detail.png"), full_page=True)
    product = Product.objects.get(title="Công đoàn thăm công nhân ca đêm")
    assert product.status == ProductStatus.SUBMITTED
    media = product.media.get()
    assert max(media.width or 0, media.height or 0) <= 1600  # shrunk in the browser
    assert shrunk < photo.stat().st_size
    assert "<p>Đoạn đầu.</p>" in product.body and "<li>bánh</li><li>sữa</li>" in product.body
    with media.file.open("rb") as handle:
        assert Image.open(io.BytesIO(handle.read())).size == (1600, 1200)


def test_the_studio_works_on_a_phone_without_javascript(browser_no_js, live_server, cast):
    page = browser_no_js
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", cast.officer_a.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/noi-dung/moi/")
    assert page.locator("#id_body").is_visible()  # the plain textarea, no editor
    page.fill("#id_title", "Tin viết không cần JavaScript")
    page.fill("#id_body", "Đoạn một.\n\n- một\n- hai")
    page.click("button[value=submit]")
    page.wait_for_load_state("load")
    assert "Đã lưu và gửi duyệt." in page.content()
    product = Product.objects.get(title="Tin viết không cần JavaScript")
    assert product.status == ProductStatus.SUBMITTED and "<li>hai</li>" in product.body
    for path in ("/noi-dung/", "/noi-dung/thu-vien/", f"/noi-dung/{product.pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert _overflow(page) <= 0, path
    page.screenshot(path=str(SHOTS / "phone-studio-nojs-detail.png"), full_page=True)


def test_an_officer_of_two_units_chooses_where_a_reused_copy_goes_on_a_phone(
    phone, live_server, cast
):
    unit_c = factories.unit(cast.district, code="PX-C", name="Công đoàn Công ty Giày Phú Xuyên C")
    org_services.appointment_create(
        actor=None,
        unit=unit_c,
        position=factories.position(),
        full_name="Chủ tịch CĐ B",
        user=cast.officer_b,
        started_on=date(2020, 1, 1),
    )
    source = Product.objects.create(
        unit=cast.unit_a, title="Hỏi đáp về làm thêm giờ", slug="hoi-dap", sharing="union"
    )
    published(source, approver=cast.district_officer, actor=cast.officer_a)
    page = phone
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", cast.officer_b.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/noi-dung/{source.pk}/")
    chooser = page.locator(f"#reuse-unit-{source.pk}")
    assert chooser.is_visible()
    assert _overflow(page) <= 0
    page.screenshot(path=str(SHOTS / "phone-studio-reuse-chooser.png"), full_page=True)
    chooser.select_option(str(unit_c.pk))
    page.click(".reuse-form button[type=submit]")
    page.wait_for_load_state("load")
    copy = Product.objects.get(source=source)
    assert copy.unit == unit_c
    assert page.url.endswith(f"/noi-dung/{copy.pk}/sua/")
    page.goto(f"{live_server.url}/noi-dung/thu-vien/")
    assert _overflow(page) <= 0
