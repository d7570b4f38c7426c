"""The worker's intake and the union's QR poster in Chromium (`make browser-test`)."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from congdoan.core.tests.test_browser import _horizontal_overflow, _log_in, _shot
from congdoan.feedback.models import Concern
from congdoan.orgs.site import set_home_unit
from congdoan.orgs.tests.factories import unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_on_a_phone_sends_without_a_union_and_the_district_office_sees_it(
    phone: Any, desktop: Any, live_server: Any, cast: Any
) -> None:
    # Unions in two districts: without a home unit the concern would land at the city.
    unit(cast.other_district, code="TT-A", name="Công đoàn Công ty Gốm Thường Tín")
    set_home_unit(cast.district)
    page = phone
    page.goto(f"{live_server.url}/y-kien/gui/")
    assert "được gửi tới LĐLĐ huyện Phú Xuyên" in page.inner_text("main")
    assert page.input_value("#unit_pick") == ""  # "— Chưa rõ —"
    page.fill("#id_text", "cong ty cham luong thang 10 hai tuan roi")
    page.click("main form[method=post] button")
    page.wait_for_load_state("load")
    concern = Concern.objects.get()
    assert concern.unit is None and concern.assigned_unit == cast.district
    sent = page.inner_text("main")
    assert concern.code in sent and "Ý kiến đã được gửi tới LĐLĐ huyện Phú Xuyên" in sent
    assert _horizontal_overflow(page) <= 0
    _shot(page, "phone-feedback-sent-no-union.png")

    office = desktop
    _log_in(office, live_server.url, cast.district_officer.email)
    office.goto(f"{live_server.url}/y-kien/hop-thu/")
    assert concern.code in office.inner_text("main")
    office.click(f"a[href='/y-kien/hop-thu/{concern.code}/']")
    office.wait_for_load_state("load")
    assert "cham luong" in office.inner_text("main")


def test_chairman_opens_his_unions_page_and_downloads_the_qr_poster(
    desktop: Any, live_server: Any, cast: Any, tmp_path: Any
) -> None:
    page = desktop
    _log_in(page, live_server.url, cast.officer_a.email)
    page.goto(f"{live_server.url}/don-vi/PX-A/")
    qr = page.locator("#ma-qr img")
    assert qr.is_visible()
    assert page.evaluate("document.querySelector('#ma-qr img').naturalWidth") > 0  # the SVG loads
    _shot(page, "unit-qr.png")
    with page.expect_download() as download_info:
        page.click("#ma-qr a[href$='ap-phich.pdf']")
    download = download_info.value
    assert download.suggested_filename == "ap-phich-y-kien-PX-A.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Công đoàn Công ty May A" in text and cast.unit_a.qr_token in text


def test_chairman_answers_with_a_template_then_corrects_and_the_worker_sees_the_change(
    desktop: Any, phone: Any, live_server: Any, cast: Any
) -> None:
    from congdoan.feedback.services import concern_submit
    from congdoan_dev.demo.feedback import seed_answer_templates

    seed_answer_templates()
    concern = concern_submit(
        text="Công ty chậm trả lương tháng 10 hai tuần rồi", unit=cast.unit_a, channel="web"
    )
    page = desktop
    _log_in(page, live_server.url, cast.officer_a.email)
    page.goto(f"{live_server.url}/y-kien/hop-thu/{concern.code}/")
    page.click("#goi-y-tra-loi a:text('Chậm trả lương')")
    page.wait_for_load_state("load")
    assert "đền bù" in page.input_value("#tra-loi textarea[name=text]")
    page.fill("#tra-loi textarea[name=text]", "Công ty hứa trả lương ngày 15.")
    page.click("#tra-loi button")
    page.wait_for_load_state("load")
    assert "Chủ tịch CĐ A" in page.inner_text("dl.meta")  # the handler
    page.click("#tra-loi summary")
    page.fill("#tra-loi details textarea[name=text]", "Công ty hứa trả lương ngày 20.")
    page.fill("#tra-loi details input[name=reason]", "Công ty đổi ngày")
    page.click("#tra-loi details button")
    page.wait_for_load_state("load")
    assert "Bản 2" in page.inner_text("#phien-ban")
    _shot(page, "concern-answer-corrected.png")

    phone.goto(f"{live_server.url}/y-kien/tra-cuu/{concern.code}/")
    worker = phone.inner_text("main")
    assert "ngày 20" in worker and "ngày 15" not in worker and "sửa lại" in worker
