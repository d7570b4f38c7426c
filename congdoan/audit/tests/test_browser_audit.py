"""The audit log in Chromium: the district Office reads what happened in its unions (marker `browser`)."""

from __future__ import annotations

import pytest

from congdoan.core.tests.test_browser import _log_in, _shot, browser, desktop  # noqa: F401 (fixtures)
from congdoan.orgs import services as orgs_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_office_reads_the_log_as_sentences_and_filters_it(desktop, live_server, cast):  # noqa: F811
    orgs_services.member_update(
        actor=cast.officer_b, member=cast.member_b, full_name="Trần Văn Bính"
    )
    orgs_services.member_update(actor=cast.officer_a, member=cast.member_a, phone="+84912000111")
    orgs_services.unit_rename(
        actor=cast.admin, unit=cast.other_district, name="LĐLĐ huyện Thường Tín mới"
    )
    page = desktop
    _log_in(page, live_server.url, cast.district_officer.email)
    page.click("details.menu summary")
    page.click("details.menu a:has-text('Nhật ký hoạt động')")
    page.wait_for_load_state("load")
    log = page.locator("ol.audit-log").inner_text()
    assert "Chủ tịch CĐ B sửa thông tin đoàn viên Trần Văn Bính" in log
    assert "Họ và tên: Trần Văn Bình → Trần Văn Bính" in log
    assert "Thường Tín" not in log and "member.update" not in log
    page.select_option("select[name=unit]", cast.unit_a.code)
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("load")
    log = page.locator("ol.audit-log").inner_text()
    assert "Số điện thoại: — → +84912000111" in log and "Bính" not in log
    _shot(page, "audit-log.png")
