"""core.charts: horizontal bars and stacked 100 % rows (labels are user text)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from congdoan.core.charts import LABEL_CHARS, bar_chart, stacked_rows

SVG = "{http://www.w3.org/2000/svg}"


def _texts(root: ElementTree.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_a_bar_chart_is_valid_svg_one_bar_per_label_with_counts_and_shares() -> None:
    svg = bar_chart(["Có", "Không", "Chưa rõ"], [6, 3, 1], title="Bạn có đồng ý?")
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert "<script" not in svg and "<style" not in svg and "style=" not in svg
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 3
    widths = [float(r.get("width", "0")) for r in bars]
    assert widths[0] > widths[1] > widths[2] > 0
    texts = _texts(root)
    assert "6 (60 %)" in texts and "1 (10 %)" in texts
    assert root.findtext(f"{SVG}title") == "Bạn có đồng ý?"


def test_shares_of_a_base_and_percentages() -> None:
    several = bar_chart(["A", "B"], [4, 3], title="Chọn nhiều", base=5, note="5 người")
    assert "4 (80 %)" in _texts(ElementTree.fromstring(several))
    rates = ElementTree.fromstring(
        bar_chart(["Nhà máy A", "Văn phòng"], [12.5, 100.0], title="Tỷ lệ", percent=True)
    )
    texts = _texts(rates)
    assert "12,5 %" in texts and "100 %" in texts
    bars = [r for r in rates.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert float(bars[1].get("width", "0")) == pytest.approx(
        8 * float(bars[0].get("width", "0")), abs=1
    )


def test_labels_and_titles_are_escaped() -> None:
    evil = '<script>alert("x")</script> & "Công đoàn"'
    svg = bar_chart([evil], [2], title=evil, note=evil)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = ElementTree.fromstring(svg)
    assert root.find(f".//{SVG}script") is None
    assert evil in _texts(root)  # shown as text, the markup inert
    matrix = stacked_rows([evil], [evil, "Không"], [[1, 2]], title=evil)
    assert "<script>" not in matrix
    assert ElementTree.fromstring(matrix).find(f".//{SVG}script") is None


def test_no_data_still_draws_a_valid_chart_that_says_so() -> None:
    for svg in (bar_chart([], [], title="Trống"), stacked_rows([], ["Có"], [], title="Trống")):
        root = ElementTree.fromstring(svg)
        assert "Chưa có số liệu." in _texts(root)
        assert int(root.get("height", "0")) > 0
    zero = ElementTree.fromstring(bar_chart(["A", "B"], [0, 0], title="Không ai"))
    assert "0" in _texts(zero)


def test_long_labels_are_shortened_and_whole_in_the_tooltip() -> None:
    label = "Người lao động được tham gia ý kiến về thang lương, bảng lương " * 4
    root = ElementTree.fromstring(bar_chart([label], [3], title="Câu hỏi dài"))
    shown = [t for t in _texts(root) if t.startswith("Người lao động")]
    assert len(shown) == 1 and len(shown[0]) <= LABEL_CHARS and shown[0].endswith("…")
    tip = next(r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None)
    assert label.strip() in "".join(tip.itertext())


def test_stacked_rows_split_each_row_by_its_shares() -> None:
    root = ElementTree.fromstring(
        stacked_rows(["Lương", "An toàn"], ["Hài lòng", "Chưa"], [[3, 1], [0, 0]], title="Ma trận")
    )
    parts = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(parts) == 2  # the empty row draws a grey bar without tooltips
    assert float(parts[0].get("width", "0")) == pytest.approx(
        3 * float(parts[1].get("width", "0")), abs=1
    )
    assert "75 %" in _texts(root)
