"""Documents of the unit's subtree in the library: digitised, described, shared (cumulative:
the library counts every document it holds, not a period's)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from congdoan.library import selectors as library
from congdoan.reports.sources.base import (
    Context,
    Contribution,
    section,
    system_viewer,
    table,
)


def _pct(n: int, d: int) -> float | None:
    return round(100 * n / d, 1) if d else None


def collect(ctx: Context) -> Contribution:
    rows, _overall = library.digitisation_indicator(viewer=system_viewer())
    mine = [r for r in rows if r.unit is not None and r.unit.pk in ctx.unit_ids]
    total = sum(r.total for r in mine)
    digitised = sum(r.digitised for r in mine)
    described = sum(r.described for r in mine)
    shared = sum(r.shared for r in mine)
    out = Contribution()
    out.total("library.documents", _("Văn bản, tài liệu trong thư viện số"), total)
    out.total("library.digitised", _("Tài liệu đã số hóa"), digitised, of="library.documents")
    out.total(
        "library.shared", _("Tài liệu chia sẻ ra ngoài đơn vị"), shared, of="library.documents"
    )
    out.sections.append(
        section(
            "library",
            _("Số hóa văn bản, tài liệu truyền thông"),
            [
                table(
                    _("Lũy kế đến ngày lập báo cáo"),
                    [_("Nội dung"), _("Số lượng"), _("Tỉ lệ (%)")],
                    [
                        [_("Tổng số văn bản, tài liệu"), total, None],
                        [
                            _("Đã số hóa (có văn bản tra cứu được)"),
                            digitised,
                            _pct(digitised, total),
                        ],
                        [_("Đủ thông tin mô tả"), described, _pct(described, total)],
                        [_("Chia sẻ ra ngoài đơn vị"), shared, _pct(shared, total)],
                    ],
                )
            ],
        )
    )
    return out
