"""Pages of "Workers' voice": the public submit and tracking pages, and the officers' pages.

Views are thin: they parse a form, call one service or selector, render or redirect. Every
officers' read goes through `selectors` (scoped, contacts masked).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from congdoan.core import charts
from congdoan.core.middleware import accepts_control_characters
from congdoan.core.request_context import client_ip
from congdoan.feedback import exports, poster, selectors, services
from congdoan.feedback.forms import (
    AnswerCorrectForm,
    AnswerForm,
    AssignForm,
    ContactExportForm,
    CorrectForm,
    NoteForm,
    RateForm,
    RecordForm,
    ReopenForm,
    SubmitForm,
    worker_input,
)
from congdoan.feedback.models import Channel, Concern, Status, Topic, Urgency
from congdoan.feedback.training import retrain_request, retrain_state
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import can_view_unit, get_unit_in_scope, scope_for, units_in_scope
from congdoan.orgs.site import hotline


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


# -- public: submit ---------------------------------------------------------------------------------


@accepts_control_characters  # worker_input() keeps the words (forms.py)
def submit(request: HttpRequest, qr_token: str = "") -> HttpResponse:
    """The worker's page: pick (or be given by QR) the union, write, send; no JavaScript needed."""
    locked_unit = selectors.intake_unit(token=qr_token) if qr_token else None
    if qr_token and locked_unit is None:
        raise Http404
    member_unit = None
    scope = scope_for(request.user)
    if scope.member_id is not None and not scope.is_officer:
        member_unit = Unit.objects.filter(members__pk=scope.member_id).first()
    query = request.GET.get("q", "").strip()[:100]
    status = 200
    if request.method == "POST":
        post = worker_input(request.POST)
        form = SubmitForm(post, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            unit = (
                locked_unit
                or selectors.intake_unit(code=data["unit"] or post.get("unit_pick", ""))
                or member_unit
            )
            phone_or_zalo = data["contact_phone"].strip()
            contact_name = data["contact_name"]
            as_member = request.user.is_authenticated and not scope.is_officer
            if as_member and not data["is_anonymous"] and not (contact_name or phone_or_zalo):
                # A logged-in member who sends under their name: the union may answer them.
                contact_name = getattr(request.user, "full_name", "") or request.user.get_username()
                phone_or_zalo = getattr(request.user, "phone", "") or ""
            try:
                concern = services.concern_submit(
                    text=data["text"],
                    unit=unit,
                    channel=Channel.MEMBER if as_member else Channel.WEB,
                    is_anonymous=data["is_anonymous"],
                    contact_name=contact_name,
                    contact_phone=phone_or_zalo,
                    photo=data["photo"],
                    wants_upper_level=data["wants_upper_level"],
                    actor=request.user if request.user.is_authenticated else None,
                    ip=client_ip(request),
                    same_as=str(request.session.get("feedback_last_code", "")),
                )
            except services.Throttled as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                _errors_to_form(form, exc)
                status = 422
            else:
                request.session["feedback_last_code"] = concern.code
                return redirect(reverse("feedback:track", args=[concern.code]) + "?moi=1")
        else:
            status = 422
        chosen_code = post.get("unit_pick") or post.get("unit", "")
    else:
        form = SubmitForm(initial={"is_anonymous": True})
        chosen_code = request.GET.get("unit", "")
    chosen = locked_unit or selectors.intake_unit(code=chosen_code) or member_unit
    matches = selectors.unit_choices_public(query=query) if query else []
    if len(matches) == 1 and chosen is None and request.method != "POST":
        chosen = matches[0]  # the worker searched and found their company: it is the one
    # Without a search, a plain <select> of the unions (a district has a few dozen).
    all_units = [] if (query or locked_unit) else selectors.unit_choices_public(limit=300)
    return render(
        request,
        "feedback/submit.html",
        {
            "form": form,
            "locked_unit": locked_unit,
            "chosen": chosen,
            "query": query,
            "matches": matches,
            "qr_token": qr_token,
            "all_units": all_units,
            "home_unit": services.fallback_unit(),
            "merged_from": selectors.merged_union_of_token(token=qr_token) if locked_unit else None,
        },
        status=status,
    )


# -- officers: the workplace QR code and poster ------------------------------------------------------


def _poster_unit(request: HttpRequest, code: str) -> Unit:
    """An active grassroots union in the viewer's scope (its officers, the district above); 404."""
    unit = get_unit_in_scope(request.user, code)
    if not (unit.is_active and unit.level.is_grassroots):
        raise Http404
    return unit


@officer_required
def unit_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The union's QR code as SVG (shown on its page, scales for print) or PNG (for chats)."""
    unit = _poster_unit(request, code)
    url = poster.submit_url(unit)
    if fmt == "svg":
        response = HttpResponse(poster.qr_svg(url), content_type="image/svg+xml")
    else:
        response = HttpResponse(poster.qr_png(url), content_type="image/png")
    if request.GET.get("tai") == "1":
        response["Content-Disposition"] = f'attachment; filename="ma-qr-{unit.code}.{fmt}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@officer_required
def unit_poster(request: HttpRequest, code: str) -> HttpResponse:
    """The printable A4 poster (PDF) for the union's notice board."""
    unit = _poster_unit(request, code)
    try:
        body = poster.poster_pdf(unit, url=poster.submit_url(unit), hotline=hotline())
    except poster.PosterFontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ap-phich-y-kien-{unit.code}.pdf"'
    return response


# -- public: tracking ---------------------------------------------------------------------------------


def lookup_throttled(view: Any) -> Any:
    """Tracking pages answer 429 to an address that tries too many codes in a minute."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.throttle_lookup(client_ip(request))
        except services.Throttled:
            return render(
                request, "feedback/track_lookup.html", {"code": "", "throttled": True}, status=429
            )
        return view(request, *args, **kwargs)

    return wrapped


@lookup_throttled
def track_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("ma", "").strip()
    if code:
        concern = selectors.concern_for_worker(code=code)
        if concern is not None:
            return redirect("feedback:track", code=concern.code)
        return render(
            request, "feedback/track_lookup.html", {"code": code, "not_found": True}, status=404
        )
    return render(request, "feedback/track_lookup.html", {"code": ""})


def _tracked(code: str) -> Concern:
    concern = selectors.concern_for_worker(code=code)
    if concern is None:
        raise Http404
    return concern


@lookup_throttled
def track(request: HttpRequest, code: str) -> HttpResponse:
    concern = _tracked(code)
    view = selectors.public_view(concern)
    return render(
        request,
        "feedback/track.html",
        {
            "c": view,
            "is_new": request.GET.get("moi") == "1",
            "rate_form": RateForm(initial={"rating": view["rating"]}),
            "reopen_form": ReopenForm(),
        },
    )


def _track_action(
    request: HttpRequest, code: str, form_cls: Any, action: Any, done: str
) -> HttpResponse:
    concern = _tracked(code)
    form = form_cls(worker_input(request.POST))
    if form.is_valid():
        try:
            action(concern, form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, done)
    return redirect("feedback:track", code=concern.code)


@accepts_control_characters  # worker_input() keeps the words (forms.py)
@require_POST
@lookup_throttled
def track_rate(request: HttpRequest, code: str) -> HttpResponse:
    return _track_action(
        request,
        code,
        RateForm,
        lambda c, d: services.concern_rate(concern=c, rating=d["rating"], comment=d["comment"]),
        _("Cảm ơn bạn đã đánh giá."),
    )


@accepts_control_characters
@require_POST
@lookup_throttled
def track_reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _track_action(
        request,
        code,
        ReopenForm,
        lambda c, d: services.concern_reopen(concern=c, reason=d["reason"]),
        _("Ý kiến đã được mở lại; công đoàn sẽ xem xét và trả lời lại."),
    )


@require_POST
@lookup_throttled
def track_erase(request: HttpRequest, code: str) -> HttpResponse:
    concern = _tracked(code)
    services.concern_erase_contact(concern=concern)
    messages.success(
        request, _("Thông tin liên hệ của bạn đã được xoá. Nội dung ý kiến vẫn được giữ để xử lý.")
    )
    return redirect("feedback:track", code=concern.code)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feedback/mine.html", {"concerns": selectors.member_concerns(viewer=request.user)}
    )


# -- officers: inbox and detail ---------------------------------------------------------------------------


def _inbox_context(request: HttpRequest) -> dict[str, Any]:
    filters = selectors.InboxFilters.from_query(request.GET)
    if "status" not in request.GET:
        filters.status = "open"
    page = selectors.concern_page(
        viewer=request.user, filters=filters, page=request.GET.get("page", 1)
    )
    query = filters.as_query()
    return {
        "page": page,
        "filters": filters,
        "querystring": "&".join(f"{k}={v}" for k, v in query.items()),
        "statuses": Status.choices,
        "topics": Topic.choices,
        "urgencies": Urgency.choices,
        "channels": Channel.choices,
        "units": units_in_scope(request.user).filter(is_active=True).order_by("sort_key")[:500],
    }


@officer_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = _inbox_context(request)
    if getattr(request, "htmx", False):
        return render(request, "feedback/_inbox_rows.html", context)
    return render(request, "feedback/inbox.html", context)


@officer_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    concern = selectors.concern_detail(viewer=request.user, code=code)
    return _render_detail(request, concern)


def _render_detail(
    request: HttpRequest,
    concern: Concern,
    *,
    answer_data: Any = None,
    answer_correct_data: Any = None,
    status: int = 200,
) -> HttpResponse:
    """The concern's page; an answer the service refused comes back in its form as the
    officer wrote it (`answer_data` / `answer_correct_data`: the POST), never lost."""
    officers = selectors.assignable_officers(viewer=request.user, concern=concern)
    templates = selectors.answer_templates(viewer=request.user, concern=concern)
    suggestions = selectors.legal_suggestions(viewer=request.user, concern=concern)
    answer = _answer_initial(request, concern, templates, suggestions)
    return render(
        request,
        "feedback/detail.html",
        {
            "c": concern,
            "events": selectors.concern_events(viewer=request.user, concern=concern),
            "answers": selectors.concern_answers(viewer=request.user, concern=concern),
            "templates": templates,
            "suggestions": suggestions,
            "chosen_template": _picked(request, "mau", templates),
            "chosen_basis": _picked(request, "can-cu", suggestions),
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
            "can_erase": scope_for(request.user).is_admin
            or bool(scope_for(request.user).office_paths),
        },
        status=status,
    )


def _picked(request: HttpRequest, param: str, rows: list[Any]) -> str:
    """The id in ?param= when it is one of `rows` (kept in the links), else ""."""
    value = request.GET.get(param, "")
    return value if any(str(row.pk) == value for row in rows) else ""


def _answer_initial(
    request: HttpRequest, concern: Concern, templates: list[Any], suggestions: list[Any]
) -> dict[str, str]:
    """The answer form's first values: the answer sent so far, or the template the officer
    picked (?mau=), with the legal basis the officer picked among the suggestions (?can-cu=)."""
    initial = {
        "text": concern.answer_text,
        "citation": concern.answer_citation,
        "citation_url": concern.answer_url,
    }
    template = next((t for t in templates if str(t.pk) == request.GET.get("mau")), None)
    if template is not None:
        initial = {
            "text": template.text,
            "citation": template.citation,
            "citation_url": template.citation_url,
        }
    basis = next((d for d in suggestions if str(d.pk) == request.GET.get("can-cu")), None)
    if basis is not None:
        number = f"{basis.number} " if basis.number else ""
        initial["citation"] = f"{number}{basis.display_title}"[:255]
        initial["citation_url"] = reverse("library:detail", args=[basis.pk])
    return initial


def _officer_action(
    request: HttpRequest, code: str, run: Any, done: str, *, keep: str = ""
) -> HttpResponse:
    """Run the action and go back to the concern. `keep` names the form ("answer_data",
    "answer_correct_data") whose text a refusal shows again instead of a redirect."""
    concern = selectors.concern_detail(viewer=request.user, code=code)
    try:
        run(concern)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
        if keep:
            return _render_detail(request, concern, status=400, **{keep: request.POST})
    else:
        messages.success(request, done)
    return redirect("feedback:detail", code=concern.code)


def _fresh(concern: Concern) -> Concern:
    """The unmasked row for a service (the masked copy must never be written)."""
    return Concern.objects.select_related("unit", "assigned_unit").get(pk=concern.pk)


@officer_required
@require_POST
def correct(request: HttpRequest, code: str) -> HttpResponse:
    form = CorrectForm(request.POST)

    def run(c: Concern) -> None:
        if not form.is_valid():
            raise ValidationError(_("Chủ đề hoặc mức độ không hợp lệ."))
        services.concern_correct(
            actor=request.user,
            concern=_fresh(c),
            topic=form.cleaned_data["topic"],
            urgency=form.cleaned_data["urgency"],
        )

    return _officer_action(request, code, run, _("Đã cập nhật chủ đề và mức độ."))


@officer_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    def run(c: Concern) -> None:
        officers = selectors.assignable_officers(viewer=request.user, concern=c)
        form = AssignForm(request.POST, officers=officers)
        if not form.is_valid():
            raise ValidationError(_("Cán bộ được chọn không hợp lệ."))
        chosen = next((u for u in officers if str(u.pk) == form.cleaned_data["assignee"]), None)
        services.concern_assign(actor=request.user, concern=_fresh(c), assignee=chosen)

    return _officer_action(request, code, run, _("Đã giao xử lý."))


@officer_required
@require_POST
def forward(request: HttpRequest, code: str) -> HttpResponse:
    note_text = request.POST.get("note", "")
    return _officer_action(
        request,
        code,
        lambda c: services.concern_forward_up(
            actor=request.user, concern=_fresh(c), note=note_text
        ),
        _("Đã chuyển ý kiến lên cấp trên."),
    )


@officer_required
def photo(request: HttpRequest, code: str) -> HttpResponse:
    """The attached photo, for officers who may see the concern (never a public URL)."""
    concern = selectors.concern_detail(viewer=request.user, code=code)
    if not concern.photo:
        raise Http404
    import mimetypes

    with concern.photo.open("rb") as fh:
        body = fh.read()  # at most FEEDBACK_PHOTO_MAX_BYTES
    kind = mimetypes.guess_type(str(concern.photo.name))[0] or "application/octet-stream"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{concern.code}-anh"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@officer_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    return _officer_action(
        request,
        code,
        lambda c: services.concern_start(actor=request.user, concern=_fresh(c)),
        _("Đã chuyển sang đang xử lý."),
    )


@officer_required
@require_POST
def answer(request: HttpRequest, code: str) -> HttpResponse:
    form = AnswerForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    whole_cluster = bool(data.get("whole_cluster"))

    def run(c: Concern) -> None:
        services.concern_answer(
            actor=request.user,
            concern=_fresh(c),
            text=data.get("text", ""),
            citation=data.get("citation", ""),
            citation_url=data.get("citation_url", ""),
        )
        if whole_cluster and c.cluster_id:
            others = selectors.open_cluster_mates(viewer=request.user, concern=c)
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
    data = form.cleaned_data
    return _officer_action(
        request,
        code,
        lambda c: services.concern_answer_correct(
            actor=request.user,
            concern=_fresh(c),
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
        lambda c: services.concern_close(actor=request.user, concern=_fresh(c)),
        _("Đã đóng ý kiến."),
    )


@officer_required
@require_POST
def note(request: HttpRequest, code: str) -> HttpResponse:
    text = request.POST.get("note", "")
    return _officer_action(
        request,
        code,
        lambda c: services.concern_add_note(actor=request.user, concern=_fresh(c), note=text),
        _("Đã thêm ghi chú."),
    )


@officer_required
@require_POST
def erase_contact(request: HttpRequest, code: str) -> HttpResponse:
    def run(c: Concern) -> None:
        if not getattr(c, "contact_visible", False):
            raise ValidationError(
                _("Chỉ Văn phòng LĐLĐ cấp trên được xoá thông tin liên hệ của người gửi ẩn danh.")
            )
        services.concern_erase_contact(concern=_fresh(c), actor=request.user)

    return _officer_action(request, code, run, _("Đã xoá thông tin liên hệ."))


@officer_required
def record(request: HttpRequest) -> HttpResponse:
    """An officer records a concern heard on the hotline or at a meeting."""
    units = list(units_in_scope(request.user).filter(is_active=True).order_by("sort_key")[:1000])
    # A grassroots officer records for their own union unless they say otherwise.
    initial = {"unit": units[0].code} if len(units) == 1 else {}
    form = RecordForm(
        request.POST or None, units=units, home=services.fallback_unit(), initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            unit = get_unit_in_scope(request.user, data["unit"]) if data["unit"] else None
            try:
                concern = services.concern_submit(
                    text=data["text"],
                    unit=unit,
                    channel=Channel.OFFICER,
                    is_anonymous=data["is_anonymous"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    wants_upper_level=data["wants_upper_level"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
                status = 422
            else:
                handler = concern.assigned_unit
                if handler is not None and not can_view_unit(request.user, handler):
                    # Sent above the recorder's scope (the home unit, the upper level): say where.
                    messages.success(
                        request,
                        _("Đã ghi nhận ý kiến %(code)s và chuyển tới %(unit)s.")
                        % {"code": concern.code, "unit": handler.name},
                    )
                    return redirect("feedback:record")
                messages.success(
                    request, _("Đã ghi nhận ý kiến %(code)s.") % {"code": concern.code}
                )
                return redirect("feedback:detail", code=concern.code)
        else:
            status = 422
    return render(request, "feedback/record.html", {"form": form}, status=status)


# -- officers: clusters, dashboard, summary, exports ----------------------------------------------------------


@officer_required
def clusters(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feedback/clusters.html", {"clusters": selectors.cluster_list(viewer=request.user)}
    )


@officer_required
def cluster(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.cluster_detail(viewer=request.user, cluster_id=pk)
    return HttpResponseRedirect(reverse("feedback:inbox") + f"?status=&cluster={pk}")


def _unit_param(request: HttpRequest) -> Unit | None:
    code = request.GET.get("unit", "").strip()
    return get_unit_in_scope(request.user, code) if code else None


@officer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    unit = _unit_param(request)
    today = timezone.localdate()
    start = today.replace(day=1)
    return render(
        request,
        "feedback/dashboard.html",
        {
            "unit": unit,
            "table": selectors.topic_unit_month(viewer=request.user, unit=unit),
            "spikes": selectors.spikes(viewer=request.user),
            "month": selectors.feedback_period_summary(
                viewer=request.user, unit=unit, start=start, end=today
            ),
            "year": selectors.feedback_period_summary(
                viewer=request.user, unit=unit, start=today - timedelta(days=365), end=today
            ),
            "quality": _model_quality(),
            "retrain": retrain_state(),
            "can_retrain": _can_retrain(request),
        },
    )


def _can_retrain(request: HttpRequest) -> bool:
    """The Office (of any federation) and administrators retrain the shared models."""
    scope = scope_for(request.user)
    return scope.is_admin or bool(scope.office_paths)


@officer_required
def dashboard_chart(request: HttpRequest) -> HttpResponse:
    """The topics by month as an SVG chart (the dashboard shows it; exports may embed it)."""
    unit = _unit_param(request)
    table = selectors.topic_unit_month(viewer=request.user, unit=unit)
    today = timezone.localdate()
    months = [*table["months"][:-1], table["months"][-1] + "*"] if table["months"] else []
    svg = charts.line_chart(
        months,
        [(row["label"], row["counts"]) for row in table["topics"][: len(charts.PALETTE)]],
        title=_("Ý kiến theo chủ đề và tháng (*: đến ngày %(day)s)") % {"day": today.day}
        + (f" — {unit.name}" if unit else ""),
        partial_last=True,
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@officer_required
@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    """The Office's button: queue a retraining on the worker; the dashboard shows its state."""
    if not _can_retrain(request):
        raise PermissionDenied
    if retrain_request(actor=request.user):
        messages.success(
            request, _("Đã gửi yêu cầu huấn luyện lại; máy chủ nền sẽ chạy trong ít phút.")
        )
    else:
        messages.info(request, _("Đang có một lần huấn luyện lại chưa xong."))
    return redirect(reverse("feedback:dashboard") + "#huan-luyen")


def _model_quality() -> dict[str, Any] | None:
    from congdoan.feedback.training import load_report

    report = load_report()
    if report is None:
        return None
    # The report keeps the topic labels of the language it was trained in: name them again
    # in the viewer's language from the codes.
    names = dict(Topic.choices)
    for table in (report, report.get("officer_labels") or {}):
        for row in table.get("per_topic", []):
            row["label"] = str(names.get(row.get("topic"), row.get("label", "")))
    return report


def _parse_date(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@officer_required
def summary(request: HttpRequest) -> HttpResponse:
    """The period's summary, ready to copy into the six-month report."""
    today = timezone.localdate()
    default_start = today.replace(day=1)
    start = _parse_date(request.GET.get("tu", ""), default_start)
    end = _parse_date(request.GET.get("den", ""), today)
    if end < start:
        start, end = end, start
    unit = _unit_param(request)
    data = selectors.feedback_period_summary(viewer=request.user, unit=unit, start=start, end=end)
    if request.GET.get("dinh-dang") == "json":
        return HttpResponse(
            json.dumps(data, ensure_ascii=False, default=str, indent=2),
            content_type="application/json",
        )
    return render(
        request, "feedback/summary.html", {"s": data, "unit": unit, "start": start, "end": end}
    )


@officer_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    filters = selectors.InboxFilters.from_query(request.GET)
    body = exports.concerns_xlsx(
        selectors.concern_export_rows(viewer=request.user, filters=filters)
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="y-kien-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


@officer_required
def contact_export(request: HttpRequest) -> HttpResponse:
    """Everything held about one phone number (the Office answers a person's access request)."""
    scope = scope_for(request.user)
    if not (scope.is_admin or scope.office_paths):
        raise Http404
    form = ContactExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        rows = selectors.contact_export(viewer=request.user, phone=form.cleaned_data["phone"])
        from congdoan.audit.services import audit_record

        audit_record(
            actor=request.user, action="feedback.contact_export", changes={"rows": len(rows)}
        )
        if form.cleaned_data["format"] == "xlsx":
            response = HttpResponse(
                exports.records_xlsx(rows),
                content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )
            response["Content-Disposition"] = 'attachment; filename="du-lieu-lien-he.xlsx"'
            return response
        response = HttpResponse(
            json.dumps(rows, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="du-lieu-lien-he.json"'
        return response
    return render(request, "feedback/contact_export.html", {"form": form})
