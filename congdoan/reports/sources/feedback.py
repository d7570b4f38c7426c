"""Workers' concerns of the period: received, answered, on time, overdue, by topic."""

from __future__ import annotations

from django.utils.translation import gettext as _

from congdoan.feedback import selectors as feedback
from congdoan.reports.sources.base import (
    Context,
    Contribution,
    section,
    system_viewer,
    table,
)


def collect(ctx: Context) -> Contribution:
    summary = feedback.feedback_period_summary(
        viewer=system_viewer(), unit=ctx.unit, start=ctx.period.start, end=ctx.period.end
    )
    out = Contribution()
    total = summary["total"]
    out.total("feedback.received", _("Ý kiến, tâm tư của người lao động tiếp nhận"), total)
    out.total(
        "feedback.answered", _("Ý kiến đã trả lời"), summary["answered"], of="feedback.received"
    )
    out.total(
        "feedback.answered_on_time",
        _("Ý kiến trả lời đúng hạn"),
        summary["answered_on_time"],
        of="feedback.answered",
    )
    out.total("feedback.overdue", _("Ý kiến quá hạn chưa trả lời"), summary["overdue_unanswered"])
    rows: list[list[str | int | float | None]] = [
        [_("Tổng số ý kiến tiếp nhận"), total],
        [_("Đã trả lời"), summary["answered"]],
        [_("Tỉ lệ đã trả lời (%)"), summary["answered_share"]],
        [_("Trả lời đúng hạn"), summary["answered_on_time"]],
        [_("Quá hạn chưa trả lời"), summary["overdue_unanswered"]],
        [_("Điểm hài lòng trung bình (1–5)"), summary["avg_rating"]],
    ]
    topics = [[row["label"], row["n"]] for row in summary["by_topic"]]
    for row in summary["by_topic"]:
        out.total(f"feedback.topic.{row['topic'] or 'none'}", row["label"], row["n"])
    out.sections.append(
        section(
            "feedback",
            _("Tiếp nhận, giải quyết ý kiến, tâm tư của người lao động"),
            [
                table(_("Số liệu chung"), [_("Nội dung"), _("Số liệu")], rows),
                table(_("Theo chủ đề"), [_("Chủ đề"), _("Số ý kiến")], topics),
            ],
        )
    )
    return out
