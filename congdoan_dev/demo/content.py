"""Demo communication products of LĐLĐ huyện Phú Xuyên and its unions, 2025–2026.

Written by the project itself (no real articles): news of the district's Tết Sum vầy, the
Workers' Month and the union's anniversary, policy explainers, a poster, a loudspeaker script,
events, news of grassroots unions, a correction, two drafts waiting for approval (each
approvable by a demo login: the chairs of Công ty May Phú Minh and of Điện tử Hàn Việt), one
scheduled, one archived and one reused from the shared library. Texts go through the services
(sanitised, searchable, audited); their dates are then set in the past, with the versions an
officer would have left. Idempotent: nothing is added when the district already has products.

The calendar: the year's highlights are loaded by the daily job's own function
(`calendar.highlights_load_due`: this year's, and next year's from December), the products
made for a highlight (Tết Sum vầy, the Workers' Month, 28/7) are planned against it, and
three drafts are planned against the next ones (22/12, 8/3, the Workers' Month of next
year), so the demo calendar shows dates with products beside them. Idempotent on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from congdoan.accounts.models import User
from congdoan.content import calendar, services
from congdoan.content.models import (
    ApprovalBy,
    ContentSettings,
    Highlight,
    Product,
    ProductKind,
    ProductStatus,
    ProductVersion,
    Sharing,
    Theme,
    VersionReason,
)
from congdoan.orgs.models import Unit

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

OFFICE = "vanphong@ldldphuxuyen.vn"  # Chánh Văn phòng LĐLĐ huyện: writes for the district
STANDING = "thuongvu@ldldphuxuyen.vn"  # Phó Chủ tịch (a leader): approves the district's news
PHUMINH = "cdcs.mayphuminh@gmail.com"  # Chủ tịch CĐCS May Phú Minh
HANVIET = "cdcs.hanviet@gmail.com"  # Chủ tịch CĐCS Điện tử Hàn Việt


@dataclass
class Item:
    unit: str
    author: str
    approver: str | None
    kind: str
    title: str
    summary: str
    body: str
    themes: list[str]
    sharing: str = Sharing.PUBLIC
    published_on: date | None = None
    status: str = ProductStatus.PUBLISHED
    views: int = 0
    audiences: list[str] = field(default_factory=lambda: ["members"])
    tags: list[str] = field(default_factory=list)
    event: tuple[datetime, datetime, str] | None = None


def _at(day: date, hour: int = 8, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HANOI)


ITEMS: list[Item] = [
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.NEWS,
        title="Phú Xuyên: trao 350 suất quà Tết Sum vầy cho công nhân lao động khó khăn",
        summary=(
            "Sáng 28/01/2026, LĐLĐ huyện Phú Xuyên tổ chức Chương trình Tết Sum vầy, trao 350 "
            "suất quà (mỗi suất 1 triệu đồng) cho đoàn viên, người lao động có hoàn cảnh khó khăn."
        ),
        body=(
            "<p>Sáng 28/01/2026, tại Trung tâm Văn hóa huyện, Liên đoàn Lao động huyện Phú Xuyên "
            "tổ chức Chương trình <strong>Tết Sum vầy - Xuân Bính Ngọ 2026</strong>.</p>"
            "<p>Tại chương trình, LĐLĐ huyện đã trao 350 suất quà, mỗi suất trị giá 1 triệu "
            "đồng, cho đoàn viên, người lao động có hoàn cảnh khó khăn của 32 công đoàn cơ sở. "
            "Nguồn kinh phí từ tài chính công đoàn và sự đồng hành của các doanh nghiệp trên "
            "địa bàn.</p>"
            "<p>Cùng ngày, các công đoàn cơ sở tổ chức “Phiên chợ Tết Công đoàn”, bán hàng bình "
            "ổn giá và tặng vé xe cho công nhân ở xa về quê đón Tết.</p>"
        ),
        themes=["su-kien-trong-tam", "cham-lo-bao-ve"],
        published_on=date(2026, 1, 28),
        views=1284,
        tags=["Tết Sum vầy", "chăm lo"],
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.EXPLAINER,
        title="Hỏi - đáp: Người lao động được nghỉ Tết Âm lịch mấy ngày?",
        summary=(
            "Theo Điều 112 Bộ luật Lao động năm 2019, người lao động được nghỉ làm việc, hưởng "
            "nguyên lương 05 ngày Tết Âm lịch."
        ),
        body=(
            "<p><strong>Hỏi:</strong> Tôi làm công nhân may, năm nay công ty cho nghỉ Tết bao "
            "nhiêu ngày là đúng luật?</p>"
            "<p><strong>Đáp:</strong> Điều 112 Bộ luật Lao động năm 2019 quy định người lao "
            "động được nghỉ làm việc, hưởng nguyên lương 05 ngày Tết Âm lịch. Người sử dụng lao "
            "động lựa chọn ngày nghỉ cho phù hợp với điều kiện thực tế và phải thông báo "
            "phương án nghỉ cho người lao động trước khi thực hiện ít nhất 30 ngày.</p>"
            "<p>Nếu ngày nghỉ lễ, Tết trùng vào ngày nghỉ hằng tuần thì người lao động được "
            "nghỉ bù vào ngày làm việc kế tiếp. Thắc mắc, xin liên hệ công đoàn cơ sở hoặc "
            "Văn phòng LĐLĐ huyện.</p>"
        ),
        themes=["chinh-sach-phap-luat", "quyen-loi-doan-vien"],
        published_on=date(2025, 12, 18),
        views=2310,
        tags=["Bộ luật Lao động", "nghỉ Tết"],
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.INFOGRAPHIC,
        title="Những điểm mới của Luật Bảo hiểm xã hội năm 2024 người lao động cần biết",
        summary=(
            "Từ 01/7/2025, số năm đóng bảo hiểm xã hội tối thiểu để hưởng lương hưu giảm từ "
            "20 năm xuống 15 năm; việc rút bảo hiểm xã hội một lần bị hạn chế."
        ),
        body=(
            "<p>Luật Bảo hiểm xã hội năm 2024 có hiệu lực từ ngày 01/7/2025. Một số điểm mới "
            "đoàn viên cần biết:</p>"
            "<ul><li>Số năm đóng bảo hiểm xã hội tối thiểu để hưởng lương hưu giảm từ 20 năm "
            "xuống 15 năm.</li>"
            "<li>Người tham gia bảo hiểm xã hội tự nguyện được hưởng trợ cấp thai sản.</li>"
            "<li>Việc hưởng bảo hiểm xã hội một lần được thu hẹp, khuyến khích bảo lưu thời "
            "gian đóng để hưởng lương hưu.</li></ul>"
            "<p>Công đoàn cơ sở có thể dùng lại bộ đồ họa này trên bảng tin và trang Zalo của "
            "đơn vị.</p>"
        ),
        themes=["chinh-sach-phap-luat"],
        sharing=Sharing.UNION,
        published_on=date(2025, 7, 8),
        views=976,
        tags=["bảo hiểm xã hội"],
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.POSTER,
        title="Pa-nô Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động năm 2026",
        summary="Mẫu pa-nô khổ A0 treo tại cổng nhà máy và nhà ăn ca, tháng 5/2026.",
        body=(
            "<p>Khẩu hiệu: <strong>“Công nhân an toàn - Doanh nghiệp phát triển - Công đoàn "
            "đồng hành”</strong>.</p>"
            "<p>Công đoàn cơ sở tải mẫu, in khổ A0 và treo trước ngày 01/5/2026.</p>"
        ),
        themes=["su-kien-trong-tam"],
        sharing=Sharing.UNION,
        published_on=date(2026, 4, 20),
        views=158,
        audiences=["members", "enterprises"],
        tags=["Tháng Công nhân", "ATVSLĐ"],
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.EVENT,
        title="Hội thao công nhân, viên chức, lao động huyện Phú Xuyên năm 2026",
        summary=(
            "Hội thao gồm bóng đá nam, kéo co, cầu lông và nhảy bao bố, dành cho đoàn viên các "
            "công đoàn cơ sở trong huyện."
        ),
        body=(
            "<p>Hưởng ứng Tháng Công nhân năm 2026, LĐLĐ huyện tổ chức Hội thao công nhân, viên "
            "chức, lao động. Mỗi công đoàn cơ sở đăng ký tối đa 20 vận động viên trước ngày "
            "10/5/2026 qua Văn phòng LĐLĐ huyện.</p>"
        ),
        themes=["su-kien-trong-tam"],
        published_on=date(2026, 4, 28),
        views=642,
        event=(
            _at(date(2026, 5, 17), 7, 30),
            _at(date(2026, 5, 17), 17, 0),
            "Nhà thi đấu Trung tâm Văn hóa - Thông tin và Thể thao huyện Phú Xuyên",
        ),
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.EVENT,
        title="Lễ kỷ niệm 97 năm Ngày thành lập Công đoàn Việt Nam (28/7/1929 - 28/7/2026)",
        summary=(
            "LĐLĐ huyện tổ chức lễ kỷ niệm và biểu dương 30 cán bộ công đoàn cơ sở tiêu biểu."
        ),
        body=(
            "<p>Lễ kỷ niệm ôn lại truyền thống 97 năm của tổ chức Công đoàn Việt Nam, trao Kỷ "
            "niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn” và biểu dương 30 cán bộ công "
            "đoàn cơ sở tiêu biểu năm 2026.</p>"
        ),
        themes=["tu-tuong", "su-kien-trong-tam"],
        published_on=date(2026, 7, 20),
        views=415,
        audiences=["officers", "members", "authorities"],
        event=(
            _at(date(2026, 7, 27), 8, 0),
            _at(date(2026, 7, 27), 11, 0),
            "Hội trường Huyện ủy Phú Xuyên",
        ),
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.LOUDSPEAKER,
        title="Bài phát thanh: Làm việc an toàn trong những ngày nắng nóng",
        summary=(
            "Thưa bà con công nhân! Những ngày nắng nóng, xin uống đủ nước, nghỉ giải lao giữa "
            "ca và báo ngay cho tổ trưởng khi thấy chóng mặt, mệt mỏi."
        ),
        body=(
            "<p>Nhiệt độ ngoài trời nhiều ngày trên 37 độ C. Để bảo vệ sức khỏe, người lao động "
            "cần uống đủ nước, mỗi giờ khoảng một cốc; mặc quần áo thoáng mát; nghỉ giải lao ở "
            "nơi thoáng mát.</p>"
            "<p>Khi thấy chóng mặt, buồn nôn, xin báo ngay cho tổ trưởng hoặc cán bộ công đoàn.</p>"
        ),
        themes=["cham-lo-bao-ve"],
        sharing=Sharing.UNION,
        published_on=date(2026, 6, 9),
        views=88,
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.PRESS_RELEASE,
        title="Thông cáo: Kết quả Tháng Công nhân năm 2025 tại huyện Phú Xuyên",
        summary=(
            "Tháng Công nhân 2025: 1.240 đoàn viên được thăm hỏi, tặng quà; 36 cuộc đối thoại "
            "giữa người sử dụng lao động và người lao động."
        ),
        body=(
            "<p>Trong Tháng Công nhân năm 2025, các cấp công đoàn huyện Phú Xuyên đã thăm hỏi, "
            "tặng quà 1.240 đoàn viên, người lao động; phối hợp tổ chức 36 cuộc đối thoại tại "
            "doanh nghiệp và 12 lớp tập huấn an toàn, vệ sinh lao động.</p>"
        ),
        themes=["vai-tro-cong-doan", "su-kien-trong-tam"],
        published_on=date(2025, 6, 4),
        views=530,
        audiences=["authorities", "community"],
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.E_BULLETIN,
        title="Bản tin Công đoàn Phú Xuyên tháng 10/2026",
        summary=(
            "Trong số này: hội nghị cán bộ công đoàn cơ sở, hỏi đáp về phụ cấp độc hại, gương "
            "nữ công nhân giỏi việc nước, đảm việc nhà nhân ngày 20/10."
        ),
        body=(
            "<h2>Tin hoạt động</h2><p>LĐLĐ huyện tập huấn nghiệp vụ cho 85 chủ tịch công đoàn "
            "cơ sở.</p><h2>Hỏi - đáp</h2><p>Phụ cấp độc hại được trả theo thỏa ước lao động tập "
            "thể và quy chế lương của doanh nghiệp.</p><h2>Gương tốt</h2><p>Nhân ngày Phụ nữ "
            "Việt Nam 20/10, giới thiệu ba nữ công nhân giỏi việc nước, đảm việc nhà.</p>"
        ),
        themes=["vai-tro-cong-doan", "guong-tot"],
        published_on=date(2026, 10, 5),
        views=389,
    ),
    Item(
        unit="PX-MAY-PHUMINH",
        author=PHUMINH,
        approver=STANDING,
        kind=ProductKind.NEWS,
        title="Công ty May Phú Minh đối thoại với người lao động về chất lượng bữa ăn ca",
        summary=(
            "Sau đối thoại, công ty nâng tiêu chuẩn bữa ăn ca từ 20.000 lên 25.000 đồng/suất "
            "từ tháng 4/2026."
        ),
        body=(
            "<p>Chiều 20/3/2026, Công đoàn cơ sở phối hợp Ban Giám đốc Công ty TNHH May Phú "
            "Minh tổ chức đối thoại định kỳ với hơn 120 người lao động.</p>"
            "<p>Nhiều ý kiến đề nghị cải thiện bữa ăn ca. Ban Giám đốc đồng ý nâng tiêu chuẩn "
            "bữa ăn từ 20.000 lên 25.000 đồng/suất từ tháng 4/2026 và mời đại diện công nhân "
            "tham gia kiểm tra bếp ăn hằng tuần.</p>"
        ),
        themes=["quyen-loi-doan-vien", "cham-lo-bao-ve"],
        sharing=Sharing.SUBTREE,
        published_on=date(2026, 3, 21),
        views=274,
        tags=["đối thoại", "bữa ăn ca"],
    ),
    Item(
        unit="PX-MAY-PHUMINH",
        author=PHUMINH,
        approver=STANDING,
        kind=ProductKind.PHOTO_STORY,
        title="Tổ trưởng tổ may số 5: mười hai năm giữ chuyền không sai hỏng",
        summary=(
            "Chị Nguyễn Thị Hạnh, tổ trưởng tổ may số 5, được công ty và công đoàn khen thưởng "
            "vì nhiều năm liền đạt năng suất cao và kèm cặp 40 công nhân mới."
        ),
        body=(
            "<p>Vào làm tại Công ty May Phú Minh từ năm 2014, chị Hạnh nổi tiếng với sổ tay "
            "ghi lại từng lỗi đường may để hướng dẫn công nhân mới.</p>"
            "<p>Năm 2026, tổ của chị vượt 12% kế hoạch sản lượng, không có sản phẩm bị trả "
            "lại.</p>"
        ),
        themes=["guong-tot"],
        sharing=Sharing.UNION,
        published_on=date(2026, 8, 12),
        views=351,
    ),
    Item(
        unit="PX-DIENTU-HANVIET",
        author=HANVIET,
        approver=STANDING,
        kind=ProductKind.NEWS,
        title="Công ty Điện tử Hàn Việt ký Thỏa ước lao động tập thể với nhiều điều khoản có lợi",
        summary=(
            "Thỏa ước mới bổ sung trợ cấp nhà trọ 300.000 đồng/tháng và thêm một ngày nghỉ "
            "phép năm cho người lao động có từ 5 năm làm việc."
        ),
        body=(
            "<p>Ngày 14/11/2025, Công đoàn cơ sở và Ban Giám đốc Công ty TNHH Điện tử Hàn Việt "
            "ký Thỏa ước lao động tập thể giai đoạn 2025 - 2028, sau ba vòng thương lượng.</p>"
            "<p>Thỏa ước bổ sung trợ cấp nhà trọ 300.000 đồng/tháng và thêm một ngày nghỉ phép "
            "năm cho người lao động có từ 5 năm làm việc tại công ty.</p>"
        ),
        themes=["cham-lo-bao-ve", "vai-tro-cong-doan"],
        published_on=date(2025, 11, 15),
        views=702,
        tags=["thỏa ước lao động tập thể"],
    ),
    Item(
        unit="PX-BVDK",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.NEWS,
        title="Công đoàn Bệnh viện Đa khoa huyện tổ chức Ngày hội hiến máu tình nguyện",
        summary="Hơn 150 đơn vị máu được tiếp nhận trong Ngày hội hiến máu ngày 26/02/2026.",
        body=(
            "<p>Ngày 26/02/2026, Công đoàn Bệnh viện Đa khoa huyện Phú Xuyên phối hợp Viện Huyết "
            "học - Truyền máu Trung ương tổ chức Ngày hội hiến máu tình nguyện, tiếp nhận hơn "
            "150 đơn vị máu.</p>"
        ),
        themes=["guong-tot"],
        published_on=date(2026, 2, 27),
        views=233,
    ),
    Item(
        unit="PX-THPTPX-A",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.NEWS,
        title="Công đoàn Trường THPT Phú Xuyên A tọa đàm kỷ niệm Ngày Nhà giáo Việt Nam",
        summary="Tọa đàm ôn lại truyền thống nhà trường, tặng quà 6 nhà giáo đã nghỉ hưu.",
        body=(
            "<p>Nhân kỷ niệm Ngày Nhà giáo Việt Nam 20/11/2025, Công đoàn trường tổ chức tọa "
            "đàm và thăm, tặng quà 6 nhà giáo đã nghỉ hưu.</p>"
        ),
        themes=["su-kien-trong-tam"],
        sharing=Sharing.UNIT,
        published_on=date(2025, 11, 19),
        views=61,
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=STANDING,
        kind=ProductKind.NEWS,
        title="Tập huấn kỹ năng sơ cấp cứu cho an toàn, vệ sinh viên năm 2025",
        summary="Năm 2025, 120 an toàn, vệ sinh viên được tập huấn sơ cấp cứu ban đầu.",
        body="<p>Lớp tập huấn diễn ra trong hai ngày tại Trung tâm Y tế huyện.</p>",
        themes=["cham-lo-bao-ve"],
        published_on=date(2025, 5, 14),
        status=ProductStatus.ARCHIVED,
        views=97,
    ),
    # Waiting for approval: each chair (a demo login) approves the one of their union.
    Item(
        unit="PX-MAY-PHUMINH",
        author=OFFICE,
        approver=None,
        kind=ProductKind.NEWS,
        title="Hướng dẫn đoàn viên đăng ký nhận quà Tết Sum vầy 2027",
        summary="Đoàn viên có hoàn cảnh khó khăn đăng ký với tổ trưởng công đoàn trước 15/12.",
        body=(
            "<p>Đoàn viên có hoàn cảnh khó khăn (ốm đau dài ngày, gia đình có người bị bệnh "
            "hiểm nghèo, thu nhập thấp) đăng ký với tổ trưởng công đoàn trước ngày 15/12. Công "
            "đoàn cơ sở tổng hợp, gửi LĐLĐ huyện xét chọn.</p>"
        ),
        themes=["cham-lo-bao-ve", "su-kien-trong-tam"],
        sharing=Sharing.SUBTREE,
        status=ProductStatus.SUBMITTED,
    ),
    Item(
        unit="PX-DIENTU-HANVIET",
        author=OFFICE,
        approver=None,
        kind=ProductKind.LOUDSPEAKER,
        title="Bài phát thanh: Phòng cháy, chữa cháy tại nhà xưởng",
        summary=(
            "Không hút thuốc trong xưởng, không để hàng chắn lối thoát hiểm; khi có cháy, bấm "
            "chuông báo động và theo hướng dẫn thoát nạn."
        ),
        body=(
            "<p>Mùa khô hanh, nguy cơ cháy nổ tại nhà xưởng tăng cao. Mỗi người lao động cần "
            "nắm rõ vị trí bình chữa cháy, lối thoát hiểm gần nhất của tổ mình.</p>"
        ),
        themes=["cham-lo-bao-ve"],
        sharing=Sharing.UNION,
        status=ProductStatus.SUBMITTED,
    ),
    Item(
        unit="PX",
        author=OFFICE,
        approver=None,
        kind=ProductKind.NEWS,
        title="Kế hoạch tuyên truyền Tết Sum vầy - Xuân Đinh Mùi 2027",
        summary="Bản nháp kế hoạch tuyên truyền, chờ bổ sung số liệu của các công đoàn cơ sở.",
        body="<p>Nội dung đang soạn.</p>",
        themes=["su-kien-trong-tam"],
        sharing=Sharing.UNIT,
        status=ProductStatus.DRAFT,
    ),
]

# A published product corrected afterwards: (title, new summary, new body).
CORRECTION = (
    "Phú Xuyên: trao 350 suất quà Tết Sum vầy cho công nhân lao động khó khăn",
    "32 công đoàn cơ sở",
    "34 công đoàn cơ sở",
)


def _users() -> dict[str, User]:
    logins = User.objects.filter(email__in=[OFFICE, STANDING, PHUMINH, HANVIET])
    return {u.email or "": u for u in logins}


def _make(
    item: Item, users: dict[str, User], units: dict[str, Unit], themes: dict[str, Theme]
) -> Product:
    author = users[item.author]
    event_starts, event_ends, place = item.event or (None, None, "")
    product = services.product_create(
        actor=author,
        unit=units[item.unit],
        title=item.title,
        kind=item.kind,
        summary=item.summary,
        body=item.body,
        themes=[themes[code] for code in item.themes],
        audiences=item.audiences,
        tags=item.tags,
        sharing=item.sharing,
        event_starts_at=event_starts,
        event_ends_at=event_ends,
        event_place=place,
    )
    if item.status == ProductStatus.DRAFT:
        return product
    if item.status == ProductStatus.SUBMITTED:
        services.product_submit(actor=author, product=product)
        return product
    assert item.published_on is not None and item.approver is not None
    published_at = _at(item.published_on)
    approved_at = published_at - timedelta(hours=20)
    submitted_at = approved_at - timedelta(hours=4)
    for number, (reason, when) in enumerate(
        [
            (VersionReason.SUBMITTED, submitted_at),
            (VersionReason.APPROVED, approved_at),
            (VersionReason.PUBLISHED, published_at),
        ],
        start=1,
    ):
        ProductVersion.objects.create(
            product=product,
            number=number,
            title=product.title,
            summary=product.summary,
            body=product.body,
            reason=reason,
            created_by=author if reason != VersionReason.APPROVED else users[item.approver],
            created_at=when,
        )
    archived = item.status == ProductStatus.ARCHIVED
    Product.objects.filter(pk=product.pk).update(
        status=item.status,
        approver=users[item.approver],
        approved_at=approved_at,
        published_at=published_at,
        archived_at=published_at + timedelta(days=200) if archived else None,
        created_at=submitted_at - timedelta(days=1),
        updated_at=published_at,
        view_count=item.views,
    )
    product.refresh_from_db()
    return product


# The demo products made for a highlight of the calendar (by title → the highlight's code).
PLANNED_FOR = {
    "Phú Xuyên: trao 350 suất quà Tết Sum vầy cho công nhân lao động khó khăn": "tet-sum-vay",
    "Pa-nô Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động năm 2026": (
        "thang-cong-nhan"
    ),
    "Lễ kỷ niệm 97 năm Ngày thành lập Công đoàn Việt Nam (28/7/1929 - 28/7/2026)": (
        "thanh-lap-cong-doan"
    ),
    "Hướng dẫn đoàn viên đăng ký nhận quà Tết Sum vầy 2027": "tet-sum-vay",
    "Kế hoạch tuyên truyền Tết Sum vầy - Xuân Đinh Mùi 2027": "tet-sum-vay",
}


@dataclass(frozen=True)
class Planned:
    """A draft planned against a coming highlight (the officer writes it before the day)."""

    highlight: str
    unit: str
    author: str
    kind: str
    title: str
    summary: str
    theme: str


PLANNED: tuple[Planned, ...] = (
    Planned(
        "thanh-lap-qdnd",
        "PX",
        OFFICE,
        ProductKind.LOUDSPEAKER,
        "Bài phát thanh: Kỷ niệm 82 năm Ngày thành lập Quân đội nhân dân Việt Nam",
        "Hướng tới ngày 22/12/2026, Công đoàn huyện Phú Xuyên tuyên truyền về truyền thống "
        "Quân đội nhân dân Việt Nam và thăm hỏi đoàn viên là quân nhân xuất ngũ.",
        "tu-tuong",
    ),
    Planned(
        "quoc-te-phu-nu",
        "PX-MAY-PHUMINH",
        PHUMINH,
        ProductKind.INFOGRAPHIC,
        "Đồ họa: Quyền lợi của lao động nữ nhân Ngày Quốc tế Phụ nữ 8/3/2027",
        "Nghỉ thai sản, nghỉ 30 phút mỗi ngày trong thời gian hành kinh, khám sức khỏe chuyên "
        "khoa phụ sản: những quyền lợi lao động nữ cần biết.",
        "chinh-sach-phap-luat",
    ),
    Planned(
        "thang-cong-nhan",
        "PX",
        OFFICE,
        ProductKind.NEWS,
        "Kế hoạch tổ chức Tháng Công nhân năm 2027 tại huyện Phú Xuyên",
        "Tháng Công nhân năm 2027 với chủ đề chăm lo đời sống, nâng cao phúc lợi cho đoàn "
        "viên, người lao động: các hoạt động chính và thời gian thực hiện.",
        "cham-lo-bao-ve",
    ),
)


def _highlights() -> dict[str, Highlight]:
    """The standard highlights by code (the calendar loads them)."""
    return {
        h.standard.code: h
        for h in Highlight.objects.filter(standard__isnull=False).select_related("standard")
    }


def _plan(users: dict[str, User], themes: dict[str, Theme]) -> int:
    """Plan the demo products against the calendar (see the module's docstring); returns the
    number of drafts made. Idempotent: a draft already there (by title) is not made again."""
    highlights = _highlights()
    for title, code in PLANNED_FOR.items():
        Product.objects.filter(
            unit__code__startswith="PX", title=title, highlight__isnull=True
        ).update(highlight=highlights[code])
    units = {u.code: u for u in Unit.objects.filter(code__in={p.unit for p in PLANNED})}
    made = 0
    for plan in PLANNED:
        if plan.unit not in units or plan.author not in users:
            continue  # the orgs demo was not loaded: nothing to write for
        if Product.objects.filter(unit=units[plan.unit], title=plan.title).exists():
            continue
        services.product_create(
            actor=users[plan.author],
            unit=units[plan.unit],
            title=plan.title,
            kind=plan.kind,
            summary=plan.summary,
            themes=[themes[plan.theme]],
            sharing=Sharing.PUBLIC,
            highlight=highlights[plan.highlight],
        )
        made += 1
    return made


@transaction.atomic
def seed(stdout: Any = None) -> None:
    # The calendar first, by the daily job's own function, so its dates exist to plan against.
    loaded = calendar.highlights_load_due()
    themes = {t.code: t for t in Theme.objects.all()}
    if not Product.objects.filter(unit__code="PX").exists():
        _products(themes)
    planned = _plan(_users(), themes)
    if stdout is not None:
        occurrences = sum(counts["created"] for counts in loaded.values())
        stdout.write(
            f"  {Product.objects.count()} sản phẩm truyền thông; lịch: {occurrences} mốc mới, "
            f"{planned} bài lên kế hoạch theo mốc"
        )


def _products(themes: dict[str, Theme]) -> None:
    """The demo products, once (see the module's docstring)."""
    users = _users()
    units = {u.code: u for u in Unit.objects.filter(code__in={i.unit for i in ITEMS} | {"PX-BVDK"})}
    made = {item.title: _make(item, users, units, themes) for item in ITEMS}

    # The hospital's union has its news approved by the district (a per-unit setting).
    ContentSettings.objects.get_or_create(
        unit=units["PX-BVDK"], defaults={"approval_by": ApprovalBy.PARENT_LEADER}
    )

    # A correction after publication: the figure of unions was wrong.
    title, old, new = CORRECTION
    corrected = made[title]
    services.product_correct(
        actor=users[OFFICE],
        product=corrected,
        title=corrected.title,
        summary=corrected.summary,
        body=corrected.body.replace(old, new),
    )
    corrected_at = _at(date(2026, 1, 29), 10, 15)
    Product.objects.filter(pk=corrected.pk).update(
        corrected_at=corrected_at, updated_at=corrected_at
    )
    ProductVersion.objects.filter(product=corrected, reason=VersionReason.CORRECTED).update(
        created_at=corrected_at
    )

    # Hàn Việt reuses the district's infographic from the shared library (a draft, attributed).
    infographic = made["Những điểm mới của Luật Bảo hiểm xã hội năm 2024 người lao động cần biết"]
    services.product_reuse(
        actor=users[HANVIET], source=infographic, unit=units["PX-DIENTU-HANVIET"]
    )

    # One approved product waits for its time: the job `content.publish_due` will post it.
    scheduled = services.product_create(
        actor=users[OFFICE],
        unit=units["PX"],
        title="Thông báo lịch tiếp đoàn viên của Thường trực LĐLĐ huyện quý I/2027",
        kind=ProductKind.NEWS,
        summary="Thường trực LĐLĐ huyện tiếp đoàn viên vào sáng thứ Năm hằng tuần.",
        body="<p>Địa điểm: Văn phòng LĐLĐ huyện Phú Xuyên, thị trấn Phú Xuyên.</p>",
        themes=[themes["quyen-loi-doan-vien"]],
        sharing=Sharing.PUBLIC,
    )
    services.product_submit(actor=users[OFFICE], product=scheduled)
    Product.objects.filter(pk=scheduled.pk).update(
        status=ProductStatus.APPROVED, approver=users[STANDING], approved_at=timezone.now()
    )
    scheduled.refresh_from_db()
    ProductVersion.objects.create(
        product=scheduled,
        number=2,
        title=scheduled.title,
        summary=scheduled.summary,
        body=scheduled.body,
        reason=VersionReason.APPROVED,
        created_by=users[STANDING],
    )
    services.product_schedule(
        actor=users[OFFICE], product=scheduled, publish_at=timezone.now() + timedelta(days=10)
    )
