"""Writes of the library on behalf of people: upload, correct, share, retry. Audited; the slow
work goes to tasks on commit.

- `document_upload` / `upload_many`: check the bytes (intake.py), store them once per content
  hash (`Blob`), create the `Document` (status "pending"), queue `process_document` on
  commit; the worker's steps from there are in pipeline.py;
- `document_correct`: an officer's metadata, kept through any later re-reading;
- `document_share`: who may see it (visibility) and its tags;
- `document_retry`: failed pages (or a document that failed before its pages were known)
  back to the queue;
- `document_reread_layers`: an officer's choice for the document's text layers ("repair the
  text layer", "OCR again", or back to the automatic choice), read again in the background;
- `resume_all`: `congdoan library resume`, every interrupted document back to the queue.
Who may do each is asked of rules.py (an actor of None is the command line: anything).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.library import intake, rules, tasks
from congdoan.library.links import link_references
from congdoan.library.metadata import number_key
from congdoan.library.models import (
    METADATA_FIELDS,
    Blob,
    DocType,
    Document,
    LayerChoice,
    Page,
    PageStatus,
    SourceKind,
    Status,
    Visibility,
)
from congdoan.library.pipeline import resume_stale
from congdoan.library.search.words import document_index_words
from congdoan.library.storage import library_storage
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer
from congdoan.text import fold


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


def _require(allowed: bool) -> None:
    if not allowed:
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
    actor: Viewer,
    unit: Unit,
    name: str,
    data: bytes,
    visibility: str = Visibility.UNIT,
    tags: str = "",
) -> Document:
    """Store one file as a new document of `unit`. Raises `intake.Refused` or `Duplicate`."""
    _require(actor is None or rules.can_upload(actor, unit))
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
        uploaded_by_id=getattr(actor, "pk", None),
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
    transaction.on_commit(lambda: tasks.process_document.enqueue(doc.pk))
    return doc


def upload_many(
    *,
    actor: Viewer,
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


@transaction.atomic
def document_correct(*, actor: Viewer, document: Document, values: dict[str, Any]) -> Document:
    """An officer sets metadata fields; the values are kept through any later re-reading."""
    _require(actor is None or rules.can_manage(actor, document))
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
    transaction.on_commit(tasks.schedule_index_sync)
    if "number" in changes or "issued_on" in changes:
        link_references(doc)
    audit_record(actor=actor, action="library.document.correct", target=doc, changes=changes)
    return doc


@transaction.atomic
def document_share(*, actor: Viewer, document: Document, visibility: str, tags: str) -> Document:
    _require(actor is None or rules.can_manage(actor, document))
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
def document_retry(*, actor: Viewer, document: Document) -> int:
    """Failed pages go back to the OCR queue (e.g. after Tesseract was installed)."""
    _require(actor is None or rules.can_manage(actor, document))
    count = Page.objects.filter(document=document, status=PageStatus.FAILED).update(
        status=PageStatus.PENDING, error=""
    )
    if document.status == Status.FAILED and not Page.objects.filter(document=document).exists():
        # It failed before its pages were known: read it again from the start.
        updated = Document.objects.filter(pk=document.pk, status=Status.FAILED).update(
            status=Status.PENDING, error=""
        )
        if updated:
            transaction.on_commit(lambda: tasks.process_document.enqueue(document.pk))
            audit_record(
                actor=actor, action="library.document.retry", target=document, changes={"pages": 0}
            )
        return 0
    if count:
        Document.objects.filter(pk=document.pk).filter(
            Q(status=Status.FAILED) | Q(status=Status.READY)
        ).update(status=Status.OCR, error="", updated_at=timezone.now())
        transaction.on_commit(lambda: tasks.ocr_document.enqueue(document.pk))
        audit_record(
            actor=actor, action="library.document.retry", target=document, changes={"pages": count}
        )
    return count


def layer_choices(document: Document) -> list[tuple[str, str]]:
    """The choices an officer has for the document's own text layers: none for a scan (it has
    no text layer), repair only for TXT and DOCX (no page images to OCR)."""
    if document.source_kind == SourceKind.IMAGE:
        return []
    return [
        (value, str(label))
        for value, label in LayerChoice.choices
        if value != LayerChoice.OCR or document.source_kind == SourceKind.PDF
    ]


@transaction.atomic
def document_reread_layers(*, actor: Viewer, document: Document, choice: str) -> Document:
    """An officer forces how the document's own text layers are read ("repair": the
    toolkit's repair of each page's layer; "ocr": every page with a text layer OCR'd again
    from its image; "auto": the language model chooses for the pages found garbled). The
    document is read again in the background (pages without a text layer keep their OCR);
    the choice stays for any later reading. Audited."""
    _require(actor is None or rules.can_manage(actor, document))
    if choice not in dict(layer_choices(document)):
        raise ValidationError(_("Không áp dụng được cách đọc này cho tài liệu này."))
    previous = document.layer_choice
    updated = Document.objects.filter(
        pk=document.pk, status__in=[Status.READY, Status.FAILED]
    ).update(layer_choice=choice, status=Status.PENDING, error="", updated_at=timezone.now())
    if not updated:
        raise ValidationError(
            _("Tài liệu đang được xử lý; hãy chờ xử lý xong rồi chọn lại cách đọc lớp chữ.")
        )
    document.refresh_from_db()
    audit_record(
        actor=actor,
        action="library.document.reread",
        target=document,
        changes={"choice": [previous, choice]},
    )
    transaction.on_commit(lambda: tasks.process_document.enqueue(document.pk))
    return document


def resume_all() -> int:
    """Re-enqueue every document whose work was interrupted (for `congdoan library resume`)."""
    resume_stale()
    count = 0
    for pk in Document.objects.filter(status=Status.PENDING).values_list("pk", flat=True):
        tasks.process_document.enqueue(pk)
        count += 1
    for pk in Document.objects.filter(status=Status.OCR).values_list("pk", flat=True):
        tasks.ocr_document.enqueue(pk)
        count += 1
    return count
