"""Curated answers: written, cited, published, reviewed by a unit's officers; each write
audited. A citation records the text it was written against (the version in force), so an
amendment flags the answer (`services.laws`) until an officer reviews it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.legal import rules
from congdoan.legal.models import (
    AnswerCitation,
    AnswerStatus,
    Article,
    Citation,
    CuratedAnswer,
)
from congdoan.orgs.models import Unit

#: How many articles one answer may cite.
MAX_CITATIONS = 12


def _latest_version_id(article: Article) -> int:
    """The newest text known, in force or to come: what a reviewing officer has read."""
    version = article.latest_version()
    if version is None:
        raise ValidationError(_("Điều %(n)s chưa có nội dung để dẫn.") % {"n": article.number})
    return version.pk


def _current_version_id(article: Article) -> int:
    version = article.version_on()
    if version is None:
        raise ValidationError(_("Điều %(n)s chưa có nội dung để dẫn.") % {"n": article.number})
    return version.pk


def _set_citations(answer: CuratedAnswer, cited: Sequence[tuple[Article, str]]) -> None:
    if len(cited) > MAX_CITATIONS:
        raise ValidationError(
            _("Một câu trả lời dẫn tối đa %(n)s điều luật.") % {"n": MAX_CITATIONS}
        )
    keep: set[tuple[int, str]] = set()
    for article, clause in cited:
        key = (article.pk, clause)
        if key in keep:
            continue
        keep.add(key)
        AnswerCitation.objects.update_or_create(
            answer=answer,
            article=article,
            clause=clause,
            defaults={"version_id": _current_version_id(article)},
        )
    for citation in AnswerCitation.objects.filter(answer=answer):
        if (citation.article_id, citation.clause) not in keep:
            citation.delete()


def answer_create(
    *,
    actor: Any,
    unit: Unit,
    question: str,
    answer: str,
    variants: str = "",
    cited: Sequence[tuple[Article, str]] = (),
    publish: bool = False,
) -> CuratedAnswer:
    if not rules.can_write_answer_for(actor, unit):
        raise PermissionDenied
    with transaction.atomic():
        row = CuratedAnswer.objects.create(
            unit=unit,
            question=question.strip()[:500],
            variants=variants.strip(),
            answer=answer.strip(),
            created_by=actor,
            updated_by=actor,
        )
        _set_citations(row, cited)
        audit_record(actor=actor, action="legal.answer.create", target=row)
        if publish:
            _publish(row, actor)
    return row


def answer_update(
    *,
    actor: Any,
    answer: CuratedAnswer,
    question: str,
    text: str,
    variants: str = "",
    cited: Sequence[tuple[Article, str]] = (),
) -> CuratedAnswer:
    if not rules.can_edit_answer(actor, answer):
        raise PermissionDenied
    with transaction.atomic():
        row = CuratedAnswer.objects.select_for_update().get(pk=answer.pk)
        changed = [
            name
            for name, value in (
                ("question", question.strip()[:500]),
                ("answer", text.strip()),
                ("variants", variants.strip()),
            )
            if getattr(row, name) != value
        ]
        row.question = question.strip()[:500]
        row.answer = text.strip()
        row.variants = variants.strip()
        row.updated_by = actor
        row.updated_at = timezone.now()
        row.save()
        before = set(row.citations.values_list("article_id", "clause"))
        _set_citations(row, cited)
        if before != {(a.pk, c) for a, c in cited}:
            changed.append("citations")
        audit_record(
            actor=actor, action="legal.answer.update", target=row, changes={"fields": changed}
        )
    return row


def _publish(row: CuratedAnswer, actor: Any) -> None:
    row.status = AnswerStatus.PUBLISHED
    row.published_at = row.published_at or timezone.now()
    row.updated_at = timezone.now()
    row.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="legal.answer.publish", target=row)


def answer_publish(*, actor: Any, answer: CuratedAnswer) -> CuratedAnswer:
    if not rules.can_edit_answer(actor, answer):
        raise PermissionDenied
    if not answer.citations.exists():
        raise ValidationError(_("Hãy dẫn ít nhất một điều luật trước khi đăng."))
    with transaction.atomic():
        _publish(answer, actor)
    return answer


def answer_unpublish(*, actor: Any, answer: CuratedAnswer) -> CuratedAnswer:
    if not rules.can_edit_answer(actor, answer):
        raise PermissionDenied
    with transaction.atomic():
        answer.status = AnswerStatus.DRAFT
        answer.updated_at = timezone.now()
        answer.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="legal.answer.unpublish", target=answer)
    return answer


def answer_mark_reviewed(*, actor: Any, answer: CuratedAnswer) -> CuratedAnswer:
    """The officer checked the answer against the texts in force: its citations now point at
    them and the flag goes."""
    if not rules.can_edit_answer(actor, answer):
        raise PermissionDenied
    with transaction.atomic():
        for citation in answer.citations.select_related("article"):
            citation.version_id = _latest_version_id(citation.article)
            citation.save(update_fields=["version"])
        answer.needs_review = False
        answer.review_reason = ""
        answer.updated_at = timezone.now()
        answer.updated_by = actor
        answer.save(update_fields=["needs_review", "review_reason", "updated_at", "updated_by"])
        audit_record(actor=actor, action="legal.answer.review", target=answer)
    return answer


def answer_delete(*, actor: Any, answer: CuratedAnswer) -> None:
    if not rules.can_edit_answer(actor, answer):
        raise PermissionDenied
    with transaction.atomic():
        audit_record(actor=actor, action="legal.answer.delete", target=answer)
        answer.delete()


def cite(
    *, actor: Any, target: Any, article: Article, clause: str = "", unit: Unit | None = None
) -> Citation:
    """Record that a row of another app (a concern's answer, a product) cites `article`. The
    caller has checked that `actor` may edit `target`."""
    name = target._meta.label_lower
    with transaction.atomic():
        row, created = Citation.objects.get_or_create(
            target=name,
            target_id=target.pk,
            article=article,
            clause=clause,
            defaults={"version_id": _current_version_id(article), "created_by": actor},
        )
        if created:
            audit_record(
                actor=actor,
                action="legal.citation.add",
                target=target,
                unit=unit,
                changes={"article": f"Điều {article.number} {article.law.law_id}"},
            )
    return row


def uncite(*, actor: Any, target: Any, article: Article, unit: Unit | None = None) -> int:
    name = target._meta.label_lower
    with transaction.atomic():
        deleted, _rows = Citation.objects.filter(
            target=name, target_id=target.pk, article=article
        ).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="legal.citation.remove",
                target=target,
                unit=unit,
                changes={"article": f"Điều {article.number} {article.law.law_id}"},
            )
    return int(deleted)
