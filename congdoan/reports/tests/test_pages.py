from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse

from congdoan.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_officers_units_with_status_and_deadline(cast, client_of):
    response = client_of(cast.district_officer).get(reverse("reports:list") + "?period=2026H1")
    text = response.content.decode()
    assert response.status_code == 200
    assert "LĐLĐ huyện Phú Xuyên" in text and "Công đoàn Công ty May A" in text
    assert "hạn nộp 10/07/2026" in text
    assert "quá hạn" in text  # no unit has submitted 2026H1 and its deadline is past


def test_a_grassroots_officer_sees_only_their_unit(cast, client_of):
    text = client_of(cast.officer_a).get(reverse("reports:list") + "?period=2026").content.decode()
    assert "Công đoàn Công ty May A" in text
    assert "Công đoàn Công ty Điện tử B" not in text


def test_a_unit_outside_the_scope_gets_a_clear_message(cast, client_of):
    response = client_of(cast.officer_a).get(reverse("reports:detail", args=["PX-B", "2026H1"]))
    assert response.status_code == 404
    assert "trong phạm vi bạn quản lý" in response.content.decode()


def test_a_period_that_does_not_exist_gets_a_clear_message(cast, client_of):
    response = client_of(cast.officer_a).get(reverse("reports:detail", args=["PX-A", "2026H7"]))
    assert response.status_code == 404
    assert "không tồn tại" in response.content.decode()
    response = client_of(cast.officer_a).get(reverse("reports:list") + "?period=abc")
    assert response.status_code == 404


def test_submit_from_the_form_then_the_district_returns_and_accepts(cast, client_of):
    url = reverse("reports:detail", args=["PX-A", "2026H1"])
    a = client_of(cast.officer_a)
    page = a.get(url)
    assert "Nộp báo cáo" in page.content.decode()
    response = a.post(url, {"results": "Hai buổi đối thoại", "action": "submit"})
    assert response.status_code == 302
    report = Report.objects.get(unit=cast.unit_a)
    assert report.status == ReportStatus.SUBMITTED and report.results == "Hai buổi đối thoại"
    again = a.post(url, {"results": "Nộp lần hai", "action": "submit"}, follow=True)
    assert "không sửa được" in again.content.decode()
    assert Report.objects.get(unit=cast.unit_a).results == "Hai buổi đối thoại"
    # the officer of A sees no review form; the district does
    assert "Trả lại để sửa" not in a.get(url).content.decode()
    district = client_of(cast.district_officer)
    assert "Trả lại để sửa" in district.get(url).content.decode()
    review = reverse("reports:review", args=["PX-A", "2026H1"])
    answer = district.post(review, {"action": "return", "reason": ""}, follow=True)
    assert "Xin ghi lý do" in answer.content.decode()
    district.post(review, {"action": "return", "reason": "Bổ sung số liệu"})
    assert Report.objects.get(unit=cast.unit_a).status == ReportStatus.RETURNED
    assert "Bổ sung số liệu" in a.get(url).content.decode()
    a.post(url, {"results": "Đã bổ sung", "action": "submit"})
    district.post(review, {"action": "accept"})
    assert Report.objects.get(unit=cast.unit_a).status == ReportStatus.ACCEPTED


def test_officer_a_cannot_review_through_the_url(cast, client_of):
    a = client_of(cast.officer_a)
    a.post(reverse("reports:detail", args=["PX-A", "2026H1"]), {"action": "submit"})
    response = a.post(reverse("reports:review", args=["PX-A", "2026H1"]), {"action": "accept"})
    assert response.status_code == 403
    assert Report.objects.get(unit=cast.unit_a).status == ReportStatus.SUBMITTED


def test_downloads_and_the_consolidated_page(cast, client_of):
    district = client_of(cast.district_officer)
    response = district.get(reverse("reports:download", args=["PX", "2026", "docx"]))
    assert response.status_code == 200
    assert 'filename="bao-cao-px-2026.docx"' in response["Content-Disposition"]
    assert "Nơi nhận:" in [
        p.text
        for p in docx.Document(io.BytesIO(response.content)).tables[-1].rows[0].cells[0].paragraphs
    ]
    assert district.get(reverse("reports:download", args=["PX", "2026", "odt"])).status_code == 404
    page = district.get(reverse("reports:consolidated", args=["PX", "2026"]))
    text = page.content.decode()
    assert page.status_code == 200 and "0/2 đơn vị trực thuộc đã nộp" in text
    assert "Chưa lập báo cáo" in text


def test_a_member_cannot_open_reports(cast, client_of):
    response = client_of(cast.member_user).get(reverse("reports:list"))
    assert response.status_code == 403


def test_a_grassroots_union_is_offered_no_consolidated_report(cast, client_of):
    """It has no units under it: "0/0 đơn vị trực thuộc đã nộp" said nothing useful."""
    officer = client_of(cast.officer_a)
    text = officer.get(reverse("reports:list") + "?period=2026").content.decode()
    assert "Công đoàn Công ty May A" in text
    assert reverse("reports:consolidated", args=["PX-A", "2026"]) not in text
    response = officer.get(reverse("reports:consolidated", args=["PX-A", "2026"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=["PX-A", "2026"])
    district = client_of(cast.district_officer).get(reverse("reports:list") + "?period=2026")
    assert reverse("reports:consolidated", args=["PX", "2026"]) in district.content.decode()


def test_a_report_for_a_period_to_come_cannot_be_opened(cast, client_of):
    """/bao-cao-dinh-ky/PX/2027/ offered a form to write and submit next year's report."""
    officer = client_of(cast.officer_a)
    response = officer.get(reverse("reports:detail", args=["PX-A", "2099"]))
    assert response.status_code == 404
    assert "Kỳ báo cáo năm 2099 chưa bắt đầu" in response.content.decode()
    response = officer.post(reverse("reports:detail", args=["PX-A", "2099H1"]), {"submit": "1"})
    assert response.status_code == 404 and not Report.objects.exists()
    assert officer.get(reverse("reports:list") + "?period=2099").status_code == 404
