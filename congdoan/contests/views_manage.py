"""The officer's pages of a contest (/cuoc-thi/quan-ly/): the list, the contest and its
rounds, the question bank (with the sheet import) and the contest's life. Results, review,
prizes and certificates are in `views_results`. Thin: authorise, call a service or a
selector, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congdoan.contests import rules, selectors
from congdoan.contests.forms import (
    CancelForm,
    ContestForm,
    QuestionForm,
    RoundForm,
    TopicForm,
    UploadForm,
)
from congdoan.contests.models import Answer, Contest, ContestStatus, Question, Round
from congdoan.contests.services import contests as svc
from congdoan.contests.services import questions_import
from congdoan.core import importer
from congdoan.core.importer import SheetError
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import units_in_scope


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _apply_errors(form: object, exc: ValidationError) -> None:
    """A service's field errors onto the form (unknown fields as the form's own)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None  # type: ignore[attr-defined]
            for error in errors:
                form.add_error(target, error)  # type: ignore[attr-defined]
    else:
        for error in exc.messages:
            form.add_error(None, error)  # type: ignore[attr-defined]


@officer_required
def manage(request: HttpRequest) -> HttpResponse:
    contests = selectors.contests_for(request.user).order_by("-created_at", "-pk")
    page = Paginator(contests, 30).get_page(request.GET.get("page"))
    above = selectors.contests_above(request.user)[:20]
    return render(request, "contests/manage/list.html", {"page_obj": page, "above": above})


@officer_required
def contest_create(request: HttpRequest) -> HttpResponse:
    units = units_in_scope(request.user)
    form = ContestForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if not rules.can_create_contest_for(request.user, unit):
            raise PermissionDenied
        try:
            contest = svc.contest_create(actor=request.user, unit=unit, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo cuộc thi. Tiếp theo: thêm vòng thi và câu hỏi."))
            return redirect("contests:manage_detail", contest.pk)
    return render(request, "contests/manage/form.html", {"form": form, "contest": None})


@officer_required
def contest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    form = ContestForm(
        request.POST or None, instance=contest, units=units_in_scope(request.user), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.contest_update(actor=request.user, contest=contest, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cuộc thi."))
            return redirect("contests:manage_detail", contest.pk)
    contest.refresh_from_db()
    return render(request, "contests/manage/form.html", {"form": form, "contest": contest})


@officer_required
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    rounds = list(contest.rounds.all())
    return render(
        request,
        "contests/manage/detail.html",
        {
            "contest": contest,
            "rounds": rounds,
            "problems": svc.publish_problems(contest)
            if contest.status == ContestStatus.DRAFT
            else [],
            "questions": contest.questions.filter(is_active=True).count(),
            "participants": contest.participants.count(),
            "cancel_form": CancelForm(),
            "nav": "detail",
        },
    )


@officer_required
@require_POST
def contest_publish(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    try:
        svc.contest_publish(actor=request.user, contest=contest)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã công bố cuộc thi."))
    return redirect("contests:manage_detail", contest.pk)


@officer_required
@require_POST
def contest_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        svc.contest_cancel(actor=request.user, contest=contest, reason=reason)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã hủy cuộc thi."))
    return redirect("contests:manage_detail", contest.pk)


@officer_required
@require_POST
def contest_results_publish(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    try:
        svc.contest_publish_results(actor=request.user, contest=contest)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã công bố kết quả."))
    return redirect("contests:manage_results", contest.pk)


# -- rounds ------------------------------------------------------------------------------------


def _round_page(request: HttpRequest, contest: Contest, round: Round | None) -> HttpResponse:
    topics = list(contest.topics.all())
    initial = None if round is not None else RoundForm.default_initial()
    form = RoundForm(request.POST or None, topics=topics, instance=round, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.round_save(
                actor=request.user, contest=contest, data=form.data_for_service(), round=round
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu vòng thi."))
            return redirect("contests:manage_detail", contest.pk)
    return render(
        request,
        "contests/manage/round_form.html",
        {"contest": contest, "round": round, "form": form, "nav": "detail"},
    )


@officer_required
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, selectors.contest_for(request.user, pk), None)


@officer_required
def round_edit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    return _round_page(request, contest, get_object_or_404(Round, contest=contest, number=number))


# -- the question bank -------------------------------------------------------------------------


@officer_required
def bank(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    topic_form = TopicForm(request.POST or None)
    if request.method == "POST" and topic_form.is_valid():
        try:
            svc.topic_create(
                actor=request.user, contest=contest, name=topic_form.cleaned_data["name"]
            )
        except ValidationError as exc:
            _apply_errors(topic_form, exc)
        else:
            messages.success(request, _("Đã thêm chủ đề."))
            return redirect("contests:manage_bank", contest.pk)
    questions = (
        Question.objects.filter(contest=contest)
        .select_related("topic")
        .prefetch_related("options")
        .order_by("topic__name", "pk")
    )
    topic = request.GET.get("chu-de", "")
    if topic.isdigit():
        questions = questions.filter(topic_id=int(topic))
    page = Paginator(questions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "contests/manage/bank.html",
        {
            "contest": contest,
            "page_obj": page,
            "topics": contest.topics.all(),
            "topic": topic,
            "topic_form": topic_form,
            "nav": "bank",
        },
    )


def _question_page(
    request: HttpRequest, contest: Contest, question: Question | None
) -> HttpResponse:
    form = QuestionForm(
        request.POST or None, request.FILES or None, contest=contest, question=question
    )
    locked = question is not None and svc.question_answered(question)
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.question_save(
                actor=request.user,
                contest=contest,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                options=[svc.OptionInput(t, c) for t, c in form.options()],
                topic=form.cleaned_data["topic"],
                explanation=form.cleaned_data["explanation"],
                image=form.cleaned_data.get("image"),
                question=question,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu câu hỏi."))
            return redirect("contests:manage_question_preview", contest.pk, saved.pk)
    return render(
        request,
        "contests/manage/question_form.html",
        {"contest": contest, "question": question, "form": form, "locked": locked, "nav": "bank"},
    )


@officer_required
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_page(request, selectors.contest_for(request.user, pk), None)


@officer_required
def question_edit(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    return _question_page(request, contest, get_object_or_404(Question, contest=contest, pk=qid))


@officer_required
def question_preview(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    """The question as a participant sees it, with the correct options marked for the officer."""
    contest = selectors.contest_for(request.user, pk)
    question = get_object_or_404(
        Question.objects.select_related("topic").prefetch_related("options"),
        contest=contest,
        pk=qid,
    )
    answered = Answer.objects.filter(question=question).count()
    right = Answer.objects.filter(question=question, is_correct=True).count()
    return render(
        request,
        "contests/manage/question_preview.html",
        {
            "contest": contest,
            "question": question,
            "answered": answered,
            "right": right,
            "nav": "bank",
        },
    )


@officer_required
@require_POST
def question_toggle(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    question = get_object_or_404(Question, contest=contest, pk=qid)
    svc.question_set_active(actor=request.user, question=question, active=not question.is_active)
    messages.success(
        request, _("Đã dùng lại câu hỏi.") if question.is_active else _("Đã ngừng dùng câu hỏi.")
    )
    return redirect("contests:manage_bank", contest.pk)


# -- the sheet import --------------------------------------------------------------------------

KIND = questions_import.QUESTIONS


def _key(contest: Contest) -> str:
    return f"contest#{contest.pk}"


@officer_required
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = importer.read_upload(form.cleaned_data["file"], kind=KIND)
        except SheetError as exc:
            form.add_error("file", str(exc))
        else:
            importer.preview_save(
                kind=KIND, sheet=sheet, owner=request.user, unit_code=_key(contest)
            )
            return redirect("contests:manage_import_preview", contest.pk)
    return render(
        request,
        "contests/manage/import_upload.html",
        {"contest": contest, "form": form, "nav": "bank"},
    )


@officer_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    stored = importer.preview_get(kind=KIND, owner=request.user, unit_code=_key(contest))
    if stored is None:
        return redirect("contests:manage_import", contest.pk)
    preview = questions_import.check_sheet(stored.sheet, contest=contest)
    return render(
        request,
        "contests/manage/import_preview.html",
        {
            "contest": contest,
            "preview": preview,
            "labels": questions_import.column_labels(preview.columns),
            "token": stored.token,
            "nav": "bank",
        },
    )


@officer_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    valid_only = request.POST.get("valid_only") == "1"
    try:
        result = importer.preview_apply(
            kind=KIND,
            owner=request.user,
            token=request.POST.get("token", ""),
            unit_code=_key(contest),
            run=lambda stored: questions_import.import_questions(
                actor=request.user, sheet=stored.sheet, contest=contest, valid_only=valid_only
            ),
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("contests:manage_import_preview", contest.pk)
    if result is None:
        messages.error(
            request, _("Bản xem trước đã hết hạn hoặc đã được nhập; hãy tải tệp lên lại.")
        )
        return redirect("contests:manage_import", contest.pk)
    messages.success(
        request,
        "; ".join(
            (
                ngettext("Đã nhập %(n)s câu hỏi", "Đã nhập %(n)s câu hỏi", result.created)
                % {"n": result.created},
                ngettext("bỏ qua %(n)s dòng lỗi", "bỏ qua %(n)s dòng lỗi", result.skipped)
                % {"n": result.skipped},
                ngettext("%(n)s câu đã có", "%(n)s câu đã có", result.already)
                % {"n": result.already},
            )
        )
        + ".",
    )
    return redirect("contests:manage_bank", contest.pk)


@officer_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        questions_import.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-ngan-hang-cau-hoi.xlsx"'
    return response
