"""The workplace QR code and its printable A4 poster.

A grassroots union's QR code opens `/y-kien/gui/<qr_token>/` on this deployment's public
address (SITE_URL): the form with the union already chosen. The token outlives a merger:
`rules.intake_union` leads a merged union's token to its successor, so a poster already on
the wall keeps working. Drawn with the `qrcode` package (already used for two-factor login)
and PyMuPDF (already used by the library); the poster's Vietnamese needs a Unicode TrueType
font (FEEDBACK_POSTER_FONT, Debian's fonts-dejavu-core).
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from congdoan.core.qr import qr_code
from congdoan.orgs.models import Unit

A4 = pymupdf.paper_rect("a4")  # 595 × 842 pt
MARGIN = 48.0


class PosterFontMissing(RuntimeError):
    """The font the poster needs is not installed (the view answers 503 with this message)."""


def submit_url(unit: Unit) -> str:
    """The address the QR code holds: the public submit form with this union chosen."""
    path = reverse("feedback:submit_qr", args=[unit.qr_token])
    return settings.SITE_URL.rstrip("/") + path


def _fonts() -> tuple[str, str]:
    regular, bold = Path(settings.FEEDBACK_POSTER_FONT), Path(settings.FEEDBACK_POSTER_FONT_BOLD)
    if not regular.is_file():
        raise PosterFontMissing(
            _(
                "Chưa cài phông chữ tiếng Việt cho áp phích (%(path)s). Cài gói fonts-dejavu-core "
                "(make system-deps) hoặc đặt FEEDBACK_POSTER_FONT là một tệp phông TrueType."
            )
            % {"path": regular}
        )
    return str(regular), str(bold if bold.is_file() else regular)


def _fit(page: pymupdf.Page, rect: pymupdf.Rect, text: str, font: str, size: float) -> float:
    """Write `text` centred in `rect` at the largest size ≤ `size` that fits; the bottom used."""
    while True:
        shape = page.new_shape()
        left = shape.insert_textbox(rect, text, fontname=font, fontsize=size, align=1)
        if left >= 0 or size <= 8:
            shape.commit()
            return rect.y1 - left
        size -= 1


def _draw_qr(page: pymupdf.Page, url: str, rect: pymupdf.Rect) -> None:
    """The QR code as vector squares (sharp at any printer resolution), dark runs merged."""
    matrix = qr_code(url).get_matrix()
    cell = min(rect.width, rect.height) / len(matrix)
    x0 = rect.x0 + (rect.width - cell * len(matrix)) / 2
    shape = page.new_shape()
    for row, cells in enumerate(matrix):
        col = 0
        while col < len(cells):
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < len(cells) and cells[col]:
                col += 1
            y = rect.y0 + row * cell
            shape.draw_rect(pymupdf.Rect(x0 + start * cell, y, x0 + col * cell, y + cell))
    shape.finish(color=None, fill=(0, 0, 0), width=0)
    shape.commit()


def poster_pdf(unit: Unit, *, url: str, hotline: str) -> bytes:
    """An A4 poster: the union's name, the QR code, how to send, the anonymity promise, the
    hotline. Raises PosterFontMissing when the Unicode font is not installed."""
    regular, bold = _fonts()
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.insert_font(fontname="vn", fontfile=regular)
    page.insert_font(fontname="vnb", fontfile=bold)
    width = A4.width - 2 * MARGIN
    y = MARGIN
    title = _("GỬI Ý KIẾN TỚI CÔNG ĐOÀN")
    y = _fit(page, pymupdf.Rect(MARGIN, y, MARGIN + width, y + 70), title, "vnb", 30) + 6
    y = _fit(page, pymupdf.Rect(MARGIN, y, MARGIN + width, y + 64), unit.name, "vnb", 20) + 10
    side = 300.0
    qr_rect = pymupdf.Rect((A4.width - side) / 2, y, (A4.width + side) / 2, y + side)
    _draw_qr(page, url, qr_rect)
    y = qr_rect.y1 + 6
    y = _fit(page, pymupdf.Rect(MARGIN, y, MARGIN + width, y + 30), url, "vn", 11) + 14
    steps = "\n".join(
        [
            _("Cách gửi:"),
            _("1. Mở camera hoặc Zalo trên điện thoại, quét mã QR ở trên."),
            _(
                "2. Viết điều bạn muốn phản ánh, đề nghị — có dấu hay không dấu đều được; "
                "có thể kèm ảnh."
            ),
            _('3. Bấm "Gửi ý kiến", ghi lại mã tra cứu (YK-…) để theo dõi và đọc trả lời.'),
        ]
    )
    page.insert_textbox(
        pymupdf.Rect(MARGIN, y, MARGIN + width, y + 120), steps, fontname="vn", fontsize=14
    )
    y += 126
    promise = _(
        "Bạn có thể gửi ẩn danh: công đoàn cơ sở và người sử dụng lao động không biết bạn là ai; "
        "chỉ Văn phòng Liên đoàn Lao động cấp trên thấy số điện thoại nếu bạn tự để lại."
    )
    y = _fit(page, pymupdf.Rect(MARGIN, y, MARGIN + width, y + 70), promise, "vnb", 13) + 14
    if hotline:
        line = _("Đường dây nóng: %(phone)s") % {"phone": hotline}
        _fit(page, pymupdf.Rect(MARGIN, y, MARGIN + width, y + 40), line, "vnb", 18)
    page.insert_textbox(
        pymupdf.Rect(MARGIN, A4.height - MARGIN - 20, MARGIN + width, A4.height - MARGIN),
        _("Mã công đoàn: %(code)s") % {"code": unit.code},
        fontname="vn",
        fontsize=9,
        align=1,
        color=(0.35, 0.35, 0.35),
    )
    doc.set_metadata({"title": _("Áp phích gửi ý kiến — %(unit)s") % {"unit": unit.name}})
    doc.subset_fonts()  # only the glyphs used: ~80 KB in all instead of ~790 KB
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return bytes(data)
