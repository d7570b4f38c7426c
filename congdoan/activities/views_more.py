"""Pages for good examples, training, channels of presence and budgets (thin, as views.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.activities import rules, selectors, services
from congdoan.activities.forms import (
    BudgetForm,
    ChannelForm,
    CourseForm,
    ExampleActionForm,
    ExampleForm,
    PostsForm,
    SessionForm,
    TrainingAttendanceForm,
)
from congdoan.activities.models import ExampleStatus, GoodExample, PostSource
from congdoan.orgs.rules import officer_required

PER_PAGE = 50
UNITS_PER_PAGE = 100  # a province officer's presence and budget tables: 10,000 units


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# -- good examples ----------------------------------------------------------------------------


@officer_required
def example_list(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for(viewer=request.user).filter(parent__isnull=False)
    form = ExampleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            example = services.example_submit(
                actor=request.user,
                unit=data["unit"],
                kind=data["kind"],
                title=data["title"],
                summary=data["summary"],
                submitted_on=timezone.localdate(),
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã gửi lên cấp trên."))
            return redirect("activities:example", example.pk)
    status = request.GET.get("status", "")
    status = status if status in ExampleStatus.values else ""
    qs = selectors.examples_visible(viewer=request.user, status=status)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page") or 1)
    return render(
        request,
        "activities/examples.html",
        {"form": form, "page_obj": page, "statuses": ExampleStatus.choices, "status": status},
    )


@officer_required
def example_detail(request: HttpRequest, example_id: int) -> HttpResponse:
    example = selectors.example_get(viewer=request.user, pk=example_id)
    return render(
        request,
        "activities/example.html",
        {
            "example": example,
            "steps": example.steps.select_related("by_unit", "to_unit", "actor"),
            "can_act": rules.can_act_on_example(request.user, example),
            "can_forward": rules.can_forward_example(request.user, example),
            "can_resubmit": rules.can_resubmit_example(request.user, example),
            "form": ExampleActionForm(),
        },
    )


@officer_required
@require_POST
def example_act(request: HttpRequest, example_id: int, action: str) -> HttpResponse:
    example = selectors.example_get(viewer=request.user, pk=example_id)
    form = ExampleActionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if action == "gui-lai":
        return _resubmit(request, example)
    act = {
        "chuyen": services.example_forward,
        "ghi-nhan": services.example_recognise,
    }.get(action)
    try:
        if action == "tra-lai":
            services.example_return(actor=request.user, example=example, note=note)
        elif act is not None:
            act(actor=request.user, example=example, note=note)
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã lưu."))
    return redirect("activities:example", example.pk)


def _resubmit(request: HttpRequest, example: GoodExample) -> HttpResponse:
    title = request.POST.get("title", "")
    summary = request.POST.get("summary", "")
    try:
        services.example_resubmit(actor=request.user, example=example, title=title, summary=summary)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã gửi lại lên cấp trên."))
    return redirect("activities:example", example.pk)


# -- training ---------------------------------------------------------------------------------


@officer_required
def course_list(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None, units=selectors.units_for(viewer=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = services.course_create(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                topic=data["topic"],
                description=data["description"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("activities:course", course.pk)
    page = Paginator(selectors.courses_visible(viewer=request.user), PER_PAGE).get_page(
        request.GET.get("page") or 1
    )
    return render(request, "activities/courses.html", {"form": form, "page_obj": page})


@officer_required
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    course = selectors.course_get(viewer=request.user, pk=course_id)
    form = SessionForm(request.POST or None, units=selectors.units_for(viewer=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=request.user,
                course=course,
                unit=data["unit"],
                held_on=data["held_on"],
                place=data["place"],
                level=data["level"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("activities:session", session.pk)
    return render(
        request,
        "activities/course.html",
        {
            "course": course,
            "sessions": selectors.sessions_of(viewer=request.user, course=course),
            "form": form,
        },
    )


@officer_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get(viewer=request.user, pk=session_id)
    query = request.GET.get("q", "")
    found = []
    if query.strip():
        found = list(selectors.session_candidates(session=session, query=query)[:30])
    return render(
        request,
        "activities/session.html",
        {
            "session": session,
            "rows": selectors.session_attendance(session=session),
            "query": query,
            "found": found,
        },
    )


@officer_required
@require_POST
def session_attend(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get(viewer=request.user, pk=session_id)
    form = TrainingAttendanceForm(request.POST)
    member = None
    if form.is_valid():
        member = (
            selectors.session_candidates(session=session, query="")
            .filter(pk=form.cleaned_data["member"])
            .first()
        )
    if member is None:
        messages.error(request, _("Không tìm thấy người này trong đơn vị tổ chức."))
        return redirect("activities:session", session.pk)
    try:
        services.training_attendance_set(
            actor=request.user,
            session=session,
            member=member,
            certificate_number=form.cleaned_data["certificate_number"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã ghi %(name)s.") % {"name": member.full_name})
    return redirect("activities:session", session.pk)


@officer_required
@require_POST
def session_unattend(request: HttpRequest, row_id: int) -> HttpResponse:
    row = selectors.training_attendance_get(viewer=request.user, pk=row_id)
    session_id = row.session_id
    services.training_attendance_remove(actor=request.user, row=row)
    return redirect("activities:session", session_id)


# -- presence and budget ----------------------------------------------------------------------


@officer_required
def presence(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for(viewer=request.user)
    channel_form = ChannelForm(
        request.POST if request.POST.get("form") == "channel" else None, units=units, prefix="ch"
    )
    posts_form = PostsForm(
        request.POST if request.POST.get("form") == "posts" else None, units=units, prefix="p"
    )
    try:
        if request.method == "POST" and channel_form.is_bound and channel_form.is_valid():
            data = channel_form.cleaned_data
            services.channel_save(actor=request.user, unit=data["unit"], values=data)
            messages.success(request, _("Đã đăng ký kênh."))
            return redirect("activities:presence")
        if request.method == "POST" and posts_form.is_bound and posts_form.is_valid():
            data = posts_form.cleaned_data
            services.log_presence_posts(
                actor=request.user,
                unit=data["unit"],
                channel_kind=data["channel_kind"],
                day=data["day"],
                count=data["count"],
                source=PostSource.UNIT,
            )
            messages.success(request, _("Đã ghi số bài đăng."))
            return redirect("activities:presence")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    lines = selectors.presence_overview(viewer=request.user)
    return render(
        request,
        "activities/presence.html",
        {
            "lines": lines,
            "page_obj": Paginator(lines, UNITS_PER_PAGE).get_page(request.GET.get("page") or 1),
            "silent": [line for line in lines if line.silent],
            "without": [line for line in lines if not line.state.has_fanpage],
            "with_page": sum(1 for line in lines if line.state.has_fanpage),
            "active": sum(1 for line in lines if line.state.active_fanpage),
            "channel_form": channel_form,
            "posts_form": posts_form,
            "silent_after": selectors.silent_after_days(),
        },
    )


@officer_required
def channel_edit(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = selectors.channel_get(viewer=request.user, pk=channel_id)
    units = selectors.units_for(viewer=request.user).filter(pk=channel.unit_id)
    initial = {
        "unit": channel.unit_id,
        "kind": channel.kind,
        "name": channel.name,
        "url": channel.url,
        "started_on": channel.started_on,
        "is_active": channel.is_active,
    }
    form = ChannelForm(request.POST or None, units=units, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_save(
                actor=request.user, unit=channel.unit, values=form.cleaned_data, channel=channel
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("activities:presence")
    return render(
        request,
        "activities/form.html",
        {"form": form, "title": _("Sửa kênh của %(unit)s") % {"unit": channel.unit.name}},
    )


@officer_required
def budget(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() and 2000 <= int(text) <= today.year + 1 else today.year
    form = BudgetForm(
        request.POST or None, units=selectors.units_for(viewer=request.user), initial={"year": year}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_save(
                actor=request.user,
                unit=data["unit"],
                year=data["year"],
                communication_vnd=data["communication_vnd"],
                total_vnd=data["total_vnd"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã ghi kinh phí."))
            return redirect(f"{request.path}?year={data['year']}")
    lines, total = selectors.budget_overview(viewer=request.user, year=year)
    return render(
        request,
        "activities/budget.html",
        {
            "lines": lines,
            "page_obj": Paginator(lines, UNITS_PER_PAGE).get_page(request.GET.get("page") or 1),
            "total": total,
            "recorded": any(line.row for line in lines),  # else the sums are "—", not "0 đ"
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "form": form,
        },
    )
