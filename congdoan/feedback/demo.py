"""Demo concerns for Phú Xuyên: a few hundred across units, topics, channels and statuses.

Texts come from the hand-written data set (`feedback/data/`), plus one wave of near-identical
messages from the workers of May Phú Minh about late wages (a visible cluster and a spike).
Triage runs here in one batch (no worker needed); idempotent: a second run does nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.feedback.models import AnswerTemplate, Channel, Concern, ConcernEvent, Status
from congdoan.feedback.services import _cluster, _signature_of, deadline_for, route
from congdoan.feedback.training import heldout_rows, seed_rows
from congdoan.orgs.models import Unit

MARKER = "demo-"
WAGE_WAVE = [
    "Công ty May Phú Minh chậm trả lương tháng 10, đến nay vẫn chưa có lương",
    "cong ty may phu minh cham tra luong thang 10, den nay van chua co luong",
    "Công ty May Phú Minh chậm trả lương tháng 10, đến nay vẫn chưa có lương!!!",
    "Cty may Phú Minh chậm trả lương tháng 10 đến nay vẫn chưa có lương",
    "công ty may phú minh chậm trả lương tháng 10, đến nay vẫn chưa có lương ạ",
]
OTHER_WAVES = [
    (
        "PX-DIENTU-HANVIET",
        "safety",
        14,
        [
            "Xưởng SMT nóng quá, điều hòa hỏng cả tuần, nhiều chị em bị mệt",
            "xuong SMT nong qua, dieu hoa hong ca tuan, nhieu chi em bi met",
            "Xưởng SMT nóng quá điều hòa hỏng cả tuần nay, nhiều chị em mệt lả",
        ],
    ),
    (
        "PX-GIAY-DAIXUYEN",
        "living",
        9,
        [
            "Xe đưa đón công nhân tuyến Đại Xuyên hay đến muộn, đi làm trễ bị trừ lương",
            "xe dua don cong nhan tuyen dai xuyen hay den muon, di lam tre bi tru luong",
        ],
    ),
]
ANSWERS = {
    "wages": (
        "Công đoàn đã làm việc với Ban Giám đốc; công ty cam kết trả đủ lương trước ngày 15. "
        "Theo quy định, người lao động được trả lương đúng hạn; nếu chậm quá 15 ngày phải đền bù tiền lãi.",
        "Điều 97 Bộ luật Lao động 2019",
    ),
    "hours": (
        "Tổng số giờ làm thêm không quá 40 giờ/tháng và 300 giờ/năm với một số ngành. Công đoàn sẽ kiểm tra "
        "sổ chấm công và đề nghị công ty điều chỉnh.",
        "Điều 107 Bộ luật Lao động 2019",
    ),
    "insurance": (
        "Công đoàn đã đề nghị công ty hoàn thiện hồ sơ và nộp đủ bảo hiểm trong tháng này.",
        "Luật Bảo hiểm xã hội 2024",
    ),
    "safety": (
        "Công đoàn đã kiểm tra hiện trường cùng cán bộ an toàn; công ty lắp thêm quạt và cấp bổ sung bảo hộ.",
        "Luật An toàn, vệ sinh lao động 2015",
    ),
}


def _texts(rng: random.Random) -> list[dict[str, Any]]:
    rows = seed_rows() + heldout_rows()
    rng.shuffle(rows)
    return rows


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


def _answer_templates() -> None:
    """A few Vietnamese answer templates per topic (shared by every unit); idempotent."""
    for topic, title, text, citation in ANSWER_TEMPLATES:
        AnswerTemplate.objects.get_or_create(
            title=title, unit=None, defaults={"topic": topic, "text": text, "citation": citation}
        )


@transaction.atomic
def seed(stdout: Any = None) -> None:
    _answer_templates()
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
    from congdoan.feedback.triage import analyse_many

    rng = random.Random(2026)
    now = timezone.now()
    by_code = {u.code: u for u in grassroots}
    phuminh = by_code.get("PX-MAY-PHUMINH", grassroots[0])
    officer = User.objects.filter(email="vanphong@ldldphuxuyen.vn").first()
    plan: list[tuple[str, Unit | None, Any, str]] = []  # text, union, when, true topic
    for row in _texts(rng):
        unit = rng.choice(grassroots) if rng.random() > 0.05 else None
        plan.append(
            (
                row["text"],
                unit,
                now - timedelta(days=rng.randint(1, 180), minutes=rng.randint(0, 1440)),
                row["topic"],
            )
        )
    for _i in range(42):
        plan.append(
            (
                rng.choice(WAGE_WAVE),
                phuminh,
                now - timedelta(days=rng.randint(0, 12), minutes=rng.randint(0, 1440)),
                "wages",
            )
        )
    for code, topic, count, variants in OTHER_WAVES:
        wave_unit = by_code.get(code)
        for _i in range(count if wave_unit else 0):
            plan.append(
                (
                    rng.choice(variants),
                    wave_unit,
                    now - timedelta(days=rng.randint(0, 25), minutes=rng.randint(0, 1440)),
                    topic,
                )
            )
    plan.sort(key=lambda p: p[2])
    results = analyse_many([p[0] for p in plan])
    channels = (
        [Channel.WEB] * 5
        + [Channel.ZALO] * 3
        + [Channel.SMS, Channel.MEMBER, Channel.OFFICER, Channel.IMPORT, Channel.API]
    )
    created = 0
    for n, ((text, unit, when, true_topic), result) in enumerate(zip(plan, results, strict=True)):
        anonymous = rng.random() < 0.6
        channel = rng.choice(channels)
        concern = Concern(
            unit=unit,
            channel=channel,
            text=text,
            restored_text=result.restored,
            restoration_confidence=result.restoration_confidence,
            restoration_doubts=result.restoration_doubts,
            topic=result.topic,
            topic_confidence=result.topic_confidence,
            urgency=result.urgency,
            urgency_reasons=result.urgency_reasons,
            sentiment=result.sentiment,
            about_union=result.about_union,
            is_anonymous=anonymous,
            contact_phone=f"+8491{rng.randint(1000000, 9999999)}" if rng.random() < 0.5 else "",
            contact_name=""
            if anonymous
            else rng.choice(["Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thu Trang", "Phạm Đức Long"]),
            contact_zalo_id=f"zalo{rng.randint(10**8, 10**9)}" if channel == Channel.ZALO else "",
            external_id=f"{MARKER}{n}",
            created_at=when,
            triaged_at=when + timedelta(minutes=1),
            due_at=deadline_for(result.urgency, when),
            status=Status.TRIAGED,
        )
        concern.assigned_unit, concern.hidden_from_unit = route(concern)
        age = (now - when).days
        if age > 7 and rng.random() < 0.4:
            # An officer confirmed or corrected the topic: these feed `congdoan feedback retrain`.
            concern.topic, concern.topic_corrected = true_topic, True
        roll = rng.random()
        if age > 20 and roll < 0.75:
            answer, citation = ANSWERS.get(
                result.topic,
                (
                    "Công đoàn đã tiếp nhận và làm việc với đơn vị; "
                    "kết quả sẽ được thông báo tại hội nghị người lao động.",
                    "",
                ),
            )
            due = deadline_for(result.urgency, when)
            late = rng.random() < 0.2
            answered_at = (
                due + timedelta(hours=6) if late else when + timedelta(hours=rng.randint(2, 60))
            )
            concern.answered_at = answered_at
            concern.answered_on_time = answered_at <= due
            concern.answer_text, concern.answer_citation, concern.answered_by = (
                answer,
                citation,
                officer,
            )
            concern.status = Status.CLOSED if rng.random() < 0.5 else Status.ANSWERED
            if concern.status == Status.CLOSED:
                concern.closed_at = answered_at + timedelta(days=3)
            if rng.random() < 0.6:
                concern.rating = rng.choices([5, 4, 3, 2, 1], weights=[35, 30, 15, 12, 8])[0]
        elif roll < 0.85:
            concern.status = rng.choice([Status.ASSIGNED, Status.IN_PROGRESS])
        concern.signature = _signature_of(text)
        concern.save()
        ConcernEvent.objects.create(
            concern=concern, kind="submit", to_status=Status.RECEIVED, created_at=when
        )
        _cluster(concern, concern.signature)
        created += 1
    # The demo member (login 0912345678, May Phú Minh) sent a few of them herself.
    member = User.objects.filter(member__unit=phuminh).order_by("id").first()
    if member is not None:
        mine = Concern.objects.filter(unit=phuminh, external_id__startswith=MARKER).order_by(
            "-created_at"
        )[:3]
        Concern.objects.filter(pk__in=[c.pk for c in mine]).update(
            submitted_by=member, channel=Channel.MEMBER
        )
    if stdout:
        stdout.write(
            f"  {created} ý kiến mẫu, {Concern.objects.filter(cluster__isnull=False).values('cluster').distinct().count()} nhóm trùng lặp"
        )
