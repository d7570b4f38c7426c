"""Tesseract with its Vietnamese model, one page at a time.

Page segmentation mode 4 ("one column of text of variable sizes") by default: on an
administrative document it reads each row across the page, so the two header columns come
out on one line (the metadata reader cuts them apart) and each body paragraph stays in one
flow. Modes 1 and 3 (automatic layout) split the body into blocks at random blank lines
and cost OSD time; 6 (one uniform block) loses the title's separation from the body.
Each call produces the text, a one-page searchable PDF (image + invisible text layer) and
the mean word confidence, in one Tesseract run.
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


def ocr_image(image: Image.Image) -> OcrResult:
    reason = unavailable_reason()
    if reason:
        raise OcrUnavailable(reason)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    with tempfile.TemporaryDirectory(prefix="congdoan-ocr-") as tmp:
        src = Path(tmp) / "page.png"
        image.save(src, dpi=(settings.LIBRARY_OCR_DPI, settings.LIBRARY_OCR_DPI))
        base = Path(tmp) / "out"
        cmd = [
            settings.LIBRARY_TESSERACT, str(src), str(base), "-l", settings.LIBRARY_OCR_LANG,
            "--psm", str(settings.LIBRARY_OCR_PSM), "--dpi", str(settings.LIBRARY_OCR_DPI), "txt", "pdf", "tsv",
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=settings.LIBRARY_OCR_TIMEOUT, env=tesseract_env(), check=False)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(_("Nhận dạng chữ quá %(s)d giây cho một trang: đã dừng.") % {"s": settings.LIBRARY_OCR_TIMEOUT}) from exc
        if done.returncode != 0:
            raise RuntimeError(_("Tesseract báo lỗi: %(err)s") % {"err": done.stderr.decode(errors="replace")[-300:]})
        text = unicodedata.normalize("NFC", (base.with_suffix(".txt")).read_text(encoding="utf-8", errors="replace"))
        pdf = base.with_suffix(".pdf").read_bytes()
        confidence = _mean_confidence(base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace"))
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


def render_pdf_page(data: bytes, number: int) -> Image.Image:
    """Page `number` (1-based) of a PDF as a grey image at the OCR resolution."""
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc.load_page(number - 1)
        pix = page.get_pixmap(dpi=settings.LIBRARY_OCR_DPI, colorspace=pymupdf.csGRAY)
        return Image.frombytes("L", (pix.width, pix.height), pix.samples)


def image_frame(data: bytes, number: int) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = settings.LIBRARY_MAX_IMAGE_PIXELS
    with Image.open(io.BytesIO(data)) as img:
        img.seek(number - 1)
        frame = img.convert("L")
    return frame
