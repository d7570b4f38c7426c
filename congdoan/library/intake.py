"""What an uploaded file really is, whether we accept it, and its text when it has one.

Every refusal is a `Refused` with a message in Vietnamese that says what is wrong and what
to do. Checks run on the bytes before anything is stored, and are cheap: the PDF's page
count and password flag, a ZIP's directory (never its inflated content), an image's header.
"""

from __future__ import annotations

import io
import logging
import os
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
import regex
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core import images
from congdoan.core.uploads import format_size

log = logging.getLogger("congdoan.library")

EXTENSIONS = {
    "pdf": "pdf",
    "jpg": "image",
    "jpeg": "image",
    "png": "image",
    "tif": "image",
    "tiff": "image",
    "docx": "docx",
    "txt": "text",
    "md": "text",
    "markdown": "text",
}
_DESCRIBE = {
    "application/pdf": "PDF",
    "image/jpeg": gettext_lazy("ảnh JPEG"),
    "image/png": gettext_lazy("ảnh PNG"),
    "image/tiff": gettext_lazy("ảnh TIFF"),
    "application/zip": gettext_lazy("tệp nén ZIP"),
    "application/x-msdownload": gettext_lazy("chương trình Windows (EXE)"),
    "application/x-executable": gettext_lazy("chương trình (ELF)"),
    "image/gif": gettext_lazy("ảnh GIF"),
    "image/webp": gettext_lazy("ảnh WebP"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/msword": gettext_lazy("Word đời cũ (DOC)"),
    "application/x-rar-compressed": gettext_lazy("tệp nén RAR"),
}


class Refused(Exception):
    """The file is not accepted; `message` tells the person why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Intake:
    name: str
    extension: str
    kind: str  # pdf | image | docx | text
    content_type: str
    page_count: int
    data: bytes  # what to store: the upload itself, or an image re-encoded by the image policy


def safe_name(name: str) -> str:
    """The file's own name, without any folder ("../../etc/passwd" → "passwd"), NFC, printable."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/")
    name = os.path.basename(name.rstrip("/"))
    name = regex.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip(" .")
    if not name:
        name = "tep-khong-ten"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext[:9]) if dot else name[:200]
    return name


def too_large(name: str) -> Refused:
    """What we know of a file past the limit: only that it is larger (we stopped reading there)."""
    return Refused(
        _(
            "Tệp “%(name)s” lớn hơn %(limit)s, vượt giới hạn tải lên. Hãy tách hoặc nén nhỏ tệp rồi tải lên lại."
        )
        % {"name": safe_name(name), "limit": format_size(settings.LIBRARY_MAX_BYTES)}
    )


def inspect(name: str, data: bytes) -> Intake:
    """Accept the file or raise `Refused`."""
    name = safe_name(name)
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if not data:
        raise Refused(_("Tệp “%(name)s” rỗng (0 byte): không có gì để lưu.") % {"name": name})
    if len(data) > settings.LIBRARY_MAX_BYTES:
        raise too_large(name)
    if ext not in EXTENSIONS:
        raise Refused(
            _(
                "Không nhận loại tệp “.%(ext)s” (“%(name)s”). Thư viện nhận PDF, ảnh JPG/PNG/TIFF, Word DOCX, TXT và Markdown."
            )
            % {"ext": ext or "?", "name": name}
        )
    kind = EXTENSIONS[ext]
    sniffed = filetype.guess(data)
    mime = sniffed.mime if sniffed else ""
    real = str(_DESCRIBE.get(mime, mime)) if mime else _what_unknown_bytes_are(data)

    def lie() -> Refused:
        return Refused(
            _(
                "Tệp “%(name)s” có đuôi .%(ext)s nhưng nội dung thực là %(real)s. Hãy kiểm tra lại tệp (đổi đúng đuôi hoặc xuất lại)."
            )
            % {"name": name, "ext": ext, "real": real}
        )

    if kind == "pdf":
        if not data.lstrip()[:5].startswith(b"%PDF"):
            if sniffed:
                raise lie()
            raise Refused(
                _(
                    "Tệp “%(name)s” không phải PDF hợp lệ (thiếu phần đầu %%PDF): tệp bị hỏng hoặc không phải PDF."
                )
                % {"name": name}
            )
        pages = _check_pdf(name, data)
        return Intake(name, ext, kind, "application/pdf", pages, data)
    if kind == "image":
        if not mime.startswith("image/") or mime not in {"image/jpeg", "image/png", "image/tiff"}:
            raise lie()
        clean = _clean_image(name, data)
        return Intake(
            name, clean.suffix.lstrip("."), kind, clean.content_type, clean.frames, clean.data
        )
    if kind == "docx":
        if mime not in {
            "application/zip",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }:
            raise lie()
        _check_docx(name, data)
        return Intake(
            name,
            ext,
            kind,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            1,
            data,
        )
    if sniffed is not None:
        raise lie()
    if _has_nul(data):
        raise Refused(
            _(
                "Tệp “%(name)s” có đuôi .%(ext)s nhưng chứa ký tự NUL (dữ liệu nhị phân), nên không phải văn bản thuần. Hãy mở tệp bằng trình soạn thảo và lưu lại dưới dạng văn bản UTF-8."
            )
            % {"name": name, "ext": ext}
        )
    decode_text(name, data)
    return Intake(
        name, ext, kind, "text/markdown" if ext in {"md", "markdown"} else "text/plain", 1, data
    )


def _has_nul(data: bytes) -> bool:
    """NUL bytes in the first 4 KB: binary data (UTF-16 text, which has them, starts with a BOM)."""
    return b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff"))


def _what_unknown_bytes_are(data: bytes) -> str:
    """What a file of no known type holds, said only as far as we know it."""
    if _has_nul(data):
        return _("dữ liệu nhị phân không rõ loại")
    return _("văn bản thuần")


def _check_pdf(name: str, data: bytes) -> int:
    import pymupdf  # lazy: the native PDF library loads only where a PDF is read

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (
        Exception
    ) as exc:  # pymupdf raises several kinds for broken files, in English: logged, not shown
        log.info("library: PDF %r does not open: %s", name, exc)
        raise Refused(
            _(
                "Tệp PDF “%(name)s” bị hỏng, không mở được. Hãy xuất (in) lại PDF từ tệp gốc rồi tải lên lại."
            )
            % {"name": name}
        ) from exc
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise Refused(
                _(
                    "Tệp PDF “%(name)s” được đặt mật khẩu hoặc mã hóa. Hãy gỡ mật khẩu (in ra PDF mới) rồi tải lên lại."
                )
                % {"name": name}
            )
        pages = doc.page_count
        if pages == 0:
            raise Refused(
                _("Tệp PDF “%(name)s” bị hỏng: không đọc được trang nào.") % {"name": name}
            )
        limit = settings.LIBRARY_MAX_PAGES
        if pages > limit:
            raise Refused(
                _(
                    "Tệp “%(name)s” có %(pages)d trang, vượt giới hạn %(limit)d trang. Hãy tách thành nhiều tệp nhỏ hơn."
                )
                % {"name": name, "pages": pages, "limit": limit}
            )
        try:
            doc.load_page(0).get_text()
        except Exception as exc:
            raise Refused(
                _("Tệp PDF “%(name)s” bị hỏng, không đọc được nội dung.") % {"name": name}
            ) from exc
    return pages


def _clean_image(name: str, data: bytes) -> images.CleanImage:
    """The core image policy for a document: every frame's size from the header, then re-encoded."""
    try:
        return images.reencode(data, name=name, policy=images.document_policy())
    except images.ImageRefused as exc:
        raise Refused(exc.message) from exc


def _check_docx(name: str, data: bytes) -> None:
    """Refuse ZIP bombs from the ZIP directory alone: total inflated size and ratio."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Refused(_("Tệp Word “%(name)s” bị hỏng, không mở được.") % {"name": name}) from exc
    with archive:
        infos = archive.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if (
            len(infos) > 5000
            or total > settings.LIBRARY_DOCX_MAX_UNCOMPRESSED
            or (total > 10 * 1024 * 1024 and total / packed > settings.LIBRARY_ZIP_MAX_RATIO)
        ):
            raise Refused(
                _(
                    "Tệp “%(name)s” là tệp nén bất thường (giải nén ra %(size)s, gấp %(ratio)d lần): có thể là “bom nén”, không mở."
                )
                % {"name": name, "size": format_size(total), "ratio": total // packed}
            )
        if "word/document.xml" not in archive.namelist():
            raise Refused(
                _(
                    "Tệp “%(name)s” có đuôi .docx nhưng không phải tài liệu Word (thiếu word/document.xml)."
                )
                % {"name": name}
            )


def decode_text(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError as exc:
        raise Refused(
            _("Không đọc được bảng mã của tệp “%(name)s”. Hãy lưu lại dưới dạng UTF-8.")
            % {"name": name}
        ) from exc


def docx_text(data: bytes) -> str:
    import docx  # lazy: python-docx (and lxml) load only where a DOCX is read

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return unicodedata.normalize("NFC", "\n".join(parts))


def pdf_page_texts(data: bytes) -> list[str]:
    import pymupdf  # lazy: the native PDF library loads only where a PDF is read

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [unicodedata.normalize("NFC", page.get_text("text", sort=True)) for page in doc]
