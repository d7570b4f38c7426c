"""The library's two figures: communication documents digitised (80–90 % by 2028), and the
district's duty of at least two information-orientation documents a year.

The library's selectors answer only for a viewer (its own pages); these figures are per unit
for a batch, for every unit, so they count `library.models.Document` here with the library's
own definition of "digitised" (`library.selectors.DIGITISED_Q`). To move into a
`library.selectors` function taking unit ids when the library next changes.
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Sequence
from functools import reduce

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.library.models import DocType, Document
from congdoan.library.selectors import DIGITISED_Q
from congdoan.plan.indicators.base import (
    COUNT,
    PERCENT,
    Evidence,
    Indicator,
    Result,
    UnitRef,
    register,
)
from congdoan.plan.periods import Period
from congdoan.plan.timing import day_end

# The kinds of document an orientation is issued as, and the words that mark it.
ORIENTATION_TYPES = (
    DocType.GUIDANCE,
    DocType.OFFICIAL_LETTER,
    DocType.NOTICE,
    DocType.DIRECTIVE,
    DocType.PLAN,
)
# SQLite folds the case of ASCII letters only: "Định hướng" at the head of a title is not
# "định hướng" to its LIKE, so each way of writing the words is asked for.
_MARKS = ("định hướng", "Định hướng", "ĐỊNH HƯỚNG")
ORIENTATION_Q = Q(doc_type__in=ORIENTATION_TYPES) & reduce(
    operator.or_, (Q(title__contains=m) | Q(tags__contains=m) for m in _MARKS)
)


def _held(unit_ids: Collection[int], period: Period) -> Q:
    return Q(unit_id__in=list(unit_ids), created_at__lt=day_end(period.end))


def digitised(period: Period, units: Sequence[UnitRef]) -> Result:
    rows = (
        Document.objects.filter(_held([u.id for u in units], period))
        .values("unit_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=DIGITISED_Q))
        .order_by()
    )
    return Result(figures={r["unit_id"]: (r["done"], r["total"]) for r in rows})


def digitised_evidence(period: Period, unit_ids: Collection[int]) -> Evidence:
    rows = (
        Document.objects.filter(_held(unit_ids, period))
        .filter(DIGITISED_Q)
        .order_by("-issued_on", "-pk")
        .values_list("title", "number", "issued_on", "unit__name")
    )
    return Evidence([_("Trích yếu"), _("Số, ký hiệu"), _("Ngày"), _("Đơn vị")], rows)


def _orientation(unit_ids: Collection[int], period: Period) -> Q:
    return (
        ORIENTATION_Q
        & Q(unit_id__in=list(unit_ids))
        & Q(issued_on__gte=period.start, issued_on__lte=period.end)
    )


def orientation(period: Period, units: Sequence[UnitRef]) -> Result:
    upper = [u.id for u in units if not u.is_grassroots]
    counts = dict(
        Document.objects.filter(_orientation(upper, period))
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("unit_id", "n")
    )
    return Result(figures={uid: (counts.get(uid, 0), None) for uid in upper})


def orientation_evidence(period: Period, unit_ids: Collection[int]) -> Evidence:
    rows = (
        Document.objects.filter(_orientation(unit_ids, period))
        .order_by("-issued_on", "-pk")
        .values_list("title", "number", "issued_on", "unit__name")
    )
    return Evidence([_("Trích yếu"), _("Số, ký hiệu"), _("Ngày ban hành"), _("Đơn vị")], rows)


register(
    Indicator(
        code="documents_digitised",
        name=gettext_lazy("Tài liệu tuyên truyền được số hóa"),
        kind=PERCENT,
        unit_label="%",
        compute=digitised,
        order=40,
        description=gettext_lazy("Tài liệu trong thư viện đã có nội dung số ÷ tất cả tài liệu."),
        evidence=digitised_evidence,
        stock=True,
    )
)
register(
    Indicator(
        code="orientation_documents",
        name=gettext_lazy("Văn bản định hướng thông tin của công đoàn cấp trên"),
        kind=COUNT,
        unit_label=gettext_lazy("văn bản"),
        compute=orientation,
        order=70,
        description=gettext_lazy(
            "Hướng dẫn, công văn, thông báo, chỉ thị, kế hoạch có “định hướng” trong trích yếu "
            "hoặc nhãn, ban hành trong kỳ (ít nhất 2 văn bản mỗi năm)."
        ),
        evidence=orientation_evidence,
    )
)
