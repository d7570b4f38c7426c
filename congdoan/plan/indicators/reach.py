"""Members reached in the year (target 90 %): unique members with evidence ÷ members.

Evidence comes from the sources in `REACH_SOURCES` (attended a direct communication activity,
read a product while logged in, had a concern answered, took part in a contest, answered a
survey).
A member counts for the unit they belong to, wherever the activity was held. The members of a
unit are those who had joined by the period's last day and had not left before its first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congdoan.orgs.models import Member
from congdoan.plan.indicators.base import (
    PERCENT,
    REACH_SOURCES,
    Evidence,
    Indicator,
    Result,
    UnitRef,
    load,
    missing_paths,
    missing_source,
    register,
    register_reach_source,
)
from congdoan.plan.periods import Period

CODE = "members_reached"

register_reach_source(
    "attended",
    gettext_lazy("dự hoạt động truyền thông trực tiếp"),
    "congdoan.activities.selectors.attended_member_ids",
    listable=True,
)
register_reach_source(
    "read",
    gettext_lazy("đọc sản phẩm truyền thông khi đăng nhập"),
    "congdoan.content.selectors.reader_member_ids",
)
register_reach_source(
    "bulletin",
    gettext_lazy("xác nhận đã đọc bản tin điện tử"),
    "congdoan.content.selectors.bulletin_ack_member_ids",
)
register_reach_source(
    "answered",
    gettext_lazy("được trả lời ý kiến"),
    "congdoan.feedback.selectors.answered_member_ids",
)
# Taking part in a contest is public (results are published by name); answering a survey is
# not (a survey may be anonymous): counted, never listed.
register_reach_source(
    "contest",
    gettext_lazy("dự thi trực tuyến"),
    "congdoan.contests.selectors.participant_member_ids",
    listable=True,
)
register_reach_source(
    "survey",
    gettext_lazy("trả lời khảo sát"),
    "congdoan.surveys.selectors.respondent_member_ids",
)


def members_in(unit_ids: Collection[int], start: date, end: date) -> QuerySet[Member]:
    """Members of these units during [start, end]."""
    return Member.objects.filter(unit_id__in=list(unit_ids), is_union_member=True).filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=end),
        Q(left_on__isnull=True) | Q(left_on__gte=start),
    )


def evidence_q(
    start: date, end: date, *, listable: bool | None = None
) -> tuple[Q | None, list[str]]:
    """A filter on Member for "has evidence of reach in [start, end]" (with `listable`, only
    from the sources that may, or may not, be shown per person), and the sources missing."""
    q: Q | None = None
    missing: list[str] = []
    for source in REACH_SOURCES.values():
        if listable is not None and source.listable != listable:
            continue
        fn = load(source.path)
        if fn is None:
            missing.append(str(source.label))
            continue
        part = Q(pk__in=fn(start=start, end=end, unit_ids=None))
        q = part if q is None else q | part
    return q, missing


def compute(period: Period, units: Sequence[UnitRef]) -> Result:
    q, missing = evidence_q(period.start, period.end)
    if q is None:
        return Result(missing=missing_source(_("bằng chứng tiếp cận (%s)") % ", ".join(missing)))
    ids = [u.id for u in units]
    members = members_in(ids, period.start, period.end)
    totals = dict(members.values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))
    reached = dict(
        members.filter(q).values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    return Result(figures={uid: (reached.get(uid, 0), n) for uid, n in totals.items()})


def evidence(period: Period, unit_ids: Collection[int]) -> Evidence:
    """The members reached through evidence that may be named (attendance); the others are
    counted in the note only: who read what, or whose concern was answered, is never listed."""
    shown_q, missing = evidence_q(period.start, period.end, listable=True)
    all_q, _all_missing = evidence_q(period.start, period.end)
    notes = [_("Chưa tính: %s.") % ", ".join(missing)] if missing else []
    members = members_in(unit_ids, period.start, period.end)
    rows: QuerySet[Member, tuple[str, str]] | list[tuple[str, str]] = []
    if shown_q is not None:
        rows = (
            members.filter(shown_q)
            .order_by("unit__sort_key", "sort_key", "pk")
            .values_list("full_name", "unit__name")
        )
    if all_q is not None:
        hidden = members.filter(all_q).exclude(shown_q or Q(pk__in=[])).count()
        if hidden:
            notes.append(
                ngettext(
                    "Ngoài danh sách này, %(n)s đoàn viên được tính qua nguồn không hiển thị "
                    "theo từng người (đọc sản phẩm khi đăng nhập, được trả lời ý kiến…).",
                    "Ngoài danh sách này, %(n)s đoàn viên được tính qua nguồn không hiển thị "
                    "theo từng người (đọc sản phẩm khi đăng nhập, được trả lời ý kiến…).",
                    hidden,
                )
                % {"n": hidden}
            )
    return Evidence([_("Đoàn viên"), _("Đơn vị")], rows, " ".join(notes))


register(
    Indicator(
        code=CODE,
        name=gettext_lazy("Đoàn viên được tiếp cận thông tin trong năm"),
        kind=PERCENT,
        unit_label="%",
        compute=compute,
        order=10,
        description=gettext_lazy(
            "Đoàn viên có ít nhất một bằng chứng (dự hoạt động trực tiếp, đọc sản phẩm khi "
            "đăng nhập, được trả lời ý kiến…) chia cho số đoàn viên."
        ),
        evidence=evidence,
        missing=lambda: missing_paths(
            [s.path for s in REACH_SOURCES.values()], gettext_lazy("bằng chứng tiếp cận")
        )(),
    )
)
