"""Building a survey: permissions, what changes after it opens, conditional status changes,
the template (page, command, demo) and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from congdoan.audit.models import AuditEntry
from congdoan.surveys.models import Kind, Receipt, Status, Survey
from congdoan.surveys.services import surveys as builder
from congdoan.surveys.services.surveys import QuestionSpec
from congdoan.surveys.services.templates import INFO_NEEDS, survey_from_template
from congdoan.surveys.tests.conftest import make_survey
from congdoan_dev.demo import orgs as orgs_demo
from congdoan_dev.demo import surveys as demo

pytestmark = pytest.mark.django_db


def test_an_officer_cannot_build_a_survey_for_a_unit_outside_their_scope(cast):
    with pytest.raises(PermissionDenied):
        builder.survey_create(actor=cast.officer_a, unit=cast.unit_b, title="Không được")
    with pytest.raises(PermissionDenied):
        builder.survey_create(actor=cast.member_user, unit=cast.unit_a, title="Không được")
    assert not Survey.objects.exists()


def test_bad_questions_write_nothing(cast):
    with pytest.raises(ValidationError):
        builder.survey_create(
            actor=cast.officer_a,
            unit=cast.unit_a,
            title="Thiếu lựa chọn",
            questions=[
                QuestionSpec(kind=Kind.TEXT, text="Được"),
                QuestionSpec(kind=Kind.SINGLE, text="Một lựa chọn", options=[("1", "A")]),
            ],
        )
    with pytest.raises(ValidationError):
        builder.survey_create(
            actor=cast.officer_a,
            unit=cast.unit_a,
            title="Thang 1 mức",
            questions=[QuestionSpec(kind=Kind.SCALE, text="?", scale_points=1)],
        )
    now = timezone.now()
    with pytest.raises(ValidationError):
        builder.survey_create(
            actor=cast.officer_a,
            unit=cast.unit_a,
            title="Đóng trước mở",
            opens_at=now,
            closes_at=now - timedelta(days=1),
        )
    assert not Survey.objects.exists()


def test_an_empty_survey_cannot_open(cast):
    survey = builder.survey_create(actor=cast.officer_a, unit=cast.unit_a, title="Trống")
    with pytest.raises(ValidationError):
        builder.survey_open(actor=cast.officer_a, survey=survey)


def test_opening_and_closing_happen_once(survey_a, cast):
    assert not builder.survey_open(actor=cast.officer_a, survey=survey_a)  # already open
    assert builder.survey_close(actor=cast.officer_a, survey=survey_a)
    assert not builder.survey_close(actor=cast.officer_a, survey=survey_a)
    assert AuditEntry.objects.filter(action="surveys.survey.close").count() == 1
    with pytest.raises(PermissionDenied):
        builder.survey_reopen(actor=cast.officer_b, survey=survey_a)


def test_questions_audience_and_anonymity_are_fixed_once_open(survey_a, cast):
    question = survey_a.questions.first()
    with pytest.raises(ValidationError):
        builder.question_delete(actor=cast.officer_a, question=question)
    with pytest.raises(ValidationError):
        builder.survey_update(actor=cast.officer_a, survey=survey_a, is_anonymous=False)
    updated = builder.survey_update(actor=cast.officer_a, survey=survey_a, title="Tên mới")
    assert updated.title == "Tên mới"
    entry = AuditEntry.objects.filter(action="surveys.survey.update").get()
    assert entry.changes == {"fields": ["title"]}
    with pytest.raises(ValidationError):
        builder.survey_delete(actor=cast.officer_a, survey=survey_a)


def test_a_draft_question_is_edited_moved_and_deleted_with_an_audit_entry_each(cast):
    survey = make_survey(cast.officer_a, cast.unit_a, open_it=False)
    first, second = list(survey.questions.all())[:2]
    builder.question_move(actor=cast.officer_a, question=second, up=True)
    assert survey.questions.values_list("pk", flat=True)[0] == second.pk
    new = builder.question_update(
        actor=cast.officer_a,
        question=first,
        spec=QuestionSpec(kind=Kind.TEXT, text="Câu đã sửa", required=True),
    )
    assert new.position == first.position and new.kind == Kind.TEXT
    builder.question_delete(actor=cast.officer_a, question=new)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    for action in ("surveys.question.move", "surveys.question.update", "surveys.question.delete"):
        assert action in actions
    builder.survey_delete(actor=cast.officer_a, survey=survey)
    assert not Survey.objects.filter(pk=survey.pk).exists()


def test_the_information_needs_template_asks_content_channels_and_times(cast):
    survey = survey_from_template(actor=cast.officer_a, unit=cast.unit_a)
    assert survey.status == Status.DRAFT and survey.template == INFO_NEEDS
    names = set(survey.questions.values_list("name", flat=True))
    assert {"noi_dung", "kenh", "kenh_uu_tien", "thoi_gian", "hai_long", "gop_y"} <= names
    sections = list(dict.fromkeys(survey.questions.values_list("section", flat=True)))
    assert sections == ["Nội dung bạn quan tâm", "Kênh nhận thông tin", "Thời gian và hình thức"]
    assert survey.closes_at is not None
    assert survey.closes_at - survey.opens_at == timedelta(days=30)
    assert AuditEntry.objects.filter(action="surveys.survey.create").exists()


def test_the_command_creates_and_opens_the_template_survey(cast):
    out = StringIO()
    call_command("survey_from_template", "--unit", "PX", "--open", stdout=out)
    survey = Survey.objects.get()
    assert survey.unit == cast.district and survey.status == Status.OPEN
    assert f"/khao-sat/{survey.key}/" in out.getvalue()


def test_the_demo_seeds_answers_once(db):
    orgs_demo.seed()
    out = StringIO()
    demo.seed(stdout=out)
    survey = Survey.objects.get(template=INFO_NEEDS)
    answered = survey.responses.count()
    assert answered > 20 and Receipt.objects.filter(survey=survey).count() == answered
    assert survey.responses.filter(member__isnull=False).count() == 0  # anonymous
    demo.seed(stdout=out)
    assert Survey.objects.count() == 1 and survey.responses.count() == answered
