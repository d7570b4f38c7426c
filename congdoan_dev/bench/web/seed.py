"""What `congdoan bench web` serves: the demo district (its unions and its published news,
through the demo seeders) and one long news article with a cover photo, written, approved and
published through the content services as an officer would.

`small` (the test's quick run) builds the tests' standard cast instead of the demo district:
a few units and officers, the same article."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from congdoan.accounts.models import User
from congdoan.content import services
from congdoan.content.media import product_media_add
from congdoan.content.models import Product, ProductKind, Sharing, Theme
from congdoan.orgs.models import Appointment, Unit
from congdoan_dev.demo import seed_all
from congdoan_dev.demo.content import OFFICE

TITLE = "Phú Xuyên: Tháng Công nhân 2026 chăm lo hơn 4.000 đoàn viên, người lao động"
SUMMARY = (
    "Hưởng ứng Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động năm 2026, "
    "LĐLĐ huyện Phú Xuyên và 42 công đoàn cơ sở đã thăm hỏi, tặng quà hơn 4.000 đoàn viên, "
    "người lao động, tổ chức đối thoại tại 18 doanh nghiệp và kiểm tra an toàn tại 25 nhà xưởng."
)
PARAGRAPHS = [
    "Sáng 02/5/2026, tại Khu công nghiệp Phú Xuyên, Liên đoàn Lao động huyện tổng kết Tháng "
    "Công nhân và Tháng hành động về an toàn, vệ sinh lao động năm 2026 với chủ đề "
    "“Đoàn viên, người lao động được chăm lo – Doanh nghiệp phát triển bền vững”. Dự hội nghị "
    "có đại diện Thường trực Huyện ủy, UBND huyện, Bảo hiểm xã hội huyện, lãnh đạo 42 công "
    "đoàn cơ sở và hơn 300 đoàn viên, người lao động tiêu biểu.",
    "Theo báo cáo của Ban Thường vụ LĐLĐ huyện, trong suốt tháng 5, các cấp công đoàn đã thăm "
    "hỏi, tặng 4.126 suất quà cho đoàn viên, người lao động có hoàn cảnh khó khăn, bị tai nạn "
    "lao động hoặc mắc bệnh hiểm nghèo, với tổng giá trị gần 2,9 tỷ đồng. Trong đó, nguồn tài "
    "chính công đoàn chiếm khoảng 40%, phần còn lại do doanh nghiệp và các nhà hảo tâm đóng góp.",
    "Đáng chú ý, 18 doanh nghiệp đã tổ chức đối thoại định kỳ tại nơi làm việc. Qua đối thoại, "
    "người lao động kiến nghị 57 nội dung, tập trung vào tiền lương, tiền ăn giữa ca, thời giờ "
    "làm thêm và điều kiện nhà trọ. Đến nay, 49 kiến nghị đã được doanh nghiệp giải quyết; các "
    "kiến nghị còn lại được công đoàn cơ sở tiếp tục theo dõi, báo cáo công đoàn cấp trên.",
    "Ở nhiều doanh nghiệp, tiền ăn giữa ca đã được nâng từ 25.000 đồng lên 30.000 đồng mỗi "
    "suất; Công ty TNHH May Phú Minh bổ sung xe đưa đón công nhân ca đêm ở các xã Phú Túc, "
    "Hồng Minh; Công ty TNHH Điện tử Hàn Việt lắp thêm quạt hơi nước và máy lọc nước tại hai "
    "xưởng lắp ráp.",
    "Trong Tháng hành động về an toàn, vệ sinh lao động, công đoàn phối hợp với cơ quan chuyên "
    "môn kiểm tra 25 nhà xưởng, phát hiện và đề nghị khắc phục 63 nguy cơ mất an toàn: máy dập "
    "thiếu che chắn, lối thoát hiểm bị che khuất, bình chữa cháy hết hạn. Mạng lưới an toàn, "
    "vệ sinh viên với 412 thành viên được tập huấn lại về sơ cứu và phòng chống cháy nổ.",
    "Chương trình “Phúc lợi cho đoàn viên” tiếp tục mở rộng: 12 siêu thị, cửa hàng và phòng "
    "khám trên địa bàn ký thỏa thuận giảm giá từ 5% đến 20% cho đoàn viên xuất trình thẻ. Hơn "
    "1.500 lượt đoàn viên đã được khám sức khỏe miễn phí tại Trung tâm Y tế huyện.",
    "Phát biểu tại hội nghị, đồng chí Chủ tịch LĐLĐ huyện đề nghị các công đoàn cơ sở tiếp tục "
    "nắm bắt tâm tư, nguyện vọng của người lao động, nhất là ở doanh nghiệp có nhiều lao động "
    "nữ, lao động ngoại tỉnh; chủ động đối thoại để giải quyết kịp thời những vướng mắc, không "
    "để xảy ra ngừng việc tập thể. Mọi ý kiến, kiến nghị của người lao động có thể gửi trực "
    "tiếp cho công đoàn cơ sở, qua đường dây nóng hoặc qua trang góp ý trực tuyến của LĐLĐ huyện.",
    "Dịp này, LĐLĐ huyện tặng Giấy khen cho 15 tập thể và 38 cá nhân có thành tích xuất sắc "
    "trong Tháng Công nhân năm 2026; trao 20 “Mái ấm Công đoàn” hỗ trợ sửa chữa nhà ở, mỗi "
    "suất 50 triệu đồng, cho đoàn viên có hoàn cảnh đặc biệt khó khăn.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
THEMES = ["su-kien-trong-tam", "cham-lo-bao-ve", "quyen-loi-doan-vien"]
SEEDS = ("demo", "small")


@dataclass(frozen=True)
class Seeded:
    product_path: str  # the article's public page
    units: int  # grassroots unions listed on the home page and in the form
    news: int  # public products in all
    photo_bytes: int  # the article's cover photo as stored


class _Quiet:
    def write(self, text: str) -> None:
        pass


def photo(width: int = 1600, height: int = 1067) -> bytes:
    """A JPEG the size of a phone photo resized for the web: sky, ground, people-sized shapes and
    sensor noise, so that it weighs what a real photo does (a flat picture would weigh nothing)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 0.6, width, height], fill=(96, 120, 72))
    for i in range(40):
        x = (i * 173) % width
        y = int(height * 0.45) + (i * 37) % int(height * 0.3)
        draw.ellipse([x, y, x + 60, y + 160], fill=((i * 47) % 255, (i * 91) % 255, 140))
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(2)), noise, 0.12)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def _actors(kind: str) -> tuple[Any, Any, Unit]:
    """(author, approver, unit) of the article, after seeding the rest."""
    if kind == "small":
        from congdoan.orgs.tests.factories import (
            CastFactory,  # lazy: the test cast, small seed only
        )

        cast = CastFactory.build()
        return cast.officer_a, cast.district_officer, cast.unit_a
    seed_all(only={"orgs", "content"}, stdout=_Quiet())
    district = Unit.objects.get(code="PX")
    return User.objects.get(email=OFFICE), _chair(district), district


def _chair(unit: Unit) -> User:
    """The unit's chair, who approves the office's news: the demo gives the chair no login,
    so the bench gives them one (no password: nobody logs in as them)."""
    chair = Appointment.objects.filter(
        unit=unit, position__code="chu-tich", ended_on__isnull=True
    ).first()
    if chair is None:
        raise SystemExit(f"the demo district {unit.code} has no chair to approve the article")
    if chair.user is None:
        chair.user = User.objects.create_user(
            "chutich.bench@ldldphuxuyen.vn",
            None,
            full_name=chair.full_name,
            email="chutich.bench@ldldphuxuyen.vn",
        )
        chair.save(update_fields=["user"])
    return chair.user


def seed(kind: str) -> Seeded:
    """Fill the fresh bench database; the article's public address and what the pages list."""
    author, approver, unit = _actors(kind)
    product = services.product_create(
        actor=author,
        unit=unit,
        title=TITLE,
        kind=ProductKind.NEWS,
        summary=SUMMARY,
        body=BODY,
        themes=Theme.objects.filter(code__in=THEMES),
        tags=["Tháng Công nhân", "an toàn vệ sinh lao động"],
        sharing=Sharing.PUBLIC,
    )
    upload = SimpleUploadedFile("thang-cong-nhan.jpg", photo(), content_type="image/jpeg")
    cover = product_media_add(
        actor=author,
        product=product,
        upload=upload,
        caption="Trao quà cho đoàn viên, người lao động có hoàn cảnh khó khăn.",
    )
    services.product_update(actor=author, product=product, cover=cover)
    services.product_submit(actor=author, product=product)
    services.product_approve(actor=approver, product=product)
    product = services.product_publish(actor=author, product=product)
    return Seeded(
        product_path=f"/tin/{unit.code}/{product.slug}/",
        units=Unit.objects.filter(is_active=True, level__is_grassroots=True).count(),
        news=Product.objects.filter(status="published", sharing=Sharing.PUBLIC).count(),
        photo_bytes=cover.size,
    )
