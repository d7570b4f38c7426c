"""Direct communication activities, training, press coordination, good examples, fanpages and
budget of the unit's subtree in the period (`activities.selectors`: plain unit ids)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from congdoan.activities import selectors as activities
from congdoan.reports.sources.base import Cell, Context, Contribution, section, table


def collect(ctx: Context) -> Contribution:
    ids, start, end = ctx.unit_ids, ctx.period.start, ctx.period.end
    out = Contribution()
    kinds: list[list[Cell]] = []
    for k in activities.activity_summary(unit_ids=ids, start=start, end=end):
        kinds.append([k.label or k.kind, k.count, k.participants, k.beneficiaries, k.amount_vnd])
        out.total(
            f"activities.{k.kind}.count", _("%(kind)s — số cuộc") % {"kind": k.label}, k.count
        )
        out.total(
            f"activities.{k.kind}.participants",
            _("%(kind)s — lượt người tham dự") % {"kind": k.label},
            k.participants,
        )
    courses: list[list[Cell]] = []
    sessions = attendees = certificates = 0
    for c in activities.training_summary(unit_ids=ids, start=start, end=end):
        courses.append([c.title, c.topic_label, c.sessions, c.attendees, c.certificates])
        sessions += c.sessions
        attendees += c.attendees
        certificates += c.certificates
    out.total("training.sessions", _("Buổi tập huấn, bồi dưỡng"), sessions)
    out.total("training.attendees", _("Lượt học viên tập huấn"), attendees)
    out.total("training.certificates", _("Chứng nhận đã cấp"), certificates)
    press: list[list[Cell]] = []
    for k in activities.press_summary(unit_ids=ids, start=start, end=end):
        press.append([k.label, k.count])
        out.total(f"press.{k.kind}", k.label, k.count)
    examples = activities.good_examples(unit_ids=ids, start=start, end=end)
    out.total("examples.count", _("Gương người tốt việc tốt, mô hình tiêu biểu"), len(examples))
    presence = activities.presence_by_unit(unit_ids=ids, as_of=end)
    with_page = sum(1 for p in presence.values() if p.has_fanpage)
    active = sum(1 for p in presence.values() if p.active_fanpage)
    out.total("presence.units", _("Đơn vị"), len(presence))
    out.total("presence.fanpage", _("Đơn vị có Fanpage"), with_page, of="presence.units")
    out.total(
        "presence.active", _("Đơn vị có Fanpage cập nhật thường xuyên"), active, of="presence.units"
    )
    budgets = activities.budget_by_unit(unit_ids=ids, year=ctx.period.year)
    communication = sum(b.communication_vnd for b in budgets.values())
    total = sum(b.total_vnd for b in budgets.values())
    if budgets:
        out.total("budget.total", _("Tổng chi hoạt động (đồng)"), total)
        out.total(
            "budget.communication",
            _("Chi cho truyền thông (đồng)"),
            communication,
            of="budget.total",
        )
    out.sections.append(
        section(
            "activities",
            _("Hoạt động truyền thông trực tiếp, hỗ trợ đoàn viên"),
            [
                table(
                    "",
                    [
                        _("Loại hoạt động"),
                        _("Số cuộc"),
                        _("Người tham dự"),
                        _("Người hưởng lợi"),
                        _("Kinh phí (đồng)"),
                    ],
                    kinds,
                )
            ],
        )
    )
    out.sections.append(
        section(
            "training",
            _("Tập huấn, bồi dưỡng cán bộ làm công tác truyền thông"),
            [
                table(
                    "",
                    [_("Khóa"), _("Chủ đề"), _("Số buổi"), _("Lượt học viên"), _("Chứng nhận")],
                    courses,
                )
            ],
        )
    )
    out.sections.append(
        section(
            "press",
            _("Phối hợp với báo chí; gương người tốt việc tốt"),
            [
                table("", [_("Nội dung"), _("Số lượng")], press),
                table(
                    _("Gương người tốt việc tốt, mô hình tiêu biểu"),
                    [_("Tên"), _("Loại"), _("Đơn vị"), _("Tình trạng"), _("Đã chuyển tới")],
                    [
                        [e.title, e.kind_label, e.unit_name, e.status_label, e.forwarded_to]
                        for e in examples
                    ],
                ),
            ],
        )
    )
    pct = round(100 * active / len(presence), 1) if presence else None
    budget_rows: list[list[Cell]] = [
        [_("Đơn vị có Fanpage"), with_page],
        [_("Đơn vị có Fanpage cập nhật thường xuyên"), active],
        [_("Tỉ lệ đơn vị có Fanpage hoạt động (%)"), pct],
        [
            _("Chi cho truyền thông năm %(y)s (đồng)") % {"y": ctx.period.year},
            communication if budgets else None,
        ],
        [
            _("Tổng chi hoạt động năm %(y)s (đồng)") % {"y": ctx.period.year},
            total if budgets else None,
        ],
    ]
    out.sections.append(
        section(
            "presence",
            _("Trang mạng xã hội của công đoàn; kinh phí truyền thông"),
            [table("", [_("Nội dung"), _("Số liệu")], budget_rows)],
        )
    )
    return out
