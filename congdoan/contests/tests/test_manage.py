"""The officer side: scoped access, creating and publishing a contest (its checks), questions
(answered ones locked), the pages in Vietnamese and English, export, certificates."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pymupdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image as PILImage

from congdoan.audit.models import AuditEntry
from congdoan.contests import rules
from congdoan.contests.models import (
    Attempt,
    Certificate,
    Contest,
    ContestStatus,
    PrizeKind,
    Question,
    QuestionKind,
    Round,
    Topic,
)
from congdoan.contests.services import certificates, prizes
from congdoan.contests.services import contests as svc
from congdoan.contests.services.contests import OptionInput
from congdoan.contests.tests.manage_helpers import finished, person

pytestmark = pytest.mark.django_db

ClientOf = Callable[[Any], Client]


def _url(name: str, contest: Contest, *args: Any) -> str:
    return reverse(f"contests:{name}", args=[contest.pk, *args])


def _results_contest(contest: Contest, round_open: Round, cast: Any) -> Contest:
    """The round closed, three finishers, two prizes, results published."""
    qs = list(Question.objects.filter(contest=contest).order_by("pk"))[:5]
    finished(
        round_open,
        person(contest, cast.unit_a, "Nguyễn Văn Nhất"),
        qs,
        right=5,
        prediction=1,
        seconds=100,
    )
    finished(
        round_open,
        person(contest, cast.unit_b, "Trần Thị Nhì"),
        qs,
        right=4,
        prediction=1,
        seconds=90,
    )
    finished(round_open, person(contest, cast.unit_b, "Lê Văn Ba"), qs, right=3, seconds=80)
    Round.objects.filter(pk=round_open.pk).update(
        opens_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(days=1)
    )
    for name in ("Giải Nhất", "Giải Nhì"):
        prizes.prize_save(
            actor=cast.district_officer, contest=contest, kind=PrizeKind.RANK, name=name, count=1
        )
    return svc.contest_publish_results(actor=cast.district_officer, contest=contest)


# -- access ------------------------------------------------------------------------------------


def test_rules_scope(contest: Contest, cast: Any) -> None:
    assert rules.can_manage_contest(cast.district_officer, contest)
    assert rules.can_manage_contest(cast.admin, contest)
    assert not rules.can_manage_contest(cast.officer_a, contest)
    assert not rules.can_manage_contest(cast.member_user, contest)
    # A grassroots officer inside the participation subtree sees results of their own unit.
    assert rules.can_see_results(cast.officer_a, contest)
    own = Contest.objects.create(unit=cast.unit_a, title="Cuộc thi của CĐ A", slug="cua-a")
    assert rules.can_manage_contest(cast.officer_a, own)
    assert not rules.can_manage_contest(cast.officer_b, own)
    assert not rules.can_see_results(cast.officer_b, own)


def test_grassroots_officer_cannot_see_or_edit_another_units_contest(
    contest: Contest, round_open: Round, cast: Any, client_of: ClientOf
) -> None:
    own = Contest.objects.create(unit=cast.unit_a, title="Cuộc thi của CĐ A", slug="cua-a")
    b = client_of(cast.officer_b)
    listing = b.get(reverse("contests:manage")).content.decode()
    assert "Cuộc thi của CĐ A" not in listing
    # The district's contest only as results of B's own units, never its management pages.
    assert f'href="{_url("manage_detail", contest)}"' not in listing
    for name in (
        "manage_detail",
        "manage_edit",
        "manage_bank",
        "manage_flagged",
        "manage_prizes",
        "manage_results",
        "manage_results_export",
    ):
        assert b.get(_url(name, own)).status_code == 404, name
    assert b.post(_url("manage_publish", own)).status_code == 404
    a = client_of(cast.officer_a)
    assert "Cuộc thi của CĐ A" in a.get(reverse("contests:manage")).content.decode()
    # The district's contest: officer A may not manage it...
    assert a.get(_url("manage_detail", contest)).status_code == 404
    assert a.post(_url("manage_edit", contest), {"title": "Đổi"}).status_code == 404
    # ... a member is no officer at all.
    assert client_of(cast.member_user).get(reverse("contests:manage")).status_code == 403


def test_export_is_scoped_to_the_viewers_units(
    contest: Contest, round_open: Round, cast: Any, client_of: ClientOf
) -> None:
    _results_contest(contest, round_open, cast)
    whole = client_of(cast.district_officer).get(_url("manage_results_export", contest))
    assert whole.status_code == 200
    sheet = load_workbook(io.BytesIO(whole.content)).active
    names = [
        row[1]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row and isinstance(row[0], int)
    ]
    assert names == ["Nguyễn Văn Nhất", "Trần Thị Nhì", "Lê Văn Ba"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == ["Hạng", "Họ và tên", "Đơn vị", "Vòng", "Điểm"]
    own = client_of(cast.officer_b).get(_url("manage_results_export", contest))
    sheet_b = load_workbook(io.BytesIO(own.content)).active
    names_b = [
        row[1]
        for row in sheet_b.iter_rows(min_row=2, values_only=True)
        if row and isinstance(row[0], int)
    ]
    assert names_b == ["Trần Thị Nhì", "Lê Văn Ba"]
    listing = client_of(cast.officer_b).get(reverse("contests:manage")).content.decode()
    assert contest.title in listing and _url("manage_results", contest) in listing
    assert AuditEntry.objects.filter(action="contests.results.export").count() == 2
    assert client_of(cast.officer_b).get(_url("manage_results", contest)).status_code == 200
    assert (
        "Nguyễn Văn Nhất"
        not in client_of(cast.officer_b).get(_url("manage_results", contest)).content.decode()
    )


# -- creating, publishing ----------------------------------------------------------------------


def test_create_contest_through_the_page(cast: Any, client_of: ClientOf) -> None:
    c = client_of(cast.district_officer)
    response = c.post(
        reverse("contests:manage_create"),
        {
            "unit": cast.district.pk,
            "title": "Tìm hiểu Luật Công đoàn năm 2026",
            "eligibility": "members",
            "eligible_unit": "",
            "prediction_question": "Có bao nhiêu người trả lời đúng tất cả?",
        },
    )
    contest = Contest.objects.get()
    assert response.status_code == 302
    assert contest.slug == "tim-hieu-luat-cong-doan-nam-2026"
    assert contest.status == ContestStatus.DRAFT
    assert AuditEntry.objects.filter(action="contests.contest.create").count() == 1
    # An officer may not organise for a unit outside the scope.
    response = client_of(cast.officer_a).post(
        reverse("contests:manage_create"),
        {"unit": cast.district.pk, "title": "X", "eligibility": "members"},
    )
    assert response.status_code == 200 and Contest.objects.count() == 1
    # The same title again: another slug.
    again = svc.contest_create(
        actor=cast.district_officer,
        unit=cast.district,
        data={"title": "Tìm hiểu Luật Công đoàn năm 2026"},
    )
    assert again.slug == "tim-hieu-luat-cong-doan-nam-2026-2"


def test_eligible_unit_must_be_in_scope_and_below(cast: Any) -> None:
    with pytest.raises(ValidationError):
        svc.contest_create(
            actor=cast.officer_a,
            unit=cast.unit_a,
            data={"title": "T", "eligible_unit": cast.unit_b},
        )
    with pytest.raises(ValidationError):
        svc.contest_create(
            actor=cast.district_officer,
            unit=cast.unit_a,
            data={"title": "T", "eligible_unit": cast.unit_b},
        )


def test_publish_checks(cast: Any, client_of: ClientOf) -> None:
    officer = cast.district_officer
    contest = svc.contest_create(actor=officer, unit=cast.district, data={"title": "Cuộc thi thử"})
    assert "Chưa có vòng thi nào." in svc.publish_problems(contest)
    topic = svc.topic_create(actor=officer, contest=contest, name="Hợp đồng")
    now = timezone.now()
    round_data = {
        "title": "Vòng 1",
        "opens_at": now + timedelta(days=1),
        "closes_at": now + timedelta(days=8),
        "questions_per_attempt": 3,
        "topic_mix": {str(topic.pk): 3},
        "time_limit_seconds": 600,
        "attempts_allowed": 1,
    }
    svc.round_save(actor=officer, contest=contest, data=round_data)
    problems = svc.publish_problems(contest)
    assert any("cần 3 câu mỗi lượt" in p for p in problems)
    assert any("chủ đề “Hợp đồng”" in p for p in problems)
    for i in range(3):
        svc.question_save(
            actor=officer,
            contest=contest,
            topic=topic,
            kind=QuestionKind.SINGLE,
            text=f"Câu {i}",
            options=[OptionInput("Đúng", True), OptionInput("Sai", False)],
        )
    # A question whose key went wrong behind the form's back (an admin edit) blocks it too.
    broken = Question.objects.filter(contest=contest).first()
    assert broken is not None
    broken.options.update(is_correct=False)
    assert any("Chưa có phương án đúng" in p for p in svc.publish_problems(contest))
    response = client_of(officer).post(_url("manage_publish", contest), follow=True)
    assert "Chưa có phương án đúng" in response.content.decode()
    contest.refresh_from_db()
    assert contest.status == ContestStatus.DRAFT
    broken.options.filter(text="Đúng").update(is_correct=True)
    assert svc.publish_problems(contest) == []
    client_of(officer).post(_url("manage_publish", contest))
    contest.refresh_from_db()
    assert contest.status == ContestStatus.PUBLISHED and contest.published_at
    with pytest.raises(ValidationError):
        svc.contest_publish(actor=officer, contest=contest)
    # Results wait for the rounds to close.
    with pytest.raises(ValidationError, match="chưa đóng"):
        svc.contest_publish_results(actor=officer, contest=contest)


def test_round_checks(contest: Contest, topics: tuple[Topic, Topic], cast: Any) -> None:
    contract, _wages = topics
    now = timezone.now()
    base = {
        "title": "",
        "opens_at": now,
        "closes_at": now - timedelta(hours=1),
        "questions_per_attempt": 5,
        "topic_mix": {str(contract.pk): 2},
        "time_limit_seconds": 10,
        "attempts_allowed": 0,
    }
    with pytest.raises(ValidationError) as caught:
        svc.round_save(actor=cast.district_officer, contest=contest, data=base)
    fields = set(caught.value.message_dict)
    assert {"closes_at", "topic_mix", "time_limit_seconds", "attempts_allowed"} <= fields
    assert not Round.objects.filter(contest=contest).exists()


def test_question_rules_and_locked_once_answered(
    contest: Contest, round_open: Round, cast: Any
) -> None:
    officer = cast.district_officer
    with pytest.raises(ValidationError):
        svc.question_save(
            actor=officer,
            contest=contest,
            kind=QuestionKind.SINGLE,
            text="Hai đáp án đúng?",
            options=[OptionInput("A", True), OptionInput("B", True)],
        )
    with pytest.raises(ValidationError):
        svc.question_save(
            actor=officer,
            contest=contest,
            kind=QuestionKind.MULTIPLE,
            text="Chỉ một phương án",
            options=[OptionInput("A", True)],
        )
    q = Question.objects.filter(contest=contest).order_by("pk").first()
    assert q is not None
    finished(round_open, person(contest, cast.unit_a, "Đã trả lời"), [q], right=1)
    options = [OptionInput(o.text, i == 1) for i, o in enumerate(q.options.all())]
    with pytest.raises(ValidationError, match="đã có người trả lời hoặc đang có trong bài thi"):
        svc.question_save(
            actor=officer, contest=contest, kind=q.kind, text=q.text, options=options, question=q
        )
    same = [OptionInput(o.text, o.is_correct) for o in q.options.all()]
    svc.question_save(
        actor=officer,
        contest=contest,
        kind=q.kind,
        text="Sửa lỗi chính tả",
        options=same,
        question=q,
    )
    q.refresh_from_db()
    assert q.text == "Sửa lỗi chính tả"


# -- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_officer_pages_render(
    contest: Contest, round_open: Round, cast: Any, client_of: ClientOf, language: str
) -> None:
    _results_contest(contest, round_open, cast)
    certificates.certificates_issue(actor=cast.district_officer, contest=contest)
    q = Question.objects.filter(contest=contest).first()
    assert q is not None
    c = client_of(cast.district_officer)
    c.cookies["django_language"] = language
    pages = [
        reverse("contests:manage"),
        reverse("contests:manage_create"),
        _url("manage_detail", contest),
        _url("manage_edit", contest),
        _url("manage_round_create", contest),
        _url("manage_round_edit", contest, round_open.number),
        _url("manage_bank", contest),
        _url("manage_question_create", contest),
        _url("manage_question_preview", contest, q.pk),
        _url("manage_question_edit", contest, q.pk),
        _url("manage_import", contest),
        _url("manage_results", contest),
        _url("manage_results", contest) + "?vong=1",
        _url("manage_flagged", contest),
        _url("manage_prizes", contest),
        _url("manage_certificates", contest),
    ]
    for url in pages:
        response = c.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language, url
    vi = c.get(_url("manage_results", contest), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "Nguyễn Văn Nhất" in vi
    drill = c.get(_url("manage_results", contest) + "?don-vi=PX-A")
    assert drill.status_code == 200
    assert c.get(_url("manage_results", contest) + "?don-vi=TT").status_code == 404
    chart = c.get(_url("manage_results_chart", contest))
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert b"<script" not in chart.content and b"<svg" in chart.content
    template = c.get(reverse("contests:manage_import_template"))
    assert load_workbook(io.BytesIO(template.content)).active["D1"].value == "Câu hỏi"


def test_officer_creates_round_and_question_through_forms(
    contest: Contest,
    topics: tuple[Topic, Topic],
    cast: Any,
    client_of: ClientOf,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    contract, wages = topics
    c = client_of(cast.district_officer)
    response = c.post(
        _url("manage_round_create", contest),
        {
            "title": "Vòng 2",
            "opens_at": "2026-12-20T08:00",
            "closes_at": "2026-12-27T20:00",
            "questions_per_attempt": 4,
            "time_limit_minutes": 10,
            "attempts_allowed": 1,
            "shuffle_questions": "on",
            f"mix_{contract.pk}": 2,
            f"mix_{wages.pk}": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Round.objects.get(contest=contest, title="Vòng 2")
    assert created.time_limit_seconds == 600 and created.topic_mix == {
        str(contract.pk): 2,
        str(wages.pk): 2,
    }
    assert created.shuffle_questions and not created.shuffle_options
    response = c.post(
        _url("manage_question_create", contest),
        {
            "topic": contract.pk,
            "kind": "multiple",
            "text": "Câu mới nhiều đáp án?",
            "option_0": "Một",
            "correct_0": "on",
            "option_1": "Hai",
            "correct_1": "on",
            "option_2": "Ba",
        },
    )
    assert response.status_code == 302
    q = Question.objects.get(text="Câu mới nhiều đáp án?")
    image = io.BytesIO()
    PILImage.new("RGB", (40, 30), "red").save(image, format="PNG")
    response = c.post(
        _url("manage_question_edit", contest, q.pk),
        {
            "topic": contract.pk,
            "kind": "multiple",
            "text": "Câu mới nhiều đáp án?",
            "option_0": "Một",
            "correct_0": "on",
            "option_1": "Hai",
            "correct_1": "on",
            "option_2": "Ba",
            "image": SimpleUploadedFile("anh.png", image.getvalue(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    q.refresh_from_db()
    assert str(q.image.name).endswith(".png")
    broken = c.post(
        _url("manage_question_edit", contest, q.pk),
        {
            "kind": "single",
            "text": "X?",
            "option_0": "a",
            "correct_0": "on",
            "option_1": "b",
            "image": SimpleUploadedFile("anh.png", b"khong phai anh", content_type="image/png"),
        },
    )
    assert broken.status_code == 200
    assert [o.is_correct for o in q.options.all()] == [True, True, False]
    response = c.post(
        _url("manage_question_create", contest),
        {"kind": "single", "text": "Không có đáp án đúng?", "option_0": "Một", "option_1": "Hai"},
    )
    assert response.status_code == 200
    assert "Chưa có phương án đúng." in response.content.decode()
    c.post(_url("manage_question_toggle", contest, q.pk))
    q.refresh_from_db()
    assert not q.is_active


# -- certificates ------------------------------------------------------------------------------


def test_certificates_pdf_and_verification(
    contest: Contest, round_open: Round, cast: Any, client_of: ClientOf
) -> None:
    contest.certificate_signer = "Nguyễn Văn Chủ Tịch"
    contest.certificate_signer_title = "Chủ tịch"
    contest.save()
    with pytest.raises(ValidationError):
        certificates.certificates_issue(actor=cast.district_officer, contest=contest)
    _results_contest(contest, round_open, cast)
    assert certificates.certificates_issue(actor=cast.district_officer, contest=contest) == 2
    assert certificates.certificates_issue(actor=cast.district_officer, contest=contest) == 0
    assert (
        certificates.certificates_issue(
            actor=cast.district_officer, contest=contest, finishers=True
        )
        == 1
    )
    issued = list(Certificate.objects.order_by("number"))
    assert [c.number for c in issued] == ["01/GCN-PX", "02/GCN-PX", "03/GCN-PX"]
    first = Certificate.objects.get(rank=1)
    assert first.prize is not None and first.prize.name == "Giải Nhất"
    pdf = client_of(cast.district_officer).get(_url("manage_certificate_pdf", contest, first.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client_of(cast.officer_b).get(_url("manage_certificate_pdf", contest, first.pk)).status_code
        == 404
    )
    everything = client_of(cast.district_officer).get(_url("manage_certificates_pdf", contest))
    assert everything.content.startswith(b"%PDF")
    assert len(everything.content) > len(pdf.content)
    with pymupdf.open(stream=everything.content, filetype="pdf") as document:
        assert document.page_count == 3
        first_page = document[0].get_text()
    assert "Nguyễn Văn Nhất" in first_page and "GIẤY CHỨNG NHẬN" in first_page
    assert "Giải Nhất" in first_page and "01/GCN-PX" in first_page
    assert (
        client_of(cast.officer_b).get(_url("manage_certificates_pdf", contest)).status_code == 404
    )
    page = Client().get(reverse("contests:certificate_verify", args=[first.code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Nguyễn Văn Nhất" in text and contest.title in text and "Giải Nhất" in text
    assert "Công đoàn Công ty May A" not in text  # name, contest, prize, date: nothing else
    assert (
        Client().get(reverse("contests:certificate_verify", args=["khong-co"])).status_code == 404
    )


def test_question_drawn_in_a_running_attempt_keeps_its_options(
    contest: Contest, round_open: Round, participant: Any, cast: Any
) -> None:
    q = Question.objects.filter(contest=contest).order_by("-pk").first()
    other = Question.objects.filter(contest=contest).order_by("pk").first()
    assert q is not None and other is not None
    Attempt.objects.create(
        round=round_open,
        participant=participant,
        question_ids=[q.pk],
        deadline_at=timezone.now() + timedelta(minutes=10),
    )
    assert svc.question_answered(q)
    assert not svc.question_answered(other)
    changed = [OptionInput("Phương án mới", True), OptionInput("Phương án khác", False)]
    with pytest.raises(ValidationError):
        svc.question_save(
            actor=cast.district_officer,
            contest=contest,
            kind="single",
            text=q.text,
            options=changed,
            question=q,
        )
    svc.question_save(
        actor=cast.district_officer,
        contest=contest,
        kind="single",
        text=other.text,
        options=changed,
        question=other,
    )
    assert [o.text for o in other.options.all()] == ["Phương án mới", "Phương án khác"]
