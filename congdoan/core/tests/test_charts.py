"""Server-side SVG charts (issue 11.10)."""

from __future__ import annotations

from xml.etree import ElementTree

from congdoan.core.charts import line_chart, nice_ceiling


def test_the_axis_ends_on_a_round_number() -> None:
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 12, 99, 101, 4999)] == [
        1,
        1,
        5,
        10,
        20,
        100,
        200,
        5000,
    ]


def test_a_chart_is_valid_svg_without_script_or_css_and_escapes_names() -> None:
    svg = line_chart(
        ["10/2026", "11/2026", "12/2026"],
        [("Tiền lương <b>", [3, 8, 2]), ("An toàn & vệ sinh", [0, 1, 4])],
        title="Ý kiến theo chủ đề",
    )
    root = ElementTree.fromstring(svg)  # well-formed XML
    assert root.tag.endswith("svg") and root.get("role") == "img"
    assert "<script" not in svg and "<style" not in svg and "style=" not in svg
    assert "Tiền lương &lt;b&gt;" in svg and "An toàn &amp; vệ sinh" in svg
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 6
    assert "Tiền lương &lt;b&gt;, 11/2026: 8" in svg  # the value as a tooltip


def test_an_empty_chart_still_draws() -> None:
    svg = line_chart([], [], title="Không có dữ liệu")
    ElementTree.fromstring(svg)
