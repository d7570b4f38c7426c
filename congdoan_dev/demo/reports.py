"""Demo data of the periodic reports of LĐLĐ huyện Phú Xuyên: the 2025 annual and the 2026
first-half reports of several grassroots unions, submitted through the same services an
officer uses (so their figures are frozen from the demo's data) and accepted or returned by the
district's Office; the district's own 2025 report, which consolidates them; a 2026H2 draft.
Dated in the past (submission and review days are set after the service has run).

Idempotent: a unit's report of a period that exists is left as it is.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.orgs.models import Unit
from congdoan.plan.periods import parse_period
from congdoan.reports import services
from congdoan.reports.models import Report

OFFICE = "vanphong@ldldphuxuyen.vn"
ADMIN = "admin@congdoan.vn"
UNIT_LOGINS = {
    "PX-MAY-PHUMINH": "cdcs.mayphuminh@gmail.com",
    "PX-DIENTU-HANVIET": "cdcs.hanviet@gmail.com",
}

RESULTS = {
    "PX-MAY-PHUMINH": (
        "Ban Chấp hành phối hợp với Ban Giám đốc tổ chức hội nghị người lao động và 2 buổi "
        "đối thoại định kỳ; tuyên truyền Bộ luật Lao động, chính sách bảo hiểm xã hội qua "
        "bảng tin tại xưởng và nhóm Zalo của các tổ sản xuất."
    ),
    "PX-DIENTU-HANVIET": (
        "Tổ chức tập huấn an toàn, vệ sinh lao động cho 120 công nhân mới; đăng tin hoạt động "
        "lên Fanpage công đoàn công ty hằng tuần; tiếp nhận và trả lời ý kiến về ca kíp, "
        "tiền ăn giữa ca."
    ),
}
DEFAULT_RESULTS = (
    "Công đoàn cơ sở phổ biến kịp thời các văn bản của cấp trên đến đoàn viên, tổ chức sinh "
    "hoạt chuyên đề và cập nhật tin hoạt động lên trang của đơn vị."
)
LIMITATIONS = (
    "Fanpage của công đoàn cập nhật chưa đều; một số tổ công đoàn chưa ghi đủ danh sách người "
    "tham dự các buổi sinh hoạt. Nguyên nhân: cán bộ công đoàn kiêm nhiệm, thời gian hạn chế."
)
# Hàn Việt posts weekly (its results say so): its shortcomings are elsewhere.
OWN_LIMITATIONS = {
    "PX-DIENTU-HANVIET": (
        "Nhiều công nhân mới chưa tham gia nhóm Zalo của tổ sản xuất; danh sách người tham dự "
        "các buổi đối thoại chưa được ghi đủ. Nguyên nhân: công nhân làm theo ca, biến động "
        "lao động lớn."
    ),
}
NEXT_TASKS = (
    "Duy trì đối thoại định kỳ; đăng tin ít nhất 2 lần mỗi tuần; cử cán bộ dự lớp tập huấn kỹ "
    "năng truyền thông của LĐLĐ huyện."
)
PROPOSALS = "Đề nghị LĐLĐ huyện hỗ trợ tài liệu tuyên truyền dạng infographic về chính sách mới."

# The district reports as the district: what it directed and what its units lack, its
# proposals to the city federation (the grassroots wording above asked "LĐLĐ huyện" for help
# in LĐLĐ huyện's own report).
UPPER_FIELDS = {
    "results": (
        "LĐLĐ huyện ban hành văn bản định hướng thông tin, tổ chức hội nghị báo cáo viên, "
        "tuyên truyền viên; chỉ đạo các công đoàn cơ sở tổ chức hội nghị, đối thoại tại nơi làm "
        "việc; duy trì Fanpage, Trang thông tin điện tử và Zalo OA của Liên đoàn."
    ),
    "limitations": (
        "Một số công đoàn cơ sở chưa duy trì Fanpage thường xuyên, chưa nhập đủ danh sách người "
        "tham dự; tỷ lệ sản phẩm truyền thông trên nền tảng số chưa đạt chỉ tiêu. Nguyên nhân: "
        "cán bộ công đoàn cơ sở kiêm nhiệm, còn thiếu kỹ năng truyền thông số."
    ),
    "next_tasks": (
        "Mở lớp tập huấn kỹ năng truyền thông số cho cán bộ công đoàn cơ sở; theo dõi hằng "
        "tháng các đơn vị chưa đạt chỉ tiêu; tăng sản phẩm truyền thông trên nền tảng số."
    ),
    "proposals": (
        "Đề nghị LĐLĐ Thành phố hỗ trợ phần mềm theo dõi thông tin trên mạng và tài liệu "
        "tuyên truyền dạng infographic."
    ),
}

# (period, unit code, outcome: accepted | returned | submitted | draft, submitted on, reviewed on)
PLAN: list[tuple[str, str, str, datetime, datetime | None]] = [
    ("2025", "PX-MAY-PHUMINH", "accepted", datetime(2026, 1, 8, 9), datetime(2026, 1, 12, 15)),
    ("2025", "PX-DIENTU-HANVIET", "accepted", datetime(2026, 1, 9, 10), datetime(2026, 1, 12, 15)),
    ("2025", "PX-BVDK", "accepted", datetime(2026, 1, 10, 14), datetime(2026, 1, 13, 9)),
    ("2025", "PX-UBND", "accepted", datetime(2026, 1, 6, 8), datetime(2026, 1, 7, 10)),
    ("2025", "PX-CAPNUOC-TT", "accepted", datetime(2026, 1, 14, 16), datetime(2026, 1, 15, 8)),
    ("2025", "PX-TTYT", "submitted", datetime(2026, 1, 15, 11), None),
    ("2025", "PX", "submitted", datetime(2026, 1, 20, 9), None),
    ("2026H1", "PX-MAY-PHUMINH", "accepted", datetime(2026, 7, 6, 9), datetime(2026, 7, 9, 14)),
    ("2026H1", "PX-DIENTU-HANVIET", "returned", datetime(2026, 7, 7, 10), datetime(2026, 7, 9, 15)),
    ("2026H1", "PX-BVDK", "accepted", datetime(2026, 7, 8, 8), datetime(2026, 7, 10, 9)),
    ("2026H2", "PX-MAY-PHUMINH", "draft", datetime(2026, 11, 30, 9), None),
]


# The other grassroots unions report too, as a district's do: most on time and accepted, a
# few late, one 2025 report still waiting for the Office, three unions that have not sent their
# 2026 first-half report (so the list and the consolidated report name them).
MISSING_2026H1 = 3


def _everyone_else(rng: random.Random) -> list[tuple[str, str, str, datetime, datetime | None]]:
    named = {(code, unit) for code, unit, *_rest in PLAN}
    units = list(
        Unit.objects.filter(parent__code="PX", is_active=True, level__is_grassroots=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    missing = set(rng.sample(units, min(MISSING_2026H1, len(units))))
    rows: list[tuple[str, str, str, datetime, datetime | None]] = []
    for i, unit in enumerate(units):
        for code, year, month in (("2025", 2026, 1), ("2026H1", 2026, 7)):
            if (code, unit) in named or (code == "2026H1" and unit in missing):
                continue
            late = rng.random() < 0.15
            day = rng.randint(11, 22) if late else rng.randint(2, 10)
            submitted = datetime(year, month, day, rng.randint(8, 16), rng.choice((0, 15, 30, 45)))
            waiting = code == "2025" and i == len(units) // 2
            reviewed = None if waiting else submitted.replace(day=min(day + rng.randint(1, 4), 28))
            rows.append((code, unit, "submitted" if waiting else "accepted", submitted, reviewed))
    return rows


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _aware(day: datetime) -> datetime:
    return timezone.make_aware(day, timezone.get_current_timezone())


@transaction.atomic
def seed(stdout: Any = None) -> None:
    office, admin = _user(OFFICE), _user(ADMIN)
    if admin is None:
        return  # the orgs demo has not run
    made = 0
    # The units first: the district's own report consolidates what they sent.
    for code, unit_code, outcome, submitted_on, reviewed_on in (
        _everyone_else(random.Random(2026)) + PLAN
    ):
        unit = Unit.objects.filter(code=unit_code).first()
        period = parse_period(code)
        if unit is None or Report.objects.filter(unit=unit, period_code=code).exists():
            continue
        author = _user(UNIT_LOGINS.get(unit_code, "")) or (office if unit_code == "PX" else admin)
        fields = {
            "results": RESULTS.get(unit_code, DEFAULT_RESULTS),
            "limitations": OWN_LIMITATIONS.get(unit_code, LIMITATIONS),
            "next_tasks": NEXT_TASKS,
            "proposals": PROPOSALS,
        }
        if not unit.level.is_grassroots:
            fields = dict(UPPER_FIELDS)
        if outcome == "draft":
            services.report_save(actor=author, unit=unit, period=period, fields=fields)
            made += 1
            continue
        fields["number"] = f"{len(unit_code) + made:02d}"
        report = services.report_submit(actor=author, unit=unit, period=period, fields=fields)
        reviewer = admin if unit_code == "PX" else (office or admin)
        if outcome == "accepted":
            services.report_accept(actor=reviewer, report=report)
        elif outcome == "returned":
            services.report_return(
                actor=reviewer,
                report=report,
                reason="Bổ sung số người tham dự các buổi đối thoại tháng 5 và tháng 6.",
            )
        Report.objects.filter(pk=report.pk).update(
            submitted_at=_aware(submitted_on),
            snapshot_at=_aware(submitted_on),
            reviewed_at=_aware(reviewed_on) if reviewed_on else None,
            created_at=_aware(submitted_on),
            updated_at=_aware(reviewed_on or submitted_on),
        )
        made += 1
    if stdout is not None:
        stdout.write(f"  báo cáo định kỳ: {made} báo cáo mới")
