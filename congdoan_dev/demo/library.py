"""Demo library: plans, reports, letters and notices of Phú Xuyên and its units, 2022-2026.

Written by the project itself (no real documents). Some come as PDFs with text, some as
DOCX or TXT, a few as scans rendered with Pillow (their OCR is left to the worker), one as
text OCR'd long ago without Vietnamese (to show restoration). Many cite each other, so that
links, search and the digitisation indicator show something real. A file born digital is
dated as uploaded a few days after it was issued; scans as uploaded recently (paper being
digitised now). Idempotent: a document whose unit already has a file of the same name is
skipped.
"""

from __future__ import annotations

import io
import random
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from congdoan.library import pipeline, services, tasks
from congdoan.library.intake import Refused
from congdoan.library.models import Document, Status
from congdoan.library.render import FONT_PATH, PaperDocument, render_page
from congdoan.orgs.models import Unit
from congdoan.text import strip_marks

CITY = "LĐLĐ THÀNH PHỐ HÀ NỘI"
PX = "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN"
RECIPIENTS = [
    "Thường trực LĐLĐ Thành phố;",
    "Thường trực Huyện ủy;",
    "Các CĐCS trực thuộc;",
    "Lưu VP.",
]
BTV = ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"]

# (unit code, file name, form, visibility, document)
DISTRICT_DOCS: list[tuple[str, str, str, str, PaperDocument]] = [
    (
        "TLD",
        "CTr-03-BCH-TLD.pdf",
        "pdf",
        "public",
        PaperDocument(
            "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
            "BAN CHẤP HÀNH",
            "03/CTr-BCH",
            "Hà Nội, ngày 15 tháng 01 năm 2025",
            "Chương trình",
            "Đẩy mạnh công tác truyền thông công đoàn giai đoạn 2025 - 2028",
            [
                "Nhằm nâng cao hiệu quả công tác tuyên truyền, Ban Chấp hành Tổng Liên đoàn ban hành chương trình truyền thông công đoàn.",
                "Mục tiêu: đến năm 2028, 80 - 90% tài liệu truyền thông được số hóa, kết nối, chia sẻ và công bố trên môi trường mạng.",
                "Các cấp công đoàn đa dạng hóa hình thức truyền thông, chú trọng nền tảng số, mạng xã hội và truyền thông trực tiếp tại doanh nghiệp.",
            ],
            ["Các LĐLĐ tỉnh, thành phố;", "Các công đoàn ngành trung ương;", "Lưu VT."],
            ["TM. ĐOÀN CHỦ TỊCH", "CHỦ TỊCH"],
            "Nguyễn Đình Khang",
        ),
    ),
    (
        "PX",
        "KH-45-LDLD-trien-khai-nghi-quyet.pdf",
        "pdf",
        "union",
        PaperDocument(
            CITY,
            PX,
            "45/KH-LĐLĐ",
            "Phú Xuyên, ngày 12 tháng 3 năm 2025",
            "Kế hoạch",
            "Triển khai Nghị quyết Đại hội Công đoàn Việt Nam lần thứ XIII",
            [
                "Thực hiện Chương trình số 03/CTr-BCH ngày 15/01/2025 của Ban Chấp hành Tổng Liên đoàn và Kế hoạch số 96/KH-LĐLĐ ngày 20/01/2025 của LĐLĐ Thành phố, Ban Thường vụ LĐLĐ huyện xây dựng kế hoạch triển khai Nghị quyết.",
                "Tổ chức quán triệt Nghị quyết đến 100% cán bộ công đoàn chủ chốt; tuyên truyền sâu rộng đến đoàn viên, người lao động.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "KH-21-LDLD-thang-cong-nhan.docx",
        "docx",
        "subtree",
        PaperDocument(
            CITY,
            PX,
            "21/KH-LĐLĐ",
            "Phú Xuyên, ngày 05 tháng 4 năm 2025",
            "Kế hoạch",
            "Tuyên truyền Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động năm 2025",
            [
                "Căn cứ Kế hoạch số 45/KH-LĐLĐ ngày 12/3/2025 của Ban Thường vụ LĐLĐ huyện và Chương trình số 03/CTr-BCH ngày 15/01/2025 của Ban Chấp hành Tổng Liên đoàn.",
                "Nội dung tuyên truyền: chính sách pháp luật về lao động, an toàn vệ sinh lao động, chăm lo đời sống đoàn viên.",
                "Hình thức: pa-nô, áp phích, loa truyền thanh, trang Fanpage công đoàn, nhóm Zalo của công nhân.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "BC-88-LDLD-tong-ket-2024.pdf",
        "pdf",
        "union",
        PaperDocument(
            CITY,
            PX,
            "88/BC-LĐLĐ",
            "Phú Xuyên, ngày 20 tháng 12 năm 2024",
            "Báo cáo",
            "Kết quả công tác công đoàn năm 2024 và phương hướng nhiệm vụ năm 2025",
            [
                "Năm 2024, LĐLĐ huyện có 34 công đoàn cơ sở với hơn 9.800 đoàn viên; phát triển mới 620 đoàn viên.",
                "Công tác truyền thông: tổ chức 48 buổi tuyên truyền trực tiếp, 120 tin bài trên Fanpage, 6 cuộc thi trực tuyến với 5.200 lượt tham gia.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "TB-15-LDLD-ket-luan.txt",
        "txt",
        "subtree",
        PaperDocument(
            CITY,
            PX,
            "15/TB-LĐLĐ",
            "Phú Xuyên, ngày 02 tháng 5 năm 2025",
            "Thông báo",
            "Kết luận của Thường trực về công tác tuyên truyền Tháng Công nhân",
            [
                "Thường trực LĐLĐ huyện ghi nhận các CĐCS đã triển khai tốt Kế hoạch số 21/KH-LĐLĐ ngày 05/4/2025.",
                "Đề nghị các CĐCS báo cáo kết quả trước ngày 31/5/2025.",
            ],
            ["Các CĐCS trực thuộc;", "Lưu VP."],
            ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"],
            "Nguyễn Thị Hồng Vân",
        ),
    ),
    (
        "PX",
        "CV-112-LDLD-tin-gia.docx",
        "docx",
        "union",
        PaperDocument(
            CITY,
            PX,
            "112/LĐLĐ",
            "Phú Xuyên, ngày 18 tháng 6 năm 2025",
            "",
            "V/v tuyên truyền phòng, chống tin giả, tin xấu độc trên mạng xã hội",
            [
                "Kính gửi: Các công đoàn cơ sở trực thuộc.",
                "Thời gian qua trên mạng xã hội xuất hiện thông tin sai lệch về chính sách bảo hiểm xã hội một lần. Đề nghị các CĐCS tuyên truyền để đoàn viên hiểu đúng, không chia sẻ tin chưa kiểm chứng.",
                "Thực hiện theo Chương trình số 03/CTr-BCH ngày 15/01/2025 của Ban Chấp hành Tổng Liên đoàn.",
            ],
            ["Như trên;", "Lưu VP."],
            ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"],
            "Nguyễn Thị Hồng Vân",
        ),
    ),
    (
        "PX",
        "CV-08-LDLD-dinh-huong-thong-tin-tet-2026.docx",
        "docx",
        "subtree",
        PaperDocument(
            CITY,
            PX,
            "08/LĐLĐ",
            "Phú Xuyên, ngày 12 tháng 01 năm 2026",
            "",
            "V/v định hướng thông tin tuyên truyền dịp Tết Nguyên đán Bính Ngọ năm 2026",
            [
                "Kính gửi: Các công đoàn cơ sở trực thuộc.",
                "Để đoàn viên, người lao động đón Tết an toàn, tiết kiệm, Ban Thường vụ LĐLĐ huyện định hướng các CĐCS tập trung tuyên truyền chương trình Tết Sum vầy, chính sách thưởng Tết, lịch nghỉ Tết và việc giữ gìn an ninh trật tự tại khu nhà trọ công nhân.",
                "Các CĐCS không chia sẻ thông tin chưa kiểm chứng về việc chậm trả lương, thưởng; khi có phản ánh, báo cáo ngay về Văn phòng LĐLĐ huyện.",
            ],
            ["Như trên;", "Lưu VP."],
            ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"],
            "Nguyễn Thị Hồng Vân",
        ),
    ),
    (
        "PX",
        "HD-05-LDLD-dinh-huong-thang-cong-nhan-2026.docx",
        "docx",
        "subtree",
        PaperDocument(
            CITY,
            PX,
            "05/HD-LĐLĐ",
            "Phú Xuyên, ngày 08 tháng 4 năm 2026",
            "Hướng dẫn",
            "Định hướng thông tin tuyên truyền Tháng Công nhân và Tháng hành động về an toàn, vệ sinh lao động năm 2026",
            [
                "Nội dung trọng tâm: chính sách pháp luật mới về lao động, bảo hiểm xã hội; an toàn, vệ sinh lao động trong mùa nắng nóng; gương đoàn viên tiêu biểu.",
                "Hình thức: pa-nô, áp phích, loa truyền thanh giữa ca, trang Fanpage và nhóm Zalo của công đoàn cơ sở.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "QD-130-LDLD-khen-thuong.pdf",
        "pdf",
        "public",
        PaperDocument(
            CITY,
            PX,
            "130/QĐ-LĐLĐ",
            "Phú Xuyên, ngày 28 tháng 7 năm 2025",
            "Quyết định",
            "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong công tác truyền thông",
            [
                "Căn cứ Kế hoạch số 21/KH-LĐLĐ ngày 05/4/2025; xét đề nghị của Văn phòng LĐLĐ huyện.",
                "Điều 1. Khen thưởng 5 tập thể và 12 cá nhân có thành tích xuất sắc trong công tác truyền thông công đoàn năm 2025.",
            ],
            ["Như Điều 3;", "Lưu VP."],
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "HD-07-LDLD-dai-hoi.pdf",
        "pdf",
        "subtree",
        PaperDocument(
            CITY,
            PX,
            "07/HD-LĐLĐ",
            "Phú Xuyên, ngày 09 tháng 9 năm 2025",
            "Hướng dẫn",
            "Tổ chức hội nghị người lao động và đối thoại tại nơi làm việc năm 2026",
            [
                "Thực hiện Kế hoạch số 45/KH-LĐLĐ ngày 12/3/2025, LĐLĐ huyện hướng dẫn các CĐCS phối hợp với người sử dụng lao động tổ chức đối thoại định kỳ.",
                "Nội dung đối thoại tập trung vào tiền lương, thời giờ làm việc, bữa ăn ca và an toàn vệ sinh lao động.",
            ],
            ["Các CĐCS;", "Lưu VP."],
            ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
            "Phạm Thị Thu Hà",
        ),
    ),
    (
        "PX",
        "GM-31-LDLD-tap-huan.txt",
        "txt",
        "union",
        PaperDocument(
            CITY,
            PX,
            "31/GM-LĐLĐ",
            "Phú Xuyên, ngày 18 tháng 8 năm 2025",
            "Giấy mời",
            "Dự Hội nghị tập huấn kỹ năng truyền thông trên mạng xã hội",
            [
                "LĐLĐ huyện trân trọng kính mời đồng chí Chủ tịch CĐCS dự hội nghị tập huấn kỹ năng truyền thông, xây dựng và quản trị Fanpage công đoàn."
            ],
            ["Như thành phần mời;", "Lưu VP."],
            ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"],
            "Nguyễn Thị Hồng Vân",
        ),
    ),
    (
        "PX",
        "BC-140-LDLD-so-ket-6-thang.pdf",
        "pdf",
        "unit",
        PaperDocument(
            CITY,
            PX,
            "140/BC-LĐLĐ",
            "Phú Xuyên, ngày 30 tháng 6 năm 2025",
            "Báo cáo",
            "Sơ kết công tác truyền thông 6 tháng đầu năm 2025",
            [
                "Thực hiện Kế hoạch số 21/KH-LĐLĐ ngày 05/4/2025 và Kế hoạch số 45/KH-LĐLĐ ngày 12/3/2025, 6 tháng đầu năm toàn huyện tổ chức 31 buổi tuyên truyền trực tiếp.",
                "Tỷ lệ tài liệu truyền thông được số hóa đạt 62%, đã chia sẻ trên hệ thống đạt 48%.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
]

# Earlier and later years, so that the library spans the whole term (2022-2026).
DISTRICT_DOCS += [
    (
        "PX",
        "BC-92-LDLD-tong-ket-2022.pdf",
        "pdf",
        "union",
        PaperDocument(
            CITY,
            PX,
            "92/BC-LĐLĐ",
            "Phú Xuyên, ngày 16 tháng 12 năm 2022",
            "Báo cáo",
            "Kết quả công tác công đoàn năm 2022 và phương hướng nhiệm vụ năm 2023",
            [
                "Năm 2022, LĐLĐ huyện có 33 công đoàn cơ sở với hơn 9.100 đoàn viên; thành lập mới 2 công đoàn cơ sở tại doanh nghiệp ngoài nhà nước.",
                "Chăm lo Tết Nhâm Dần cho 1.850 đoàn viên, người lao động có hoàn cảnh khó khăn; phối hợp tổ chức 12 hội nghị đối thoại tại doanh nghiệp.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "KH-12-LDLD-dai-hoi-co-so-2023.docx",
        "docx",
        "subtree",
        PaperDocument(
            CITY,
            PX,
            "12/KH-LĐLĐ",
            "Phú Xuyên, ngày 20 tháng 02 năm 2023",
            "Kế hoạch",
            "Chỉ đạo đại hội công đoàn cơ sở nhiệm kỳ 2023 - 2028",
            [
                "Đại hội công đoàn cơ sở hoàn thành trước ngày 30/6/2023; nhân sự Ban Chấp hành bảo đảm cơ cấu, có cán bộ nữ và công nhân trực tiếp sản xuất.",
                "Văn phòng LĐLĐ huyện hướng dẫn hồ sơ, thẩm định văn kiện và dự đại hội tại các công đoàn cơ sở trực thuộc.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "BC-85-LDLD-tong-ket-2023.pdf",
        "pdf",
        "union",
        PaperDocument(
            CITY,
            PX,
            "85/BC-LĐLĐ",
            "Phú Xuyên, ngày 18 tháng 12 năm 2023",
            "Báo cáo",
            "Kết quả công tác công đoàn năm 2023 và phương hướng nhiệm vụ năm 2024",
            [
                "Thực hiện Kế hoạch số 12/KH-LĐLĐ ngày 20/02/2023, 100% công đoàn cơ sở đã tổ chức đại hội nhiệm kỳ 2023 - 2028 đúng tiến độ.",
                "Phát triển mới 540 đoàn viên; giới thiệu 14 đoàn viên ưu tú để Đảng xem xét kết nạp.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "TB-05-LDLD-tet-sum-vay-2024.txt",
        "txt",
        "subtree",
        PaperDocument(
            CITY,
            PX,
            "05/TB-LĐLĐ",
            "Phú Xuyên, ngày 08 tháng 01 năm 2024",
            "Thông báo",
            "Tổ chức chương trình Tết Sum vầy năm 2024",
            [
                "LĐLĐ huyện tổ chức chương trình Tết Sum vầy tại Nhà văn hóa huyện; mỗi công đoàn cơ sở đề xuất đoàn viên có hoàn cảnh khó khăn để nhận quà.",
                "Danh sách gửi về Văn phòng LĐLĐ huyện trước ngày 15/01/2024.",
            ],
            ["Các CĐCS;", "Lưu VP."],
            ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"],
            "Nguyễn Thị Hồng Vân",
        ),
    ),
    (
        "PX",
        "BC-61-LDLD-so-ket-6-thang-2026.pdf",
        "pdf",
        "union",
        PaperDocument(
            CITY,
            PX,
            "61/BC-LĐLĐ",
            "Phú Xuyên, ngày 25 tháng 6 năm 2026",
            "Báo cáo",
            "Sơ kết công tác công đoàn 6 tháng đầu năm 2026",
            [
                "Sáu tháng đầu năm 2026, các công đoàn cơ sở tiếp nhận và trả lời ý kiến của người lao động trên nền tảng số; phần lớn ý kiến về tiền lương, làm thêm giờ và bữa ăn ca.",
                "Phối hợp tổ chức 9 hội nghị đối thoại tại doanh nghiệp theo Hướng dẫn số 07/HD-LĐLĐ ngày 09/9/2025.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX",
        "KH-08-LDLD-cham-lo-tet-2027.pdf",
        "pdf",
        "subtree",
        PaperDocument(
            CITY,
            PX,
            "08/KH-LĐLĐ",
            "Phú Xuyên, ngày 10 tháng 11 năm 2026",
            "Kế hoạch",
            "Chăm lo Tết Nguyên đán Đinh Mùi năm 2027 cho đoàn viên, người lao động",
            [
                "Các công đoàn cơ sở rà soát đoàn viên, người lao động có hoàn cảnh khó khăn, bị mất việc làm hoặc bị nợ lương để đề xuất hỗ trợ.",
                "Đề nghị người sử dụng lao động công khai mức thưởng Tết trước ngày 15/12/2026 và bố trí xe đưa công nhân về quê ăn Tết.",
            ],
            RECIPIENTS,
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
]

SCANS: list[tuple[str, str, PaperDocument]] = [
    (
        "PX",
        "scan-TB-20-LDLD-lich-doi-thoai.png",
        PaperDocument(
            CITY,
            PX,
            "20/TB-LĐLĐ",
            "Phú Xuyên, ngày 10 tháng 10 năm 2025",
            "Thông báo",
            "Lịch đối thoại giữa lãnh đạo huyện với công nhân lao động",
            [
                "Thực hiện Hướng dẫn số 07/HD-LĐLĐ ngày 09/9/2025, LĐLĐ huyện thông báo lịch đối thoại tại các doanh nghiệp trong tháng 11."
            ],
            ["Các CĐCS;", "Lưu VP."],
            BTV,
            "Nguyễn Văn Hùng",
        ),
    ),
    (
        "PX-MAY-PHUMINH",
        "scan-BB-01-doi-thoai-may-phu-minh.png",
        PaperDocument(
            "LĐLĐ HUYỆN PHÚ XUYÊN",
            "CÔNG ĐOÀN CÔNG TY TNHH MAY PHÚ MINH",
            "01/BB-CĐCS",
            "Phú Xuyên, ngày 14 tháng 11 năm 2025",
            "Biên bản",
            "Hội nghị đối thoại giữa người sử dụng lao động và người lao động",
            [
                "Người lao động đề nghị tăng tiền bữa ăn ca và bố trí thêm xe đưa đón công nhân. Ban Giám đốc ghi nhận và trả lời trước ngày 30/11/2025."
            ],
            ["Ban Giám đốc;", "Lưu CĐCS."],
            ["THƯ KÝ"],
            "Hoàng Thị Lan",
        ),
    ),
    (
        "PX-DIENTU-HANVIET",
        "scan-KH-09-an-toan-lao-dong.png",
        PaperDocument(
            "LĐLĐ HUYỆN PHÚ XUYÊN",
            "CÔNG ĐOÀN CÔNG TY TNHH ĐIỆN TỬ HÀN VIỆT",
            "09/KH-CĐ",
            "Phú Xuyên, ngày 03 tháng 5 năm 2025",
            "Kế hoạch",
            "Tổ chức Tháng hành động về an toàn, vệ sinh lao động năm 2025",
            [
                "Thực hiện Kế hoạch số 21/KH-LĐLĐ ngày 05/4/2025 của LĐLĐ huyện, Công đoàn Công ty tổ chức kiểm tra an toàn tại các dây chuyền."
            ],
            ["LĐLĐ huyện;", "Lưu."],
            ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"],
            "Phạm Đức Việt",
        ),
    ),
]

GRASSROOTS_TOPICS = [
    (
        "Kế hoạch",
        "KH",
        "Tuyên truyền Tháng Công nhân năm 2025 tại đơn vị",
        "Thực hiện Kế hoạch số 21/KH-LĐLĐ ngày 05/4/2025 của LĐLĐ huyện, Ban Chấp hành công đoàn xây dựng kế hoạch tuyên truyền, thăm hỏi đoàn viên có hoàn cảnh khó khăn.",
    ),
    (
        "Báo cáo",
        "BC",
        "Kết quả hoạt động công đoàn 6 tháng đầu năm 2025",
        "Thực hiện Thông báo số 15/TB-LĐLĐ ngày 02/5/2025, công đoàn báo cáo: đã tổ chức tuyên truyền pháp luật lao động, chăm lo Tết Sum vầy và phát triển đoàn viên mới.",
    ),
    (
        "Thông báo",
        "TB",
        "Lịch sinh hoạt công đoàn và đối thoại định kỳ quý IV",
        "Căn cứ Hướng dẫn số 07/HD-LĐLĐ ngày 09/9/2025 của LĐLĐ huyện, công đoàn thông báo lịch đối thoại định kỳ với người sử dụng lao động.",
    ),
]
GRASSROOTS_UNITS = [
    "PX-MAY-PHUMINH",
    "PX-DIENTU-HANVIET",
    "PX-GIAY-DAIXUYEN",
    "PX-BVDK",
    "PX-THPTPX-A",
    "PX-MAY-YOUNGSUN",
    "PX-NHUA-TOKAI",
    "PX-UBND",
    "PX-DIENLUC",
    "PX-THUCPHAM-HOANGLONG",
]
SIGNERS = [
    "Lê Thị Minh",
    "Phạm Đức Việt",
    "Bùi Văn Đạt",
    "Vũ Thị Mai",
    "Đỗ Quang Huy",
    "Trần Thị Hạnh",
    "Ngô Xuân Phúc",
    "Đặng Thu Trang",
    "Hoàng Văn Sơn",
    "Dương Thị Yến",
]


def _pdf(text: str) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_font(fontname="dejavu", fontfile=FONT_PATH)
    page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontname="dejavu", fontsize=10)
    data = doc.tobytes(no_new_id=True)
    doc.close()
    return data


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _png(doc: PaperDocument, seed: int) -> bytes:
    buffer = io.BytesIO()
    render_page(doc, noise=0.4, seed=seed).save(buffer, format="PNG")
    return buffer.getvalue()


_ISSUED = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


def _uploaded_at(paper: PaperDocument, rng: random.Random, scanned: bool) -> datetime:
    """When the file came into the library: a few days after it was issued, or (a scan of
    paper) in the last weeks; never in the future."""
    now = timezone.now()
    found = _ISSUED.search(paper.place_date)
    if scanned or found is None:
        return now - timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 8))
    day, month, year = (int(x) for x in found.groups())
    at = timezone.make_aware(datetime.combine(date(year, month, day), time(8))) + timedelta(
        days=rng.randint(1, 6), hours=rng.randint(0, 8)
    )
    return min(at, now - timedelta(hours=1))


def _add(
    unit: Unit,
    name: str,
    data: bytes,
    visibility: str,
    tags: str,
    stdout: Any,
    uploaded_at: datetime | None = None,
) -> bool:
    if Document.objects.filter(unit=unit, original_name=name).exists():
        return False
    try:
        with transaction.atomic():
            doc = services.document_upload(
                actor=None, unit=unit, name=name, data=data, visibility=visibility, tags=tags
            )
            # Read it now so the demo shows results at once; only scans wait for the OCR worker.
            tasks.queue_next(doc.pk, pipeline.document_process(document_id=doc.pk))
            if uploaded_at is not None:
                dated = Document.objects.filter(pk=doc.pk)
                dated.update(created_at=uploaded_at)
                dated.exclude(published_at=None).update(published_at=uploaded_at)
                # A scan still waiting for OCR keeps a fresh `updated_at` (the worker's staleness clock).
                dated.filter(status=Status.READY).update(updated_at=uploaded_at)
    except (Refused, services.Duplicate) as exc:
        if stdout:
            stdout.write(f"  (bỏ qua {name}: {getattr(exc, 'message', exc)})")
        return False
    return True


def _grassroots_docs() -> list[tuple[str, str, str, str, PaperDocument]]:
    rng = random.Random(2025)
    units = {u.code: u for u in Unit.objects.filter(code__in=GRASSROOTS_UNITS)}
    out = []
    for i, code in enumerate(GRASSROOTS_UNITS):
        unit = units.get(code)
        if unit is None:
            continue
        for j, (kind, symbol, title, body) in enumerate(GRASSROOTS_TOPICS):
            if (i + j) % 4 == 3:
                continue  # not every unit has filed everything: the indicator should not be 100%
            number = f"{rng.randint(2, 40):02d}/{symbol}-CĐCS"
            day, month = rng.randint(1, 28), [4, 7, 10][j]
            doc = PaperDocument(
                "LĐLĐ HUYỆN PHÚ XUYÊN",
                unit.name.upper(),
                number,
                f"Phú Xuyên, ngày {day:02d} tháng {month} năm 2025",
                kind,
                title,
                [
                    body,
                    f"Công đoàn {unit.employer_name or unit.name} phấn đấu 100% đoàn viên được tiếp cận thông tin chính sách, pháp luật.",
                ],
                ["LĐLĐ huyện;", "Lưu CĐCS."],
                ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"],
                SIGNERS[i],
            )
            form = ["pdf", "docx", "txt"][(i + j) % 3]
            visibility = ["unit", "subtree", "unit", "union"][(i + 2 * j) % 4]
            out.append(
                (code, f"{symbol}-{number.split('/')[0]}-{code}.{form}", form, visibility, doc)
            )
    return out


def seed(stdout: Any = None) -> None:
    units = {u.code: u for u in Unit.objects.all()}
    if "PX" not in units:
        if stdout:
            stdout.write("  (chưa có cây tổ chức Phú Xuyên — bỏ qua thư viện)")
        return
    added = 0
    rng = random.Random(2022)
    for code, name, form, visibility, doc in DISTRICT_DOCS + _grassroots_docs():
        unit = units.get(code) or units["PX"]
        text = doc.as_text()
        data = {"pdf": _pdf, "docx": _docx}.get(form, lambda t: t.encode())(text)
        tags = "truyền thông" if "truyền thông" in text.lower() else ""
        added += _add(
            unit, name, data, visibility, tags, stdout, _uploaded_at(doc, rng, scanned=False)
        )
    # Old OCR without Vietnamese: the library restores the marks and keeps the original beside.
    old = DISTRICT_DOCS[4][4]
    lost = strip_marks(old.as_text().replace("15/TB-LĐLĐ", "16/TB-LĐLĐ"))
    added += _add(
        units["PX"],
        "TB-16-LDLD-ocr-cu-mat-dau.txt",
        lost.encode(),
        "subtree",
        "",
        stdout,
        _uploaded_at(old, rng, scanned=True),
    )
    for i, (code, name, doc) in enumerate(SCANS):
        unit = units.get(code) or units["PX"]
        added += _add(
            unit,
            name,
            _png(doc, seed=i),
            "subtree",
            "bản quét",
            stdout,
            _uploaded_at(doc, rng, scanned=True),
        )
    if stdout:
        stdout.write(
            f"  thư viện: thêm {added} tài liệu ({Document.objects.count()} tổng cộng); bản quét chờ nhận dạng chữ ở tiến trình nền."
        )
