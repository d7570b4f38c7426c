"""Ready-made surveys an officer starts in one click. The plan's standing one: the survey of
members' information needs (which content, which channels, which times of day), run
periodically; its questions keep the same names from one run to the next so that runs
compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.orgs.models import Unit
from congdoan.surveys.models import Audience, Kind, Source, Survey
from congdoan.surveys.services.surveys import QuestionSpec, survey_create

INFO_NEEDS = "nhu-cau-thong-tin"


def _info_needs_questions() -> list[QuestionSpec]:
    agree = [
        ("1", _("Rất ít quan tâm")),
        ("2", _("Ít quan tâm")),
        ("3", _("Bình thường")),
        ("4", _("Quan tâm")),
        ("5", _("Rất quan tâm")),
    ]
    content = _("Nội dung bạn quan tâm")
    channels = _("Kênh nhận thông tin")
    times = _("Thời gian và hình thức")
    return [
        QuestionSpec(
            kind=Kind.MATRIX,
            name="noi_dung",
            section=content,
            text=_("Bạn quan tâm đến những nội dung sau ở mức nào?"),
            required=True,
            rows=[
                ("luong", _("Tiền lương, thưởng, thu nhập")),
                ("hop_dong", _("Hợp đồng lao động, kỷ luật, thôi việc")),
                ("gio_lam", _("Thời giờ làm việc, nghỉ ngơi, làm thêm giờ")),
                ("bao_hiem", _("Bảo hiểm xã hội, bảo hiểm y tế, bảo hiểm thất nghiệp")),
                ("an_toan", _("An toàn, vệ sinh lao động")),
                ("phap_luat", _("Chính sách, pháp luật mới liên quan đến người lao động")),
                ("phuc_loi", _("Phúc lợi, hỗ trợ của Công đoàn (nhà ở, Tết, ốm đau…)")),
                ("hoat_dong", _("Hoạt động văn hóa, thể thao, phong trào thi đua")),
                ("ky_nang", _("Kỹ năng nghề, học tập, đào tạo")),
                ("gia_dinh", _("Sức khỏe, gia đình, nuôi dạy con")),
            ],
            columns=agree,
        ),
        QuestionSpec(
            kind=Kind.TEXT,
            name="noi_dung_khac",
            section=content,
            text=_("Bạn muốn Công đoàn thông tin thêm về nội dung nào khác?"),
            help_text=_("Viết ngắn gọn, không bắt buộc."),
        ),
        QuestionSpec(
            kind=Kind.MULTIPLE,
            name="kenh",
            section=channels,
            text=_("Bạn thường nhận thông tin của Công đoàn qua những kênh nào?"),
            help_text=_("Chọn tất cả các kênh bạn dùng."),
            required=True,
            options=[
                ("website", _("Trang thông tin điện tử (website) của Công đoàn")),
                ("zalo", _("Zalo (nhóm, trang Zalo OA của Công đoàn)")),
                ("facebook", _("Facebook (trang, nhóm của Công đoàn)")),
                ("youtube", _("YouTube, TikTok (video)")),
                ("bang_tin", _("Bảng tin tại nơi làm việc, nhà ở")),
                ("loa", _("Loa phát thanh nội bộ")),
                ("ban_tin", _("Bản tin điện tử qua e-mail")),
                ("hop", _("Hội nghị, buổi họp, sinh hoạt tổ công đoàn")),
                ("can_bo", _("Trao đổi trực tiếp với cán bộ công đoàn")),
                ("to_roi", _("Tờ rơi, tài liệu in")),
            ],
        ),
        QuestionSpec(
            kind=Kind.SINGLE,
            name="kenh_uu_tien",
            section=channels,
            text=_("Kênh nào thuận tiện nhất với bạn?"),
            required=True,
            options=[
                ("website", _("Trang thông tin điện tử (website)")),
                ("zalo", _("Zalo")),
                ("facebook", _("Facebook")),
                ("youtube", _("YouTube, TikTok")),
                ("bang_tin", _("Bảng tin")),
                ("loa", _("Loa phát thanh nội bộ")),
                ("ban_tin", _("Bản tin điện tử qua e-mail")),
                ("truc_tiep", _("Gặp trực tiếp, buổi họp")),
            ],
        ),
        QuestionSpec(
            kind=Kind.MULTIPLE,
            name="thoi_gian",
            section=times,
            text=_("Bạn thường xem thông tin vào lúc nào trong ngày?"),
            required=True,
            options=[
                ("sang_som", _("Sáng sớm, trước giờ làm (trước 7 giờ)")),
                ("nghi_trua", _("Giờ nghỉ trưa (11–13 giờ)")),
                ("tan_ca", _("Sau giờ tan ca (17–19 giờ)")),
                ("buoi_toi", _("Buổi tối (19–22 giờ)")),
                ("cuoi_tuan", _("Ngày nghỉ cuối tuần")),
            ],
        ),
        QuestionSpec(
            kind=Kind.SINGLE,
            name="hinh_thuc",
            section=times,
            text=_("Bạn thích nhận thông tin ở dạng nào nhất?"),
            options=[
                ("bai_ngan", _("Bài viết ngắn")),
                ("hinh_anh", _("Hình ảnh, đồ họa (infographic)")),
                ("video", _("Video ngắn")),
                ("am_thanh", _("Bản tin âm thanh, phát thanh")),
                ("hoi_dap", _("Hỏi – đáp")),
            ],
        ),
        QuestionSpec(
            kind=Kind.SCALE,
            name="hai_long",
            section=times,
            text=_("Bạn hài lòng với thông tin Công đoàn cung cấp hiện nay ở mức nào?"),
            scale_points=5,
            low_label=_("Rất không hài lòng"),
            high_label=_("Rất hài lòng"),
            required=True,
        ),
        QuestionSpec(
            kind=Kind.TEXT,
            name="gop_y",
            section=times,
            text=_("Góp ý của bạn để thông tin của Công đoàn đến với bạn tốt hơn"),
        ),
    ]


@dataclass(frozen=True)
class Template:
    code: str
    title: Any  # a lazy translation
    description: Any
    questions: Callable[[], list[QuestionSpec]]
    days_open: int = 30


TEMPLATES: dict[str, Template] = {
    INFO_NEEDS: Template(
        code=INFO_NEEDS,
        title=gettext_lazy("Khảo sát nhu cầu thông tin của đoàn viên"),
        description=gettext_lazy(
            "Công đoàn muốn biết bạn cần thông tin gì, nhận qua kênh nào và vào lúc nào, "
            "để đưa tin đúng và kịp thời hơn. Khảo sát mất khoảng 3 phút; câu trả lời "
            "được giữ kín và chỉ dùng để tổng hợp."
        ),
        questions=_info_needs_questions,
    )
}


def survey_from_template(
    *,
    actor: Any,
    unit: Unit,
    template: str = INFO_NEEDS,
    opens_at: datetime | None = None,
    audience: str = Audience.MEMBERS,
) -> Survey:
    """A draft survey of `unit` from the template, open for the template's days from
    `opens_at` (now), anonymous. The officer reviews it and opens it."""
    spec = TEMPLATES[template]
    opens = opens_at or timezone.now()
    return survey_create(
        actor=actor,
        unit=unit,
        title=str(spec.title),
        description=str(spec.description),
        audience=audience,
        is_anonymous=True,
        opens_at=opens,
        closes_at=opens + timedelta(days=spec.days_open),
        questions=spec.questions(),
        source=Source.TEMPLATE,
        template=spec.code,
    )
