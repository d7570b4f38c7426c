"""Documents the tests write themselves: headers, PDFs (with and without a text layer), images."""

from __future__ import annotations

import io
import zipfile

from congdoan.library.render import FONT_PATH, PaperDocument, render_page

PLAN = PaperDocument(
    parent="LĐLĐ THÀNH PHỐ HÀ NỘI",
    issuer="LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
    number="21/KH-LĐLĐ",
    place_date="Phú Xuyên, ngày 05 tháng 6 năm 2025",
    doc_type="Kế hoạch",
    title="Tuyên truyền Tháng Công nhân năm 2025",
    body=[
        "Thực hiện Chương trình số 03/CTr-BCH ngày 15/01/2025 của Ban Chấp hành Tổng Liên đoàn về công tác "
        "truyền thông, Liên đoàn Lao động huyện xây dựng kế hoạch tuyên truyền như sau.",
        "Đẩy mạnh truyền thông trên nền tảng số, tổ chức đối thoại giữa lãnh đạo và người lao động.",
    ],
    recipients=["LĐLĐ Thành phố;", "Các CĐCS;", "Lưu VP."],
    capacity=["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
    signer="Nguyễn Văn Hùng",
)


def text_pdf(text: str, pages: int = 1) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page()
        page.insert_font(fontname="dejavu", fontfile=FONT_PATH)
        page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontname="dejavu", fontsize=10)
    data = doc.tobytes()
    doc.close()
    return data


def image_pdf(image_png: bytes) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=image_png)
    data = doc.tobytes()
    doc.close()
    return data


def png(doc: PaperDocument = PLAN, noise: float = 0.0, width: int = 1240) -> bytes:
    buffer = io.BytesIO()
    render_page(doc, noise=noise, width=width, seed=3).save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A ZIP that inflates to ~300 MB of zeros, named .docx, made in memory without inflating."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        chunk = b"\0" * (1024 * 1024)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(300):
                fh.write(chunk)
    return buffer.getvalue()


def huge_png_header(width: int = 20000, height: int = 20000) -> bytes:
    """A valid PNG header claiming width × height (Pillow reads the size without decoding)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )
