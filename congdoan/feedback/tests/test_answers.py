"""The concern workflow of issue 11.9: readable history, the handler set, corrected answers
kept as versions, answer templates, a legal basis from the library, and a double send."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.audit.models import AuditEntry
from congdoan.feedback.models import AnswerTemplate, Concern, ConcernAnswer, ConcernEvent
from congdoan.feedback.services import concern_answer, concern_correct
from congdoan.library.models import Visibility
from congdoan.library.tests.test_search import make as make_document
from congdoan_dev.demo.feedback import ANSWER_TEMPLATES, seed_answer_templates


def _detail(client: Any, concern: Concern, query: str = "") -> str:
    response = client.get(reverse("feedback:detail", args=[concern.code]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_history_shows_topic_and_urgency_as_labels_in_the_viewers_language(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Công ty chậm trả lương tháng 10 hai tuần rồi", unit=cast.unit_a)
    concern_correct(actor=cast.officer_a, concern=concern, topic="safety", urgency="urgent")
    client = client_of(cast.officer_a)
    page = _detail(client, concern)
    assert "Tiền lương, thu nhập / " in page
    assert "Chủ đề: Tiền lương, thu nhập → An toàn, vệ sinh lao động" in page
    assert "wages /" not in page and "&#x27;topic&#x27;" not in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _detail(client, concern)
    assert "Wages, income / " in english and "wages /" not in english


def test_officer_who_starts_or_answers_becomes_the_handler(
    cast: Any, client_of: Any, submit: Any
) -> None:
    client = client_of(cast.officer_a)
    started = submit("Xin hỏi lịch nghỉ Tết", unit=cast.unit_a)
    client.post(reverse("feedback:start", args=[started.code]))
    started.refresh_from_db()
    assert started.assignee == cast.officer_a
    assert "Chủ tịch CĐ A" in _detail(client, started).split("Cán bộ xử lý")[1][:200]
    answered = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    client.post(
        reverse("feedback:answer", args=[answered.code]), {"text": "Đoàn phí bằng 1 % lương."}
    )
    answered.refresh_from_db()
    assert answered.assignee == cast.officer_a


def test_a_given_handler_stays_when_another_officer_answers(cast: Any, submit: Any) -> None:
    concern = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    Concern.objects.filter(pk=concern.pk).update(assignee=cast.officer_a)
    concern.refresh_from_db()
    concern_answer(actor=cast.district_officer, concern=concern, text="Đoàn phí bằng 1 % lương.")
    concern.refresh_from_db()
    assert concern.assignee == cast.officer_a


def test_sent_answer_is_corrected_as_a_new_version_and_the_worker_sees_it_changed(
    cast: Any, client: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Công ty chậm trả lương tháng 10", unit=cast.unit_a)
    concern_answer(actor=cast.officer_a, concern=concern, text="Công ty sẽ trả lương ngày 15.")
    officer = client_of(cast.officer_a)
    response = officer.post(
        reverse("feedback:answer_correct", args=[concern.code]),
        {
            "text": "Công ty sẽ trả lương ngày 20, kèm tiền lãi trả chậm.",
            "citation": "Điều 97 Bộ luật Lao động 2019",
            "reason": "Công ty báo đổi ngày trả",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.answer_text == "Công ty sẽ trả lương ngày 20, kèm tiền lãi trả chậm."
    versions = list(ConcernAnswer.objects.filter(concern=concern).order_by("version"))
    assert [(v.version, v.is_correction) for v in versions] == [(1, False), (2, True)]
    assert versions[0].text == "Công ty sẽ trả lương ngày 15."
    entry = AuditEntry.objects.get(action="feedback.answer_correct")
    assert entry.changes["answer_text"] == [versions[0].text, versions[1].text]
    assert ConcernEvent.objects.filter(concern=concern, kind="answer_correct").exists()

    worker = client.get(reverse("feedback:track", args=[concern.code])).content.decode()
    assert "ngày 20" in worker and "ngày 15" not in worker
    assert "đã được cán bộ công đoàn sửa lại" in worker
    api = client.get(f"/api/v1/feedback/{concern.code}").json()
    assert api["answer"].startswith("Công ty sẽ trả lương ngày 20")
    assert api["answer_corrected_at"] is not None

    page = _detail(officer, concern)
    assert "Công ty sẽ trả lương ngày 15." in page and "Bản 2" in page  # old versions stay


def test_answer_given_before_versions_existed_is_kept_as_version_one(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    concern_answer(actor=cast.officer_a, concern=concern, text="Bản cũ")
    ConcernAnswer.objects.filter(concern=concern).delete()  # as rows answered before 0004
    client_of(cast.officer_a).post(
        reverse("feedback:answer_correct", args=[concern.code]), {"text": "Bản mới"}
    )
    assert list(ConcernAnswer.objects.filter(concern=concern).values_list("version", "text")) == [
        (1, "Bản cũ"),
        (2, "Bản mới"),
    ]


def test_an_open_concern_has_no_answer_to_correct(cast: Any, client_of: Any, submit: Any) -> None:
    concern = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    client_of(cast.officer_a).post(
        reverse("feedback:answer_correct", args=[concern.code]), {"text": "Sửa gì?"}
    )
    concern.refresh_from_db()
    assert concern.answer_text == "" and not ConcernAnswer.objects.exists()


def test_officer_of_another_union_cannot_correct_an_answer(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    concern_answer(actor=cast.officer_a, concern=concern, text="Đúng")
    response = client_of(cast.officer_b).post(
        reverse("feedback:answer_correct", args=[concern.code]), {"text": "Sai"}
    )
    assert response.status_code == 404
    concern.refresh_from_db()
    assert concern.answer_text == "Đúng"


def test_officer_picks_an_answer_template_of_the_concerns_topic(
    cast: Any, client_of: Any, submit: Any
) -> None:
    seed_answer_templates()
    seed_answer_templates()  # the demo's templates are seeded once
    assert AnswerTemplate.objects.count() == len(ANSWER_TEMPLATES)
    AnswerTemplate.objects.create(
        topic="wages", title="Mẫu riêng của B", text="…", unit=cast.unit_b
    )
    concern = submit("Công ty chậm trả lương tháng 10 hai tuần rồi", unit=cast.unit_a)
    assert concern.topic == "wages"
    client = client_of(cast.officer_a)
    page = _detail(client, concern)
    assert "Chậm trả lương" in page and "Đã tiếp nhận, đang làm việc" in page
    assert "Làm thêm giờ" not in page and "Mẫu riêng của B" not in page
    template = AnswerTemplate.objects.get(title="Chậm trả lương")
    filled = _detail(client, concern, f"?mau={template.pk}")
    assert "đền bù cho người lao động" in filled.split('name="text"')[1][:2000]
    assert 'value="Điều 94 và Điều 97 Bộ luật Lao động 2019"' in filled


def test_legal_basis_is_suggested_from_documents_the_officer_may_see(
    cast: Any, client_of: Any, submit: Any
) -> None:
    seen = make_document(
        cast,
        cast.district,
        "Hướng dẫn về trả lương đúng hạn cho người lao động",
        "Người sử dụng lao động phải trả lương đúng hạn.",
        visibility=Visibility.SUBTREE,
    )
    hidden = make_document(
        cast,
        cast.unit_b,
        "Biên bản về trả lương của công ty B",
        "Trả lương chậm.",
    )
    concern = submit("cong ty cham tra luong thang 10 hai tuan roi", unit=cast.unit_a)
    client = client_of(cast.officer_a)
    page = _detail(client, concern)
    assert "Căn cứ gợi ý từ thư viện" in page
    assert seen.title in page and hidden.title not in page
    filled = _detail(client, concern, f"?can-cu={seen.pk}")
    assert f'value="/tai-lieu/{seen.pk}/"' in filled
    assert seen.title in filled.split('name="citation"')[1][:400]


def test_the_same_concern_sent_twice_by_one_sender_is_one_submission(
    cast: Any, client: Any
) -> None:
    data = {"text": "Nhà vệ sinh xưởng 2 hỏng cả tuần", "unit_pick": "PX-A"}
    first = client.post(reverse("feedback:submit"), data, REMOTE_ADDR="10.9.9.9")
    second = client.post(reverse("feedback:submit"), data, REMOTE_ADDR="10.9.9.9")
    assert Concern.objects.count() == 1
    assert first["Location"] == second["Location"]  # the same tracking code
    body = {"text": "Xin hỏi về nghỉ phép năm", "unit": "PX-B", "contact_phone": "0912 345 678"}
    api = [
        client.post(
            "/api/v1/feedback", body, content_type="application/json", REMOTE_ADDR="10.8.8.8"
        ).json()["code"]
        for _ in range(2)
    ]
    assert api[0] == api[1] and Concern.objects.count() == 2


def test_two_workers_behind_one_address_sending_the_same_words_are_two_concerns(
    cast: Any, client: Any
) -> None:
    data = {"text": "Nhà vệ sinh xưởng 2 hỏng cả tuần", "unit_pick": "PX-A"}
    client.post(reverse("feedback:submit"), data, REMOTE_ADDR="10.9.9.9")
    Client().post(reverse("feedback:submit"), data, REMOTE_ADDR="10.9.9.9")  # another phone
    body = {"text": "Xin hỏi về nghỉ phép năm", "unit": "PX-B"}
    for _ in range(2):  # an anonymous API client gives nothing to tell two senders apart
        client.post(
            "/api/v1/feedback", body, content_type="application/json", REMOTE_ADDR="10.9.9.9"
        )
    assert Concern.objects.count() == 4


def test_the_same_words_from_two_workers_are_two_concerns_in_one_group(
    cast: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = {"text": "Xe đưa đón hay đến muộn, đi làm trễ bị trừ lương", "unit_pick": "PX-A"}
    for phone in (client, Client()):
        with django_capture_on_commit_callbacks(execute=True):  # triage, as the worker would
            phone.post(reverse("feedback:submit"), data, REMOTE_ADDR="10.1.0.1")
    first, second = Concern.objects.order_by("pk")
    assert first.pk != second.pk
    assert first.cluster_id is not None and first.cluster_id == second.cluster_id


def test_answer_with_a_templates_blanks_left_is_refused_and_the_officers_text_kept(
    cast: Any, client_of: Any, submit: Any
) -> None:
    """A template's "…" blanks must be filled before the worker reads the answer; the page
    shows the refusal with the officer's text still in the box."""
    concern = submit("Công ty chậm trả lương hai tuần", unit=cast.unit_a)
    typed = "Công ty cam kết trả lương tháng … trước ngày …. Xin báo lại nếu chưa nhận."
    response = client_of(cast.officer_a).post(
        reverse("feedback:answer", args=[concern.code]), {"text": typed}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "chỗ trống" in page and "trả lương tháng … trước ngày …." in page
    concern.refresh_from_db()
    assert concern.answer_text == "" and not ConcernAnswer.objects.exists()

    filled = "Công ty cam kết trả lương tháng 11 trước ngày 10/12. Anh chị rất vất vả…"
    client_of(cast.officer_a).post(
        reverse("feedback:answer", args=[concern.code]), {"text": filled}
    )
    concern.refresh_from_db()
    assert concern.answer_text == filled  # an ellipsis closing a word is not a blank


def test_a_correction_with_blanks_left_is_refused_with_the_text_kept(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    concern_answer(actor=cast.officer_a, concern=concern, text="Đoàn phí bằng 1 % lương.")
    response = client_of(cast.officer_a).post(
        reverse("feedback:answer_correct", args=[concern.code]),
        {"text": "Đoàn phí bằng 1 % lương, nộp trước ngày …"},
    )
    assert response.status_code == 400
    assert "nộp trước ngày …" in response.content.decode()
    concern.refresh_from_db()
    assert concern.answer_text == "Đoàn phí bằng 1 % lương."


def test_a_report_or_minutes_is_never_suggested_as_a_legal_basis(
    cast: Any, client_of: Any, submit: Any
) -> None:
    guidance = make_document(
        cast,
        cast.district,
        "Hướng dẫn về trả lương đúng hạn",
        "Phải trả lương đúng hạn.",
        visibility=Visibility.SUBTREE,
        doc_type="huong_dan",
    )
    report = make_document(
        cast,
        cast.district,
        "Báo cáo sơ kết 6 tháng: tiền lương, trả lương",
        "Trả lương chậm ở 3 công ty.",
        visibility=Visibility.SUBTREE,
        doc_type="bao_cao",
    )
    concern = submit("cong ty cham tra luong thang 10 hai tuan roi", unit=cast.unit_a)
    page = _detail(client_of(cast.officer_a), concern)
    assert guidance.title in page and report.title not in page


def test_start_button_is_gone_once_the_concern_is_in_progress(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    client = client_of(cast.officer_a)
    start_url = reverse("feedback:start", args=[concern.code])
    assert start_url in _detail(client, concern)
    client.post(start_url)
    concern.refresh_from_db()
    assert concern.status == "in_progress"
    assert start_url not in _detail(client, concern)


def test_history_says_received_once_not_received_to_received(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Xin hỏi về đoàn phí", unit=cast.unit_a)
    assert ConcernEvent.objects.filter(
        concern=concern, kind="submit", to_status="received"
    ).exists()
    page = _detail(client_of(cast.officer_a), concern)
    history = page.split("Lịch sử", 1)[1]
    assert "Tiếp nhận" in history and "Tiếp nhận → Đã tiếp nhận" not in history


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=139264", True),
        ("/phap-luat/van-ban/45-2019-qh14/dieu-113/#khoan-1", True),
        ("//evil.example/phap-luat/", False),
        ("javascript:alert(1)", False),
    ],
)
def test_the_basis_link_is_a_web_address_or_a_page_of_this_site(url, ok):
    from django.core.exceptions import ValidationError

    from congdoan.feedback.services.answers import clean_answer

    if ok:
        assert clean_answer("Trả lời", "Điều 113", url)[2] == url
    else:
        with pytest.raises(ValidationError):
            clean_answer("Trả lời", "Điều 113", url)
