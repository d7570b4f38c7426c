"""The two header columns are read apart (issue 11.12): a misread national motto never becomes
part of the issuer, a field that mixes it in gets a low confidence, and an issuer wrapped over
two lines is one issuer. With the real Tesseract on a rendered two-column header."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.library import services
from congdoan.library.metadata import extract_metadata
from congdoan.library.models import Status
from congdoan.library.render import PaperDocument
from congdoan.library.tests import helpers

pytestmark = pytest.mark.django_db


class MisreadMotto(PaperDocument):
    """A clean scan on which the last word of the motto did not come out (as in the field test):
    the text alone no longer says where the issuer ends."""

    def header_lines(self) -> list[tuple[str, str]]:
        return [
            (self.parent, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT"),
            (self.issuer, "Độc lập - Tự do - Hạnh phúc"),
            (f"Số: {self.number}", self.place_date),
        ]


WRAPPED = MisreadMotto(
    **{**helpers.PLAN.__dict__, "parent": "LIÊN ĐOÀN LAO ĐỘNG", "issuer": "HUYỆN PHÚ XUYÊN"}
)


@pytest.mark.tesseract
def test_a_scanned_header_is_read_column_by_column(cast: Any, run_on_commit: Any) -> None:
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="quet.png",
        data=helpers.png(WRAPPED),
    )
    doc.refresh_from_db()
    assert doc.status == Status.READY, doc.error
    assert doc.issuer == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN" and doc.issuer_parent == ""
    assert doc.number == "21/KH-LĐLĐ" and doc.place == "Phú Xuyên"
    assert doc.text.splitlines()[:4] == [
        "LIÊN ĐOÀN LAO ĐỘNG",
        "HUYỆN PHÚ XUYÊN",
        "Số: 21/KH-LĐLĐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT",
    ]


def test_an_issuer_that_mixes_in_the_motto_gets_a_low_confidence() -> None:
    rows = "\n".join(f"{left}   {right}" for left, right in WRAPPED.header_lines())
    found = extract_metadata(rows + "\n\nKẾ HOẠCH\nTuyên truyền Tháng Công nhân năm 2025\n")
    assert "CỘNG HÒA" in found.values["issuer_parent"]
    assert found.confidence["issuer_parent"] <= 0.3


def test_an_issuer_wrapped_over_two_lines_is_one_issuer() -> None:
    found = extract_metadata(
        "LIÊN ĐOÀN LAO ĐỘNG\nHUYỆN PHÚ XUYÊN\nSố: 21/KH-LĐLĐ\n\nKẾ HOẠCH\nTuyên truyền\n"
    )
    assert (
        found.values["issuer"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN"
        and "issuer_parent" not in found.values
    )
    both = extract_metadata(
        "LĐLĐ THÀNH PHỐ HÀ NỘI\nLIÊN ĐOÀN LAO ĐỘNG\nHUYỆN PHÚ XUYÊN\nSố: 21/KH-LĐLĐ\n\nKẾ HOẠCH\nTuyên truyền\n"
    )
    assert (
        both.values["issuer_parent"] == "LĐLĐ THÀNH PHỐ HÀ NỘI"
        and both.values["issuer"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN"
    )
