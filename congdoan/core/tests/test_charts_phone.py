"""Charts on a phone: the narrow drawing (`?w=phone`) keeps its labels at full size, with
fewer month labels and shorter texts; pages ask for it through ``{% chart_img %}``."""

from __future__ import annotations

from xml.etree import ElementTree

from django.http import QueryDict
from django.template import Context, Template

from congdoan.core.charts import PHONE_WIDTH, bar_chart, line_chart, width_for

MONTHS = [f"{m:02d}/2026" for m in range(1, 13)]
NS = "{http://www.w3.org/2000/svg}"


def _x_labels(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{NS}text") if (t.text or "") in MONTHS]


def test_the_view_draws_narrow_only_when_the_page_asks() -> None:
    assert width_for(QueryDict("w=phone"), 720) == PHONE_WIDTH
    assert width_for(QueryDict(""), 720) == 720
    assert width_for(QueryDict("w=9999"), 720) == 720  # no other width can be asked for


def test_a_narrow_line_chart_thins_its_month_labels_and_keeps_the_last() -> None:
    series = [("Ý kiến", [float(m) for m in range(12)])]
    wide = line_chart(MONTHS, series, title="Ý kiến theo tháng")
    narrow = line_chart(MONTHS, series, title="Ý kiến theo tháng", width=PHONE_WIDTH)
    assert _x_labels(wide) == MONTHS
    shown = _x_labels(narrow)
    assert 2 <= len(shown) < 12 and shown[-1] == "12/2026"
    # evenly spaced from the last: none closer to its neighbour than the labels need
    assert ElementTree.fromstring(narrow).get("width") == str(PHONE_WIDTH)
    assert narrow.count("<circle") == 12  # every point is still drawn, with its tooltip


def test_long_texts_are_shortened_to_the_narrow_width() -> None:
    title = "Tỷ lệ đoàn viên được tiếp cận thông tin qua các kênh của công đoàn trong năm 2026"
    label = "Công đoàn cơ sở Công ty Cổ phần May xuất khẩu Phú Xuyên — tổ sản xuất số 3 và số 4"
    svg = bar_chart([label], [42.0], title=title, percent=True, width=PHONE_WIDTH)
    texts = [t.text or "" for t in ElementTree.fromstring(svg).iter(f"{NS}text")]
    assert all(len(t) * 7.2 <= PHONE_WIDTH for t in texts), texts
    assert any(t.endswith("…") for t in texts)
    assert f"{label}: 42 %" in svg  # the tooltip keeps it whole


def test_the_page_offers_the_phone_drawing_with_the_query_encoded() -> None:
    html = Template(
        "{% load core_charts %}{% chart_img src alt 720 288 unit=code year=2026 %}"
    ).render(Context({"src": "/ke-hoach/x/bieu-do.svg", "alt": 'Biểu đồ "A"', "code": "a&b"}))
    assert (
        '<source media="(max-width: 40em)" srcset="/ke-hoach/x/bieu-do.svg?unit=a%26b&amp;year=2026&amp;w=phone">'
        in html
    )
    assert 'src="/ke-hoach/x/bieu-do.svg?unit=a%26b&amp;year=2026"' in html
    assert 'alt="Biểu đồ &quot;A&quot;"' in html and 'width="720" height="288"' in html
    bare = Template("{% load core_charts %}{% chart_img '/a.svg' 'x' %}").render(Context())
    assert 'srcset="/a.svg?w=phone"' in bare and "width=" not in bare
