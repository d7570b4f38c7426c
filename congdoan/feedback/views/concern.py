"""One concern, for the officers who handle it: its page, its photo, and the steps of the work
(classify, assign, start, forward, answer, correct the answer, close, note, erase a contact).

Each step reads the real row through `selectors.concern_in_scope` (404 unless
`rules.can_act_on_concern`), hands it to one service, and goes back to the page; the page
shows the concern through `selectors.concern_view` (read-only, contacts masked by the rule).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congdoan.feedback import rules, selectors, services
from congdoan.feedback.forms import (
    AnswerCorrectForm,
    AnswerForm,
    AssignForm,
    CorrectForm,
    NoteForm,
)
from congdoan.feedback.models import AnswerTemplate, Concern, Topic
from congdoan.feedback.views.params import param
from congdoan.orgs.rules import officer_required

# -- the page ------------------------------------------------------------------------------------


@officer_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    concern = selectors.concern_in_scope(viewer=request.user, code=code)
    return _render_detail(request, concern)


def _render_detail(
    request: HttpRequest,
    concern: Concern,
    *,
    answer_data: QueryDict | None = None,
    answer_correct_data: QueryDict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The concern's page; an answer the service refused comes back in its form as the
    officer wrote it (`answer_data` / `answer_correct_data`: the POST), never lost."""
    viewer = request.user
    officers = selectors.assignable_officers(viewer=viewer, concern=concern)
    templates = selectors.answer_templates(viewer=viewer, concern=concern)
    suggestions = selectors.legal_suggestions(viewer=viewer, concern=concern)
    # articles of the law beside the answer form, or beside the form that corrects an answer
    answering = concern.is_open or bool(concern.answer_text)
    articles = selectors.article_suggestions(viewer=viewer, concern=concern) if answering else []
    answer = _answer_initial(request, concern, templates, suggestions, articles)
    return render(
        request,
        "feedback/detail.html",
        {
            "c": selectors.concern_view(viewer, concern),
            "events": selectors.concern_events(viewer=viewer, concern=concern),
            "answers": selectors.concern_answers(viewer=viewer, concern=concern),
            "templates": templates,
            "suggestions": suggestions,
            "chosen_template": _picked(request, "template", templates),
            "chosen_basis": _picked(request, "basis", suggestions),
            "articles": articles,
            "chosen_article": _chosen_article(request, articles),
            "laws_imported": bool(articles) or selectors.laws_imported(),
            "answer_link": selectors.citation_link(concern.answer_citation, concern.answer_url),
            "answer_correct_form": AnswerCorrectForm(answer_correct_data)
            if answer_correct_data is not None
            else AnswerCorrectForm(initial=answer),
            "correct_form": CorrectForm(
                initial={"topic": concern.topic or Topic.OTHER, "urgency": concern.urgency}
            ),
            "assign_form": AssignForm(
                officers=officers, initial={"assignee": concern.assignee_id or ""}
            ),
            "answer_form": AnswerForm(answer_data)
            if answer_data is not None
            else AnswerForm(initial=answer),
            "note_form": NoteForm(),
            "can_erase": rules.offers_contact_erasure(viewer, concern),
        },
        status=status,
    )


def _picked(request: HttpRequest, name: str, rows: Sequence[Model]) -> str:
    """The id in ?<name>= when it is one of `rows` (kept in the links), else ""."""
    value = param(request.GET, name)
    return value if any(str(row.pk) == value for row in rows) else ""


def _chosen_article(request: HttpRequest, articles: Sequence[Any]) -> str:
    """The key in ?article= when it is one of the suggested articles (kept in the links)."""
    value = param(request.GET, "article")
    return value if any(a.key == value for a in articles) else ""


def _answer_initial(
    request: HttpRequest,
    concern: Concern,
    templates: list[AnswerTemplate],
    suggestions: list[Any],  # library documents (selectors.legal_suggestions)
    articles: Sequence[Any] = (),  # suggested articles (selectors.article_suggestions)
) -> dict[str, str]:
    """The answer form's first values: the answer sent so far, or the template the officer
    picked (?template=), with the legal basis the officer picked among the suggestions (?basis=)
    or among the suggested articles (?article=: its label and its page)."""
    initial = {
        "text": concern.answer_text,
        "citation": concern.answer_citation,
        "citation_url": concern.answer_url,
    }
    template_id = param(request.GET, "template")
    template = next((t for t in templates if str(t.pk) == template_id), None)
    if template is not None:
        initial = {
            "text": template.text,
            "citation": template.citation,
            "citation_url": template.citation_url,
        }
    basis_id = param(request.GET, "basis")
    basis = next((d for d in suggestions if str(d.pk) == basis_id), None)
    if basis is not None:
        number = f"{basis.number} " if basis.number else ""
        initial["citation"] = f"{number}{basis.display_title}"[:255]
        initial["citation_url"] = reverse("library:detail", args=[basis.pk])
    article_key = param(request.GET, "article")
    article = next((a for a in articles if a.key == article_key), None)
    if article is not None:
        initial["citation"] = article.label[:255]
        initial["citation_url"] = article.url[:200]
    return initial


@officer_required
def photo(request: HttpRequest, code: str) -> HttpResponse:
    """The attached photo, for officers who may see the concern (never a public URL)."""
    concern = selectors.concern_detail(viewer=request.user, code=code)
    if not concern.photo:
        raise Http404
    with concern.photo.open("rb") as fh:
        body = fh.read()  # at most FEEDBACK_PHOTO_MAX_BYTES
    kind = mimetypes.guess_type(str(concern.photo.name))[0] or "application/octet-stream"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{concern.code}-anh"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- the steps of the work -----------------------------------------------------------------------


def _officer_action(
    request: HttpRequest,
    code: str,
    run: Callable[[Concern], object],
    done: str,
    *,
    keep: str = "",
) -> HttpResponse:
    """Run the step on the real row and go back to the concern. `keep` names the form
    ("answer_data", "answer_correct_data") whose text a refusal shows again instead of a redirect."""
    concern = selectors.concern_in_scope(viewer=request.user, code=code)
    try:
        run(concern)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        if keep:
            # The page as it is now (the refused step may have touched the row in memory).
            again = selectors.concern_in_scope(viewer=request.user, code=code)
            return _render_detail(request, again, status=400, **{keep: request.POST})
    else:
        messages.success(request, done)
    return redirect("feedback:detail", code=concern.code)


@officer_required
@require_POST
def correct(request: HttpRequest, code: str) -> HttpResponse:
    form = CorrectForm(request.POST)

    def run(concern: Concern) -> None:
        if not form.is_valid():
            raise ValidationError(_("Chủ đề hoặc mức độ không hợp lệ."))
        services.concern_correct(
            actor=request.user,
            concern=concern,
            topic=form.cleaned_data["topic"],
            urgency=form.cleaned_data["urgency"],
        )

    return _officer_action(request, code, run, _("Đã cập nhật chủ đề và mức độ."))


@officer_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    def run(concern: Concern) -> None:
        officers = selectors.assignable_officers(viewer=request.user, concern=concern)
        form = AssignForm(request.POST, officers=officers)
        if not form.is_valid():
            raise ValidationError(_("Cán bộ được chọn không hợp lệ."))
        chosen = next((u for u in officers if str(u.pk) == form.cleaned_data["assignee"]), None)
        services.concern_assign(actor=request.user, concern=concern, assignee=chosen)

    return _officer_action(request, code, run, _("Đã giao xử lý."))


@officer_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    return _officer_action(
        request,
        code,
        lambda concern: services.concern_start(actor=request.user, concern=concern),
        _("Đã chuyển sang đang xử lý."),
    )


@officer_required
@require_POST
def forward(request: HttpRequest, code: str) -> HttpResponse:
    note_text = request.POST.get("note", "")
    return _officer_action(
        request,
        code,
        lambda concern: services.concern_forward_up(
            actor=request.user, concern=concern, note=note_text
        ),
        _("Đã chuyển ý kiến lên cấp trên."),
    )


@officer_required
@require_POST
def answer(request: HttpRequest, code: str) -> HttpResponse:
    form = AnswerForm(request.POST)
    form.is_valid()
    data: dict[str, Any] = form.cleaned_data
    whole_cluster = bool(data.get("whole_cluster"))

    def run(concern: Concern) -> None:
        services.concern_answer(
            actor=request.user,
            concern=concern,
            text=data.get("text", ""),
            citation=data.get("citation", ""),
            citation_url=data.get("citation_url", ""),
        )
        if whole_cluster and concern.cluster_id:
            others = selectors.open_cluster_mates(viewer=request.user, concern=concern)
            done = services.concern_answer_many(
                actor=request.user,
                concerns=others,
                text=data.get("text", ""),
                citation=data.get("citation", ""),
                citation_url=data.get("citation_url", ""),
            )
            messages.info(
                request,
                ngettext(
                    "Đã gửi cùng trả lời cho %(n)s ý kiến khác trong nhóm.",
                    "Đã gửi cùng trả lời cho %(n)s ý kiến khác trong nhóm.",
                    done,
                )
                % {"n": done},
            )

    return _officer_action(
        request, code, run, _("Đã gửi trả lời tới người lao động."), keep="answer_data"
    )


@officer_required
@require_POST
def answer_correct(request: HttpRequest, code: str) -> HttpResponse:
    form = AnswerCorrectForm(request.POST)
    form.is_valid()
    data: dict[str, Any] = form.cleaned_data
    return _officer_action(
        request,
        code,
        lambda concern: services.concern_answer_correct(
            actor=request.user,
            concern=concern,
            text=data.get("text", ""),
            citation=data.get("citation", ""),
            citation_url=data.get("citation_url", ""),
            reason=data.get("reason", ""),
        ),
        _("Đã sửa trả lời; người lao động sẽ thấy trả lời mới và biết trả lời đã được sửa."),
        keep="answer_correct_data",
    )


@officer_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    return _officer_action(
        request,
        code,
        lambda concern: services.concern_close(actor=request.user, concern=concern),
        _("Đã đóng ý kiến."),
    )


@officer_required
@require_POST
def note(request: HttpRequest, code: str) -> HttpResponse:
    text = request.POST.get("note", "")
    return _officer_action(
        request,
        code,
        lambda concern: services.concern_add_note(actor=request.user, concern=concern, note=text),
        _("Đã thêm ghi chú."),
    )


@officer_required
@require_POST
def erase_contact(request: HttpRequest, code: str) -> HttpResponse:
    def run(concern: Concern) -> None:
        if not rules.can_erase_contact(request.user, concern):
            raise ValidationError(
                _("Chỉ Văn phòng LĐLĐ cấp trên được xoá thông tin liên hệ của người gửi.")
            )
        services.concern_erase_contact(concern=concern, actor=request.user)

    return _officer_action(request, code, run, _("Đã xoá thông tin liên hệ."))
