"""A small labour code and decree as parsed text, for tests that need no dataset."""

from __future__ import annotations

import datetime as dt

from congdoan.legal.parsing.types import ParsedArticle, ParsedClause, ParsedLaw, ParsedPoint

CODE_ID = "45/2019/QH14"
DECREE_ID = "145/2020/NĐ-CP"


def _article(number: str, title: str, clauses: list[str], **extra: object) -> ParsedArticle:
    parsed = [ParsedClause(number=str(i + 1), text=t) for i, t in enumerate(clauses)]
    text = "\n".join(f"{c.number}. {c.text}" for c in parsed)
    return ParsedArticle(number=number, title=title, text=text, clauses=parsed, **extra)  # type: ignore[arg-type]


def code(leave_days: int = 12) -> ParsedLaw:
    leave = _article(
        "113",
        "Nghỉ hằng năm",
        [
            f"Người lao động làm việc đủ 12 tháng cho một người sử dụng lao động thì được nghỉ "
            f"hằng năm, hưởng nguyên lương theo hợp đồng lao động như sau: {leave_days} ngày "
            "làm việc đối với người làm công việc trong điều kiện bình thường.",
            "Người lao động làm việc chưa đủ 12 tháng thì số ngày nghỉ hằng năm theo tỷ lệ "
            "tương ứng với số tháng làm việc.",
            "Trường hợp do thôi việc, bị mất việc làm mà chưa nghỉ hằng năm hoặc chưa nghỉ hết "
            "số ngày nghỉ hằng năm thì được người sử dụng lao động thanh toán tiền lương cho "
            "những ngày chưa nghỉ.",
        ],
    )
    leave.clauses[0].points = [
        ParsedPoint("a", "12 ngày làm việc đối với người làm công việc trong điều kiện bình thường")
    ]
    return ParsedLaw(
        law_id=CODE_ID,
        title="Bộ luật Lao động",
        kind="bo_luat",
        issuer="Quốc hội",
        issued_on=dt.date(2019, 11, 20),
        effective_from=dt.date(2021, 1, 1),
        articles=[
            _article(
                "17",
                "Hành vi người sử dụng lao động không được làm khi giao kết, thực hiện hợp đồng "
                "lao động",
                [
                    "Giữ bản chính giấy tờ tùy thân, văn bằng, chứng chỉ của người lao động.",
                    "Yêu cầu người lao động phải thực hiện biện pháp bảo đảm bằng tiền hoặc tài "
                    "sản khác cho việc thực hiện hợp đồng lao động.",
                ],
            ),
            _article(
                "98",
                "Tiền lương làm thêm giờ, làm việc vào ban đêm",
                [
                    "Người lao động làm thêm giờ được trả lương tính theo đơn giá tiền lương hoặc "
                    "tiền lương thực trả theo công việc đang làm như sau: vào ngày thường, ít "
                    "nhất bằng 150%; vào ngày nghỉ hằng tuần, ít nhất bằng 200%.",
                    "Người lao động làm việc vào ban đêm thì được trả thêm ít nhất bằng 30% tiền "
                    "lương.",
                ],
            ),
            _article(
                "107",
                "Làm thêm giờ",
                [
                    "Thời gian làm thêm giờ là khoảng thời gian làm việc ngoài thời giờ làm việc "
                    "bình thường.",
                    "Bảo đảm số giờ làm thêm của người lao động không quá 40 giờ trong 01 tháng.",
                ],
            ),
            leave,
            _article(
                "139",
                "Nghỉ thai sản",
                ["Lao động nữ được nghỉ thai sản trước và sau khi sinh con là 06 tháng."],
            ),
            ParsedArticle(number="170", title="Quyền thành lập, gia nhập công đoàn", text=""),
        ],
    )


def decree() -> ParsedLaw:
    return ParsedLaw(
        law_id=DECREE_ID,
        title="Nghị định quy định chi tiết về điều kiện lao động và quan hệ lao động",
        kind="nghi_dinh",
        issuer="Chính phủ",
        issued_on=dt.date(2020, 12, 14),
        effective_from=dt.date(2021, 2, 1),
        articles=[
            _article(
                "65",
                "Thời gian được coi là thời gian làm việc để tính số ngày nghỉ hằng năm",
                ["Thời gian nghỉ vì ốm đau cộng dồn không quá 2 tháng trong một năm."],
            )
        ],
    )
