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
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image


class OcrUnavailable(Exception):
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
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in (out.stdout + out.stderr).splitlines()[1:] if line.strip())


def unavailable_reason() -> str | None:
    """None when Tesseract with Vietnamese is ready; else what is missing and how to install it."""
    binary = shutil.which(settings.LIBRARY_TESSERACT)
    if binary is None:
        return _("Máy chủ chưa cài Tesseract (không tìm thấy lệnh “%(cmd)s”). Quản trị viên cần cài gói tesseract-ocr và tesseract-ocr-vie (make system-deps), rồi bấm “Thử lại”.") % {"cmd": settings.LIBRARY_TESSERACT}
    if settings.LIBRARY_OCR_LANG not in _languages(binary):
        return _("Tesseract trên máy chủ chưa có mô hình tiếng Việt (“%(lang)s”). Quản trị viên cần cài gói tesseract-ocr-vie (make system-deps), rồi bấm “Thử lại”.") % {"lang": settings.LIBRARY_OCR_LANG}
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


def ocr_image(image: Image.Image | PageImage) -> OcrResult:
    reason = unavailable_reason()
    if reason:
        raise OcrUnavailable(reason)
    if isinstance(image, Image.Image):
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="PPM")  # uncompressed: nothing to spend on encoding
        image = PageImage(buffer.getvalue(), ".pnm")
    with tempfile.TemporaryDirectory(prefix="congdoan-ocr-") as tmp:
        src = Path(tmp) / f"page{image.suffix}"
        src.write_bytes(image.data)
        base = Path(tmp) / "out"
        cmd = [
            settings.LIBRARY_TESSERACT, str(src), str(base), "-l", settings.LIBRARY_OCR_LANG,
            "--psm", str(settings.LIBRARY_OCR_PSM), "-c", "textonly_pdf=1", "txt", "pdf",
        ]
        if settings.LIBRARY_OCR_WORD_CONFIDENCE:
            cmd.append("tsv")
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=settings.LIBRARY_OCR_TIMEOUT, env=tesseract_env(), check=False)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(_("Nhận dạng chữ quá %(s)d giây cho một trang: đã dừng.") % {"s": settings.LIBRARY_OCR_TIMEOUT}) from exc
        if done.returncode != 0:
            raise RuntimeError(_("Tesseract báo lỗi: %(err)s") % {"err": done.stderr.decode(errors="replace")[-300:]})
        text = unicodedata.normalize("NFC", (base.with_suffix(".txt")).read_text(encoding="utf-8", errors="replace"))
        text = text.replace("Ð", "Đ").replace("ð", "đ")  # Vietnamese has no Eth; it is a misread Đ
        pdf = base.with_suffix(".pdf").read_bytes()
        tsv = base.with_suffix(".tsv")
        confidence = _mean_confidence(tsv.read_text(encoding="utf-8", errors="replace")) if tsv.exists() else None
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


def render_pdf_page(data: bytes, number: int) -> PageImage:
    """Page `number` (1-based) of a PDF as a grey image at the OCR resolution (PGM: no encoding cost)."""
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc.load_page(number - 1)
        pix = page.get_pixmap(dpi=settings.LIBRARY_OCR_DPI, colorspace=pymupdf.csGRAY)
        return PageImage(pix.tobytes("pgm"), ".pgm")


_SUFFIX = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif"}


def image_frame(data: bytes, number: int) -> PageImage | Image.Image:
    """Frame `number` of an image file; a single-frame PNG/JPEG/TIFF goes to Tesseract untouched."""
    Image.MAX_IMAGE_PIXELS = settings.LIBRARY_MAX_IMAGE_PIXELS
    with Image.open(io.BytesIO(data)) as img:
        if getattr(img, "n_frames", 1) == 1 and img.format in _SUFFIX and img.mode in ("1", "L", "RGB", "P") and number == 1:
            return PageImage(data, _SUFFIX[img.format])
        img.seek(number - 1)
        frame = img.convert("L")
    return frame
