"""What an officer answers with: earlier versions, answer templates, a legal basis from the
library, articles of the law suggested for the concern (congdoan.legal).

Each read first asks `rules.can_view_concern`: an officer who cannot see the concern gets
nothing, not even its templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, Q

from congdoan.feedback import rules
from congdoan.feedback.models import AnswerTemplate, Concern, ConcernAnswer, Topic
from congdoan.legal import selectors as legal_selectors
from congdoan.library.selectors import citable_documents
from congdoan.orgs.scoping import Viewer
from congdoan.text import fold

if TYPE_CHECKING:  # a name for the annotations only: documents come through library.selectors
    from congdoan.library.models import Document


def concern_answers(*, viewer: Viewer, concern: Concern) -> list[ConcernAnswer]:
    """Every version of the answer, oldest first, for an officer who may see the concern."""
    if not rules.can_view_concern(viewer, concern):
        return []
    return list(concern.answers.select_related("author").order_by("version"))


def answer_templates(*, viewer: Viewer, concern: Concern) -> list[AnswerTemplate]:
    """Active templates for the concern's topic (and those for any topic), shared by everyone
    or kept by a unit above the one handling the concern."""
    if not rules.can_view_concern(viewer, concern):
        return []
    handler = concern.assigned_unit or concern.unit
    units = Q(unit__isnull=True)
    if handler is not None:
        units |= Q(unit_id__in=handler.ancestor_ids())
    topics = (Q(topic="") | Q(topic=concern.topic)) if concern.topic else Q(topic="")
    return list(
        AnswerTemplate.objects.filter(units, topics, is_active=True).order_by(
            F("topic").desc(), "title"
        )[:20]
    )


# Words of the law for each topic: the library is searched for those the concern uses first,
# then for the topic's main ones.
LEGAL_TERMS: dict[str, list[str]] = {
    Topic.WAGES: ["trả lương", "tiền lương", "khấu trừ lương", "lương tối thiểu", "tiền thưởng"],
    Topic.HOURS: ["làm thêm giờ", "thời giờ làm việc", "thời giờ nghỉ ngơi", "nghỉ hằng năm"],
    Topic.INSURANCE: ["bảo hiểm xã hội", "bảo hiểm y tế", "thai sản", "bảo hiểm thất nghiệp"],
    Topic.SAFETY: ["an toàn, vệ sinh lao động", "tai nạn lao động", "bệnh nghề nghiệp"],
    Topic.CONTRACT: ["hợp đồng lao động", "kỷ luật lao động", "sa thải", "chấm dứt hợp đồng"],
    Topic.WELFARE: ["phúc lợi", "thưởng Tết", "trợ cấp", "bữa ăn ca"],
    Topic.LIVING: ["nhà ở công nhân", "nhà trẻ", "đưa đón công nhân"],
    Topic.UNION: ["đoàn phí", "kinh phí công đoàn", "công đoàn cơ sở"],
    Topic.HARASSMENT: ["quấy rối tình dục", "phân biệt đối xử"],
}
GENERAL_TERMS = ["Bộ luật Lao động", "người lao động"]
MAX_LEGAL_QUERIES = 5


def legal_suggestions(*, viewer: Viewer, concern: Concern, limit: int = 3) -> list[Document]:
    """Up to `limit` library documents the viewer may see that may serve as the answer's
    legal basis, best first.

    Steps: 1. the topic's legal terms that the concern's words contain (folded, so "tra luong"
    finds "trả lương"), then the topic's other terms, then general ones; 2. each is searched
    through the library's `citable_documents` (its scoping included; records such as reports
    left out) until `limit` documents are found.
    """
    if not rules.can_view_concern(viewer, concern):
        return []
    words = " ".join(fold(f"{concern.text} {concern.restored_text}").split())
    terms = LEGAL_TERMS.get(concern.topic, [])
    used = [t for t in terms if " ".join(fold(t).replace(",", " ").split()) in words]
    queries = used + [t for t in terms if t not in used] + GENERAL_TERMS
    found: dict[int, Document] = {}
    for query in queries[:MAX_LEGAL_QUERIES]:
        for document in citable_documents(viewer=viewer, query=query, limit=limit):
            found.setdefault(document.pk, document)
        if len(found) >= limit:
            break
    return list(found.values())[:limit]


def article_suggestions(
    *, viewer: Viewer, concern: Concern
) -> list[legal_selectors.SuggestedArticle]:
    """Up to five articles of the laws in force that fit the concern's words (its restored
    text when triage restored the diacritics), best first, for an officer who may see it;
    none when no law is imported."""
    if not rules.can_view_concern(viewer, concern):
        return []
    return legal_selectors.suggested_articles(concern.restored_text or concern.text)


def laws_imported() -> bool:
    """Whether any law is imported (else the answer form says how to import one)."""
    return legal_selectors.laws().exists()


def citation_link(citation: str, url: str = "") -> str:
    """Where a sent answer's "Căn cứ" links: the officer's URL, else the page of the article
    it names when that law is imported ("Điều 97 Bộ luật Lao động 2019"), else ""."""
    if url or not citation:
        return url
    return legal_selectors.link_for_citation(citation) or ""
