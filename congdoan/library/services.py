"""Writes of the library. Officers' writes are audited; slow work goes to tasks on commit.

The life of a document (steps):
1. `document_upload`: check the bytes (congdoan.library.intake), store them once per
   content hash (`Blob`), create the `Document` (status "pending"), enqueue
   `process_document` on commit;
2. `document_process` (task, queue "default"): read the text that is there (PDF text layer,
   DOCX, TXT); pages without text become `Page` rows to OCR and the document goes to
   status "ocr", with `ocr_document` enqueued on queue "ocr";
3. `document_ocr_step` (task, queue "ocr"): claims the next pending page with a conditional
   UPDATE, OCRs it, saves it; after a few pages it enqueues itself again, so a long document
   never holds the worker from the others; a page that fails is marked failed with its reason;
4. `document_finalize`: when no page is pending: join the text, restore lost diacritics if
   the text was OCR'd without Vietnamese, build the searchable PDF, read the metadata (keeping
   officers' corrections), find references and link them, fold the text for search.
A killed worker leaves a page "processing"; the next OCR step of the document puts it back
to "pending" at once when its reader's process is gone (`resume_dead_claims`, see
library/resume.py), and `resume_stale` (run by `congdoan library resume` and by every OCR
step) does so for any page after LIBRARY_OCR_STALE_SECONDS.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.library import engine, intake, resume
from congdoan.library.metadata import extract_metadata, number_key
from congdoan.library.models import (
    METADATA_FIELDS,
    Blob,
    DocType,
    Document,
    DocumentLink,
    Page,
    PageStatus,
    SourceKind,
    Status,
    Visibility,
)
from congdoan.library.references import find_references
from congdoan.library.search import document_index_words
from congdoan.library.storage import library_storage
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import can_manage_unit
from congdoan.text import fold, restore
from congdoan.text.vietnamese import has_marks

log = logging.getLogger("congdoan.library")


class Duplicate(Exception):
    def __init__(self, existing: Document) -> None:
        super().__init__(f"duplicate of {existing.pk}")
        self.existing = existing
        self.message = _("“%(name)s” đã có trong thư viện của đơn vị (tài liệu số %(id)d).") % {
            "name": existing.original_name,
            "id": existing.pk,
        }


@dataclass(frozen=True)
class UploadOutcome:
    name: str
    status: str  # created | duplicate | refused
    message: str
    document: Document | None = None


def _check_officer(actor: Any, unit: Unit) -> None:
    if actor is not None and not can_manage_unit(actor, unit):
        raise PermissionDenied


def _store_blob(data: bytes, extension: str, content_type: str) -> Blob:
    sha = hashlib.sha256(data).hexdigest()
    blob = Blob.objects.filter(sha256=sha).first()
    if blob is not None:
        return blob
    name = f"library/{sha[:2]}/{sha}.{extension}"
    if not library_storage.exists(name):
        name = library_storage.save(name, ContentFile(data))
    blob, _created = Blob.objects.get_or_create(
        sha256=sha, defaults={"file": name, "size": len(data), "content_type": content_type}
    )
    return blob


@transaction.atomic
def document_upload(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    data: bytes,
    visibility: str = Visibility.UNIT,
    tags: str = "",
) -> Document:
    """Store one file as a new document of `unit`. Raises `intake.Refused` or `Duplicate`."""
    _check_officer(actor, unit)
    if visibility not in Visibility.values:
        raise ValidationError(_("Mức chia sẻ không hợp lệ."))
    info = intake.inspect(name, data)
    data = info.data  # an image is stored as the image policy re-encoded it (bounded, no metadata)
    sha = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(unit=unit, blob__sha256=sha).first()
    if existing is not None:
        raise Duplicate(existing)
    blob = _store_blob(data, info.extension, info.content_type)
    now = timezone.now()
    doc = Document.objects.create(
        unit=unit,
        blob=blob,
        original_name=info.name,
        source_kind=info.kind,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        visibility=visibility,
        tags=_clean_tags(tags),
        page_count=info.page_count,
        title="",
        published_at=now if visibility == Visibility.PUBLIC else None,
    )
    audit_record(
        actor=actor,
        action="library.document.upload",
        target=doc,
        changes={"name": info.name, "sha256": sha, "visibility": visibility},
    )
    from congdoan.library.tasks import process_document

    transaction.on_commit(lambda: process_document.enqueue(doc.pk))
    return doc


def upload_many(
    *,
    actor: Any,
    unit: Unit,
    files: list[tuple[str, bytes | None]],
    visibility: str,
    tags: str = "",
) -> list[UploadOutcome]:
    """Each file on its own: one refused file never stops or undoes the others.
    A file given as None was larger than LIBRARY_MAX_BYTES and was not read."""
    outcomes = []
    for name, data in files:
        try:
            if data is None:
                raise intake.too_large(name)
            doc = document_upload(
                actor=actor, unit=unit, name=name, data=data, visibility=visibility, tags=tags
            )
        except intake.Refused as exc:
            outcomes.append(UploadOutcome(intake.safe_name(name), "refused", exc.message))
        except Duplicate as exc:
            outcomes.append(
                UploadOutcome(intake.safe_name(name), "duplicate", exc.message, exc.existing)
            )
        else:
            outcomes.append(
                UploadOutcome(doc.original_name, "created", _("Đã nhận, đang xử lý."), doc)
            )
    return outcomes


def _clean_tags(tags: str) -> str:
    seen: list[str] = []
    for tag in tags.replace(";", ",").split(","):
        tag = " ".join(tag.split())[:40]
        if tag and tag.lower() not in [t.lower() for t in seen]:
            seen.append(tag)
    return ", ".join(seen)[:255]


def _fail(doc: Document, message: str) -> None:
    Document.objects.filter(pk=doc.pk).update(
        status=Status.FAILED, error=message, updated_at=timezone.now()
    )


def document_process(*, document_id: int) -> None:
    """Step 2: read the text that is there; queue OCR for the pages that have none."""
    doc = Document.objects.select_related("blob").filter(pk=document_id).first()
    if doc is None or doc.status not in (Status.PENDING,):
        return
    try:
        data = doc.blob.file.open("rb").read()
    except OSError as exc:
        log.error("library: stored file of document %s unreadable: %s", doc.pk, exc)
        _fail(
            doc,
            _(
                "Không đọc được tệp đã lưu trên máy chủ. Quản trị viên cần kiểm tra kho lưu trữ, rồi bấm “Thử lại”."
            ),
        )
        return
    try:
        if doc.source_kind == SourceKind.TEXT:
            _set_pages(doc, [(intake.decode_text(doc.original_name, data), False)])
        elif doc.source_kind == SourceKind.DOCX:
            _set_pages(doc, [(intake.docx_text(data), False)])
        elif doc.source_kind == SourceKind.PDF:
            texts = intake.pdf_page_texts(data)
            pages = [(t, len(t.strip()) < settings.LIBRARY_MIN_TEXT_CHARS) for t in texts]
            _check_ocr_quota(doc, sum(1 for _text, needs_ocr in pages if needs_ocr))
            _set_pages(doc, pages)
        else:
            _check_ocr_quota(doc, max(1, doc.page_count))
            _set_pages(doc, [("", True)] * max(1, doc.page_count))
    except intake.Refused as exc:
        _fail(doc, exc.message)
        return
    except Exception:  # a broken file must fail its own document only
        log.exception("library: reading document %s failed", doc.pk)
        _fail(
            doc,
            _(
                "Không đọc được nội dung tệp: tệp bị hỏng hoặc có cấu trúc lạ. Hãy mở tệp trên máy, lưu (xuất) lại rồi tải lên lại."
            ),
        )
        return
    if Page.objects.filter(document=doc, status=PageStatus.PENDING).exists():
        if (
            Document.objects.filter(pk=doc.pk, status=Status.PENDING).update(
                status=Status.OCR, updated_at=timezone.now()
            )
            == 1
        ):
            from congdoan.library.tasks import ocr_document

            transaction.on_commit(lambda: ocr_document.enqueue(doc.pk))
    else:
        document_finalize(document_id=doc.pk)


def _check_ocr_quota(doc: Document, pages: int) -> None:
    """Refuse OCR past LIBRARY_OCR_PAGES_PER_UNIT_PER_DAY pages for the document's unit,
    counted over the documents it uploaded since midnight (Vietnam time); 0 means no limit."""
    limit = settings.LIBRARY_OCR_PAGES_PER_UNIT_PER_DAY
    if not pages or limit <= 0:
        return
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    used = (
        Page.objects.filter(
            document__unit_id=doc.unit_id, document__created_at__gte=midnight, needs_ocr=True
        )
        .exclude(document_id=doc.pk)
        .count()
    )
    if used + pages > limit:
        raise intake.Refused(
            _(
                "Đơn vị đã nhận dạng chữ %(used)d trang hôm nay; tài liệu này cần thêm %(pages)d trang, vượt hạn mức %(limit)d trang mỗi ngày. Hãy bấm “Thử lại” vào ngày mai, hoặc nhờ quản trị viên nâng hạn mức."
            )
            % {"used": used, "pages": pages, "limit": limit}
        )


@transaction.atomic
def _set_pages(doc: Document, pages: list[tuple[str, bool]]) -> None:
    Page.objects.filter(document=doc).delete()
    now = timezone.now()
    Page.objects.bulk_create(
        Page(
            document=doc,
            number=i,
            needs_ocr=needs_ocr,
            text="" if needs_ocr else text,
            status=PageStatus.PENDING if needs_ocr else PageStatus.DONE,
            finished_at=None if needs_ocr else now,
        )
        for i, (text, needs_ocr) in enumerate(pages, start=1)
    )
    Document.objects.filter(pk=doc.pk).update(page_count=len(pages))


def resume_stale(*, now: Any = None) -> int:
    """Pages left "processing" by a killed worker go back to "pending"; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.LIBRARY_OCR_STALE_SECONDS)
    return Page.objects.filter(status=PageStatus.PROCESSING, started_at__lt=cutoff).update(
        status=PageStatus.PENDING
    )


def resume_dead_claims(*, document_id: int) -> int:
    """Pages of the document that a process now gone was reading go back to "pending" at once
    (library/resume.py); one that took its reader down too often fails. Returns how many."""
    count = 0
    rows = Page.objects.filter(document_id=document_id, status=PageStatus.PROCESSING).exclude(
        claimed_by=""
    )
    for pk, number, claimed_by, attempts in rows.values_list(
        "pk", "number", "claimed_by", "attempts"
    ):
        if resume.claimer_alive(claimed_by) is not False:
            continue
        stuck = Page.objects.filter(pk=pk, status=PageStatus.PROCESSING, claimed_by=claimed_by)
        if attempts >= settings.LIBRARY_OCR_MAX_ATTEMPTS:
            stuck.update(
                status=PageStatus.FAILED,
                finished_at=timezone.now(),
                error=_(
                    "Trang %(n)d: máy nhận dạng chữ dừng đột ngột %(k)d lần khi đọc trang này, nên đã bỏ qua. Hãy quét lại trang rồi bấm “Thử lại”."
                )
                % {"n": number, "k": attempts},
            )
        else:
            count += stuck.update(status=PageStatus.PENDING, claimed_by="")
    return count


def _claim_next_page(doc_id: int) -> Page | None:
    for _attempt in range(5):
        page = (
            Page.objects.filter(document_id=doc_id, status=PageStatus.PENDING)
            .order_by("number")
            .first()
        )
        if page is None:
            return None
        claimed = Page.objects.filter(pk=page.pk, status=PageStatus.PENDING).update(
            status=PageStatus.PROCESSING,
            started_at=timezone.now(),
            attempts=page.attempts + 1,
            claimed_by=resume.claimer(),
        )
        if claimed == 1:
            page.refresh_from_db()
            return page
    return None


def document_ocr_step(*, document_id: int, max_pages: int | None = None) -> int:
    """Step 3: OCR up to `max_pages` pages; re-enqueue while pages remain. Returns pages done."""
    from congdoan.library import ocr

    doc = Document.objects.select_related("blob").filter(pk=document_id).first()
    if doc is None or doc.status != Status.OCR:
        return 0
    resume_stale()
    resume_dead_claims(document_id=doc.pk)
    resume.sweep_temp_dirs()
    Document.objects.filter(pk=doc.pk).update(updated_at=timezone.now())
    budget = max_pages or settings.LIBRARY_OCR_PAGES_PER_TASK
    done = 0
    data: bytes | None = None
    while done < budget:
        page = _claim_next_page(doc.pk)
        if page is None:
            break
        try:
            if data is None:
                with doc.blob.file.open("rb") as fh:
                    data = fh.read()
            image = (
                ocr.render_pdf_page(data, page.number)
                if doc.source_kind == SourceKind.PDF
                else ocr.image_frame(data, page.number)
            )
            result = ocr.ocr_image(image, first_page=page.number == 1)
        except ocr.OcrUnavailable as exc:
            Page.objects.filter(pk=page.pk).update(
                status=PageStatus.FAILED, error=exc.message, finished_at=timezone.now()
            )
            Page.objects.filter(document=doc, status=PageStatus.PENDING).update(
                status=PageStatus.FAILED, error=exc.message
            )
            break
        except Exception as exc:
            log.warning("library: OCR of document %s page %s failed: %s", doc.pk, page.number, exc)
            Page.objects.filter(pk=page.pk).update(
                status=PageStatus.FAILED,
                finished_at=timezone.now(),
                error=_("Trang %(n)d: %(err)s")
                % {
                    "n": page.number,
                    "err": exc.message
                    if isinstance(exc, ocr.OcrFailed)
                    else _("không đọc được trang này (trang bị hỏng)."),
                },
            )
        else:
            name = library_storage.save(
                f"library/pages/{doc.pk}/{page.number:04d}.pdf", ContentFile(result.pdf)
            )
            Page.objects.filter(pk=page.pk, status=PageStatus.PROCESSING).update(
                status=PageStatus.DONE,
                text=result.text,
                pdf=name,
                ocr_confidence=result.confidence,
                error="",
                finished_at=timezone.now(),
            )
        done += 1
        Document.objects.filter(pk=doc.pk).update(updated_at=timezone.now())
    remaining = Page.objects.filter(
        document=doc, status__in=[PageStatus.PENDING, PageStatus.PROCESSING]
    )
    if remaining.filter(status=PageStatus.PENDING).exists():
        from congdoan.library.tasks import ocr_document

        transaction.on_commit(lambda: ocr_document.enqueue(doc.pk))
    elif not remaining.exists():
        document_finalize(document_id=doc.pk)
    return done


def _needs_restoration(text: str) -> bool:
    """Vietnamese text that has almost no marks was read by an engine without Vietnamese."""
    words = [w for w in text.split() if w.isalpha()]
    if len(words) < 20:
        return False
    marked = sum(1 for w in words if has_marks(w))
    return marked / len(words) < 0.08


def _searchable_pdf(doc: Document, pages: list[Page]) -> str:
    """The original pages (PDF pages or images) with the OCR text layer laid over them."""
    import pymupdf
    from PIL import Image

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


def document_finalize(*, document_id: int) -> None:
    """Step 4: text, restoration, searchable PDF, metadata, links, search index."""
    doc = Document.objects.select_related("blob").get(pk=document_id)
    pages = list(Page.objects.filter(document=doc).order_by("number"))
    failed = [p for p in pages if p.status == PageStatus.FAILED]
    text = "\n\n".join(p.text.strip("\n") for p in pages if p.status == PageStatus.DONE).strip()
    before = ""
    if text and _needs_restoration(text):
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
        transaction.on_commit(engine.schedule_sync)


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


def link_references(doc: Document) -> None:
    """Rebuild this document's outgoing links, and point earlier missing links to it."""
    DocumentLink.objects.filter(source=doc).delete()
    links = []
    for ref in find_references(doc.text, own_key=doc.number_key):
        links.append(
            DocumentLink(
                source=doc,
                target=_resolve(ref.key, ref.cited_date, exclude=doc.pk),
                raw=ref.raw,
                cited_type=ref.doc_type,
                cited_number=ref.number[:80],
                number_key=ref.key[:80],
                cited_date=ref.cited_date,
                cited_issuer=ref.issuer,
            )
        )
    DocumentLink.objects.bulk_create(links, ignore_conflicts=True)
    if doc.number_key:
        DocumentLink.objects.filter(target=doc).exclude(number_key=doc.number_key).update(
            target=None
        )
        for link in DocumentLink.objects.filter(
            number_key=doc.number_key, target__isnull=True
        ).exclude(source=doc):
            target = _resolve(link.number_key, link.cited_date, exclude=link.source_id)
            if target is not None:
                DocumentLink.objects.filter(pk=link.pk).update(target=target)


def _resolve(key: str, cited: date | None, *, exclude: int) -> Document | None:
    candidates = list(
        Document.objects.filter(number_key=key).exclude(pk=exclude).only("id", "issued_on")[:20]
    )
    if cited is not None:
        exact = [d for d in candidates if d.issued_on == cited]
        if exact:
            return exact[0]
        same_year = [d for d in candidates if d.issued_on and d.issued_on.year == cited.year]
        return same_year[0] if len(same_year) == 1 else None
    return candidates[0] if len(candidates) == 1 else None


@transaction.atomic
def document_correct(*, actor: Any, document: Document, values: dict[str, Any]) -> Document:
    """An officer sets metadata fields; the values are kept through any later re-reading."""
    _check_officer(actor, document.unit)
    doc = Document.objects.select_for_update().get(pk=document.pk)
    changes: dict[str, Any] = {}
    for field, value in values.items():
        if field not in METADATA_FIELDS:
            raise ValidationError(_("Trường “%(f)s” không sửa được.") % {"f": field})
        if field == "doc_type" and value and value not in DocType.values:
            raise ValidationError(_("Loại văn bản không hợp lệ."))
        old = getattr(doc, field)
        if field == "issued_on":
            if value and not isinstance(value, date):
                raise ValidationError(_("Ngày ban hành không hợp lệ."))
            stored = value.isoformat() if value else ""
            value = value or None
        else:
            value = (value or "").strip()
            stored = value
        if old == value:
            continue
        setattr(doc, field, value)
        doc.corrected[field] = stored
        doc.confidence[field] = 1.0
        changes[field] = [
            str(old) if old is not None else "",
            str(value) if value is not None else "",
        ]
    if not changes:
        return doc
    doc.number_key = number_key(doc.number) if doc.number else ""
    doc.issuer_key = fold(f"{doc.issuer} {doc.issuer_parent}")[:255]
    doc.head_folded, doc.folded = document_index_words(doc)
    doc.updated_at = timezone.now()
    doc.save()
    transaction.on_commit(engine.schedule_sync)
    if "number" in changes or "issued_on" in changes:
        link_references(doc)
    audit_record(actor=actor, action="library.document.correct", target=doc, changes=changes)
    return doc


@transaction.atomic
def document_share(*, actor: Any, document: Document, visibility: str, tags: str) -> Document:
    _check_officer(actor, document.unit)
    if visibility not in Visibility.values:
        raise ValidationError(_("Mức chia sẻ không hợp lệ."))
    doc = Document.objects.select_for_update().get(pk=document.pk)
    tags = _clean_tags(tags)
    changes = {}
    if doc.visibility != visibility:
        changes["visibility"] = [doc.visibility, visibility]
        doc.visibility = visibility
        if visibility == Visibility.PUBLIC and doc.published_at is None:
            doc.published_at = timezone.now()
    if doc.tags != tags:
        changes["tags"] = [doc.tags, tags]
        doc.tags = tags
    if changes:
        doc.updated_at = timezone.now()
        doc.save(update_fields=["visibility", "published_at", "tags", "updated_at"])
        audit_record(actor=actor, action="library.document.share", target=doc, changes=changes)
    return doc


@transaction.atomic
def document_retry(*, actor: Any, document: Document) -> int:
    """Failed pages go back to the OCR queue (e.g. after Tesseract was installed)."""
    _check_officer(actor, document.unit)
    count = Page.objects.filter(document=document, status=PageStatus.FAILED).update(
        status=PageStatus.PENDING, error=""
    )
    if document.status == Status.FAILED and not Page.objects.filter(document=document).exists():
        # It failed before its pages were known: read it again from the start.
        updated = Document.objects.filter(pk=document.pk, status=Status.FAILED).update(
            status=Status.PENDING, error=""
        )
        if updated:
            from congdoan.library.tasks import process_document

            transaction.on_commit(lambda: process_document.enqueue(document.pk))
            audit_record(
                actor=actor, action="library.document.retry", target=document, changes={"pages": 0}
            )
        return 0
    if count:
        Document.objects.filter(pk=document.pk).filter(
            Q(status=Status.FAILED) | Q(status=Status.READY)
        ).update(status=Status.OCR, error="", updated_at=timezone.now())
        from congdoan.library.tasks import ocr_document

        transaction.on_commit(lambda: ocr_document.enqueue(document.pk))
        audit_record(
            actor=actor, action="library.document.retry", target=document, changes={"pages": count}
        )
    return count


def resume_interrupted(*, now: Any = None) -> int:
    """Work a killed worker left behind goes back to the queue; returns how many documents.

    Called at the start of every library task (so any live worker picks up what a dead one
    dropped) and by `congdoan library resume`. A document counts as interrupted when a page
    of it was being read by a process that is gone (at once: `resume_dead_claims`), or when it
    is still "pending" or "ocr" and has not moved for LIBRARY_OCR_STALE_SECONDS; conditional
    UPDATEs make sure only one worker re-enqueues it.
    """
    from congdoan.library.tasks import ocr_document, process_document

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.LIBRARY_OCR_STALE_SECONDS)
    resume_stale(now=now)
    count = 0
    claims = Page.objects.filter(status=PageStatus.PROCESSING, document__status=Status.OCR).exclude(
        claimed_by=""
    )
    for doc_id in sorted(
        {
            doc_id
            for doc_id, claimed_by in claims.values_list("document_id", "claimed_by")[:200]
            if resume.claimer_alive(claimed_by) is False
        }
    ):
        if resume_dead_claims(document_id=doc_id):
            ocr_document.enqueue(doc_id)
            count += 1
    stale = Document.objects.filter(
        status__in=[Status.PENDING, Status.OCR], updated_at__lt=cutoff
    ).values_list("pk", "status", "updated_at")
    for pk, status, seen in list(stale[:100]):
        if (
            Document.objects.filter(pk=pk, status=status, updated_at=seen).update(updated_at=now)
            != 1
        ):
            continue
        (process_document if status == Status.PENDING else ocr_document).enqueue(pk)
        count += 1
    return count


def resume_all() -> int:
    """Re-enqueue every document whose work was interrupted (for `congdoan library resume`)."""
    from congdoan.library.tasks import ocr_document, process_document

    resume_stale()
    count = 0
    for pk in Document.objects.filter(status=Status.PENDING).values_list("pk", flat=True):
        process_document.enqueue(pk)
        count += 1
    for pk in Document.objects.filter(status=Status.OCR).values_list("pk", flat=True):
        ocr_document.enqueue(pk)
        count += 1
    return count


def image_bytes(image: Any, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()
