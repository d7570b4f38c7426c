"""The officer's pages of a contest's outcome: results (ranking, units, chart, export,
rescore), flagged attempts to review, prizes, certificates; and the public page that verifies
a certificate by its code."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.audit.services import audit_record
from congdoan.contests import exports, rules, selectors
from congdoan.contests.forms import CertificatesForm, PrizeForm, ReviewForm
from congdoan.contests.models import Attempt, Certificate, Contest, Prize, PrizeKind, Round
from congdoan.contests.selectors.results import RankRow, UnitRow
from congdoan.contests.services import abuse, certificates, scoring
from congdoan.contests.services import prizes as prize_svc
from congdoan.core.charts import BAR_WIDTH, bar_chart, width_for
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import scope_for


def _results_contest(request: HttpRequest, pk: int) -> Contest:
    contest = Contest.objects.select_related("unit", "eligible_unit").filter(pk=pk).first()
    if contest is None or not rules.can_see_results(request.user, contest):
        raise Http404
    return contest


def _round_of(request: HttpRequest, contest: Contest) -> Round | None:
    number = request.GET.get("vong", "")
    if not number.isdigit():
        return None
    return get_object_or_404(Round, contest=contest, number=int(number))


def _parent_of(request: HttpRequest, contest: Contest) -> Unit | None:
    code = request.GET.get("don-vi", "")
    if not code:
        return None
    top = contest.eligible_unit or contest.unit
    unit = Unit.objects.filter(code=code, path__startswith=top.path).first()
    if unit is None:
        raise Http404
    return unit


def _results(
    request: HttpRequest, contest: Contest
) -> tuple[list[RankRow], int, list[UnitRow], Round | None, Unit | None]:
    round = _round_of(request, contest)
    parent = _parent_of(request, contest)
    rows, actual = selectors.ranking(contest, round)
    selectors.awarded_rank_prizes(contest, rows)
    table = selectors.unit_table(contest, parent=parent, ranked=rows if round is None else None)
    if parent is None:
        selectors.awarded_unit_prizes(contest, table)
    return (
        selectors.visible_rows(request.user, contest, rows),
        actual,
        selectors.visible_units(request.user, contest, table),
        round,
        parent,
    )


@officer_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _results_contest(request, pk)
    rows, actual, table, round, parent = _results(request, contest)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "contests/manage/results.html",
        {
            "contest": contest,
            "page_obj": page,
            "actual": actual,
            "table": table,
            "round": round,
            "rounds": contest.rounds.all(),
            "parent": parent,
            "can_manage": rules.can_manage_contest(request.user, contest),
            "query": request.GET.urlencode(),
            "nav": "results",
        },
    )


@officer_required
def results_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """Participation rate per unit as horizontal bars (SVG, core.charts): one bar per unit of
    the page's table (the first 30), the table beside it has every figure."""
    contest = _results_contest(request, pk)
    _rows, _actual, table, _round, _parent = _results(request, contest)
    table = table[:30]
    svg = bar_chart(
        [u.unit.short_name or u.unit.name for u in table],
        [u.rate for u in table],
        title=_("Tỷ lệ tham gia theo đơn vị: %(title)s") % {"title": contest.title},
        percent=True,
        width=width_for(request.GET, BAR_WIDTH),
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=60"
    return response


@officer_required
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _results_contest(request, pk)
    rows, actual, table, _round, _parent = _results(request, contest)
    data = exports.results_xlsx(contest, rows, table, actual=actual)
    audit_record(
        actor=request.user,
        action="contests.results.export",
        target=contest,
        changes={"rows": len(rows)},
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{contest.slug}.xlsx"'
    return response


@officer_required
@require_POST
def rescore(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    total = 0
    for round in contest.rounds.all():
        n = scoring.rescore_round(round=round)
        total += n
        audit_record(
            actor=request.user,
            action="contests.round.rescore",
            target=round,
            unit=contest.unit,
            changes={"attempts": n},
        )
    messages.success(
        request, _("Đã chấm lại %(n)s lượt thi từ các câu trả lời đã lưu.") % {"n": total}
    )
    return redirect("contests:manage_results", contest.pk)


# -- flagged attempts --------------------------------------------------------------------------


@officer_required
def flagged(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    attempts = selectors.attempts_to_review(contest)
    page = Paginator(attempts, 50).get_page(request.GET.get("page"))
    for attempt in page:
        attempt.reason_texts = [abuse.reason_text(r) for r in attempt.flag_reasons or []]  # type: ignore[attr-defined]
    return render(
        request,
        "contests/manage/flagged.html",
        {"contest": contest, "page_obj": page, "form": ReviewForm(), "nav": "flagged"},
    )


@officer_required
@require_POST
def review(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    attempt = get_object_or_404(
        Attempt.objects.select_related("round__contest__unit"), pk=aid, round__contest=contest
    )
    form = ReviewForm(request.POST)
    if form.is_valid():
        abuse.review_attempt(
            actor=request.user,
            attempt=attempt,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            _("Đã ghi kết luận cho lượt thi của %(name)s.")
            % {"name": attempt.participant.full_name},
        )
    else:
        messages.error(request, _("Hãy chọn Hợp lệ hoặc Loại khỏi xếp hạng."))
    return redirect("contests:manage_flagged", contest.pk)


# -- prizes ------------------------------------------------------------------------------------


@officer_required
def prizes(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    form = PrizeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prize_svc.prize_save(
                actor=request.user,
                contest=contest,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                count=form.cleaned_data["count"],
                amount_vnd=form.cleaned_data["amount_vnd"] or 0,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã thêm giải."))
            return redirect("contests:manage_prizes", contest.pk)
    rows, _actual = selectors.ranking(contest)
    winners = selectors.awarded_rank_prizes(contest, rows)
    units = selectors.awarded_unit_prizes(contest, selectors.unit_table(contest))
    return render(
        request,
        "contests/manage/prizes.html",
        {
            "contest": contest,
            "form": form,
            "rank_prizes": contest.prizes.filter(kind=PrizeKind.RANK),
            "unit_prizes": contest.prizes.filter(kind=PrizeKind.UNIT),
            "winners": winners,
            "unit_winners": units,
            "nav": "prizes",
        },
    )


@officer_required
@require_POST
def prize_delete(request: HttpRequest, pk: int, prize_id: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    prize = get_object_or_404(Prize, contest=contest, pk=prize_id)
    try:
        prize_svc.prize_delete(actor=request.user, prize=prize)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xóa giải."))
    return redirect("contests:manage_prizes", contest.pk)


# -- certificates ------------------------------------------------------------------------------


@officer_required
def certificate_list(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    form = CertificatesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            n = certificates.certificates_issue(
                actor=request.user, contest=contest, finishers=form.cleaned_data["finishers"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã cấp %(n)s giấy chứng nhận.") % {"n": n})
        return redirect("contests:manage_certificates", contest.pk)
    issued = (
        Certificate.objects.filter(attempt__round__contest=contest)
        .select_related("attempt__participant__unit", "prize")
        .order_by("rank", "number")
    )
    page = Paginator(issued, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "contests/manage/certificates.html",
        {"contest": contest, "form": form, "page_obj": page, "nav": "certificates"},
    )


@officer_required
def certificate_download(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    contest = selectors.contest_for(request.user, pk)
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "attempt__participant__unit", "attempt__round__contest__unit", "prize"
        ),
        pk=cid,
        attempt__round__contest=contest,
    )
    response = HttpResponse(
        certificates.certificate_pdf(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificates.certificate_filename(certificate)}"'
    )
    return response


@officer_required
def certificate_download_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Every certificate of the contest in one PDF, to print (rank order)."""
    contest = selectors.contest_for(request.user, pk)
    issued = list(
        Certificate.objects.filter(attempt__round__contest=contest)
        .select_related("attempt__participant__unit", "attempt__round__contest__unit", "prize")
        .order_by("rank", "number")
    )
    if not issued:
        raise Http404
    response = HttpResponse(certificates.certificates_pdf(issued), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="giay-chung-nhan-{contest.slug}.pdf"'
    return response


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: a certificate's name, contest, prize and date, found by its code; 404 else."""
    certificate = certificates.certificate_by_code(code)
    if certificate is None:
        raise Http404
    context = certificates.certificate_context(certificate)
    context["signed_in_officer"] = scope_for(request.user).is_officer
    return render(request, "contests/certificate_verify.html", context)
