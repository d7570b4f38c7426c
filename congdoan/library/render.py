"""Paper-like page images of administrative documents, drawn with Pillow.

Used by the demo (scanned documents), the tests (real Tesseract on real pixels) and the
benchmark. The layout follows Nghị định 30/2020/NĐ-CP: two header columns (issuing body on
the left, national motto on the right), number and place/date, the type and title centred,
the body, then "Nơi nhận" on the left beside the signature block on the right.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD_FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


@dataclass
class PaperDocument:
    parent: str
    issuer: str
    number: str
    place_date: str
    doc_type: str
    title: str
    body: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    capacity: list[str] = field(default_factory=list)
    signer: str = ""

    def header_lines(self) -> list[tuple[str, str]]:
        """(left, right) pairs of the two-column header."""
        return [
            (self.parent, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (self.issuer, "Độc lập - Tự do - Hạnh phúc"),
            (f"Số: {self.number}", self.place_date),
        ]

    def as_text(self) -> str:
        """The same document as plain text (one column after the other, as a clerk types it)."""
        lines = [
            self.parent,
            self.issuer,
            f"Số: {self.number}",
            "",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            self.place_date,
            "",
        ]
        if self.doc_type:
            lines.append(self.doc_type.upper())
        lines += [self.title, "", *self.body, ""]
        lines += ["Nơi nhận:", *[f"- {r}" for r in self.recipients], ""]
        lines += [*self.capacity, "", self.signer]
        return "\n".join(lines)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(BOLD_FONT_PATH if bold else FONT_PATH, size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def render_page(
    doc: PaperDocument, *, width: int = 1240, noise: float = 0.0, seed: int = 0
) -> Image.Image:
    """An A4-ish page at ~150 dpi. `noise` (0–1) adds speckles, a slight blur and a tilt."""
    rng = random.Random(seed)
    size = max(16, width // 50)
    small, bold = _font(size), _font(size, bold=True)
    margin = width // 12
    col = (width - 2 * margin) // 2
    line_h = int(size * 1.6)
    body_lines: list[tuple[str, ImageFont.FreeTypeFont, str]] = []
    probe = ImageDraw.Draw(Image.new("L", (10, 10)))
    for paragraph in doc.body:
        for line in _wrap(probe, paragraph, small, width - 2 * margin):
            body_lines.append((line, small, "left"))
    height = margin * 2 + line_h * (
        len(body_lines) + 12 + max(len(doc.recipients) + 1, len(doc.capacity) + 4)
    )
    page = Image.new("L", (width, max(height, int(width * 1.2))), 255)
    draw = ImageDraw.Draw(page)
    y = margin
    for left, right in doc.header_lines():
        for text, x0, font in (
            (left, margin, bold if left.isupper() else small),
            (right, margin + col, bold if right.isupper() else small),
        ):
            w = draw.textlength(text, font=font)
            draw.text((x0 + max(0, (col - w) / 2), y), text, font=font, fill=0)
        y += line_h
    y += line_h
    for text, font in ((doc.doc_type.upper(), bold), (doc.title, bold)):
        if not text:
            continue
        for line in _wrap(draw, text, font, width - 2 * margin):
            w = draw.textlength(line, font=font)
            draw.text(((width - w) / 2, y), line, font=font, fill=0)
            y += line_h
    y += line_h // 2
    for line, font, _align in body_lines:
        draw.text((margin, y), line, font=font, fill=0)
        y += line_h
    y += line_h
    left_lines = ["Nơi nhận:", *[f"- {r}" for r in doc.recipients]]
    right_lines = [*doc.capacity, "", "", doc.signer]
    for i in range(max(len(left_lines), len(right_lines))):
        if i < len(left_lines):
            draw.text((margin, y), left_lines[i], font=small, fill=0)
        if i < len(right_lines) and right_lines[i]:
            text = right_lines[i]
            w = draw.textlength(text, font=bold)
            draw.text((margin + col + max(0, (col - w) / 2), y), text, font=bold, fill=0)
        y += line_h
    if noise > 0:
        pixels = page.load()
        assert pixels is not None
        for _ in range(int(page.width * page.height * 0.002 * noise)):
            x, yy = rng.randrange(page.width), rng.randrange(page.height)
            pixels[x, yy] = rng.choice((0, 80, 160))
        page = page.filter(ImageFilter.GaussianBlur(radius=0.6 * noise))
        page = page.rotate(rng.uniform(-1.0, 1.0) * noise, fillcolor=255, expand=False)
    return page
