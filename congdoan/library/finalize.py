"""Step 4 of the worker's pipeline (pipeline.py): from the read pages to a searchable,
described, linked document: the text joined, lost diacritics restored, the searchable PDF
(the original pages with the OCR layer laid over them), the metadata read (officers'
corrections kept), the references linked (links.py) and the words folded for search."""

from __future__ import annotations

import io
import logging
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from congdoan.library import layers
from congdoan.library.links import link_references
from congdoan.library.metadata import extract_metadata, number_key
from congdoan.library.models import (
    METADATA_FIELDS,
    DocType,
    Document,
    Page,
    PageStatus,
    Reading,
    SourceKind,
    Status,
)
from congdoan.library.search.words import document_index_words
from congdoan.library.storage import library_storage
from congdoan.text import fold, restore

log = logging.getLogger("congdoan.library")


def _searchable_pdf(doc: Document, pages: list[Page]) -> str:
    """The original pages (PDF pages or images) with the OCR text layer laid over them."""
    import pymupdf  # lazy: the native PDF library loads only in the worker step that needs it

    if not any(p.needs_ocr and p.pdf for p in pages):
        return ""
    with doc.blob.file.open("rb") as fh:
        data = fh.read()
    out = pymupdf.open()
    source = (
        pymupdf.open(stream=data, filetype="pdf") if doc.source_kind == SourceKind.PDF else None
    )
    try:
        for page in pages:
            layer = None
            if page.needs_ocr and page.pdf:
                with page.pdf.open("rb") as fh:
                    layer = pymupdf.open(stream=fh.read(), filetype="pdf")
            if source is not None:
                out.insert_pdf(source, from_page=page.number - 1, to_page=page.number - 1)
                target = out[-1]
                if layer is not None and page.reading == Reading.REOCR:
                    _drop_invisible_text(target)
            elif layer is not None:
                rect = layer[0].rect
                target = out.new_page(width=rect.width, height=rect.height)
                with Image.open(io.BytesIO(data)) as img:
                    if getattr(img, "n_frames", 1) > 1:
                        img.seek(page.number - 1)
                        stream = image_bytes(img.convert("L"))
                    else:
                        stream = data
                target.insert_image(target.rect, stream=stream)
            else:
                continue
            if layer is not None:
                target.show_pdf_page(target.rect, layer, 0, overlay=True)
                layer.close()
        result = out.tobytes(garbage=1, deflate=True)
    finally:
        out.close()
        if source is not None:
            source.close()
    return library_storage.save(f"library/searchable/{doc.pk}.pdf", ContentFile(result))


def _drop_invisible_text(page: Any) -> None:
    """A page whose garbled text layer was replaced by a fresh OCR: its old layer goes when
    it is invisible text over a scan (what a scanner's own OCR writes), so that search and
    copying read the new layer only. Visible text (the page's own print) is left alone."""
    import pymupdf

    try:
        spans = page.get_texttrace()
    except Exception:  # an odd page: keep it as it is
        return
    if not spans or any(span.get("type") != 3 for span in spans):
        return
    page.add_redact_annot(page.rect)
    page.apply_redactions(
        images=getattr(pymupdf, "PDF_REDACT_IMAGE_NONE", 0),
        graphics=getattr(pymupdf, "PDF_REDACT_LINE_ART_NONE", 0),
        text=getattr(pymupdf, "PDF_REDACT_TEXT_REMOVE", 0),
    )


def document_finalize(*, document_id: int) -> None:
    """Step 4: text, restoration, searchable PDF, metadata, links, search words. The external
    search index is the caller's to bring in step (Next.INDEX)."""
    doc = Document.objects.select_related("blob").get(pk=document_id)
    pages = list(Page.objects.filter(document=doc).order_by("number"))
    failed = [p for p in pages if p.status == PageStatus.FAILED]
    text = "\n\n".join(p.text.strip("\n") for p in pages if p.status == PageStatus.DONE).strip()
    before = ""
    if text and layers.lacks_marks(text):
        # One document: each word is also read as the text reads it elsewhere.
        restored = restore(text)
        if restored != text:
            before, text = text, restored
    try:
        pdf_name = _searchable_pdf(doc, pages)
    except Exception as exc:
        log.warning("library: searchable PDF for %s failed: %s", doc.pk, exc)
        pdf_name = ""
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=doc.pk)
        doc.text = text
        doc.text_before_restore = before
        if pdf_name:
            doc.searchable_pdf.name = pdf_name
        elif not any(p.needs_ocr and p.pdf for p in pages):
            # Read again without OCR (an officer chose to repair the layers OCR'd before).
            doc.searchable_pdf.name = ""
        _apply_metadata(doc, text)
        doc.head_folded, doc.folded = document_index_words(doc)
        if failed:
            doc.status = Status.FAILED
            reasons = "; ".join(dict.fromkeys(p.error for p in failed if p.error))
            doc.error = _("%(n)d/%(total)d trang lỗi: %(why)s") % {
                "n": len(failed),
                "total": len(pages),
                "why": reasons[:900],
            }
        else:
            doc.status = Status.READY
            doc.error = ""
        doc.updated_at = timezone.now()
        doc.save()
        link_references(doc)


def _apply_metadata(doc: Document, text: str) -> None:
    found = extract_metadata(text)
    confidence: dict[str, float] = {}
    for field in METADATA_FIELDS:
        if field in doc.corrected:
            value = doc.corrected[field]
            setattr(
                doc, field, date.fromisoformat(value) if field == "issued_on" and value else value
            )
            confidence[field] = 1.0
            continue
        value = found.values.get(field)
        if field == "doc_type" and value not in DocType.values:
            value = None
        if value is None:
            setattr(doc, field, None if field == "issued_on" else "")
            continue
        max_len = getattr(doc._meta.get_field(field), "max_length", None)
        setattr(doc, field, value[:max_len] if isinstance(value, str) and max_len else value)
        confidence[field] = found.confidence[field]
    if not doc.title:
        doc.title = doc.original_name.rsplit(".", 1)[0][:500]
        confidence["title"] = 0.1
    doc.confidence = confidence
    doc.number_key = number_key(doc.number) if doc.number else ""
    doc.issuer_key = fold(f"{doc.issuer} {doc.issuer_parent}")[:255]


def image_bytes(image: Any, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()
