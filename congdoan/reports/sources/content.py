"""Communication products published by the unit's subtree in the period's year, and the share
on digital platforms (content's indicator is kept per calendar year)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from congdoan.content import selectors as content
from congdoan.reports.sources.base import (
    Context,
    Contribution,
    section,
    system_viewer,
    table,
)


def collect(ctx: Context) -> Contribution:
    share = content.digital_share(viewer=system_viewer(), year=ctx.period.year)
    mine = [r for r in share.rows if r.unit.pk in ctx.unit_ids]
    total = sum(r.total for r in mine)
    digital = sum(r.digital for r in mine)
    out = Contribution()
    out.total("content.published", _("Sản phẩm truyền thông đã đăng"), total)
    out.total("content.digital", _("Sản phẩm trên nền tảng số"), digital, of="content.published")
    rows: list[list[str | int | float | None]] = [
        [r.unit.name, r.total, r.digital, round(100 * r.share, 1) if r.share is not None else None]
        for r in mine
    ]
    rows.append([_("Cộng"), total, digital, round(100 * digital / total, 1) if total else None])
    out.sections.append(
        section(
            "content",
            _("Sản phẩm truyền thông"),
            [
                table(
                    _("Đã đăng trong năm %(year)s") % {"year": ctx.period.year},
                    [_("Đơn vị"), _("Sản phẩm"), _("Trên nền tảng số"), _("Tỉ lệ số (%)")],
                    rows,
                )
            ],
        )
    )
    return out
