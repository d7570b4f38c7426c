"""Links between documents: the references found in a document's text, as `DocumentLink` rows.

A reference ("Kế hoạch số 45/KH-LĐLĐ ngày 12/3/2025", references.py) points to the cited
document when the library holds exactly one that fits (same number key; the same date, or
the only one of that year); otherwise it stays "missing" (target None) until such a document
arrives: a new document also fills the earlier missing links to its number. Run when a
document is finalized (pipeline.py) and when an officer corrects its number or date
(services.document_correct).
"""

from __future__ import annotations

from datetime import date

from congdoan.library.models import Document, DocumentLink
from congdoan.library.references import find_references


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
