"""The worker's steps: from a stored file to a searchable, described, linked document.

Each step is run by a task (tasks.py) and answers what comes next (`Next`); the task queues
it once the step's transaction commits. The steps:
1. (services.document_upload stores the file and queues step 2);
2. `document_process` (queue "default"): read the text that is there (PDF text layer,
   DOCX, TXT); pages without text become `Page` rows to OCR and the document goes to
   status "ocr" (next: OCR);
3. `document_ocr_step` (queue "ocr"): claims the next pending page with a conditional
   UPDATE, OCRs it, saves it; after a few pages the step ends and, while pages remain, asks
   to be queued again, so a long document never holds the worker from the others; a page
   that fails is marked failed with its reason;
4. `document_finalize`: when no page is pending: join the text, restore lost diacritics if
   the text was OCR'd without Vietnamese, build the searchable PDF, read the metadata (keeping
   officers' corrections), find references and link them (links.py), fold the text for search
   (next: bring the external search index in step).
A killed worker leaves a page "processing"; the next OCR step of the document puts it back
to "pending" at once when its reader's process is gone (`resume_dead_claims`, see
library/resume.py), and `resume_stale` (run by `congdoan library resume` and by every OCR
step) does so for any page after LIBRARY_OCR_STALE_SECONDS; `resume_interrupted` (after
every task) names the documents whose work must be queued again.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.library import intake, layers, ocr, resume
from congdoan.library.finalize import document_finalize
from congdoan.library.models import (
    Document,
    LayerChoice,
    Page,
    PageStatus,
    Reading,
    SourceKind,
    Status,
)
from congdoan.library.storage import library_storage

log = logging.getLogger("congdoan.library")


class Next(enum.Enum):
    """What the worker queues after a step, once the step's transaction commits (tasks.py)."""

    NOTHING = "nothing"
    PROCESS = "process"  # read the document (step 2): the task process_document
    OCR = "ocr"  # pages wait for OCR (step 3): the task ocr_document
    INDEX = "index"  # the document was finalized: bring the external search index in step


class OcrStep(NamedTuple):
    pages: int  # pages read in this step
    next: Next


def _fail(doc: Document, message: str) -> None:
    Document.objects.filter(pk=doc.pk).update(
        status=Status.FAILED, error=message, updated_at=timezone.now()
    )


def document_process(*, document_id: int) -> Next:
    """Step 2: read the text that is there; OCR comes next for the pages that have none."""
    doc = Document.objects.select_related("blob").filter(pk=document_id).first()
    if doc is None or doc.status not in (Status.PENDING,):
        return Next.NOTHING
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
        return Next.NOTHING
    try:
        choice = doc.layer_choice
        if doc.source_kind == SourceKind.TEXT:
            text = intake.decode_text(doc.original_name, data)
            specs = [_own_text_page(1, text, choice, can_ocr=False)]
        elif doc.source_kind == SourceKind.DOCX:
            specs = [_own_text_page(1, intake.docx_text(data), choice, can_ocr=False)]
        elif doc.source_kind == SourceKind.PDF:
            texts = intake.pdf_page_texts(data)
            specs = [
                _own_text_page(i, t, choice, can_ocr=True)
                if len(t.strip()) >= settings.LIBRARY_MIN_TEXT_CHARS
                else PageSpec(i, "", needs_ocr=True)
                for i, t in enumerate(texts, start=1)
            ]
        else:
            specs = [PageSpec(i, "", needs_ocr=True) for i in range(1, max(1, doc.page_count) + 1)]
        kept = _kept_ocr_pages(doc, specs)
        _check_ocr_quota(doc, sum(1 for s in specs if s.needs_ocr and s.number not in kept))
        _set_pages(doc, specs, kept)
    except intake.Refused as exc:
        _fail(doc, exc.message)
        return Next.NOTHING
    except Exception:  # a broken file must fail its own document only
        log.exception("library: reading document %s failed", doc.pk)
        _fail(
            doc,
            _(
                "Không đọc được nội dung tệp: tệp bị hỏng hoặc có cấu trúc lạ. Hãy mở tệp trên máy, lưu (xuất) lại rồi tải lên lại."
            ),
        )
        return Next.NOTHING
    if Page.objects.filter(document=doc, status=PageStatus.PENDING).exists():
        started = Document.objects.filter(pk=doc.pk, status=Status.PENDING).update(
            status=Status.OCR, updated_at=timezone.now()
        )
        return Next.OCR if started == 1 else Next.NOTHING
    document_finalize(document_id=doc.pk)
    return Next.INDEX


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


@dataclass
class PageSpec:
    """A page as the reading step found it: its text (for a page to OCR, "" or the repaired
    text layer that a fresh OCR must beat), and what is known of its own text layer."""

    number: int
    text: str
    needs_ocr: bool = False
    reading: str = Reading.OCR
    layer_garbled: bool = False
    original_text: str = ""
    changes: list[layers.Change] = dataclasses.field(default_factory=list)
    layer_scores: dict[str, Any] = dataclasses.field(default_factory=dict)


def _reocr_enabled() -> bool:
    """Whether a garbled PDF page is also OCR'd again, to be compared with its repaired layer
    (LIBRARY_GARBLED_REOCR, on by default; off, or without Tesseract, the repair is kept)."""
    return bool(getattr(settings, "LIBRARY_GARBLED_REOCR", True)) and (
        ocr.unavailable_reason() is None
    )


def _own_text_page(number: int, text: str, choice: str, *, can_ocr: bool) -> PageSpec:
    """A page with a text of its own (a PDF's text layer, a TXT or DOCX file): kept as it is
    when it reads as Vietnamese; when garbled (or when an officer forced a choice) repaired,
    and, for a PDF page, queued for a fresh OCR that `document_ocr_step` compares with the
    repair by the language model's score (or takes, when the officer asked for it)."""
    found = layers.check(text)
    if choice == LayerChoice.AUTO and not found.garbled:
        # Clean, or only without its marks (which diacritics restoration gives back in
        # document_finalize): kept as it is.
        return PageSpec(number, text, reading=Reading.LAYER)
    repaired = layers.repair(text)
    scores: dict[str, Any] = {
        **found.measures,
        "layer": layers.lm_score(text),
        "repaired": layers.lm_score(repaired.text),
    }
    reocr = can_ocr and (
        choice == LayerChoice.OCR or (choice == LayerChoice.AUTO and _reocr_enabled())
    )
    return PageSpec(
        number,
        repaired.text,
        needs_ocr=reocr,
        reading=Reading.REPAIRED if repaired.changes else Reading.LAYER,
        layer_garbled=found.garbled,
        original_text=text,
        changes=repaired.changes,
        layer_scores=scores,
    )


def _kept_ocr_pages(doc: Document, specs: list[PageSpec]) -> set[int]:
    """On reading a document again (an officer's choice for its text layers): the pages
    without a text layer of their own that were OCR'd already are kept, not read again."""
    wanted = {s.number for s in specs if s.needs_ocr and not s.original_text}
    return set(
        Page.objects.filter(
            document=doc,
            number__in=wanted,
            status=PageStatus.DONE,
            needs_ocr=True,
            reading=Reading.OCR,
        ).values_list("number", flat=True)
    )


@transaction.atomic
def _set_pages(doc: Document, specs: list[PageSpec], kept: set[int] | None = None) -> None:
    kept = kept or set()
    Page.objects.filter(document=doc).exclude(number__in=kept).delete()
    now = timezone.now()
    Page.objects.bulk_create(
        Page(
            document=doc,
            number=spec.number,
            needs_ocr=spec.needs_ocr,
            text=spec.text,
            status=PageStatus.PENDING if spec.needs_ocr else PageStatus.DONE,
            finished_at=None if spec.needs_ocr else now,
            reading=spec.reading,
            layer_garbled=spec.layer_garbled,
            original_text=spec.original_text,
            changes=[list(c) for c in spec.changes],
            layer_scores=spec.layer_scores,
        )
        for spec in specs
        if spec.number not in kept
    )
    Document.objects.filter(pk=doc.pk).update(page_count=len(specs))


def resume_stale(*, now: datetime | None = None) -> int:
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


def document_ocr_step(*, document_id: int, max_pages: int | None = None) -> OcrStep:
    """Step 3: OCR up to `max_pages` pages. Returns how many, and what comes next: this step
    again while pages remain, the search index once the last page finalized the document."""
    doc = Document.objects.select_related("blob").filter(pk=document_id).first()
    if doc is None or doc.status != Status.OCR:
        return OcrStep(0, Next.NOTHING)
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
            if doc.layer_choice != LayerChoice.OCR:
                # Garbled layers waiting for a comparison keep their repair.
                for waiting in Page.objects.filter(
                    document=doc, status__in=[PageStatus.PENDING, PageStatus.PROCESSING]
                ).exclude(original_text=""):
                    if waiting.pk == page.pk or waiting.status == PageStatus.PENDING:
                        _keep_repair(waiting, exc.message)
            Page.objects.filter(pk=page.pk, status=PageStatus.PROCESSING).update(
                status=PageStatus.FAILED, error=exc.message, finished_at=timezone.now()
            )
            Page.objects.filter(document=doc, status=PageStatus.PENDING).update(
                status=PageStatus.FAILED, error=exc.message
            )
            break
        except Exception as exc:
            log.warning("library: OCR of document %s page %s failed: %s", doc.pk, page.number, exc)
            if page.original_text and doc.layer_choice != LayerChoice.OCR:
                _keep_repair(
                    page, exc.message if isinstance(exc, ocr.OcrFailed) else type(exc).__name__
                )
                done += 1
                continue
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
            if page.original_text and not _take_ocr(doc, page, result.text):
                done += 1
                Document.objects.filter(pk=doc.pk).update(updated_at=timezone.now())
                continue
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
        return OcrStep(done, Next.OCR)
    if not remaining.exists():
        document_finalize(document_id=doc.pk)
        return OcrStep(done, Next.INDEX)
    return OcrStep(done, Next.NOTHING)


def _take_ocr(doc: Document, page: Page, fresh: str) -> bool:
    """A page whose own text layer was garbled, now OCR'd again: whether the fresh OCR is
    taken (the officer asked for it, or it reads better than the repaired layer by the
    language model's score). When it is, the caller saves it; when not, the page keeps its
    repaired layer here. Both scores stay on the page (`layer_scores`)."""
    scores = {**page.layer_scores, "ocr": layers.lm_score(fresh)}
    take = doc.layer_choice == LayerChoice.OCR or layers.prefer_ocr(
        scores.get("repaired"), scores["ocr"]
    )
    if take:
        Page.objects.filter(pk=page.pk).update(reading=Reading.REOCR, layer_scores=scores)
    else:
        Page.objects.filter(pk=page.pk, status=PageStatus.PROCESSING).update(
            status=PageStatus.DONE,
            reading=Reading.REPAIRED if page.changes else Reading.LAYER,
            layer_scores=scores,
            error="",
            finished_at=timezone.now(),
        )
    return take


def _keep_repair(page: Page, why: str) -> None:
    """A garbled layer whose fresh OCR could not be made keeps its repair (text holds it)."""
    Page.objects.filter(pk=page.pk).update(
        status=PageStatus.DONE,
        reading=Reading.REPAIRED if page.changes else Reading.LAYER,
        layer_scores={**page.layer_scores, "ocr_error": why[:300]},
        error="",
        finished_at=timezone.now(),
    )


def resume_interrupted(*, now: datetime | None = None) -> list[tuple[int, Next]]:
    """Work a killed worker left behind: the documents to queue again, each with its step.

    Called after every library task (tasks.py), so that any live worker picks up what a dead
    one dropped. A document counts as interrupted when a page of it was
    being read by a process that is gone (at once: `resume_dead_claims`), or when it is still
    "pending" or "ocr" and has not moved for LIBRARY_OCR_STALE_SECONDS; conditional UPDATEs
    make sure only one worker takes it up.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.LIBRARY_OCR_STALE_SECONDS)
    resume_stale(now=now)
    resumed: list[tuple[int, Next]] = []
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
            resumed.append((doc_id, Next.OCR))
    stale = Document.objects.filter(
        status__in=[Status.PENDING, Status.OCR], updated_at__lt=cutoff
    ).values_list("pk", "status", "updated_at")
    for pk, status, seen in list(stale[:100]):
        if (
            Document.objects.filter(pk=pk, status=status, updated_at=seen).update(updated_at=now)
            != 1
        ):
            continue
        resumed.append((pk, Next.PROCESS if status == Status.PENDING else Next.OCR))
    return resumed
