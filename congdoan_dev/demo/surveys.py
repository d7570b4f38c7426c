"""Demo of the surveys (issue 17): LĐLĐ huyện Phú Xuyên's survey of members' information
needs, from the template, opened 20 days ago for 30 days, answered by about a third of the
members of each grassroots union (scaled down alike past 600 answers), on days spread over those 20 days,
with channels that differ between factories and schools and a few dozen free-text
suggestions, so the results page has a rate per unit, every chart and topic groups.

Idempotent: nothing is added when Phú Xuyên already has a survey from the template.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.orgs.models import Member, Unit
from congdoan.surveys.models import Kind, Question, Role, Survey
from congdoan.surveys.services.responses import new_submission_key, response_submit
from congdoan.surveys.services.surveys import survey_open
from congdoan.surveys.services.templates import INFO_NEEDS, survey_from_template

OFFICE_LOGIN = "vanphong@ldldphuxuyen.vn"
SHARE = 0.35
MAX_RESPONSES = 600

SUGGESTIONS = [
    "Muốn biết thêm về bảo hiểm xã hội một lần",
    "bao hiem xa hoi khi nghi viec thi sao",
    "Thông tin về bảo hiểm thất nghiệp, cách làm hồ sơ",
    "Cách tính lương làm thêm giờ ngày lễ",
    "lương tối thiểu vùng năm nay là bao nhiêu",
    "Tiền lương tháng 13 có bắt buộc không",
    "Nhà ở xã hội cho công nhân, điều kiện mua",
    "Thông tin nhà ở xã hội và nhà trọ giá rẻ",
    "Gửi tin qua Zalo thì tiện hơn, em ít vào website",
    "Nên gửi qua nhóm Zalo của tổ, đọc giờ nghỉ trưa",
    "Zalo nhanh nhất",
    "Video ngắn dễ xem hơn bài dài",
    "Làm video ngắn về an toàn lao động",
    "An toàn lao động khi làm ca đêm",
    "Chế độ thai sản cho lao động nữ",
    "Thai sản: nghỉ bao lâu, được bao nhiêu tiền",
    "Học nghề, nâng bậc thợ",
    "Loa phát thanh giờ ăn trưa nghe không rõ",
    "Bảng tin ở nhà ăn ít người xem",
    "Mong Công đoàn tổ chức thêm giải bóng đá",
    "Hoạt động thể thao cuối tuần cho công nhân",
    "Hỗ trợ khi ốm đau, tai nạn",
]
FACTORY_CHANNELS = {"zalo": 0.8, "facebook": 0.55, "youtube": 0.35, "bang_tin": 0.4, "loa": 0.5}
OFFICE_CHANNELS = {"website": 0.5, "zalo": 0.7, "facebook": 0.45, "ban_tin": 0.4, "hop": 0.5}


def _say(stdout: Any, line: str) -> None:
    if stdout is not None:
        stdout.write(line)


def seed(stdout: Any = None) -> None:
    px = Unit.objects.filter(code="PX").first()
    if px is None:
        return
    if Survey.objects.filter(unit=px, template=INFO_NEEDS).exists():
        _say(stdout, "  (đã có khảo sát nhu cầu thông tin của Phú Xuyên — bỏ qua)")
        return
    with transaction.atomic():
        survey, answered = _seed(px)
    _say(stdout, f"  Khảo sát “{survey.title}”: {answered} đoàn viên đã trả lời.")


def _seed(px: Unit) -> tuple[Survey, int]:
    rng = random.Random(2017)
    now = timezone.now()
    actor = User.objects.filter(email=OFFICE_LOGIN).first()
    survey = survey_from_template(actor=actor, unit=px, opens_at=now - timedelta(days=20))
    survey_open(actor=actor, survey=survey)
    questions = list(survey.questions.prefetch_related("choices"))
    units = list(
        Unit.objects.filter(path__startswith=px.path, is_active=True, level__is_grassroots=True)
        .select_related("level")
        .order_by("path")
    )
    # A share of each union's members, the same scale for all when the total passes the cap.
    drawn: list[tuple[Unit, list[Member], bool]] = []
    for unit in units:
        members = list(Member.objects.filter(unit=unit, left_on=None).select_related("unit"))
        rng.shuffle(members)
        share = rng.uniform(0.15, SHARE * 1.6)
        factory = not unit.code.startswith(("PX-TH", "PX-MN", "PX-UBND", "PX-KBNN", "PX-TTYT"))
        drawn.append((unit, members[: round(len(members) * share)], factory))
    total = sum(len(members) for _unit, members, _factory in drawn)
    scale = min(1.0, MAX_RESPONSES / total) if total else 1.0
    answered = 0
    for _unit, members, factory in drawn:
        for member in members[: max(1, round(len(members) * scale))] if members else []:
            when = now - timedelta(days=rng.uniform(0, 19.5))
            response_submit(
                survey=survey,
                submission_key=new_submission_key(survey),
                values=_answers(rng, questions, factory),
                member=member,
                now=when,
            )
            answered += 1
    return survey, answered


def _answers(rng: random.Random, questions: list[Question], factory: bool) -> dict[int, Any]:
    weights = FACTORY_CHANNELS if factory else OFFICE_CHANNELS
    values: dict[int, Any] = {}
    for q in questions:
        choices = list(q.choices.all())
        options = [c for c in choices if c.role == Role.OPTION]
        if q.kind == Kind.MATRIX:
            rows = [c for c in choices if c.role == Role.ROW]
            cols = [c for c in choices if c.role == Role.COLUMN]
            hot = {"luong", "bao_hiem", "phap_luat"} | ({"an_toan"} if factory else {"ky_nang"})
            values[q.pk] = {
                row.pk: cols[
                    min(4, max(0, round(rng.gauss(3.4 if row.value in hot else 2.3, 0.9))))
                ].pk
                for row in rows
            }
        elif q.kind == Kind.MULTIPLE and q.name == "kenh":
            picked = [c.pk for c in options if rng.random() < weights.get(c.value, 0.12)]
            values[q.pk] = picked or [options[1].pk]
        elif q.kind == Kind.MULTIPLE:
            times = [0.25, 0.55, 0.45, 0.5, 0.3] if factory else [0.2, 0.35, 0.3, 0.65, 0.4]
            picked = [c.pk for c, p in zip(options, times, strict=False) if rng.random() < p]
            values[q.pk] = picked or [options[3].pk]
        elif q.kind == Kind.SINGLE:
            pool = [c for c in options if c.value in weights] or options
            values[q.pk] = [rng.choice(pool).pk]
        elif q.kind == Kind.SCALE:
            values[q.pk] = min(5, max(1, round(rng.gauss(3.6, 0.9))))
        elif q.kind == Kind.TEXT and rng.random() < 0.3:
            values[q.pk] = rng.choice(SUGGESTIONS)
    return values
