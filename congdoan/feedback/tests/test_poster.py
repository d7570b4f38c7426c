"""The workplace QR code and its A4 poster, on the grassroots union's page (issue 11.6)."""

from __future__ import annotations

import io
import subprocess
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from congdoan.feedback.checks import check_site_url
from congdoan.orgs.site import set_home_unit


def _pdf_text(body: bytes, tmp_path: Any) -> str:
    path = tmp_path / "poster.pdf"
    path.write_bytes(body)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_chairman_sees_the_qr_code_and_the_poster_link_on_his_unions_page(
    cast: Any, client_of: Any
) -> None:
    page = client_of(cast.officer_a).get(reverse("orgs:detail", args=["PX-A"])).content.decode()
    assert reverse("feedback:unit_qr_svg", args=["PX-A"]) in page
    assert reverse("feedback:unit_poster", args=["PX-A"]) in page
    assert reverse("feedback:unit_qr_png", args=["PX-A"]) in page


def test_the_district_page_has_no_workplace_qr_code(cast: Any, client_of: Any) -> None:
    page = client_of(cast.district_officer).get(reverse("orgs:detail", args=["PX"]))
    assert "ma-qr" not in page.content.decode()
    poster = client_of(cast.district_officer).get(reverse("feedback:unit_poster", args=["PX"]))
    assert poster.status_code == 404


def test_poster_names_the_union_and_says_how_to_send_anonymously(
    cast: Any, client_of: Any, settings: Any, tmp_path: Any
) -> None:
    settings.SITE_URL = "https://congdoan.example.vn"
    set_home_unit(cast.district, hotline_number="0243 385 0000")
    response = client_of(cast.officer_a).get(reverse("feedback:unit_poster", args=["PX-A"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert len(response.content) < 200_000  # fonts subset: light enough to send over Zalo
    text = _pdf_text(response.content, tmp_path)
    assert "Công đoàn Công ty May A" in text
    assert "ẩn danh" in text and "quét mã QR" in text
    assert "Đường dây nóng: 0243 385 0000" in text
    assert f"https://congdoan.example.vn/y-kien/gui/{cast.unit_a.qr_token}/" in text


def test_the_district_office_gets_the_poster_of_a_union_below_it(
    cast: Any, client_of: Any, tmp_path: Any
) -> None:
    response = client_of(cast.district_officer).get(reverse("feedback:unit_poster", args=["PX-B"]))
    assert "Công đoàn Công ty Điện tử B" in _pdf_text(response.content, tmp_path)


@pytest.mark.parametrize("name", ["feedback:unit_poster", "feedback:unit_qr_svg"])
def test_officer_of_another_union_gets_no_qr_code(cast: Any, client_of: Any, name: str) -> None:
    assert client_of(cast.officer_b).get(reverse(name, args=["PX-A"])).status_code == 404


def test_qr_code_comes_as_svg_and_png(cast: Any, client_of: Any) -> None:
    client = client_of(cast.officer_a)
    svg = client.get(reverse("feedback:unit_qr_svg", args=["PX-A"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(reverse("feedback:unit_qr_png", args=["PX-A"]) + "?tai=1")
    assert png["Content-Type"] == "image/png" and "ma-qr-PX-A.png" in png["Content-Disposition"]
    with Image.open(io.BytesIO(png.content)) as image:
        assert image.width == image.height >= 300


def test_poster_without_the_font_says_what_to_install(
    cast: Any, client_of: Any, settings: Any, tmp_path: Any
) -> None:
    settings.FEEDBACK_POSTER_FONT = str(tmp_path / "missing.ttf")
    response = client_of(cast.officer_a).get(reverse("feedback:unit_poster", args=["PX-A"]))
    assert response.status_code == 503
    assert "fonts-dejavu-core" in response.content.decode()


def test_deploy_check_warns_when_posters_would_carry_a_loopback_address(settings: Any) -> None:
    """The demo's SITE_URL (127.0.0.1:8000) printed on a poster points workers nowhere."""

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [m.id for m in check_site_url()] == ["congdoan.W010"]
    out = StringIO()
    call_command("check", "--deploy", "--tag", "urls", stdout=out, stderr=out)
    assert "congdoan.W010" in out.getvalue()
    settings.SITE_URL = "https://congdoan.ldldphuxuyen.vn"
    assert check_site_url() == []
