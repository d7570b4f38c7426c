"""OCR is bounded (issue 12.6): the rendered size of a PDF page, the time per page, and the pages
a unit may OCR per day; each limit leaves a clear Vietnamese message on the document."""

from __future__ import annotations

import io
import stat
import sys
import time
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PIL import Image

from congdoan.core.processes import pid_namespace
from congdoan.library import ocr, services
from congdoan.library.models import Document, Page, PageStatus, Status

pytestmark = pytest.mark.django_db


def blank_pdf(*sizes: tuple[float, float]) -> bytes:
    """Pages of the given sizes (points) with a little drawing and no text: all need OCR."""
    doc = pymupdf.open()
    for width, height in sizes:
        page = doc.new_page(width=width, height=height)
        page.draw_rect(pymupdf.Rect(10, 10, 60, 60), color=(0, 0, 0))
    data = doc.tobytes()
    doc.close()
    return data


def fake_tesseract(tmp_path: Path, seconds: float) -> str:
    """A stand-in for the tesseract program: knows Vietnamese, then takes `seconds` a page."""
    script = tmp_path / "tesseract"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, time\n"
        "if '--list-langs' in sys.argv:\n"
        "    print('List of available languages (2):'); print('eng'); print('vie'); sys.exit(0)\n"
        f"time.sleep({seconds})\n"
        "open(sys.argv[2] + '.txt', 'w').write('Trang giả')\n"
        "open(sys.argv[2] + '.pdf', 'wb').close()\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_a_tiny_pdf_with_giant_pages_is_refused_per_page_quickly(
    cast: Any, run_on_commit: Any
) -> None:
    data = blank_pdf((7000, 7000), (7000, 7000))
    assert len(data) < 3000
    started = time.monotonic()
    doc = run_on_commit(
        services.document_upload,
        actor=cast.district_officer,
        unit=cast.district,
        name="bay.pdf",
        data=data,
    )
    elapsed = time.monotonic() - started
    doc.refresh_from_db()
    pages = list(doc.pages.order_by("number"))
    assert [p.status for p in pages] == [PageStatus.FAILED, PageStatus.FAILED]
    assert "khổ quá lớn (247 × 247 cm)" in pages[0].error
    assert doc.status == Status.FAILED
    assert elapsed < 20  # rendered at 200 dpi, each page alone was 378 million pixels


def test_a_large_page_is_rendered_within_the_pixel_cap_and_a4_at_full_resolution(
    settings: Any,
) -> None:
    data = blank_pdf((2000, 2000), (595, 842))
    large = ocr.render_pdf_page(data, 1)
    with Image.open(io.BytesIO(large.data)) as img:
        assert img.size[0] * img.size[1] <= settings.LIBRARY_OCR_MAX_PAGE_PIXELS
        assert img.size[0] > 3000  # lowered, not thrown away
    a4 = ocr.render_pdf_page(data, 2)
    with Image.open(io.BytesIO(a4.data)) as img:
        assert img.size == (
            round(595 / 72 * settings.LIBRARY_OCR_DPI),
            round(842 / 72 * settings.LIBRARY_OCR_DPI),
        )


def test_a_page_that_takes_too_long_is_stopped_with_a_message(
    cast: Any, run_on_commit: Any, settings: Any, tmp_path: Path
) -> None:
    settings.LIBRARY_TESSERACT = fake_tesseract(tmp_path, 30)
    settings.LIBRARY_OCR_TIMEOUT = 1
    settings.LIBRARY_OCR_DETECT_ROTATION = False
    ocr._languages.cache_clear()
    try:
        started = time.monotonic()
        doc = run_on_commit(
            services.document_upload,
            actor=cast.district_officer,
            unit=cast.district,
            name="cham.pdf",
            data=blank_pdf((595, 842)),
        )
        assert time.monotonic() - started < 15
    finally:
        ocr._languages.cache_clear()
    page = Page.objects.get(document=doc)
    assert page.status == PageStatus.FAILED and "quá 1 giây" in page.error


def test_a_unit_past_its_daily_ocr_pages_gets_a_message_and_others_do_not(
    cast: Any, run_on_commit: Any, settings: Any, tmp_path: Path
) -> None:
    settings.LIBRARY_TESSERACT = fake_tesseract(tmp_path, 0)
    settings.LIBRARY_OCR_DETECT_ROTATION = False
    settings.LIBRARY_OCR_PAGES_PER_UNIT_PER_DAY = 3
    ocr._languages.cache_clear()
    try:
        first = run_on_commit(
            services.document_upload,
            actor=cast.district_officer,
            unit=cast.district,
            name="a.pdf",
            data=blank_pdf(*[(595, 842)] * 2),
        )
        second = run_on_commit(
            services.document_upload,
            actor=cast.district_officer,
            unit=cast.district,
            name="b.pdf",
            data=blank_pdf(*[(595, 841)] * 2),
        )
        elsewhere = run_on_commit(
            services.document_upload,
            actor=cast.admin,
            unit=cast.unit_a,
            name="c.pdf",
            data=blank_pdf(*[(595, 840)] * 2),
        )
    finally:
        ocr._languages.cache_clear()
    first.refresh_from_db(), second.refresh_from_db(), elsewhere.refresh_from_db()
    assert first.status == Status.READY and elsewhere.status == Status.READY
    assert second.status == Status.FAILED
    assert (
        "đã nhận dạng chữ 2 trang hôm nay" in second.error
        and "hạn mức 3 trang mỗi ngày" in second.error
    )
    assert not second.pages.exists()
    assert Document.objects.filter(status=Status.READY).count() == 2


def test_a_page_whose_reader_died_is_read_again_at_once_by_the_next_library_task(
    cast: Any, run_on_commit: Any, settings: Any, tmp_path: Path
) -> None:
    import socket
    import subprocess

    settings.LIBRARY_TESSERACT = fake_tesseract(tmp_path, 0)
    settings.LIBRARY_OCR_DETECT_ROTATION = False
    ocr._languages.cache_clear()
    try:
        doc = run_on_commit(
            services.document_upload,
            actor=cast.district_officer,
            unit=cast.district,
            name="a.pdf",
            data=blank_pdf((595, 842), (595, 842)),
        )
        # As if a worker had died a second ago while reading page 2 (its process is gone).
        dead = subprocess.Popen(["true"])
        dead.wait()
        claimer = f"{socket.gethostname()[:100]}|{pid_namespace()}|{dead.pid}"
        Page.objects.filter(document=doc, number=2).update(
            status=PageStatus.PROCESSING, claimed_by=claimer, text="", attempts=1
        )
        Document.objects.filter(pk=doc.pk).update(status=Status.OCR)
        run_on_commit(
            services.document_upload,
            actor=cast.district_officer,
            unit=cast.district,
            name="b.txt",
            data="Thông báo".encode(),
        )
    finally:
        ocr._languages.cache_clear()
    doc.refresh_from_db()
    page = doc.pages.get(number=2)
    assert doc.status == Status.READY and page.status == PageStatus.DONE and page.attempts == 2
