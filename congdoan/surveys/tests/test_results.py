"""Results: charts as SVG, free texts grouped by topic, the response rate per unit, the
export; each viewer sees what their place in the tree allows."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from congdoan.audit.models import AuditEntry
from congdoan.orgs.tests.factories import member
from congdoan.surveys import results, selectors
from congdoan.surveys.exports import export_xlsx
from congdoan.surveys.grouping import group_texts
from congdoan.surveys.models import Kind
from congdoan.surveys.services.responses import new_submission_key, response_submit
from congdoan.surveys.tests.conftest import make_survey
from congdoan.surveys.tests.test_responses import full_answers

pytestmark = pytest.mark.django_db


def answer(survey, who, text="Muốn biết thêm về bảo hiểm xã hội"):
    values = full_answers(survey)
    values[survey.questions.get(kind=Kind.TEXT).pk] = text
    response_submit(
        survey=survey, submission_key=new_submission_key(survey), values=values, member=who
    )


def test_each_chart_is_a_standalone_svg_without_script(survey_a, cast):
    answer(survey_a, cast.member_a)
    for result in results.question_results(survey_a, survey_a.responses.all()):
        if not result.has_chart:
            continue
        svg = results.chart_svg(result)
        root = ElementTree.fromstring(svg)  # well-formed
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert "<script" not in svg and "style=" not in svg
        assert result.question.text in svg
    scale = next(
        r
        for r in results.question_results(survey_a, survey_a.responses.all())
        if r.question.kind == Kind.SCALE
    )
    assert scale.mean == 4.0 and scale.counts == [0, 0, 0, 1, 0]
    assert "Điểm trung bình: 4,00 / 5" in results.chart_svg(scale)


def test_the_chart_page_answers_svg(survey_a, cast, client_of):
    answer(survey_a, cast.member_a)
    q = survey_a.questions.get(kind=Kind.MATRIX)
    response = client_of(cast.officer_a).get(f"/khao-sat/quan-ly/{survey_a.pk}/bieu-do/{q.pk}.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"Ti\xe1\xbb\x81n l\xc6\xb0\xc6\xa1ng" in response.content  # "Tiền lương", a row


def test_choice_counts_and_matrix_counts_add_up(survey_a, cast):
    others = [member(cast.unit_a) for _ in range(3)]
    for who in [cast.member_a, *others]:
        answer(survey_a, who)
    by_kind = {
        r.question.kind: r for r in results.question_results(survey_a, survey_a.responses.all())
    }
    assert by_kind[Kind.SINGLE].counts == [0, 4, 0]
    assert by_kind[Kind.MULTIPLE].counts == [4, 4, 0] and by_kind[Kind.MULTIPLE].answered == 4
    assert by_kind[Kind.MATRIX].matrix == [[0, 0, 4], [4, 0, 0]]


def test_free_texts_are_grouped_by_topic_with_label_count_and_examples():
    groups = group_texts(
        [
            "Muốn biết thêm về bảo hiểm xã hội",
            "bao hiem xa hoi khi nghi viec",
            "Thông tin về bảo hiểm thất nghiệp",
            "Lương làm thêm giờ tính thế nào",
            "lương tối thiểu vùng năm nay",
            "Muốn biết thêm về bảo hiểm xã hội",
            "Giải bóng đá cuối tuần",
        ]
    )
    first = groups[0]
    assert first.label == "Bảo hiểm" and first.count == 4
    assert len(first.examples) <= 3
    assert any(g.label == "Lương" and g.count == 2 for g in groups)
    assert groups[-1].label == "" and groups[-1].count == 1  # the rest
    assert group_texts([]) == [] and group_texts(["  "]) == []


def test_results_page_shows_groups_and_rate(survey_a, cast, client_of):
    answer(survey_a, cast.member_a)
    answer(survey_a, member(cast.unit_a), "bao hiem xa hoi khi nghi viec")
    page = client_of(cast.officer_a).get(f"/khao-sat/quan-ly/{survey_a.pk}/ket-qua/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bảo hiểm" in text and "Tỉ lệ trả lời theo đơn vị" in text


def test_response_rate_counts_receipts_per_unit_in_the_viewer_s_scope(named_district, cast):
    member(cast.unit_a)  # A has two members, B one
    answer(named_district, cast.member_a)
    answer(named_district, cast.member_b)
    rates = {
        r.unit.code: (r.answered, r.members)
        for r in selectors.response_rate(cast.district_officer, named_district)
    }
    assert rates["PX-A"] == (1, 2) and rates["PX-B"] == (1, 1)
    mine = selectors.response_rate(cast.officer_a, named_district)
    assert [r.unit.code for r in mine] == ["PX-A"]
    assert mine[0].percent == 50.0


def test_a_grassroots_officer_sees_only_their_answers_of_a_named_district_survey(
    named_district, cast, client_of
):
    answer(named_district, cast.member_a, "Câu trả lời của A")
    answer(named_district, cast.member_b, "Câu trả lời của B")
    assert selectors.responses_for(cast.officer_a, named_district).count() == 1
    response = client_of(cast.officer_a).get(f"/khao-sat/quan-ly/{named_district.pk}/xuat.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and A's response
    assert "Câu trả lời của A" in rows[1] and cast.member_a.full_name in rows[1]
    assert AuditEntry.objects.filter(action="surveys.responses.export").get().changes == {"rows": 1}
    full = client_of(cast.district_officer).get(f"/khao-sat/quan-ly/{named_district.pk}/xuat.xlsx")
    assert len(list(load_workbook(io.BytesIO(full.content)).active.iter_rows())) == 3


def test_an_anonymous_district_survey_shows_a_grassroots_officer_counts_only(cast, client_of):
    survey = make_survey(cast.district_officer, cast.district, anonymous=True)
    answer(survey, cast.member_a, "Bí mật của A")
    client = client_of(cast.officer_a)
    page = client.get(f"/khao-sat/quan-ly/{survey.pk}/ket-qua/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bí mật của A" not in text and cast.member_a.full_name not in text
    assert "chỉ có số người đã trả lời" in text
    assert client.get(f"/khao-sat/quan-ly/{survey.pk}/xuat.xlsx").status_code == 404
    assert selectors.responses_for(cast.officer_a, survey).count() == 0


def test_the_export_has_one_row_per_response_and_a_column_per_matrix_row(survey_a, cast):
    answer(survey_a, cast.member_a, '=HYPERLINK("http://x")')
    sheet = load_workbook(io.BytesIO(export_xlsx(survey_a, survey_a.responses.all()))).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert "Quan tâm các nội dung — Tiền lương" in header
    assert "Quan tâm các nội dung — Bảo hiểm" in header
    assert "Người trả lời" not in header  # anonymous: no person, no unit
    assert row[header.index("Bạn xem tin lúc nào?")] == "Sáng sớm; Nghỉ trưa"
    assert row[header.index("Góp ý khác")].startswith("'=")
    assert cast.member_a.full_name not in [str(c) for c in row]


def test_a_group_is_named_by_the_head_of_a_phrase_not_by_a_word_that_modifies_it():
    groups = group_texts(
        [
            "Muốn biết về bảo hiểm xã hội một lần",
            "bao hiem xa hoi khi nghi viec",
            "Bảo hiểm thất nghiệp làm hồ sơ thế nào",
            "Nhà ở xã hội cho công nhân",
            "Điều kiện mua nhà ở xã hội",
        ]
    )
    assert [(g.label, g.count) for g in groups] == [("Bảo hiểm", 3), ("Nhà ở", 2)]
