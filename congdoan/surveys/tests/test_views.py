"""The pages: a member answers without JavaScript (a missing required answer shows the form
again with the answers kept), a visitor answers a public survey, an officer builds and opens
a survey on the page; each officer sees only what their place in the tree allows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from congdoan.audit.models import AuditEntry
from congdoan.orgs.tests.factories import member
from congdoan.surveys.models import Answer, Kind, Receipt, Response, Role, Survey
from congdoan.surveys.tests.conftest import make_survey
from congdoan.surveys.views import answer as answer_views

pytestmark = pytest.mark.django_db


def submission_key(page: Any) -> str:
    found = re.search(r'name="submission_key" value="([^"]+)"', page.content.decode())
    assert found is not None
    return found.group(1)


def form_post(
    client: Client,
    survey: Survey,
    *,
    skip: frozenset[str] = frozenset(),
    extra: dict[str, Any] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Open the survey's page, then post a full answer (less the kinds in `skip`)."""
    page = client.get(f"/khao-sat/{survey.key}/")
    assert page.status_code == 200, page.content[:300]
    key = submission_key(page)
    data: dict[str, Any] = {"submission_key": key}
    for q in survey.questions.prefetch_related("choices"):
        if q.kind in skip:
            continue
        options = [c.pk for c in q.choices.all() if c.role == Role.OPTION]
        if q.kind == Kind.SINGLE:
            data[f"q{q.pk}"] = str(options[0])
        elif q.kind == Kind.MULTIPLE:
            data[f"q{q.pk}"] = [str(options[0]), str(options[2])]
        elif q.kind == Kind.SCALE:
            data[f"q{q.pk}"] = "5"
        elif q.kind == Kind.MATRIX:
            cols = [c.pk for c in q.choices.all() if c.role == Role.COLUMN]
            for row in (c for c in q.choices.all() if c.role == Role.ROW):
                data[f"q{q.pk}_r{row.pk}"] = str(cols[1])
        else:
            data[f"q{q.pk}"] = "<script>alert(1)</script> Cần thêm tin về nhà ở"
    data.update(extra or {})
    return client.post(f"/khao-sat/{survey.key}/", data), data


def test_a_member_answers_on_a_plain_form_and_is_thanked(survey_a, cast, client_of):
    client = client_of(cast.member_user)
    listing = client.get("/khao-sat/")
    assert survey_a.title in listing.content.decode()
    response, _data = form_post(client, survey_a)
    assert response.status_code == 302 and response["Location"].endswith("/cam-on/")
    assert Response.objects.count() == 1 and Receipt.objects.count() == 1
    again = client.get(f"/khao-sat/{survey_a.key}/")
    assert "đã trả lời khảo sát này rồi" in again.content.decode()


def test_the_same_form_posted_twice_stores_one_response(survey_a, cast, client_of):
    client = client_of(cast.member_user)
    first, data = form_post(client, survey_a)
    second = client.post(f"/khao-sat/{survey_a.key}/", data)
    assert first.status_code == 302 and second.status_code == 302
    assert Response.objects.count() == 1


def test_a_missing_required_answer_shows_the_form_again_with_the_answers_kept(
    survey_a, cast, client_of
):
    client = client_of(cast.member_user)
    response, _data = form_post(client, survey_a, skip=frozenset({Kind.SINGLE}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Câu này là câu bắt buộc." in page
    scale = survey_a.questions.get(kind=Kind.SCALE)
    assert re.search(rf'name="q{scale.pk}" value="5"[^>]*checked', page)
    assert "Cần thêm tin về nhà ở" in page  # the text typed is kept
    assert "<script>alert(1)</script>" not in page  # and escaped
    assert not Response.objects.exists()


def test_html_in_an_answer_is_shown_escaped_in_the_results(survey_a, cast, client_of):
    form_post(client_of(cast.member_user), survey_a)
    page = client_of(cast.officer_a).get(f"/khao-sat/quan-ly/{survey_a.pk}/ket-qua/")
    text = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text


def test_a_tampered_choice_id_is_refused_on_the_form(survey_a, public_survey, cast, client_of):
    single = survey_a.questions.get(kind=Kind.SINGLE)
    foreign = public_survey.questions.get(kind=Kind.SINGLE).choices.all()[0]
    response, _ = form_post(
        client_of(cast.member_user), survey_a, extra={f"q{single.pk}": str(foreign.pk)}
    )
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_a_visitor_is_asked_to_log_in_for_a_members_survey(survey_a, client):
    response = client.get(f"/khao-sat/{survey_a.key}/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_outside_its_audience_a_members_survey_shows_not_even_its_title(survey_a, cast, client_of):
    other = member(cast.unit_b, with_login=True)
    for user in (other.user, cast.officer_b):
        for path in ("", "cam-on/"):
            response = client_of(user).get(f"/khao-sat/{survey_a.key}/{path}")
            assert response.status_code == 403
            text = response.content.decode()
            assert "dành cho đoàn viên" in text and survey_a.title not in text
    Survey.objects.filter(pk=survey_a.pk).update(status="closed")
    response = client_of(other.user).get(f"/khao-sat/{survey_a.key}/")
    assert response.status_code == 403 and survey_a.title not in response.content.decode()


def test_a_visitor_answers_a_public_survey_once_per_browser(public_survey):
    visitor = Client()
    response, _data = form_post(visitor, public_survey)
    assert response.status_code == 302
    assert visitor.cookies["khaosat"].value
    page = visitor.get(f"/khao-sat/{public_survey.key}/")
    assert "đã trả lời khảo sát này rồi" in page.content.decode()
    assert Response.objects.count() == 1
    other, _ = form_post(Client(), public_survey)
    assert other.status_code == 302 and Response.objects.count() == 2


def test_public_submissions_are_rate_limited_per_address(public_survey, monkeypatch):
    monkeypatch.setattr(answer_views, "SUBMITS_PER_MINUTE", 2)
    cache.clear()
    statuses = [form_post(Client(), public_survey)[0].status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2


def test_a_retry_that_arrives_after_the_close_is_thanked_and_stored_once(survey_a, cast, client_of):
    client = client_of(cast.member_user)
    first, data = form_post(client, survey_a)
    Survey.objects.filter(pk=survey_a.pk).update(status="closed")
    again = client.post(f"/khao-sat/{survey_a.key}/", data)
    assert first.status_code == again.status_code == 302
    assert again["Location"].endswith("/cam-on/")
    assert Response.objects.count() == 1


def test_a_closed_or_unknown_survey_takes_nothing(survey_a, cast, client_of):
    client = client_of(cast.member_user)
    page = client.get(f"/khao-sat/{survey_a.key}/")
    key = submission_key(page)
    Survey.objects.filter(pk=survey_a.pk).update(status="closed")
    response = client.post(f"/khao-sat/{survey_a.key}/", {"submission_key": key})
    assert "không nhận câu trả lời" in response.content.decode()
    assert client.get("/khao-sat/khong-co-dau/").status_code == 404
    draft = make_survey(cast.officer_a, cast.unit_a, open_it=False)
    assert client.get(f"/khao-sat/{draft.key}/").status_code == 404


def test_an_officer_builds_a_survey_on_the_page_and_opens_it(cast, client_of):
    client = client_of(cast.officer_a)
    response = client.post(
        "/khao-sat/quan-ly/tao/",
        {
            "unit": cast.unit_a.pk,
            "title": "Nhu cầu đọc tin",
            "audience": "members",
            "is_anonymous": "on",
            "opens_at": "2026-01-01T08:00",
            "closes_at": "2030-01-01T08:00",
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    base = f"/khao-sat/quan-ly/{survey.pk}/"
    for data in (
        {"kind": "single", "text": "Kênh?", "required": "on", "options": "Zalo\nFacebook\n"},
        {"kind": "scale", "text": "Hài lòng?", "scale_points": "7", "low_label": "Kém"},
        {"kind": "matrix", "text": "Quan tâm", "rows": "Lương\nBảo hiểm", "columns": "Ít\nNhiều"},
        {"kind": "text", "text": "Góp ý"},
    ):
        assert client.post(base + "cau-hoi/them/", data).status_code == 302
    bad = client.post(
        base + "cau-hoi/them/", {"kind": "single", "text": "Một lựa chọn", "options": "A"}
    )
    assert bad.status_code == 400 and "ít nhất hai lựa chọn" in bad.content.decode()
    assert [q.kind for q in survey.questions.all()] == ["single", "scale", "matrix", "text"]
    last = survey.questions.values_list("pk", flat=True).last()
    client.post(base + f"cau-hoi/{last}/chuyen/", {"direction": "up"})
    assert [q.kind for q in survey.questions.all()] == ["single", "scale", "text", "matrix"]
    preview = client.get(base + "xem-truoc/")  # a draft, as members will see it
    assert preview.status_code == 200 and "Xem trước" in preview.content.decode()
    assert "Bảo hiểm" in preview.content.decode()
    assert survey.questions.get(kind="scale").scale_points == 7
    assert client.get(base).status_code == 200
    client.post(base + "trang-thai/", {"action": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"
    locked = client.post(base + "cau-hoi/them/", {"kind": "text", "text": "Thêm nữa"})
    assert locked.status_code == 400 and survey.questions.count() == 4
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"surveys.survey.create", "surveys.question.add", "surveys.question.move"} <= actions
    assert "surveys.survey.open" in actions


def test_an_officer_creates_the_information_needs_survey_in_one_click(cast, client_of):
    client = client_of(cast.officer_a)
    response = client.post(
        "/khao-sat/quan-ly/tu-mau/", {"unit": cast.unit_a.pk, "template": "nhu-cau-thong-tin"}
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.template == "nhu-cau-thong-tin" and survey.is_anonymous
    kinds = [q.kind for q in survey.questions.all()]
    assert {"matrix", "multiple", "single", "scale", "text"} <= set(kinds)
    channels = survey.questions.get(name="kenh").choices.values_list("label", flat=True)
    text = " ".join(channels)
    for word in ("website", "Zalo", "Facebook", "YouTube", "Bảng tin", "Loa", "Bản tin điện tử"):
        assert word in text


def test_a_grassroots_officer_cannot_see_another_unit_s_survey(survey_a, cast, client_of):
    client = client_of(cast.officer_b)
    for path in ("", "ket-qua/", "xuat.xlsx", "sua/", "xem-truoc/"):
        assert client.get(f"/khao-sat/quan-ly/{survey_a.pk}/{path}").status_code == 404
    q = survey_a.questions.first()
    assert client.get(f"/khao-sat/quan-ly/{survey_a.pk}/bieu-do/{q.pk}.svg").status_code == 404
    assert (
        client.post(f"/khao-sat/quan-ly/{survey_a.pk}/trang-thai/", {"action": "close"}).status_code
        == 404
    )
    assert survey_a.title not in client.get("/khao-sat/quan-ly/").content.decode()
    survey_a.refresh_from_db()
    assert survey_a.status == "open"


def test_a_member_cannot_reach_the_officer_pages(survey_a, cast, client_of):
    client = client_of(cast.member_user)
    assert client.get("/khao-sat/quan-ly/").status_code == 403
    assert client.get(f"/khao-sat/quan-ly/{survey_a.pk}/ket-qua/").status_code == 403


def test_the_english_interface_does_not_crash(survey_a, cast, client_of):
    for user, path in (
        (cast.member_user, f"/khao-sat/{survey_a.key}/"),
        (cast.member_user, "/khao-sat/"),
        (cast.officer_a, "/khao-sat/quan-ly/"),
        (cast.officer_a, f"/khao-sat/quan-ly/{survey_a.pk}/"),
        (cast.officer_a, f"/khao-sat/quan-ly/{survey_a.pk}/ket-qua/"),
        (cast.officer_a, "/khao-sat/quan-ly/nhap-xlsform/"),
        (cast.officer_a, f"/khao-sat/quan-ly/{survey_a.pk}/xem-truoc/"),
    ):
        client = client_of(user)
        client.get("/ngon-ngu/", {"lang": "en", "next": path})
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="en">' in response.content.decode(), path
    scale = survey_a.questions.get(kind=Kind.SCALE)
    chart = client.get(f"/khao-sat/quan-ly/{survey_a.pk}/bieu-do/{scale.pk}.svg")
    assert chart.status_code == 200 and chart.content.startswith(b"<svg")
    assert client.get(f"/khao-sat/quan-ly/{survey_a.pk}/xuat.xlsx").status_code == 200


def test_answers_store_nothing_that_names_the_member_of_an_anonymous_survey(
    survey_a, cast, client_of
):
    form_post(client_of(cast.member_user), survey_a)
    response = Response.objects.get()
    assert response.member_id is None and response.unit_id is None
    texts = " ".join(Answer.objects.values_list("text", flat=True))
    assert cast.member_a.full_name not in texts
