"""Reads of the library, each scoped to its viewer by the rules of congdoan.library.rules.

- documents: the ones a viewer may see, one of them (404 otherwise), the public ones, and
  where the reading of one stands (its pages);
- search: `search_documents` narrows to what the viewer may see and to the filters, asks the
  search package (congdoan.library.search) for one page of ids, then loads those documents
  and cuts their snippets;
- what a document cites and what cites it, as far as the viewer may see;
- for officers: the units they may upload into, the digitisation indicator, and the
  documents of their units that wait for them (the officer's home page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from congdoan.library import layers, rules
from congdoan.library.models import (
    DocType,
    Document,
    DocumentLink,
    Page,
    PageStatus,
    Reading,
    Status,
    Visibility,
)
from congdoan.library.search import planner
from congdoan.library.search.highlight import highlight, snippet
from congdoan.library.search.words import query_tokens
from congdoan.orgs.models import Unit
from congdoan.orgs.scoping import Viewer, scope_for
from congdoan.text import fold


def documents_visible(*, viewer: Viewer) -> QuerySet[Document]:
    return Document.objects.filter(rules.visible_q(scope_for(viewer)))


def public_documents() -> QuerySet[Document]:
    return Document.objects.filter(rules.public_q()).select_related("unit")


def document_get(*, viewer: Viewer, pk: int) -> Document:
    doc = (
        documents_visible(viewer=viewer)
        .select_related("unit", "blob", "uploaded_by")
        .filter(pk=pk)
        .first()
    )
    if doc is None:
        raise Http404
    return doc


def public_document_get(*, pk: int) -> Document:
    doc = public_documents().select_related("blob").filter(pk=pk).first()
    if doc is None:
        raise Http404
    return doc


# What a results page, the API and `congdoan library search` show of a hit: loading only these
# (no metadata JSON, no timestamps, no folded copies) keeps turning 20 rows into objects cheap.
HIT_FIELDS = (
    "id",
    "title",
    "original_name",
    "number",
    "doc_type",
    "issuer",
    "issued_on",
    "visibility",
    "status",
    "text",
    "unit__id",
    "unit__code",
    "unit__name",
)


@dataclass
class Hit:
    document: Document
    score: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    tokens: list[str] = field(default_factory=list)
    total_is_lower_bound: bool = False
    # Set when the query matched more documents than the window the database looks at for
    # phrases (search.planner.tiered_page): how many that window held.
    ranked_among_newest: int = 0

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total or (
            self.total_is_lower_bound and len(self.hits) == self.per_page
        )

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search_documents(
    *,
    viewer: Viewer,
    query: str = "",
    doc_type: str = "",
    issuer: str = "",
    year: int | None = None,
    unit_code: str = "",
    tag: str = "",
    public_only: bool = False,
    page: int = 1,
    per_page: int = 20,
    with_total: bool = True,
) -> SearchPage:
    """Documents the viewer may see that match the query and filters, best first."""
    qs = (
        public_documents()
        if public_only
        else documents_visible(viewer=viewer).select_related("unit")
    )
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if issuer:
        qs = qs.filter(issuer_key__contains=fold(issuer.strip()))
    if year:
        qs = qs.filter(issued_on__year=year)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if tag:
        qs = qs.filter(tags__icontains=tag)
    tokens = query_tokens(query)
    page = max(1, page)
    ranked = planner.rank(
        qs,
        tokens,
        offset=(page - 1) * per_page,
        limit=per_page,
        filters={"unit": unit_code, "doc_type": doc_type, "year": year},
        with_total=with_total,
    )
    by_pk = (
        Document.objects.select_related("unit")
        .only(*HIT_FIELDS)
        .in_bulk([pk for pk, _s in ranked.ids])
        if ranked.ids
        else {}
    )
    hits = [
        Hit(
            document=d,
            score=score,
            title_html=highlight(d.display_title, tokens),
            snippet_html=snippet(d.text, tokens) if tokens else snippet(d.text[:220], []),
        )
        for pk, score in ranked.ids
        if (d := by_pk.get(pk)) is not None
    ]
    return SearchPage(
        hits=hits,
        total=ranked.total,
        page=page,
        per_page=per_page,
        tokens=tokens,
        total_is_lower_bound=ranked.capped,
        ranked_among_newest=ranked.ranked_among,
    )


# Records of what happened, never a basis an answer can cite: a half-year report that mentions
# "tiền lương" was the first basis suggested for a late-wages concern.
RECORD_TYPES = frozenset({DocType.REPORT, DocType.MINUTES, DocType.INVITATION, DocType.SUBMISSION})


def citable_documents(*, viewer: Viewer, query: str, limit: int) -> list[Document]:
    """Documents the viewer may see that an answer may cite as its basis for `query`, best
    first: the library's search (its scoping included), records (reports, minutes,
    invitations, submissions) left out; at most `limit`."""
    page = search_documents(viewer=viewer, query=query, per_page=limit * 4, with_total=False)
    return [h.document for h in page.hits if h.document.doc_type not in RECORD_TYPES][:limit]


def document_progress(*, document: Document) -> dict[str, Any]:
    """Where the reading of a document the viewer may see stands: its pages, how many are done,
    which failed, whether work goes on (the detail page and its progress poll)."""
    doc = document
    pages = list(
        Page.objects.filter(document=doc).only(
            "number", "status", "error", "needs_ocr", "ocr_confidence"
        )
    )
    done = sum(1 for p in pages if p.status == PageStatus.DONE)
    failed = [p for p in pages if p.status == PageStatus.FAILED]
    return {
        "doc": doc,
        "pages": pages,
        "pages_done": done,
        "pages_total": len(pages),
        "failed_pages": failed,
        "working": doc.status in (Status.PENDING, Status.OCR),
    }


@dataclass
class LayerPage:
    """One page whose own text layer was garbled, repaired or replaced, for the comparison."""

    number: int
    reading: str
    reading_label: str
    garbled: bool
    scores: dict[str, Any]
    original: list[layers.Piece]  # the layer as found, changed words marked
    result: list[layers.Piece]  # the text the library keeps, changed words marked
    changes: list[layers.Piece]  # each changed word (text: as found, other: replacement)


def document_layers(*, document: Document) -> list[LayerPage]:
    """The pages of a document the viewer may see whose own text layer was found garbled, or
    repaired, or replaced by a fresh OCR: the layer as found beside the text kept, the
    repair's changed words marked on both sides (a replaced page: the two texts whole)."""
    pages = Page.objects.filter(document=document).filter(
        Q(layer_garbled=True) | Q(reading__in=[Reading.REPAIRED, Reading.REOCR])
    )
    out: list[LayerPage] = []
    for page in pages.order_by("number"):
        if page.reading == Reading.REOCR or page.status != PageStatus.DONE:
            original = [layers.Piece(page.original_text)]
            result = [layers.Piece(page.text)] if page.status == PageStatus.DONE else []
            changes: list[layers.Piece] = []
        else:
            original, result = layers.marked(page.original_text, page.changes)
            changes = [p for p in original if p.changed]
        out.append(
            LayerPage(
                number=page.number,
                reading=page.reading,
                reading_label=str(page.get_reading_display()),
                garbled=page.layer_garbled,
                scores=page.layer_scores,
                original=original,
                result=result,
                changes=changes,
            )
        )
    return out


def has_own_text(*, document: Document) -> bool:
    """Whether some page of the document had a text of its own (a text layer, TXT, DOCX)."""
    return (
        Page.objects.filter(document=document)
        .filter(Q(needs_ocr=False) | ~Q(reading=Reading.OCR))
        .exists()
    )


@dataclass
class Links:
    cites: list[DocumentLink]
    missing: list[DocumentLink]
    cited_by: list[DocumentLink]


def document_links(*, viewer: Viewer, document: Document) -> Links:
    """What the document cites (found / missing) and what cites it, as far as the viewer may see."""
    visible = set(
        documents_visible(viewer=viewer)
        .filter(
            Q(pk__in=DocumentLink.objects.filter(source=document).values("target_id"))
            | Q(pk__in=DocumentLink.objects.filter(target=document).values("source_id"))
        )
        .values_list("pk", flat=True)
    )
    cites: list[DocumentLink] = []
    missing: list[DocumentLink] = []
    for link in DocumentLink.objects.filter(source=document).select_related("target"):
        (cites if link.target_id in visible else missing).append(link)
    cited_by = [
        link
        for link in DocumentLink.objects.filter(target=document).select_related("source")
        if link.source_id in visible
    ]
    return Links(cites=cites, missing=missing, cited_by=cited_by)


def facets(*, viewer: Viewer) -> dict[str, Any]:
    qs = documents_visible(viewer=viewer)
    years = sorted(
        {d.year for d in qs.exclude(issued_on=None).dates("issued_on", "year")}, reverse=True
    )
    units = (
        Unit.objects.filter(pk__in=qs.values("unit_id")).order_by("sort_key").only("code", "name")
    )
    return {"years": years, "units": list(units)}


def upload_units(*, viewer: Viewer) -> QuerySet[Unit]:
    return Unit.objects.filter(rules.upload_units_q(scope_for(viewer)), is_active=True).order_by(
        "sort_key"
    )


@dataclass
class IndicatorRow:
    unit: Unit | None
    total: int
    digitised: int
    described: int
    shared: int

    @staticmethod
    def _pct(n: int, d: int) -> float | None:
        return round(100 * n / d, 1) if d else None

    @property
    def digitised_pct(self) -> float | None:
        return self._pct(self.digitised, self.total)

    @property
    def described_pct(self) -> float | None:
        return self._pct(self.described, self.total)

    @property
    def shared_pct(self) -> float | None:
        return self._pct(self.shared, self.total)


DESCRIBED_Q = (
    ~Q(doc_type="") & ~Q(number="") & Q(issued_on__isnull=False) & ~Q(title="") & ~Q(issuer="")
)


DIGITISED_Q = Q(status=Status.READY) & ~Q(text="")


SHARED_Q = ~Q(visibility=Visibility.UNIT)


def digitisation_indicator(*, viewer: Viewer) -> tuple[list[IndicatorRow], IndicatorRow]:
    """Per unit and overall: shares digitised (text available), described (type, number, date,
    title and issuer filled) and shared beyond the unit, over the units the viewer manages."""
    if not rules.can_see_indicator(viewer):
        return [], IndicatorRow(None, 0, 0, 0, 0)
    qs = Document.objects.filter(rules.managed_q(scope_for(viewer)))
    stats = qs.values("unit_id").annotate(
        total=Count("id"),
        digitised=Count("id", filter=DIGITISED_Q),
        described=Count("id", filter=DESCRIBED_Q),
        shared=Count("id", filter=SHARED_Q),
    )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[s["unit_id"] for s in stats])}
    rows = [
        IndicatorRow(units[s["unit_id"]], s["total"], s["digitised"], s["described"], s["shared"])
        for s in stats
    ]
    rows.sort(key=lambda r: r.unit.path if r.unit else "")
    overall = IndicatorRow(
        None,
        sum(r.total for r in rows),
        sum(r.digitised for r in rows),
        sum(r.described for r in rows),
        sum(r.shared for r in rows),
    )
    return rows, overall


# A page read by OCR below this mean word confidence, or a metadata field read below this
# confidence (and not corrected by an officer), asks for an officer's review.
REVIEW_OCR_CONFIDENCE = 0.7


REVIEW_METADATA_CONFIDENCE = 0.6


@dataclass
class ReviewItem:
    document: Document
    reasons: list[str]


def documents_to_review(
    *, viewer: Viewer, since: datetime | None = None, limit: int = 5, scan: int = 300
) -> dict[str, Any]:
    """Documents of the viewer's own units (not those others share with them) that wait
    for OCR, failed, were read with low OCR confidence, or have metadata read with low
    confidence; the newest ``scan`` digitised documents are checked for the last. With
    ``since``: how many were added to those units since then."""
    own = Document.objects.filter(rules.managed_q(scope_for(viewer)))
    waiting = own.filter(status__in=[Status.PENDING, Status.OCR]).count()
    items: list[ReviewItem] = []
    low_ocr = set(
        own.filter(Q(status=Status.FAILED) | Q(pages__ocr_confidence__lt=REVIEW_OCR_CONFIDENCE))
        .values_list("pk", flat=True)
        .distinct()
    )
    recent = own.filter(Q(status=Status.READY) | Q(pk__in=low_ocr)).select_related("unit")
    for document in recent.order_by("-created_at", "-id")[:scan]:
        reasons = []
        if document.status == Status.FAILED:
            reasons.append(str(_("nhận dạng chữ bị lỗi")))
        elif document.pk in low_ocr:
            reasons.append(str(_("chữ nhận dạng chưa rõ")))
        low = [
            name
            for name, value in (document.confidence or {}).items()
            if name not in (document.corrected or {}) and float(value) < REVIEW_METADATA_CONFIDENCE
        ]
        if low:
            reasons.append(str(_("thông tin văn bản chưa chắc chắn")))
        if reasons:
            items.append(ReviewItem(document, reasons))
    added = own.filter(created_at__gt=since).count() if since is not None else None
    return {
        "waiting_ocr": waiting,
        "review_count": len(items),
        "review": items[:limit],
        "added_since": added,
    }
