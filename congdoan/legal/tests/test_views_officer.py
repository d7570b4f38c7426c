"""The officers' legal pages with the standard cast: curated answers written, cited, published
and reviewed within one's scope only; the questions to answer next; the law import (preview,
confirm, a broken file that imports nothing) for administrators only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congdoan.legal import services
from congdoan.legal.forms import parse_citations
from congdoan.legal.models import AnswerStatus, AskedQuestion, CuratedAnswer, Law
from congdoan.legal.tests import lawdata
from congdoan.legal.tests.conftest import AMENDED_ON, article

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MANAGE = "/phap-luat/quan-ly/"
CREATE = "/phap-luat/quan-ly/tra-loi/moi/"
IMPORT = "/phap-luat/quan-ly/nhap/"


def _answer_post(unit: Any, **extra: Any) -> dict[str, Any]:
    return {
        "unit": unit.pk,
        "question": "Công ty giữ bằng tốt nghiệp bản gốc có được không?",
        "variants": "giu bang goc\ncông ty giữ bằng",
        "answer": "Không được: công ty không được giữ bản chính văn bằng của bạn.",
        "references": "",
        **extra,
    }


# ------------------------------------------------------------------ who gets in


def test_member_and_anonymous_are_kept_out_of_the_officer_pages(client, client_of, member):
    as_member = client_of(member)
    assert as_member.get(MANAGE).status_code == 403
    assert as_member.get(CREATE).status_code == 403
    assert as_member.get(IMPORT).status_code == 403
    response = client.get(MANAGE)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_officer_sees_answers_and_unanswered_questions_but_no_import(
    client, client_of, officer_a, answer_a, draft_b
):
    client.get("/phap-luat/", {"q": "bị đuổi việc có được trợ cấp không"})
    html = client_of(officer_a).get(MANAGE).content.decode()
    assert "Nghỉ phép năm được bao nhiêu ngày?" in html  # its own
    assert "Làm thêm giờ được trả lương thế nào?" not in html  # B's draft
    assert "Câu hỏi chưa có câu trả lời tốt" in html
    assert "bị đuổi việc có được trợ cấp không" in html
    assert f"{CREATE}?q=b%E1%BB%8B%20%C4%91u%E1%BB%95i" in html  # "Viết câu trả lời", prefilled
    assert "Nhập văn bản" not in html and IMPORT not in html


def test_admin_sees_the_import(client_of, admin_user, labour_code):
    html = client_of(admin_user).get(MANAGE).content.decode()
    assert "Nhập văn bản" in html and IMPORT in html


def test_manage_filters_drafts_published_and_flagged(
    client_of, district_officer, answer_a, draft_b
):
    officer = client_of(district_officer)
    drafts = officer.get(MANAGE, {"loc": "nhap"}).content.decode()
    assert "Làm thêm giờ được trả lương" in drafts and "Nghỉ phép năm được" not in drafts
    published = officer.get(MANAGE, {"loc": "da-dang"}).content.decode()
    assert "Nghỉ phép năm được" in published and "Làm thêm giờ được trả lương" not in published
    assert officer.get(MANAGE, {"loc": "ra-soat"}).status_code == 200
    assert officer.get(MANAGE, {"loc": "<x>", "page": "abc"}).status_code == 200


# ------------------------------------------------------------------ writing answers


def test_create_page_prefills_the_question_suggests_articles_and_limits_units(
    client_of, officer_a, labour_code, cast
):
    html = client_of(officer_a).get(CREATE, {"q": "nghỉ phép năm được mấy ngày"}).content.decode()
    assert 'value="nghỉ phép năm được mấy ngày"' in html
    assert re.search(r'type="checkbox" name="suggested" value="\d+:\d*"', html)
    assert "Điều 113. Nghỉ hằng năm" in html
    assert cast.unit_a.name in html and cast.unit_b.name not in html


def test_officer_writes_an_answer_citing_typed_references(client_of, officer_a, labour_code, cast):
    references = "Điều 17; khoản 2 Điều 98; Điều 65 145/2020/NĐ-CP"
    response = client_of(officer_a).post(CREATE, _answer_post(cast.unit_a, references=references))
    answer = CuratedAnswer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{answer.pk}/")
    assert answer.status == AnswerStatus.DRAFT and answer.unit == cast.unit_a
    cited = {(c.article.law.law_id, c.article.number, c.clause) for c in answer.citations.all()}
    assert cited == {
        (lawdata.CODE_ID, "17", ""),
        (lawdata.CODE_ID, "98", "2"),
        (lawdata.DECREE_ID, "65", ""),
    }


def test_each_bad_reference_gets_its_own_message_and_nothing_is_written(
    client_of, officer_a, labour_code, cast
):
    references = "Điều 999; khoản 9 Điều 113; Điều 8 12/2099/NĐ-CP; abc; Điều 170; Điều 17"
    response = client_of(officer_a).post(CREATE, _answer_post(cast.unit_a, references=references))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bộ luật Lao động 2019 không có Điều 999" in html
    assert "Điều 113 không có khoản 9" in html
    assert "chưa có văn bản 12/2099/NĐ-CP" in html
    assert "“abc”: không đọc được" in html
    assert "Điều 170 chưa được nhập nội dung" in html
    assert CuratedAnswer.objects.count() == 0


def test_parse_citations_reads_without_marks_and_with_the_law_named(labour_code):
    found, errors = parse_citations(
        "dieu 113\nKHOẢN 1 ĐIỀU 98 Bộ luật Lao động; điểm a khoản 1 Điều 113; Điều 65 Nghị định "
        "145/2020/NĐ-CP"
    )
    assert errors == []
    assert [(r.article.number, r.clause) for r in found] == [
        ("113", ""),
        ("98", "1"),
        ("113", "1"),
        ("65", ""),
    ]


def test_ticked_suggestions_are_cited_and_the_answer_published(
    client_of, officer_a, labour_code, cast
):
    leave = article(labour_code, "113")
    response = client_of(officer_a).post(
        CREATE,
        _answer_post(cast.unit_a, suggested=[f"{leave.pk}:1", f"{leave.pk}:"], publish="1"),
    )
    assert response.status_code == 302
    answer = CuratedAnswer.objects.get()
    assert answer.is_published
    assert sorted(answer.citations.values_list("clause", flat=True)) == ["", "1"]


def test_officer_cannot_write_for_another_unit(client_of, officer_a, labour_code, cast):
    response = client_of(officer_a).post(CREATE, _answer_post(cast.unit_b))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert CuratedAnswer.objects.count() == 0


def test_officer_cannot_touch_another_branchs_answer(client_of, officer_a, draft_b, cast):
    officer = client_of(officer_a)
    edit = reverse("legal:answer_edit", args=[draft_b.pk])
    assert officer.get(edit).status_code == 404  # B's draft is not even seen
    assert officer.post(edit, _answer_post(cast.unit_b)).status_code == 404
    for name in ("answer_publish", "answer_delete", "answer_review"):
        assert officer.post(reverse(f"legal:{name}", args=[draft_b.pk])).status_code == 404
    services.answer_publish(actor=cast.officer_b, answer=draft_b)
    assert officer.get(edit).status_code == 403  # published: seen, not editable
    assert officer.post(reverse("legal:answer_unpublish", args=[draft_b.pk])).status_code == 403
    draft_b.refresh_from_db()
    assert draft_b.is_published and CuratedAnswer.objects.filter(pk=draft_b.pk).exists()


def test_upper_level_edits_publishes_unpublishes_and_deletes(client_of, district_officer, draft_b):
    officer = client_of(district_officer)
    edit = reverse("legal:answer_edit", args=[draft_b.pk])
    html = officer.get(edit).content.decode()
    assert 'value="Điều 98"' in html  # the citations, as they are typed
    response = officer.post(
        edit,
        {
            "question": "Làm thêm giờ ngày thường được trả bao nhiêu?",
            "answer": "Ít nhất 150% lương ngày thường.",
            "references": "khoản 1 Điều 98",
        },
    )
    assert response.status_code == 302
    draft_b.refresh_from_db()
    assert draft_b.question.startswith("Làm thêm giờ ngày thường")
    assert list(draft_b.citations.values_list("clause", flat=True)) == ["1"]
    officer.post(reverse("legal:answer_publish", args=[draft_b.pk]))
    draft_b.refresh_from_db()
    assert draft_b.is_published
    officer.post(reverse("legal:answer_unpublish", args=[draft_b.pk]))
    draft_b.refresh_from_db()
    assert not draft_b.is_published
    response = officer.post(reverse("legal:answer_delete", args=[draft_b.pk]))
    assert response.status_code == 302 and response["Location"] == MANAGE
    assert not CuratedAnswer.objects.filter(pk=draft_b.pk).exists()


def test_publishing_without_citations_says_why(client_of, officer_a, labour_code, cast):
    client = client_of(officer_a)
    client.post(CREATE, _answer_post(cast.unit_a))
    answer = CuratedAnswer.objects.get()
    response = client.post(reverse("legal:answer_publish", args=[answer.pk]), follow=True)
    assert "Hãy dẫn ít nhất một điều luật" in response.content.decode()
    answer.refresh_from_db()
    assert not answer.is_published


def test_flagged_answer_shows_the_reason_and_is_reviewed(client_of, officer_a, answer_a):
    services.import_laws([lawdata.code(leave_days=14)], effective_from=AMENDED_ON)
    officer = client_of(officer_a)
    html = officer.get(MANAGE, {"loc": "ra-soat"}).content.decode()
    assert "Cần rà soát" in html and "Điều 113 Bộ luật Lao động 2019 có nội dung mới" in html
    edit_html = officer.get(reverse("legal:answer_edit", args=[answer_a.pk])).content.decode()
    assert "Đã rà soát" in edit_html
    response = officer.post(reverse("legal:answer_review", args=[answer_a.pk]), {"next": "manage"})
    assert response.status_code == 302 and response["Location"] == MANAGE
    answer_a.refresh_from_db()
    assert not answer_a.needs_review


def test_unanswered_question_link_prefills_the_new_answer(
    client, client_of, officer_a, labour_code
):
    client.get("/phap-luat/", {"q": "thu viec toi da bao lau"})
    assert AskedQuestion.objects.count() == 1
    html = client_of(officer_a).get(CREATE, {"q": "thu viec toi da bao lau"}).content.decode()
    assert 'value="thu viec toi da bao lau"' in html


# ------------------------------------------------------------------ importing laws


def _token(html: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', html)
    assert found, "no preview"
    return found.group(1)


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_import_preview_then_confirm(client_of, admin_user):
    admin = client_of(admin_user)
    data = (FIXTURES / "nghi_dinh_mau.txt").read_bytes()
    preview = admin.post(IMPORT, {"file": _upload("nghi_dinh_mau.txt", data)})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "145/2020/NĐ-CP" in html and "văn bản mới" in html
    assert Law.objects.count() == 0  # nothing written before the confirmation
    token = _token(html)
    response = admin.post(reverse("legal:import_confirm"), {"token": token}, follow=True)
    assert "Đã nhập 145/2020/NĐ-CP" in response.content.decode()
    law = Law.objects.get(law_id="145/2020/NĐ-CP")
    assert law.articles.filter(number="8").exists()
    again = admin.post(reverse("legal:import_confirm"), {"token": token}, follow=True)
    assert "đã hết hạn" in again.content.decode()  # a preview is imported once


def test_import_with_law_id_title_and_date_of_an_amendment(client_of, admin_user, labour_code):
    text = (
        "BỘ LUẬT\nLAO ĐỘNG\n\nĐiều 113. Nghỉ hằng năm\n1. Người lao động được nghỉ 15 ngày.\n"
        "2. Người lao động làm việc chưa đủ 12 tháng thì nghỉ theo tỷ lệ.\n"
    )
    admin = client_of(admin_user)
    preview = admin.post(
        IMPORT,
        {
            "file": _upload("sua-doi.txt", text.encode()),
            "law_id": lawdata.CODE_ID,
            "title": "Bộ luật Lao động",
            "effective_from": "2026-07-01",
        },
    )
    html = preview.content.decode()
    assert "đã có" in html, html
    token = _token(html)
    admin.post(reverse("legal:import_confirm"), {"token": token})
    leave = article(labour_code, "113")
    assert leave.versions.count() == 2
    current = leave.version_on()
    assert current is not None and current.text.startswith("1. Người lao động được nghỉ 15 ngày")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "hong.txt",
            "Điều 1. Một\nNội dung.\nĐiều 3. Ba\nx\nĐiều 2. Hai\ny\n".encode(),
            "đứng sau",
        ),
        ("van-ban.pdf", b"%PDF-1.4 binary", "Tệp PDF chưa đọc được"),
        ("rong.txt", b"   ", "rỗng"),
    ],
)
def test_broken_file_shows_why_and_imports_nothing(client_of, admin_user, name, data, message):
    response = client_of(admin_user).post(
        IMPORT, {"file": _upload(name, data), "law_id": "1/2020/QH14", "title": "Luật thử"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'name="token"' not in response.content.decode()
    assert Law.objects.count() == 0


def test_import_is_for_administrators_only(client_of, officer_a, district_officer, admin_user):
    data = (FIXTURES / "nghi_dinh_mau.txt").read_bytes()
    for user in (officer_a, district_officer):
        assert client_of(user).get(IMPORT).status_code == 403
        response = client_of(user).post(IMPORT, {"file": _upload("a.txt", data)})
        assert response.status_code == 403
    html = client_of(admin_user).post(IMPORT, {"file": _upload("a.txt", data)}).content.decode()
    token = _token(html)
    assert (
        client_of(district_officer)
        .post(reverse("legal:import_confirm"), {"token": token})
        .status_code
        == 403
    )
    assert Law.objects.count() == 0


def test_officer_pages_work_in_english(client_of, admin_user, answer_a):
    admin = client_of(admin_user)
    admin.get("/ngon-ngu/", {"lang": "en", "next": MANAGE})
    for url in (MANAGE, CREATE, IMPORT, reverse("legal:answer_edit", args=[answer_a.pk])):
        assert admin.get(url).status_code == 200, url


def test_too_big_a_file_is_refused_before_parsing(client_of, admin_user, monkeypatch):
    monkeypatch.setattr("congdoan.legal.forms.MAX_BYTES", 10)
    response = client_of(admin_user).post(IMPORT, {"file": _upload("a.txt", b"x" * 11)})
    assert "Tệp quá lớn (tối đa 10 byte)" in response.content.decode()
    assert Law.objects.count() == 0
