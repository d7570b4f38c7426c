"""Tesseract with its Vietnamese model, one page at a time.

Page segmentation mode 4 ("one column of text of variable sizes") by default: on an
administrative document it reads each row across the page, so the two header columns come
out on one line (the metadata reader cuts them apart) and each body paragraph stays in one
flow. Modes 1 and 3 (automatic layout) split the body into blocks at random blank lines
and cost OSD time; 6 (one uniform block) loses the title's separation from the body.
Each call produces, in one Tesseract run, the text, a one-page PDF holding only the invisible
text layer (`textonly_pdf=1`: the library lays it over the original page or image, so the
searchable PDF keeps the original pixels and Tesseract spends nothing on re-encoding them),
and, when LIBRARY_OCR_WORD_CONFIDENCE is on, the mean word confidence (a TSV output, which
costs about a fifth more time per page). No `--dpi` is passed: Tesseract estimates the resolution from
the text height, which on our pages is both right and faster than a forced value.
A page whose text comes out as gibberish or nearly empty (fewer than 8 words, or fewer than
half of them Vietnamese syllables) is run through Tesseract's orientation detection
(`--psm 0`) and, when it is turned, read again upright: a photo of paper taken sideways is
common, and the check costs nothing on a page that reads well (LIBRARY_OCR_DETECT_ROTATION,
on by default).
"""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image

from congdoan.core.processes import run_child
from congdoan.library import layout
from congdoan.library.resume import temp_prefix
from congdoan.text import fold
from congdoan.text.lexicon import is_syllable
from congdoan.text.vietnamese import nfc

log = logging.getLogger("congdoan.library")


class OcrUnavailable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OcrFailed(Exception):
    """One page could not be read; `message` says why in Vietnamese (Tesseract's own words are logged)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class OcrResult:
    text: str
    pdf: bytes
    confidence: float | None


@lru_cache(maxsize=1)
def _languages(binary: str) -> frozenset[str]:
    try:
        out = run_child(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(
        line.strip() for line in (out.stdout + out.stderr).splitlines()[1:] if line.strip()
    )


def unavailable_reason() -> str | None:
    """None when Tesseract with Vietnamese is ready; else what is missing and how to install it."""
    binary = shutil.which(settings.LIBRARY_TESSERACT)
    if binary is None:
        return _(
            "Máy chủ chưa cài Tesseract (không tìm thấy lệnh “%(cmd)s”). Quản trị viên cần cài gói tesseract-ocr và tesseract-ocr-vie (make system-deps), rồi bấm “Thử lại”."
        ) % {"cmd": settings.LIBRARY_TESSERACT}
    if settings.LIBRARY_OCR_LANG not in _languages(binary):
        return _(
            "Tesseract trên máy chủ chưa có mô hình tiếng Việt (“%(lang)s”). Quản trị viên cần cài gói tesseract-ocr-vie (make system-deps), rồi bấm “Thử lại”."
        ) % {"lang": settings.LIBRARY_OCR_LANG}
    return None


def tesseract_env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = str(settings.LIBRARY_OCR_THREADS)
    return env


@dataclass(frozen=True)
class PageImage:
    """A page ready for Tesseract: the bytes of an image file it reads as is (no re-encoding)."""

    data: bytes
    suffix: str  # ".png", ".jpg", ".tif", ".pgm"


def ocr_image(image: Image.Image | PageImage, *, first_page: bool = False) -> OcrResult:
    """The page read by Tesseract; a page that reads as gibberish (a photo taken sideways or
    upside down) is turned the way Tesseract's orientation detection says and read again.
    On a document's first page the two header columns are separated (congdoan.library.layout)."""
    reason = unavailable_reason()
    if reason:
        raise OcrUnavailable(reason)
    page = _as_page(image)  # once: the orientation check reads the same bytes
    result = _ocr(page, first_page=first_page)
    if settings.LIBRARY_OCR_DETECT_ROTATION and not readable(result.text):
        turn = detect_rotation(page)
        if turn:
            with Image.open(io.BytesIO(page.data)) as picture:
                upright = picture.rotate(-turn, expand=True)  # Tesseract's "Rotate" is clockwise
                again = _ocr(upright, first_page=first_page)
            if _syllable_share(again.text) > _syllable_share(result.text):
                return again
    return result


# A page is readable when at least this share of its words are Vietnamese syllables (or
# numbers); Tesseract's output for a sideways page is mostly short nonsense.
READABLE_SHARE = 0.5
# Orientation detection is trusted from this confidence on (Tesseract's own scale; a clear
# page of text gives 5–20, a blank or garbled one below 1).
ROTATION_MIN_CONFIDENCE = 1.5


def _syllable_share(text: str) -> float:
    words = [w.strip(".,;:!?()\"'“”-–") for w in fold(text).split() if any(c.isalnum() for c in w)]
    if not words:
        return 0.0
    return sum(1 for w in words if w.isdigit() or is_syllable(w)) / len(words)


def readable(text: str) -> bool:
    """Whether OCR output looks like a page of Vietnamese text: at least a few words, half of
    them syllables. Tesseract often reads nothing at all from a page turned by 90°, so little
    or no text also calls for the orientation check (on a blank page it finds nothing to turn)."""
    return len(text.split()) >= 8 and _syllable_share(text) >= READABLE_SHARE


def detect_rotation(page: PageImage) -> int:
    """Degrees (90, 180, 270) to turn the page clockwise so that its text stands upright, from
    Tesseract's orientation and script detection (`--psm 0`, the osd model that comes with
    tesseract-ocr); 0 when upright, unsure, or when detection fails."""
    with tempfile.TemporaryDirectory(prefix=temp_prefix("osd")) as tmp:
        src = Path(tmp) / f"page{page.suffix}"
        src.write_bytes(page.data)
        try:
            done = run_child(
                [settings.LIBRARY_TESSERACT, str(src), "stdout", "--psm", "0"],
                capture_output=True,
                text=True,
                timeout=settings.LIBRARY_OCR_TIMEOUT,
                env=tesseract_env(),
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return 0
    found = dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    try:
        turn, confidence = (
            int(found.get("Rotate", "0").strip()),
            float(found.get("Orientation confidence", "0").strip()),
        )
    except ValueError:
        return 0
    return turn % 360 if turn % 90 == 0 and confidence >= ROTATION_MIN_CONFIDENCE else 0


def _as_page(image: Image.Image | PageImage) -> PageImage:
    if isinstance(image, PageImage):
        return image
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")  # uncompressed: nothing to spend on encoding
    return PageImage(buffer.getvalue(), ".pnm")


def _ocr(image: Image.Image | PageImage, *, first_page: bool = False) -> OcrResult:
    image = _as_page(image)
    with tempfile.TemporaryDirectory(prefix=temp_prefix("ocr")) as tmp:
        src = Path(tmp) / f"page{image.suffix}"
        src.write_bytes(image.data)
        base = Path(tmp) / "out"
        cmd = [
            settings.LIBRARY_TESSERACT,
            str(src),
            str(base),
            "-l",
            settings.LIBRARY_OCR_LANG,
            "--psm",
            str(settings.LIBRARY_OCR_PSM),
            "-c",
            "textonly_pdf=1",
            "txt",
            "pdf",
        ]
        if settings.LIBRARY_OCR_WORD_CONFIDENCE or first_page:
            cmd.append("tsv")  # word boxes: the header's columns, and the words' confidence
        try:
            # A child that dies with this process: a killed worker leaves no tesseract running.
            done = run_child(
                cmd,
                capture_output=True,
                timeout=settings.LIBRARY_OCR_TIMEOUT,
                env=tesseract_env(),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrFailed(
                _("Nhận dạng chữ quá %(s)d giây cho một trang: đã dừng.")
                % {"s": settings.LIBRARY_OCR_TIMEOUT}
            ) from exc
        if done.returncode != 0:
            log.warning(
                "library: tesseract exited %s: %s",
                done.returncode,
                done.stderr.decode(errors="replace")[-500:],
            )
            raise OcrFailed(
                _(
                    "Tesseract không đọc được trang này (mã lỗi %(code)d). Hãy quét lại trang hoặc bấm “Thử lại”."
                )
                % {"code": done.returncode}
            )
        text = nfc(base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace"))
        pdf = base.with_suffix(".pdf").read_bytes()
        tsv_path = base.with_suffix(".tsv")
        tsv = (
            nfc(tsv_path.read_text(encoding="utf-8", errors="replace")) if tsv_path.exists() else ""
        )
        confidence = _mean_confidence(tsv) if tsv and settings.LIBRARY_OCR_WORD_CONFIDENCE else None
        if first_page and tsv:
            text = layout.reorder_header(text, tsv)
    return OcrResult(text=text.strip("\n\f "), pdf=pdf, confidence=confidence)


def _mean_confidence(tsv: str) -> float | None:
    values = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        if conf >= 0 and (row.get("text") or "").strip():
            values.append(conf)
    return round(sum(values) / len(values) / 100, 3) if values else None


def page_dpi(width_pt: float, height_pt: float) -> int:
    """The resolution to render a PDF page of width × height points at: LIBRARY_OCR_DPI, lowered
    for a large page so that the image stays within LIBRARY_OCR_MAX_PAGE_PIXELS."""
    square_inches = max(width_pt, 1.0) / 72 * max(height_pt, 1.0) / 72
    fitting = math.floor(math.sqrt(settings.LIBRARY_OCR_MAX_PAGE_PIXELS / square_inches))
    return max(1, min(settings.LIBRARY_OCR_DPI, fitting))


def render_pdf_page(data: bytes, number: int) -> PageImage:
    """Page `number` (1-based) of a PDF as a grey image at the OCR resolution (PGM: no encoding
    cost), never more than LIBRARY_OCR_MAX_PAGE_PIXELS: a 1 KB PDF can declare pages of
    7000 × 7000 points, which at 200 dpi would be 378 million pixels."""
    import pymupdf  # lazy: the native PDF library loads only in the worker step that needs it

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc.load_page(number - 1)
        rect = page.rect
        dpi = page_dpi(rect.width, rect.height)
        if dpi < settings.LIBRARY_OCR_MIN_DPI:
            raise OcrFailed(
                _(
                    "Trang %(n)d có khổ quá lớn (%(w)s × %(h)s cm): thu về cỡ đọc được thì chữ còn quá nhỏ, nên không nhận dạng chữ. Hãy quét lại trang ở khổ giấy thường (A4, A3)."
                )
                % {
                    "n": number,
                    "w": f"{rect.width / 72 * 2.54:.0f}",
                    "h": f"{rect.height / 72 * 2.54:.0f}",
                }
            )
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        return PageImage(pix.tobytes("pgm"), ".pgm")


_SUFFIX = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif"}


def image_frame(data: bytes, number: int) -> PageImage | Image.Image:
    """Frame `number` of an image file; a single-frame PNG/JPEG/TIFF within the OCR pixel cap
    goes to Tesseract untouched, a larger one is shrunk to the cap."""
    cap = settings.LIBRARY_OCR_MAX_PAGE_PIXELS
    with Image.open(io.BytesIO(data)) as img:
        small = img.size[0] * img.size[1] <= cap
        if (
            small
            and getattr(img, "n_frames", 1) == 1
            and img.format in _SUFFIX
            and img.mode in ("1", "L", "RGB", "P")
            and number == 1
        ):
            return PageImage(data, _SUFFIX[img.format])
        img.seek(number - 1)
        frame = img.convert("L")
    if frame.size[0] * frame.size[1] > cap:
        scale = math.sqrt(cap / (frame.size[0] * frame.size[1]))
        frame = frame.resize(
            (max(1, int(frame.size[0] * scale)), max(1, int(frame.size[1] * scale))),
            Image.Resampling.LANCZOS,
        )
    return frame
