"""Officers' pages: the surveys list, building one (on the page, from an XLSForm, from a
template), opening and closing it, results with a chart per question, and the XLSX export.

Thin: a survey outside the viewer's reach is a 404 (`selectors.survey_for_officer`), a
write they may not do a 403 (`rules`); each write is one service call.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.audit.services import audit_record
from congdoan.core import charts
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import units_in_scope
from congdoan.surveys import exports, results, rules, selectors
from congdoan.surveys.forms import (
    AnswerForm,
    ImportForm,
    QuestionForm,
    SurveyEditForm,
    SurveyForm,
    TemplateForm,
)
from congdoan.surveys.models import Question, Source, Survey
from congdoan.surveys.services import surveys as builder
from congdoan.surveys.services.templates import TEMPLATES, survey_from_template
from congdoan.surveys.services.xlsform import (
    XLSFORM_MAX_BYTES,
    XLSFormError,
    parse_xlsform,
    too_large,
)
from congdoan.surveys.views.answer import blocks


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _managed(request: HttpRequest, survey_id: int) -> Survey:
    survey = selectors.survey_for_officer(request.user, survey_id)
    if not rules.can_manage_survey(request.user, survey):
        raise PermissionDenied
    return survey


@officer_required
def manage(request: HttpRequest) -> HttpResponse:
    units = units_in_scope(request.user).order_by("path")
    surveys = selectors.surveys_for_officer(request.user)[:200]
    return render(
        request,
        "surveys/manage.html",
        {
            "surveys": surveys,
            "templates": TEMPLATES.values(),
            "template_form": TemplateForm(units=units),
            "now": timezone.now(),
        },
    )


@officer_required
def create(request: HttpRequest) -> HttpResponse:
    units = units_in_scope(request.user).order_by("path")
    form = SurveyForm(
        request.POST or None,
        units=units,
        initial={"opens_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = builder.survey_create(
                actor=request.user,
                unit=d["unit"],
                title=d["title"],
                description=d["description"],
                audience=d["audience"],
                is_anonymous=d["is_anonymous"],
                opens_at=d["opens_at"],
                closes_at=d["closes_at"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã tạo khảo sát. Hãy thêm câu hỏi."))
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/form.html", {"form": form, "title": _("Tạo khảo sát")})


@officer_required
@require_POST
def from_template(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(request.POST, units=units_in_scope(request.user))
    if not form.is_valid():
        messages.error(request, _("Hãy chọn đơn vị tổ chức."))
        return redirect("surveys:manage")
    survey = survey_from_template(
        actor=request.user, unit=form.cleaned_data["unit"], template=form.cleaned_data["template"]
    )
    messages.success(request, _("Đã tạo khảo sát từ mẫu. Xem lại rồi bấm “Mở khảo sát”."))
    return redirect("surveys:detail", survey_id=survey.pk)


@officer_required
def import_xlsform(request: HttpRequest) -> HttpResponse:
    units = units_in_scope(request.user).order_by("path")
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if getattr(upload, "oversized", False) or upload.size > XLSFORM_MAX_BYTES:
                raise too_large()
            parsed = parse_xlsform(upload.read(), upload.name)
            survey = builder.survey_create(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                title=parsed.title,
                audience=form.cleaned_data["audience"],
                is_anonymous=form.cleaned_data["is_anonymous"],
                questions=parsed.questions,
                source=Source.XLSFORM,
            )
        except XLSFormError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            form.add_error("file", _errors(exc))
        else:
            messages.success(
                request,
                _("Đã nhập %(n)s câu hỏi từ XLSForm. Xem lại rồi bấm “Mở khảo sát”.")
                % {"n": len(parsed.questions)},
            )
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(request, "surveys/import.html", {"form": form})


@officer_required
def detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_for_officer(request.user, survey_id)
    if not rules.can_manage_survey(request.user, survey):
        return redirect("surveys:results", survey_id=survey.pk)
    questions = list(survey.questions.prefetch_related("choices"))
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "questions": questions,
            "can_edit": rules.can_edit_questions(request.user, survey),
            "question_form": QuestionForm(initial={"kind": "single", "scale_points": 5}),
            "responses": survey.responses.count(),
            "link": request.build_absolute_uri(f"/khao-sat/{survey.key}/"),
        },
    )


@officer_required
def preview(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The respondent's form as members will see it (a draft too), without a way to send it."""
    survey = _managed(request, survey_id)
    questions = list(survey.questions.prefetch_related("choices"))
    form = AnswerForm(initial={"submission_key": ""}, questions=questions)
    return render(
        request,
        "surveys/take.html",
        {
            "survey": survey,
            "state": "form",
            "form": form,
            "blocks": blocks(form, questions),
            "preview": True,
        },
    )


@officer_required
def edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    initial = {name: getattr(survey, name) for name in builder.SURVEY_FIELDS}
    for name in ("opens_at", "closes_at"):
        if initial[name]:
            initial[name] = timezone.localtime(initial[name])
    form = SurveyEditForm(request.POST or None, initial=initial, survey=survey)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k in builder.SURVEY_FIELDS}
        try:
            builder.survey_update(actor=request.user, survey=survey, **values)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(
        request, "surveys/form.html", {"form": form, "title": _("Sửa khảo sát"), "survey": survey}
    )


@officer_required
@require_POST
def status(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    action = request.POST.get("action", "")
    change = {
        "open": builder.survey_open,
        "close": builder.survey_close,
        "reopen": builder.survey_reopen,
    }.get(action)
    if change is None:
        raise Http404
    try:
        change(actor=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("surveys:detail", survey_id=survey.pk)


@officer_required
@require_POST
def delete(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    try:
        builder.survey_delete(actor=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("surveys:detail", survey_id=survey.pk)
    messages.success(request, _("Đã xóa bản nháp."))
    return redirect("surveys:manage")


def _question(request: HttpRequest, survey: Survey, question_id: int) -> Question:
    question = survey.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404
    return question


@officer_required
def question_form(
    request: HttpRequest, survey_id: int, question_id: int | None = None
) -> HttpResponse:
    survey = _managed(request, survey_id)
    question = _question(request, survey, question_id) if question_id else None
    initial: dict[str, Any] = (
        QuestionForm.initial_of(question) if question else {"kind": "single", "scale_points": 5}
    )
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                builder.question_add(actor=request.user, survey=survey, spec=form.spec())
            else:
                builder.question_update(actor=request.user, question=question, spec=form.spec())
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu câu hỏi."))
            return redirect("surveys:detail", survey_id=survey.pk)
    return render(
        request,
        "surveys/question_form.html",
        {"form": form, "survey": survey, "question": question},
        status=400 if request.method == "POST" else 200,
    )


@officer_required
@require_POST
def question_delete(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    try:
        builder.question_delete(
            actor=request.user, question=_question(request, survey, question_id)
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("surveys:detail", survey_id=survey.pk)


@officer_required
@require_POST
def question_move(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _managed(request, survey_id)
    try:
        builder.question_move(
            actor=request.user,
            question=_question(request, survey, question_id),
            up=request.POST.get("direction") == "up",
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("surveys:detail", survey_id=survey.pk)


@officer_required
def results_page(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_for_officer(request.user, survey_id)
    can_answers = rules.can_see_answers(request.user, survey)
    responses = selectors.responses_for(request.user, survey)
    rates = selectors.response_rate(request.user, survey)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "can_manage": rules.can_manage_survey(request.user, survey),
            "can_answers": can_answers,
            "answered": selectors.receipt_count(request.user, survey)
            if not survey.is_public
            else responses.count(),
            "rates": rates,
            "rate_total": (
                sum(r.members for r in rates),
                sum(r.answered for r in rates),
            ),
            "results": results.question_results(survey, responses) if can_answers else [],
        },
    )


@officer_required
def chart(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = selectors.survey_for_officer(request.user, survey_id)
    if not rules.can_see_answers(request.user, survey):
        raise Http404
    responses = selectors.responses_for(request.user, survey)
    found = results.question_results(survey, responses, only=question_id)
    if not found or not found[0].has_chart:
        raise Http404
    response = HttpResponse(
        results.chart_svg(found[0], width=charts.width_for(request.GET, charts.BAR_WIDTH)),
        content_type="image/svg+xml; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=60"
    return response


@officer_required
def export(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = selectors.survey_for_officer(request.user, survey_id)
    if not rules.can_see_answers(request.user, survey):
        raise Http404
    responses = selectors.responses_for(request.user, survey)
    data = exports.export_xlsx(survey, responses)
    # Who took the answers away (a named survey's file holds members' names), as members do.
    audit_record(
        actor=request.user,
        action="surveys.responses.export",
        target=survey,
        changes={"rows": responses.count()},
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{survey.pk}.xlsx"'
    return response
