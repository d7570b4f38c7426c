"""Demo concerns for Phú Xuyên: about a hundred, as a district's inbox really looks.

Each one is written out in `congdoan_dev/demo/data/demo_concerns.jsonl` (text, union, topic, how many
days ago, status, and for answered ones the answer an officer gave): wages, overtime, safety,
canteen food, social insurance, leave, contracts, harassment, transport, housing, childcare,
the Tết bonus… across most grassroots unions, some typed without diacritics, most anonymous,
a few overdue, one reopened, and two small groups of similar messages (late wages at May Phú
Minh, the late shuttle bus at Giày Đại Xuyên). Triage runs here in one batch (no worker
needed); idempotent: a second run does nothing.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.feedback.models import AnswerTemplate, Channel, Concern, ConcernEvent, Status
from congdoan.feedback.services.routing import deadline_for, route
from congdoan.feedback.triage import analyse_many
from congdoan.feedback.triage.clustering import cluster_one, signature_of
from congdoan.orgs.models import Appointment, Unit

MARKER = "demo-"
DATA = Path(__file__).resolve().parent / "data" / "demo_concerns.jsonl"
OFFICE_LOGIN = "vanphong@ldldphuxuyen.vn"
OPEN = {
    "new": Status.TRIAGED,
    "assigned": Status.ASSIGNED,
    "in_progress": Status.IN_PROGRESS,
    "overdue": Status.IN_PROGRESS,
}
CHANNELS = {c.value for c in Channel}


def _rows() -> list[dict[str, Any]]:
    with DATA.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _sent_at(row: dict[str, Any], urgency: str, now: Any, rng: random.Random) -> Any:
    """When the worker sent it: `days_ago` at a plausible hour (6:00-22:00); a concern still
    open and not meant to be overdue is brought within its deadline (triage decides urgency)."""
    when = timezone.localtime(now - timedelta(days=row["days_ago"])).replace(
        hour=rng.randint(6, 21), minute=rng.randint(0, 59)
    )
    when = min(when, now - timedelta(minutes=rng.randint(20, 300)))
    if row["status"] in OPEN and row["status"] != "overdue" and deadline_for(urgency, when) < now:
        window = deadline_for(urgency, now) - now
        when = now - window * rng.uniform(0.15, 0.7)
    return when


def _officers() -> dict[str, Any]:
    """The officer who answers for each unit in the demo: its own chairman when one has a
    login, else the district Office."""
    office = User.objects.filter(email=OFFICE_LOGIN).first()
    by_unit: dict[str, Any] = {}
    for appt in Appointment.objects.filter(user__isnull=False, manages=True).select_related(
        "unit", "user"
    ):
        by_unit.setdefault(appt.unit.code, appt.user)
    by_unit.setdefault("", office)
    return {**by_unit, "*": office}


ANSWER_TEMPLATES = [
    # (topic, title, text, citation)
    (
        "",
        "Đã tiếp nhận, đang làm việc với doanh nghiệp",
        "Công đoàn đã nhận được ý kiến của bạn và đang làm việc với người sử dụng lao động để "
        "làm rõ. Chúng tôi sẽ trả lời bạn kết quả trước ngày …. Nếu có thêm thông tin, bạn có thể "
        "gửi tiếp bằng mã tra cứu này.",
        "",
    ),
    (
        "wages",
        "Chậm trả lương",
        "Theo quy định, người sử dụng lao động phải trả lương đầy đủ, đúng hạn; nếu trả chậm từ "
        "15 ngày trở lên thì phải đền bù cho người lao động một khoản tiền ít nhất bằng tiền lãi "
        "của số tiền trả chậm. Công đoàn đã làm việc với công ty: công ty cam kết trả lương tháng "
        "… trước ngày …. Nếu đến hạn vẫn chưa nhận được, xin báo lại để công đoàn tiếp tục "
        "can thiệp.",
        "Điều 94 và Điều 97 Bộ luật Lao động 2019",
    ),
    (
        "hours",
        "Làm thêm giờ",
        "Làm thêm giờ phải được người lao động đồng ý và không quá 40 giờ trong một tháng; tiền "
        "lương làm thêm vào ngày thường ít nhất bằng 150 %, ngày nghỉ hằng tuần ít nhất 200 %, "
        "ngày lễ, Tết ít nhất 300 % tiền lương giờ làm việc bình thường. Công đoàn sẽ kiểm tra "
        "bảng chấm công của bộ phận bạn và trả lời kết quả.",
        "Điều 98 và Điều 107 Bộ luật Lao động 2019",
    ),
    (
        "insurance",
        "Công ty chưa đóng bảo hiểm xã hội",
        "Người sử dụng lao động có trách nhiệm đóng bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất "
        "nghiệp đầy đủ cho người lao động có hợp đồng lao động từ đủ 1 tháng trở lên. Bạn có thể "
        "tra cứu quá trình đóng trên ứng dụng VssID. Công đoàn đã đề nghị công ty đối chiếu và "
        "đóng bù số tháng còn thiếu.",
        "Luật Bảo hiểm xã hội năm 2024",
    ),
    (
        "safety",
        "Điều kiện làm việc chưa bảo đảm an toàn",
        "Công đoàn đã báo với người sử dụng lao động và đề nghị khắc phục ngay (sửa chữa thiết "
        "bị, bảo đảm nhiệt độ, trang bị bảo hộ). Người lao động có quyền từ chối làm công việc khi "
        "thấy rõ có nguy cơ gây tai nạn lao động và phải báo ngay cho người phụ trách.",
        "Luật An toàn, vệ sinh lao động năm 2015",
    ),
    (
        "contract",
        "Kỷ luật, sa thải",
        "Việc xử lý kỷ luật lao động phải có họp xử lý với sự tham gia của tổ chức đại diện người "
        "lao động, người lao động được tự bào chữa hoặc nhờ người bào chữa, và chỉ sa thải trong "
        "các trường hợp luật quy định. Công đoàn cơ sở sẽ tham gia và bảo vệ quyền lợi của bạn; "
        "xin liên hệ Chủ tịch công đoàn để được hướng dẫn.",
        "Điều 122 và Điều 125 Bộ luật Lao động 2019",
    ),
]


def seed_answer_templates() -> None:
    """A few Vietnamese answer templates per topic (shared by every unit); idempotent."""
    for topic, title, text, citation in ANSWER_TEMPLATES:
        AnswerTemplate.objects.get_or_create(
            title=title, unit=None, defaults={"topic": topic, "text": text, "citation": citation}
        )


@transaction.atomic
def seed(stdout: Any = None) -> None:
    seed_answer_templates()
    if Concern.objects.filter(external_id__startswith=MARKER).exists():
        if stdout:
            stdout.write("  (đã có ý kiến mẫu — bỏ qua)")
        return
    grassroots = list(
        Unit.objects.filter(code__startswith="PX-", is_active=True).select_related(
            "level", "parent"
        )
    )
    if not grassroots:
        if stdout:
            stdout.write("  (chưa có cây tổ chức Phú Xuyên — bỏ qua)")
        return

    rng = random.Random(2026)
    now = timezone.now()
    by_code = {u.code: u for u in grassroots}
    officers = _officers()
    rows = [r for r in _rows() if not r["unit"] or r["unit"] in by_code]
    analysed = analyse_many([r["text"] for r in rows])
    whens = [
        _sent_at(row, result.urgency, now, rng) for row, result in zip(rows, analysed, strict=True)
    ]
    created = 0
    for n, i in enumerate(sorted(range(len(rows)), key=lambda i: whens[i])):
        row, when, result = rows[i], whens[i], analysed[i]
        unit = by_code.get(row["unit"])
        channel = row["channel"] if row["channel"] in CHANNELS else Channel.WEB
        due = deadline_for(result.urgency, when)
        concern = Concern(
            unit=unit,
            channel=channel,
            text=row["text"],
            restored_text=result.restored,
            restoration_confidence=result.restoration_confidence,
            restoration_doubts=result.restoration_doubts,
            topic=result.topic,
            topic_confidence=result.topic_confidence,
            urgency=result.urgency,
            urgency_reasons=result.urgency_reasons,
            sentiment=result.sentiment,
            about_union=result.about_union,
            is_anonymous=row["anonymous"],
            contact_name="" if row["anonymous"] else row["name"],
            contact_phone=""
            if row["anonymous"] and rng.random() < 0.7
            else f"+849{rng.choice('1468')}{rng.randint(1000000, 9999999)}",
            contact_zalo_id=f"zalo{rng.randint(10**8, 10**9)}" if channel == Channel.ZALO else "",
            external_id=f"{MARKER}{n}",
            created_at=when,
            triaged_at=when + timedelta(minutes=1),
            due_at=due,
            status=Status.TRIAGED,
        )
        concern.assigned_unit, concern.hidden_from_unit = route(concern)
        officer = officers.get(getattr(concern.assigned_unit, "code", ""), officers["*"])
        if row["days_ago"] > 7 and row["topic"] and (row["status"] != "new"):
            # An officer confirmed or corrected the topic: these feed `congdoan feedback retrain`.
            concern.topic, concern.topic_corrected = row["topic"], True
        events: list[tuple[str, str, Any, Any]] = []  # kind, to status, when, actor
        status = row["status"]
        if status in OPEN:
            concern.status = OPEN[status]
            if status == "overdue":
                # Past its deadline and still open: the Office sees it among the overdue.
                concern.due_at = min(due, now - timedelta(days=rng.randint(1, 3)))
            if status != "new":
                concern.assignee = officer
                events.append(("assign", Status.ASSIGNED, when + timedelta(hours=2), officer))
            if concern.status == Status.IN_PROGRESS:
                events.append(("start", Status.IN_PROGRESS, when + timedelta(hours=5), officer))
        else:
            late = rng.random() < 0.15
            answered_at = (
                due + timedelta(hours=rng.randint(2, 30))
                if late
                else when
                + timedelta(
                    hours=rng.randint(3, max(4, int((due - when).total_seconds() // 3600) - 1))
                )
            )
            answered_at = min(answered_at, now - timedelta(hours=1))
            concern.assignee = officer
            concern.answer_text, concern.answer_citation = row["answer"], row["citation"]
            concern.answered_by, concern.answered_at = officer, answered_at
            concern.answered_on_time = answered_at <= due
            concern.status = Status.ANSWERED
            events += [
                ("start", Status.IN_PROGRESS, when + timedelta(hours=2), officer),
                ("answer", Status.ANSWERED, answered_at, officer),
            ]
            if row["rating"]:
                concern.rating = row["rating"]
            if status == "closed":
                concern.status, concern.closed_at = Status.CLOSED, answered_at + timedelta(days=3)
                events.append(("close", Status.CLOSED, concern.closed_at, officer))
            elif status == "reopened":
                reopened_at = max(
                    answered_at + timedelta(hours=6), now - timedelta(days=rng.randint(1, 3))
                )
                concern.status, concern.reopen_count = Status.REOPENED, 1
                concern.due_at = deadline_for(result.urgency, reopened_at)
                events.append(("reopen", Status.REOPENED, reopened_at, None))
        concern.signature = signature_of(row["text"])
        concern.save()
        ConcernEvent.objects.create(
            concern=concern, kind="submit", to_status=Status.RECEIVED, created_at=when
        )
        for kind, to_status, at, actor in events:
            ConcernEvent.objects.create(
                concern=concern,
                kind=kind,
                to_status=to_status,
                actor=actor,
                created_at=min(at, now),
            )
        cluster_one(concern, concern.signature)
        created += 1
    # The demo member (login 0912345678, May Phú Minh) sent a few of them herself.
    phuminh = by_code.get("PX-MAY-PHUMINH")
    member = User.objects.filter(member__unit=phuminh).order_by("id").first() if phuminh else None
    if member is not None:
        mine = Concern.objects.filter(
            unit=phuminh, external_id__startswith=MARKER, is_anonymous=False
        ).order_by("-created_at")[:3]
        Concern.objects.filter(pk__in=[c.pk for c in mine]).update(
            submitted_by=member, channel=Channel.MEMBER
        )
    if stdout:
        groups = Concern.objects.filter(cluster__isnull=False).values("cluster").distinct().count()
        stdout.write(f"  {created} ý kiến mẫu, {groups} nhóm trùng lặp")
