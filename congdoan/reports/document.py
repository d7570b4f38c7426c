"""The content of an exported report, in the Vietnamese administrative format (Quyết định
933/QĐ-TLĐ on the form of union documents, after Nghị định 30/2020/NĐ-CP), shared by the
DOCX, PDF and XLSX exports so the three say the same thing:

- header: the parent body and the issuing unit in capitals (top left) with "Số: …/BC-…";
  the national motto (top right) and the place and date line in italics;
- "BÁO CÁO" and the summary (trích yếu), centred;
- the body: I. results (the narrative, then each section of figures with its tables),
  II. limitations and causes, III. tasks for the next period, IV. proposals; a consolidated
  report adds the state of its units' reports and the summed figures;
- "Nơi nhận:" (recipients, ending "- Lưu: VP.") and the signature block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congdoan.core.vndate import vn_number, vn_short_date
from congdoan.orgs.models import Appointment, Unit, UnitKind
from congdoan.orgs.scoping import in_force_q
from congdoan.plan.periods import Period
from congdoan.reports.consolidation import Consolidated
from congdoan.reports.models import Report, ReportStatus

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]  # as the report writes them ("1.234", "chưa có số liệu")
    values: list[list[Any]] = field(default_factory=list)  # the same cells as numbers, for XLSX


@dataclass
class Part:
    heading: str  # "I. KẾT QUẢ ĐẠT ĐƯỢC"
    paragraphs: list[str] = field(default_factory=list)
    items: list[tuple[str, str, list[Table]]] = field(default_factory=list)  # "1. …", note, tables


@dataclass
class ReportDocument:
    parent_body: str
    issuer: str
    number_line: str
    place_date: str
    type_name: str
    summary: str
    parts: list[Part]
    recipients: list[str]
    authority: str
    position: str
    signer: str
    draft_note: str = ""
    unit_code: str = ""
    period_code: str = ""
    totals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def filename_stem(self) -> str:
        return f"bao-cao-{self.unit_code.lower()}-{self.period_code.lower()}"


def cell(value: Any) -> str:
    """A figure as the report writes it: 1.234 · 12,5 · "chưa có số liệu" (never 0 for none)."""
    if value is None:
        return _("chưa có số liệu")
    if isinstance(value, bool):
        return _("Đạt") if value else _("Chưa đạt")
    if isinstance(value, int | float):
        return vn_number(value)
    return str(value)


def date_line(day: date) -> str:
    """ "Phú Xuyên, ngày 10 tháng 7 năm 2026" (the administrative date line)."""
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": settings.REPORTS_PLACE,
        "d": f"{day.day:02d}" if day.day < 10 else day.day,
        "m": f"{day.month:02d}" if day.month < 3 else day.month,
        "y": day.year,
    }


def _abbreviation(unit: Unit) -> str:
    if unit.kind == UnitKind.FEDERATION or unit.name.upper().startswith(("LĐLĐ", "LIÊN ĐOÀN")):
        return "LĐLĐ"
    if unit.level.is_grassroots:
        return "CĐCS"
    return (unit.short_name or "CĐ").upper()


def _signature(unit: Unit, day: date) -> tuple[str, str, str]:
    leader = (
        Appointment.objects.filter(unit=unit, position__is_leader=True)
        .filter(in_force_q(day))
        .select_related("position")
        .order_by("position__rank", "started_on")
        .first()
    )
    authority = _("TM. BAN THƯỜNG VỤ") if not unit.level.is_grassroots else _("TM. BAN CHẤP HÀNH")
    if leader is None:
        return authority, _("CHỦ TỊCH"), ""
    return authority, leader.position.name.upper(), leader.full_name


def _tables(raw: list[dict[str, Any]]) -> list[Table]:
    out = []
    for t in raw:
        columns = [str(c) for c in t.get("columns", [])]
        values = [list(row) for row in t.get("rows", [])]
        rows = [[cell(v) for v in row] for row in values]
        if not rows:
            rows = [[_("chưa có số liệu")] + [""] * (len(columns) - 1)]
            values = [list(r) for r in rows]
        out.append(Table(t.get("caption", ""), columns, rows, values))
    return out


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


@translation.override(settings.LANGUAGE_CODE)  # the administrative format is Vietnamese
def build_document(
    *,
    unit: Unit,
    period: Period,
    report: Report | None,
    snapshot: dict[str, Any],
    consolidated: Consolidated | None = None,
    today: date | None = None,
) -> ReportDocument:
    """The document of `unit`'s report of `period`, with `snapshot`'s figures (the frozen ones
    of a submitted report, or live ones for a draft)."""
    day = today or (
        timezone.localdate(report.submitted_at)
        if report is not None and report.submitted_at is not None
        else timezone.localdate()
    )
    parent = unit.parent
    empty = _("(chưa viết)")
    results = Part(_("I. KẾT QUẢ THỰC HIỆN"), _paragraphs(report.results if report else ""))
    for i, sec in enumerate(snapshot.get("sections", []), start=1):
        results.items.append((f"{i}. {sec['title']}", sec.get("note", ""), _tables(sec["tables"])))
    parts = [results]
    if consolidated is not None:
        parts.append(_consolidated_part(consolidated))
    for title, text in (
        (_("HẠN CHẾ, NGUYÊN NHÂN"), report.limitations if report else ""),
        (_("PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"), report.next_tasks if report else ""),
        (_("ĐỀ XUẤT, KIẾN NGHỊ"), report.proposals if report else ""),
    ):
        parts.append(Part(f"{ROMAN[len(parts)]}. {title}", _paragraphs(text) or [empty]))
    authority, position, signer = _signature(unit, day)
    recipients = []
    if parent is not None:
        recipients.append(_("%(parent)s (qua Văn phòng);") % {"parent": parent.name})
    recipients += [_("Ban Chấp hành;"), _("Lưu: VP.")]
    number = report.number if report and report.number else "\u00a0" * 6
    frozen = report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    return ReportDocument(
        parent_body=parent.name.upper() if parent else "",
        issuer=unit.name.upper(),
        number_line=_("Số: %(n)s/BC-%(abbr)s") % {"n": number, "abbr": _abbreviation(unit)},
        place_date=date_line(day),
        type_name=_("BÁO CÁO"),
        summary=_("Kết quả công tác truyền thông %(period)s") % {"period": period.label()},
        parts=parts,
        recipients=recipients,
        authority=authority,
        position=position,
        signer=signer,
        draft_note=""
        if frozen
        else _("BẢN NHÁP — số liệu tính đến ngày %(day)s, chưa nộp") % {"day": vn_short_date(day)},
        unit_code=unit.code,
        period_code=period.code,
        totals=[
            {"key": k, "label": v["label"], "value": v.get("value")}
            for k, v in snapshot.get("totals", {}).items()
        ],
    )


def _consolidated_part(c: Consolidated) -> Part:
    status_rows = []
    for i, child in enumerate(c.children, start=1):
        r = child.report
        status_rows.append(
            [
                str(i),
                child.unit.name,
                str(ReportStatus(r.status).label) if r else _("Chưa lập báo cáo"),
                vn_short_date(r.submitted_at) if r and r.submitted_at else "",
            ]
        )
    summed = [
        [row["label"], cell(row["value"]), cell(row["share"]) if row["share"] is not None else ""]
        for row in c.rows()
    ]
    part = Part(
        _("II. TỔNG HỢP BÁO CÁO CỦA CÁC ĐƠN VỊ TRỰC THUỘC"),
        [
            _(
                "%(n)s/%(all)s đơn vị đã nộp báo cáo; số liệu dưới đây là tổng số liệu của các "
                "báo cáo đã nộp."
            )
            % {"n": len(c.counted), "all": len(c.children)}
        ],
    )
    part.items.append(
        (
            _("1. Tình hình nộp báo cáo"),
            "",
            [
                Table(
                    "",
                    [_("STT"), _("Đơn vị"), _("Trạng thái"), _("Ngày nộp")],
                    status_rows,
                )
            ],
        )
    )
    part.items.append(
        (
            _("2. Tổng hợp số liệu"),
            "",
            [
                Table(
                    "",
                    [_("Nội dung"), _("Số liệu"), _("Tỉ lệ (%)")],
                    summed,
                    [
                        [r["label"], r["value"], "" if r["share"] is None else r["share"]]
                        for r in c.rows()
                    ],
                )
            ],
        )
    )
    return part
