"""QR codes, drawn once for every page and poster that prints one (the workplace QR of
feedback, the two-factor set-up and a member's reset link, the content posters).

Error correction level M: a code on a factory notice board gets creased and dirty.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_code(text: str, *, border: int = 4) -> qrcode.QRCode:
    """The code of `text`, fitted to the smallest version; `border` in modules (4 is the
    standard's quiet zone; a poster that leaves white around it may use less)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_svg(text: str, *, border: int = 4, box_size: int = 10) -> bytes:
    """An SVG path image of the code (scales without blur, prints sharp)."""
    code = qr_code(text, border=border)
    code.box_size = box_size
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return bytes(image.to_string(encoding="utf-8"))


def qr_png(text: str, *, box_size: int = 12, border: int = 4) -> bytes:
    """A PNG of the code, `box_size` pixels a module."""
    code = qr_code(text, border=border)
    code.box_size = box_size
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return out.getvalue()
