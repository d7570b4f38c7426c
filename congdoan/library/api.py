"""/api/v1/documents: search and read documents, scoped to the token's or session's user."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from congdoan.library import selectors
from congdoan.library.models import Document, DocumentLink
from congdoan.orgs.scoping import Viewer

router = Router(tags=["Document library"])


class DocumentOut(Schema):
    id: int
    title: str
    number: str
    doc_type: str
    issuer: str
    issued_on: date | None
    unit_code: str
    visibility: str
    status: str
    score: float | None = None
    snippet: str = ""


class LinkOut(Schema):
    raw: str
    cited_number: str
    cited_date: date | None
    target_id: int | None


class DocumentDetailOut(DocumentOut):
    issuer_parent: str
    place: str
    recipients: str
    signer: str
    signer_capacity: str
    confidence: dict[str, float]
    corrected_fields: list[str]
    tags: list[str]
    text: str
    text_before_restore: str
    cites: list[LinkOut]
    missing: list[LinkOut]
    cited_by: list[LinkOut]


class SearchOut(Schema):
    count: int
    count_is_lower_bound: bool
    page: int
    results: list[DocumentOut]


def document_data(
    doc: Document, score: float | None = None, snippet: str = ""
) -> dict[str, object]:
    return {
        "id": doc.pk,
        "title": doc.display_title,
        "number": doc.number,
        "doc_type": doc.doc_type,
        "issuer": doc.issuer,
        "issued_on": doc.issued_on,
        "unit_code": doc.unit.code,
        "visibility": doc.visibility,
        "status": doc.status,
        "score": score,
        "snippet": snippet,
    }


def _link(link: DocumentLink, target_id: int | None) -> dict[str, object]:
    return {
        "raw": link.raw,
        "cited_number": link.cited_number,
        "cited_date": link.cited_date,
        "target_id": target_id,
    }


def document_detail_data(*, viewer: Viewer, doc: Document) -> dict[str, object]:
    links = selectors.document_links(viewer=viewer, document=doc)
    data = document_data(doc)
    data.update(
        issuer_parent=doc.issuer_parent,
        place=doc.place,
        recipients=doc.recipients,
        signer=doc.signer,
        signer_capacity=doc.signer_capacity,
        confidence=doc.confidence,
        corrected_fields=sorted(doc.corrected),
        tags=doc.tag_list,
        text=doc.text,
        text_before_restore=doc.text_before_restore,
        cites=[_link(link, link.target_id) for link in links.cites],
        missing=[_link(link, None) for link in links.missing],
        cited_by=[_link(link, link.source_id) for link in links.cited_by],
    )
    return data


@router.get(
    "",
    response=SearchOut,
    summary="Search the documents you may read",
    description="Full-text search (with or without diacritics) filtered by type, issuer, year, unit and tag; 20 results a page.",
)
def search(
    request: HttpRequest,
    q: str = "",
    type: str = "",
    issuer: str = "",
    year: int | None = None,
    unit: str = "",
    tag: str = "",
    page: int = 1,
) -> dict[str, object]:
    results = selectors.search_documents(
        viewer=request.user,
        query=q,
        doc_type=type,
        issuer=issuer,
        year=year,
        unit_code=unit,
        tag=tag,
        page=page,
        per_page=20,
    )
    return {
        "count": results.total,
        "count_is_lower_bound": results.total_is_lower_bound,
        "page": results.page,
        "results": [
            document_data(h.document, round(h.score, 6), str(h.snippet_html)) for h in results.hits
        ],
    }


@router.get(
    "/{int:document_id}",
    response=DocumentDetailOut,
    summary="One document: metadata, text and links",
    description="404 when the document does not exist or is not shared with the caller.",
)
def detail(request: HttpRequest, document_id: int) -> dict[str, object]:
    doc = selectors.document_get(viewer=request.user, pk=document_id)
    return document_detail_data(viewer=request.user, doc=doc)
