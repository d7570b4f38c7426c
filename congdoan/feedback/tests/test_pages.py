from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from congdoan.audit.models import AuditEntry
from congdoan.feedback.models import Channel, Concern, Status
from congdoan.feedback.services import concern_answer


def test_worker_finds_the_union_without_diacritics_and_sends_a_concern(
    cast: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    page = client.get(reverse("feedback:submit") + "?q=dien tu b").content.decode()
    assert 'value="PX-B"' in page and "Công ty Điện tử B" in page and 'value="PX-A"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("feedback:submit"),
            {"unit_pick": "PX-B", "text": "nha tro gan cty tang gia", "is_anonymous": "on"},
        )
    concern = Concern.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("feedback:track", args=[concern.code])
    )
    assert concern.unit == cast.unit_b and concern.is_anonymous and concern.channel == Channel.WEB
    assert concern.code in client.get(response["Location"]).content.decode()


def test_qr_page_preselects_the_union(cast: Any, client: Any) -> None:
    url = reverse("feedback:submit_qr", args=[cast.unit_a.qr_token])
    assert "Công đoàn Công ty May A" in client.get(url).content.decode()
    client.post(url, {"text": "Xin hỏi về thưởng Tết", "unit": "PX-B"})
    assert Concern.objects.get().unit == cast.unit_a
    assert client.get(reverse("feedback:submit_qr", args=["khong-co"])).status_code == 404


def test_pages_for_workers_need_no_javascript(cast: Any, client: Any, submit: Any) -> None:
    concern = submit("Xin hỏi", unit=cast.unit_a)
    for url in (
        reverse("feedback:submit"),
        reverse("feedback:track", args=[concern.code]),
        reverse("feedback:track_lookup"),
    ):
        html = client.get(url).content.decode()
        assert "<script" not in html
    # the forms a worker fills in (the track page has one only once answered: rate, reopen)
    for url in (reverse("feedback:submit"), reverse("feedback:track_lookup")):
        assert "<form" in client.get(url).content.decode()


def test_worker_reads_the_answer_rates_it_and_reopens(cast: Any, client: Any, submit: Any) -> None:
    concern = submit("Xin hỏi nghỉ Tết mấy ngày", unit=cast.unit_a)
    concern_answer(
        actor=cast.officer_a,
        concern=concern,
        text="Nghỉ 5 ngày theo Điều 112.",
        citation="Điều 112 BLLĐ 2019",
    )
    lookup = client.get(
        reverse("feedback:track_lookup") + f"?ma={concern.code.lower().replace('-', ' ')}"
    )
    assert lookup.status_code == 302
    html = client.get(lookup["Location"]).content.decode()
    assert "Nghỉ 5 ngày theo Điều 112." in html and "Điều 112 BLLĐ 2019" in html
    client.post(
        reverse("feedback:track_rate", args=[concern.code]), {"rating": "2", "comment": "chưa rõ"}
    )
    client.post(
        reverse("feedback:track_reopen", args=[concern.code]),
        {"reason": "Công ty vẫn chỉ cho nghỉ 3 ngày"},
    )
    concern.refresh_from_db()
    assert concern.rating == 2 and concern.status == Status.REOPENED and concern.reopen_count == 1


def test_worker_cannot_rate_before_an_answer(cast: Any, client: Any, submit: Any) -> None:
    concern = submit("Xin hỏi", unit=cast.unit_a)
    client.post(reverse("feedback:track_rate", args=[concern.code]), {"rating": "5"})
    assert Concern.objects.get(pk=concern.pk).rating is None


def test_worker_deletes_their_contact_with_the_code(cast: Any, client: Any, submit: Any) -> None:
    concern = submit("Xin hỏi", unit=cast.unit_a, contact_name="Lan", contact_phone="0912345678")
    client.post(reverse("feedback:track_erase", args=[concern.code]))
    concern.refresh_from_db()
    assert concern.contact_phone == "" and concern.contact_name == "" and concern.text == "Xin hỏi"


def test_officer_records_a_hotline_concern_and_answers_it(
    cast: Any, client_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(cast.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("feedback:record"),
            {
                "unit": "PX-A",
                "source": "hotline",
                "text": "Công nhân báo xưởng nóng, không có quạt",
            },
        )
    concern = Concern.objects.get()
    assert (
        response.status_code == 302
        and concern.channel == Channel.OFFICER
        and concern.submitted_by == cast.officer_a
    )
    client.post(
        reverse("feedback:correct", args=[concern.code]), {"topic": "safety", "urgency": "high"}
    )
    client.post(
        reverse("feedback:assign", args=[concern.code]), {"assignee": str(cast.officer_a.pk)}
    )
    client.post(
        reverse("feedback:answer", args=[concern.code]),
        {"text": "Đã đề nghị công ty lắp thêm quạt."},
    )
    concern.refresh_from_db()
    assert (
        concern.topic == "safety" and concern.topic_corrected and concern.assignee == cast.officer_a
    )
    assert concern.status == Status.ANSWERED
    assert {"feedback.record", "feedback.correct", "feedback.assign", "feedback.answer"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_officer_cannot_record_for_a_unit_outside_their_scope(cast: Any, client_of: Any) -> None:
    response = client_of(cast.officer_a).post(
        reverse("feedback:record"), {"unit": "PX-B", "source": "hotline", "text": "x y"}
    )
    assert response.status_code in (404, 422) and Concern.objects.count() == 0


def test_inbox_filters_answer_htmx_with_a_partial(cast: Any, client_of: Any, submit: Any) -> None:
    submit("Xưởng nóng quá không có quạt", unit=cast.unit_a)
    submit("Xin hỏi đoàn phí", unit=cast.unit_a)
    client = client_of(cast.district_officer)
    partial = client.get(
        reverse("feedback:inbox") + "?status=&topic=union", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and "đoàn phí" in partial and "nóng" not in partial
    full = client.get(reverse("feedback:inbox")).content.decode()
    assert "<html" in full and "nóng" in full


def test_member_sees_their_own_concerns(
    cast: Any, client_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(cast.member_user)
    client.post(reverse("feedback:submit"), {"text": "Xin hỏi về thẻ đoàn viên"})
    concern = Concern.objects.get()
    assert (
        concern.channel == Channel.MEMBER
        and concern.unit == cast.unit_a
        and concern.submitted_by == cast.member_user
    )
    assert concern.code in client.get(reverse("feedback:mine")).content.decode()
    assert client.get(reverse("feedback:inbox")).status_code == 403


def test_clusters_dashboard_summary_and_export_pages_render(
    cast: Any, client_of: Any, submit: Any
) -> None:
    for i in range(3):
        submit(f"Công ty May A chậm trả lương tháng 10 cho cả xưởng may{'!' * i}", unit=cast.unit_a)
    client = client_of(cast.district_officer)
    clusters = client.get(reverse("feedback:clusters")).content.decode()
    assert "chậm trả lương" in clusters
    assert client.get(reverse("feedback:dashboard")).status_code == 200
    summary = client.get(reverse("feedback:summary")).content.decode()
    assert "tiếp nhận 3 ý kiến" in summary
    assert client.get(reverse("feedback:summary") + "?dinh-dang=json").json()["total"] == 3
    response = client.get(reverse("feedback:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_home_page_links_to_the_workers_page_and_dashboard_to_the_inbox(
    cast: Any, client: Any, client_of: Any
) -> None:
    assert reverse("feedback:submit") in client.get("/").content.decode()
    assert (
        reverse("feedback:inbox")
        in client_of(cast.officer_a).get(reverse("web:dashboard")).content.decode()
    )


def test_guessing_tracking_codes_is_throttled(cast: Any, client: Any, monkeypatch: Any) -> None:
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)  # one rate-limit window for the whole test
    statuses = [
        client.get(f"/y-kien/tra-cuu/YK-2222{i:02d}/", REMOTE_ADDR="10.7.7.7").status_code
        for i in range(40)
    ]
    assert statuses.count(404) == 30 and statuses.count(429) == 10
    assert client.get("/api/v1/feedback/YK-333333", REMOTE_ADDR="10.7.7.7").status_code == 429


def test_grassroots_officer_forwards_to_the_district_and_photo_is_scoped(
    cast: Any, client_of: Any, submit: Any, settings: Any, tmp_path: Any
) -> None:

    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    concern = submit(
        "Dây điện hở ở xưởng",
        unit=cast.unit_a,
        photo=SimpleUploadedFile("IMG_2024.png", out.getvalue(), content_type="image/png"),
    )
    assert "IMG_2024" not in str(concern.photo.name)
    assert (
        client_of(cast.officer_b).get(reverse("feedback:photo", args=[concern.code])).status_code
        == 404
    )
    assert (
        client_of(cast.officer_a).get(reverse("feedback:photo", args=[concern.code])).status_code
        == 200
    )
    client_of(cast.officer_a).post(
        reverse("feedback:forward", args=[concern.code]), {"note": "vượt thẩm quyền"}
    )
    concern.refresh_from_db()
    assert concern.assigned_unit == cast.district and concern.status == Status.ASSIGNED
    html = (
        client_of(cast.district_officer)
        .get(reverse("feedback:detail", args=[concern.code]))
        .content.decode()
    )
    assert "Chuyển cấp trên" in html and "vượt thẩm quyền" in html


def test_officer_answers_a_whole_cluster_at_once(cast: Any, client_of: Any, submit: Any) -> None:
    texts = ["Công ty May A chậm trả lương tháng 10, anh em rất khó khăn"] * 4
    concerns = [submit(t + "!" * i, unit=cast.unit_a) for i, t in enumerate(texts)]
    first = Concern.objects.get(pk=concerns[0].pk)
    assert first.cluster_id is not None
    client_of(cast.officer_a).post(
        reverse("feedback:answer", args=[first.code]),
        {
            "text": "Công ty cam kết trả trước ngày 15.",
            "citation": "Điều 97 BLLĐ 2019",
            "whole_cluster": "on",
        },
    )
    answered = Concern.objects.filter(cluster_id=first.cluster_id, status=Status.ANSWERED)
    assert answered.count() == 4
    assert set(answered.values_list("answer_citation", flat=True)) == {"Điều 97 BLLĐ 2019"}


def test_inbox_sorts_urgent_concerns_first(cast: Any, client_of: Any, submit: Any) -> None:
    normal = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    urgent = submit("Công nhân bị tai nạn kẹp tay ở máy dập", unit=cast.unit_a)
    later = submit("Đề nghị thêm cây xanh", unit=cast.unit_a)
    html = (
        client_of(cast.officer_a)
        .get(reverse("feedback:inbox") + "?status=&sort=urgent")
        .content.decode()
    )
    assert html.index(urgent.code) < html.index(normal.code) and html.index(
        urgent.code
    ) < html.index(later.code)
