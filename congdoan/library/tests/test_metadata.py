"""Metadata read from 24 document headers written for these tests: typed (one column after
the other) and as OCR reads a scan (the two columns run together on each row)."""

from __future__ import annotations

from datetime import date

import pytest

from congdoan.library.metadata import extract_metadata, number_key
from congdoan.library.render import PaperDocument


def ocr_layout(doc: PaperDocument) -> str:
    """Rows across the page, as Tesseract (psm 4) returns a scanned page."""
    rows = [f"{left}   {right}" for left, right in doc.header_lines()]
    rows += ["", doc.doc_type.upper(), doc.title, "", *doc.body, ""]
    left = ["Nơi nhận:", *[f"- {r}" for r in doc.recipients]]
    right = [*doc.capacity, "", doc.signer]
    for i in range(max(len(left), len(right))):
        rows.append(
            f"{left[i] if i < len(left) else ''}   {right[i] if i < len(right) else ''}".strip()
        )
    return "\n".join(rows)


BODY = [
    "Thực hiện Chương trình công tác năm 2025, Ban Thường vụ đề nghị các cấp công đoàn triển khai thực hiện nghiêm túc."
]

CASES: list[tuple[str, PaperDocument, dict[str, object]]] = []


def case(name: str, doc: PaperDocument, **expected: object) -> None:
    base: dict[str, object] = {
        "issuer_parent": doc.parent,
        "issuer": doc.issuer,
        "number": doc.number,
        "title": doc.title,
        "signer": doc.signer,
        "signer_capacity": ", ".join(doc.capacity),
    }
    base.update(expected)
    CASES.append((name, doc, base))


case(
    "district-plan",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
        "21/KH-LĐLĐ",
        "Phú Xuyên, ngày 05 tháng 6 năm 2025",
        "Kế hoạch",
        "Tuyên truyền Tháng Công nhân năm 2025",
        BODY,
        ["LĐLĐ Thành phố;", "Các CĐCS;", "Lưu VP."],
        ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        "Nguyễn Văn Hùng",
    ),
    doc_type="ke_hoach",
    place="Phú Xuyên",
    issued_on=date(2025, 6, 5),
    recipients="LĐLĐ Thành phố\nCác CĐCS\nLưu VP",
)
case(
    "tld-programme",
    PaperDocument(
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "BAN CHẤP HÀNH",
        "03/CTr-BCH",
        "Hà Nội, ngày 15 tháng 01 năm 2025",
        "Chương trình",
        "Truyền thông công đoàn giai đoạn 2025 - 2028",
        BODY,
        ["Các LĐLĐ tỉnh, thành phố;", "Lưu VT."],
        ["TM. ĐOÀN CHỦ TỊCH", "CHỦ TỊCH"],
        "Nguyễn Đình Khang",
    ),
    doc_type="chuong_trinh",
    place="Hà Nội",
    issued_on=date(2025, 1, 15),
    signer_capacity="TM. ĐOÀN CHỦ TỊCH, CHỦ TỊCH",
)
case(
    "grassroots-resolution",
    PaperDocument(
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "BCH CÔNG ĐOÀN CÔNG TY TNHH MAY PHÚ MINH",
        "02/NQ-CĐCS",
        "Phú Xuyên, ngày 10 tháng 3 năm 2025",
        "Nghị quyết",
        "Hội nghị Ban Chấp hành lần thứ 5, khóa IV",
        BODY,
        ["LĐLĐ huyện;", "Lưu CĐCS."],
        ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"],
        "Lê Thị Minh",
    ),
    doc_type="nghi_quyet",
    issued_on=date(2025, 3, 10),
)
case(
    "district-report",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "88/BC-LĐLĐ",
        "Phú Xuyên, ngày 20 tháng 12 năm 2024",
        "Báo cáo",
        "Kết quả công tác công đoàn năm 2024 và phương hướng nhiệm vụ năm 2025",
        BODY,
        ["Thường trực LĐLĐ Thành phố;", "Huyện ủy Phú Xuyên;", "Lưu VP."],
        ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH"],
        "Trần Văn Thường",
    ),
    doc_type="bao_cao",
    issued_on=date(2024, 12, 20),
)
case(
    "notice",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
        "15/TB-LĐLĐ",
        "Phú Xuyên, ngày 02 tháng 4 năm 2025",
        "Thông báo",
        "Kết luận của Thường trực về công tác tuyên truyền Tháng Công nhân",
        BODY,
        ["Các CĐCS trực thuộc;", "Lưu VP."],
        ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"],
        "Nguyễn Thị Hồng Vân",
    ),
    doc_type="thong_bao",
    issued_on=date(2025, 4, 2),
)
case(
    "decision",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
        "112/QĐ-LĐLĐ",
        "Phú Xuyên, ngày 28 tháng 7 năm 2025",
        "Quyết định",
        "Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc",
        BODY,
        ["Như Điều 3;", "Lưu VP."],
        ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        "Nguyễn Văn Hùng",
    ),
    doc_type="quyet_dinh",
    issued_on=date(2025, 7, 28),
)
case(
    "guidance",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "07/HD-LĐLĐ",
        "Phú Xuyên, ngày 09 tháng 9 năm 2025",
        "Hướng dẫn",
        "Tổ chức Đại hội công đoàn cơ sở nhiệm kỳ 2023 - 2028",
        BODY,
        ["Các CĐCS;", "Lưu VP."],
        ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        "Phạm Thị Thu Hà",
    ),
    doc_type="huong_dan",
    issued_on=date(2025, 9, 9),
    signer_capacity="KT. CHỦ TỊCH, PHÓ CHỦ TỊCH",
)
case(
    "submission",
    PaperDocument(
        "CÔNG ĐOÀN GIÁO DỤC HUYỆN",
        "CÔNG ĐOÀN TRƯỜNG THPT PHÚ XUYÊN A",
        "04/TTr-CĐ",
        "Phú Xuyên, ngày 11 tháng 11 năm 2025",
        "Tờ trình",
        "Đề nghị hỗ trợ đoàn viên có hoàn cảnh khó khăn",
        BODY,
        ["LĐLĐ huyện;", "Lưu."],
        ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"],
        "Đỗ Quang Huy",
    ),
    doc_type="to_trinh",
    issued_on=date(2025, 11, 11),
)
case(
    "minutes",
    PaperDocument(
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "CĐCS CÔNG TY CP GIÀY DA ĐẠI XUYÊN",
        "01/BB-CĐCS",
        "Đại Xuyên, ngày 14 tháng 02 năm 2025",
        "Biên bản",
        "Hội nghị đối thoại giữa người sử dụng lao động và người lao động",
        BODY,
        ["Ban Giám đốc;", "Lưu CĐCS."],
        ["CHỦ TỌA"],
        "Bùi Văn Đạt",
    ),
    doc_type="bien_ban",
    place="Đại Xuyên",
    issued_on=date(2025, 2, 14),
    signer_capacity="",
)
case(
    "fdi-plan",
    PaperDocument(
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "CÔNG ĐOÀN CÔNG TY TNHH ĐIỆN TỬ HÀN VIỆT",
        "09/KH-CĐ",
        "Phú Xuyên, ngày 03 tháng 5 năm 2025",
        "Kế hoạch",
        "Tổ chức Tháng hành động về an toàn, vệ sinh lao động năm 2025",
        BODY,
        ["Ban Giám đốc Công ty;", "LĐLĐ huyện;", "Lưu."],
        ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"],
        "Phạm Đức Việt",
    ),
    doc_type="ke_hoach",
    issued_on=date(2025, 5, 3),
)
case(
    "city-directive",
    PaperDocument(
        "TỔNG LĐLĐ VIỆT NAM",
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "05/CT-LĐLĐ",
        "Hà Nội, ngày 06 tháng 01 năm 2025",
        "Chỉ thị",
        "Về tăng cường công tác chăm lo Tết Sum vầy năm 2025",
        BODY,
        ["Các LĐLĐ quận, huyện;", "Lưu VP."],
        ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        "Nguyễn Phi Thường",
    ),
    doc_type="chi_thi",
    place="Hà Nội",
    issued_on=date(2025, 1, 6),
)
case(
    "conclusion",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
        "22/KL-LĐLĐ",
        "Phú Xuyên, ngày 30 tháng 6 năm 2025",
        "Kết luận",
        "Của Ban Thường vụ về sơ kết 6 tháng đầu năm",
        BODY,
        ["Các đồng chí UV BTV;", "Lưu VP."],
        ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        "Nguyễn Văn Hùng",
    ),
    doc_type="ket_luan",
    issued_on=date(2025, 6, 30),
)
case(
    "invitation",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
        "31/GM-LĐLĐ",
        "Phú Xuyên, ngày 18 tháng 8 năm 2025",
        "Giấy mời",
        "Dự Hội nghị tập huấn kỹ năng truyền thông trên mạng xã hội",
        BODY,
        ["Như thành phần mời;", "Lưu VP."],
        ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"],
        "Nguyễn Thị Hồng Vân",
    ),
    doc_type="giay_moi",
    issued_on=date(2025, 8, 18),
)
case(
    "regulation",
    PaperDocument(
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "CÔNG ĐOÀN BỆNH VIỆN ĐA KHOA HUYỆN PHÚ XUYÊN",
        "03/QC-CĐ",
        "Phú Xuyên, ngày 01 tháng 10 năm 2025",
        "Quy chế",
        "Phối hợp giữa Ban Giám đốc và Ban Chấp hành Công đoàn",
        BODY,
        ["Ban Giám đốc;", "Lưu."],
        ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"],
        "Vũ Thị Mai",
    ),
    doc_type="quy_che",
    issued_on=date(2025, 10, 1),
)
case(
    "two-digit-day",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "45/KH-LĐLĐ",
        "Phú Xuyên, ngày 12 tháng 3 năm 2025",
        "Kế hoạch",
        "Triển khai Nghị quyết Đại hội Công đoàn Việt Nam lần thứ XIII",
        BODY,
        ["Các CĐCS;", "Lưu VP."],
        ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"],
        "Ngô Xuân Phúc",
    ),
    doc_type="ke_hoach",
    issued_on=date(2025, 3, 12),
)
case(
    "letter-number-suffix",
    PaperDocument(
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
        "17a/BC-LĐLĐ",
        "Phú Xuyên, ngày 25 tháng 9 năm 2025",
        "Báo cáo",
        "Nhanh tình hình công nhân, viên chức, lao động quý III",
        BODY,
        ["LĐLĐ Thành phố;", "Lưu VP."],
        ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        "Nguyễn Văn Hùng",
    ),
    doc_type="bao_cao",
    issued_on=date(2025, 9, 25),
)

LETTERS = [
    (
        "official-letter",
        """LĐLĐ THÀNH PHỐ HÀ NỘI
LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN
Số: 112/LĐLĐ
V/v tuyên truyền phòng, chống tin giả trên mạng xã hội

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Phú Xuyên, ngày 5 tháng 4 năm 2025

Kính gửi: Các công đoàn cơ sở trực thuộc.

Thực hiện chỉ đạo của LĐLĐ Thành phố, LĐLĐ huyện đề nghị các CĐCS tăng cường tuyên truyền.

Nơi nhận:
- Như trên;
- Lưu VP.
TL. BAN THƯỜNG VỤ
CHÁNH VĂN PHÒNG

Nguyễn Thị Hồng Vân""",
        {
            "issuer_parent": "LĐLĐ THÀNH PHỐ HÀ NỘI",
            "issuer": "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
            "number": "112/LĐLĐ",
            "doc_type": "cong_van",
            "title": "tuyên truyền phòng, chống tin giả trên mạng xã hội",
            "issued_on": date(2025, 4, 5),
            "place": "Phú Xuyên",
            "recipients": "Như trên\nLưu VP",
            "signer_capacity": "TL. BAN THƯỜNG VỤ, CHÁNH VĂN PHÒNG",
            "signer": "Nguyễn Thị Hồng Vân",
        },
    ),
    (
        "letter-interleaved",
        """LĐLĐ THÀNH PHỐ HÀ NỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
LĐLĐ HUYỆN PHÚ XUYÊN Độc lập - Tự do - Hạnh phúc
Số: 98/LĐLĐ-TG Phú Xuyên, ngày 17 tháng 10 năm 2025
V/v hưởng ứng Cuộc thi tìm hiểu pháp luật lao động

Kính gửi: Ban Chấp hành các công đoàn cơ sở.

Nơi nhận: KT. CHỦ TỊCH
- Như trên; PHÓ CHỦ TỊCH
- Lưu VP, TG.

Phạm Thị Thu Hà""",
        {
            "issuer_parent": "LĐLĐ THÀNH PHỐ HÀ NỘI",
            "issuer": "LĐLĐ HUYỆN PHÚ XUYÊN",
            "number": "98/LĐLĐ-TG",
            "doc_type": "cong_van",
            "title": "hưởng ứng Cuộc thi tìm hiểu pháp luật lao động",
            "issued_on": date(2025, 10, 17),
            "place": "Phú Xuyên",
            "recipients": "Như trên\nLưu VP, TG",
            "signer_capacity": "KT. CHỦ TỊCH, PHÓ CHỦ TỊCH",
            "signer": "Phạm Thị Thu Hà",
        },
    ),
    (
        "single-issuer-no-parent",
        """CÔNG ĐOÀN CƠ SỞ XÃ PHÚ TÚC
Số: 06/TB-CĐ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Phú Túc, ngày 08 tháng 5 năm 2025
THÔNG BÁO
Lịch sinh hoạt công đoàn tháng 5
Ban Chấp hành thông báo lịch sinh hoạt như sau.
CHỦ TỊCH
Dương Văn Nam""",
        {
            "issuer": "CÔNG ĐOÀN CƠ SỞ XÃ PHÚ TÚC",
            "number": "06/TB-CĐ",
            "doc_type": "thong_bao",
            "title": "Lịch sinh hoạt công đoàn tháng 5",
            "issued_on": date(2025, 5, 8),
            "place": "Phú Túc",
            "signer_capacity": "CHỦ TỊCH",
            "signer": "Dương Văn Nam",
        },
    ),
    (
        "three-line-issuer",
        """LĐLĐ HUYỆN PHÚ XUYÊN
BAN CHẤP HÀNH CÔNG ĐOÀN
CÔNG TY TNHH MAY PHÚ MINH
Số: 14/BC-CĐCS
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Phú Minh, ngày 29 tháng 11 năm 2025
BÁO CÁO
Tình hình việc làm, thu nhập của người lao động cuối năm 2025
Căn cứ tình hình thực tế tại doanh nghiệp, Ban Chấp hành báo cáo như sau.
Nơi nhận:
- LĐLĐ huyện;
- Lưu.
TM. BAN CHẤP HÀNH
CHỦ TỊCH
Lê Thị Minh""",
        {
            "issuer_parent": "LĐLĐ HUYỆN PHÚ XUYÊN",
            "issuer": "BAN CHẤP HÀNH CÔNG ĐOÀN CÔNG TY TNHH MAY PHÚ MINH",
            "number": "14/BC-CĐCS",
            "doc_type": "bao_cao",
            "title": "Tình hình việc làm, thu nhập của người lao động cuối năm 2025",
            "issued_on": date(2025, 11, 29),
            "place": "Phú Minh",
            "recipients": "LĐLĐ huyện\nLưu",
            "signer_capacity": "TM. BAN CHẤP HÀNH, CHỦ TỊCH",
            "signer": "Lê Thị Minh",
        },
    ),
    (
        "lost-marks",
        """LDLD THANH PHO HA NOI
LIEN DOAN LAO DONG HUYEN PHU XUYEN
So: 27/KH-LDLD
CONG HOA XA HOI CHU NGHIA VIET NAM
Doc lap - Tu do - Hanh phuc
Phu Xuyen, ngay 14 thang 7 nam 2025
KE HOACH
To chuc ky niem ngay thanh lap Cong doan Viet Nam
Thuc hien Chuong trinh cong tac nam 2025.
TM. BAN THUONG VU
CHU TICH
Nguyen Van Hung""",
        {
            "issuer_parent": "LDLD THANH PHO HA NOI",
            "issuer": "LIEN DOAN LAO DONG HUYEN PHU XUYEN",
            "number": "27/KH-LDLD",
            "doc_type": "ke_hoach",
            "title": "To chuc ky niem ngay thanh lap Cong doan Viet Nam",
            "issued_on": date(2025, 7, 14),
            "place": "Phu Xuyen",
            "signer_capacity": "TM. BAN THUONG VU, CHU TICH",
            "signer": "Nguyen Van Hung",
        },
    ),
]

PARAMS = [pytest.param(ocr_layout(doc), exp, id=f"{name}-ocr") for name, doc, exp in CASES]
PARAMS += [pytest.param(doc.as_text(), exp, id=f"{name}-typed") for name, doc, exp in CASES[:6]]
PARAMS += [pytest.param(text, exp, id=name) for name, text, exp in LETTERS]


@pytest.mark.parametrize(("text", "expected"), PARAMS)
def test_header_is_read_like_a_clerk_reads_it(text: str, expected: dict[str, object]) -> None:
    found = extract_metadata(text)
    for name, value in expected.items():
        if value in ("", None):
            assert name not in found.values, name
            continue
        assert found.values.get(name) == value, (name, found.values.get(name))
        assert 0 < found.confidence[name] <= 1


def test_there_are_at_least_twenty_distinct_headers() -> None:
    assert len(CASES) + len(LETTERS) >= 20


def test_agreeing_sources_give_the_type_a_higher_confidence() -> None:
    agree = extract_metadata("LĐLĐ HUYỆN\nSố: 1/KH-LĐLĐ\nKẾ HOẠCH\nTổ chức hội nghị")
    symbol_only = extract_metadata("LĐLĐ HUYỆN\nSố: 1/KH-LĐLĐ\nTổ chức hội nghị")
    assert agree.values["doc_type"] == symbol_only.values["doc_type"] == "ke_hoach"
    assert agree.confidence["doc_type"] > symbol_only.confidence["doc_type"]


def test_a_text_without_a_header_gets_a_low_confidence_title_only() -> None:
    found = extract_metadata("Ghi chép buổi họp tổ công đoàn.\nNội dung: bàn về bữa ăn ca.")
    assert set(found.values) == {"title"}
    assert found.confidence["title"] < 0.5


def test_common_ocr_damage_is_tolerated() -> None:
    found = extract_metadata(
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAMCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "CÔNG ĐOÀN NGÀNH GIÁO DỤC @A44 - Tự do - Hạnh phúc\n"
        "Số: 03/QÐ-CÐ Hà Nội, ngày 03 tháng. 3 năm-2026\n\nQUYẾT ĐỊNH\nVề việc khen thưởng\n"
        "Chăm lo đời sống vật chất, tinh thần cho người lao động, đặc biệt là công nhân ở nhà trọ"
    )
    assert found.values["number"] == "03/QĐ-CĐ"  # Ð (U+00D0) is a misread Đ
    assert found.values["issued_on"] == date(2026, 3, 3)
    assert found.values["issuer"] == "CÔNG ĐOÀN NGÀNH GIÁO DỤC"
    assert (
        found.values["title"] == "Về việc khen thưởng"
    )  # the longer sentence after it is the body


def test_number_key_ignores_case_marks_and_spaces() -> None:
    assert number_key("21 / KH-LĐLĐ") == number_key("21/kh-ldld") == "21/kh-ldld"
