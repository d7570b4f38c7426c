"""Importing laws: parsed text becomes rows, all of it or nothing.

A re-import of a law compares each article's text with the version in force: the same text
changes nothing; a new text closes that version on the new one's first day and adds it (an
amendment), or, dated no later than it, corrects it in place. Either way every curated answer
that cites the article against an older text is flagged for review. The embeddings of new
texts are computed afterwards, in the background (`legal.tasks.embed_versions`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from congdoan.audit.services import audit_record
from congdoan.core.vndate import vn_short_date
from congdoan.legal import tasks
from congdoan.legal.models import (
    AnswerCitation,
    Article,
    ArticleVersion,
    CuratedAnswer,
    Law,
    LawKind,
    version_order,
)
from congdoan.legal.parsing.types import ParsedArticle, ParsedClause, ParsedLaw
from congdoan.text import fold


@dataclass
class ImportReport:
    """What an import did, per law: shown by the command and the officer's page."""

    laws: list[str] = field(default_factory=list)
    articles: int = 0
    new_articles: int = 0
    new_versions: int = 0
    corrected: int = 0
    unchanged: int = 0
    flagged_answers: int = 0
    warnings: list[str] = field(default_factory=list)
    version_ids: list[int] = field(default_factory=list)


def law_slug(law_id: str) -> str:
    """ "45/2019/QH14" → "45-2019-qh14"; "145/2020/NĐ-CP" → "145-2020-nd-cp"."""
    return slugify(fold(law_id).replace("/", "-"))[:80] or "van-ban"


def article_sort_key(number: str) -> int:
    """ "113" → 113000, "20a" → 20001: numeric order with lettered insertions after."""
    match = re.match(r"(\d+)([a-zđ]?)", number.strip().lower())
    if not match:
        return 0
    letter = match.group(2)
    return int(match.group(1)) * 1000 + ((ord(letter) - ord("a") + 1) if letter else 0)


def text_digest(title: str, text: str) -> str:
    flat = " ".join(f"{title}\n{text}".split())
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()


def clauses_json(clauses: list[ParsedClause]) -> list[dict[str, Any]]:
    return [
        {
            "number": c.number,
            "text": c.text,
            "points": [{"letter": p.letter, "text": p.text} for p in c.points],
        }
        for c in clauses
    ]


def import_laws(
    parsed: list[ParsedLaw],
    *,
    actor: Any = None,
    effective_from: dt.date | None = None,
    source: str = "",
    embed_later: bool = True,
) -> ImportReport:
    """Write every parsed law in one transaction (a failure leaves the database as it was).

    `effective_from` dates the new texts of a re-import (an amendment in force from that day);
    without it each text takes the date its source gives, else the law's, else today. The new
    texts' embeddings are queued for the worker unless `embed_later` is False (the command
    computes them itself, with a progress bar)."""
    if not parsed:
        raise ValueError(_("Tệp không có văn bản nào để nhập."))
    report = ImportReport()
    with transaction.atomic():
        for law_data in parsed:
            _import_one(law_data, report, actor=actor, effective_from=effective_from, source=source)
        if report.version_ids and embed_later:
            ids = list(report.version_ids)
            transaction.on_commit(lambda: tasks.embed_versions.enqueue(ids))
    return report


def _import_one(
    data: ParsedLaw,
    report: ImportReport,
    *,
    actor: Any,
    effective_from: dt.date | None,
    source: str,
) -> None:
    kind = data.kind if data.kind in LawKind.values else LawKind.OTHER
    law = Law.objects.select_for_update().filter(law_id=data.law_id).first()
    if law is None:
        law = Law(law_id=data.law_id, slug=_free_slug(data.law_id))
    law.kind = kind
    law.title = data.title[:500] or law.title or data.law_id
    law.issuer = data.issuer[:200] or law.issuer
    law.issued_on = data.issued_on or law.issued_on
    law.effective_from = law.effective_from or data.effective_from
    law.source = (source or law.source)[:300]
    law.imported_at = timezone.now()
    law.imported_by = actor if getattr(actor, "is_authenticated", False) else None
    law.save()
    report.laws.append(law.law_id)
    report.warnings.extend(f"{law.law_id}: {w}" for w in data.warnings)

    existing = {a.number: a for a in Article.objects.filter(law=law).prefetch_related("versions")}
    flagged: set[int] = set()
    new_versions = 0
    for parsed_article in data.articles:
        report.articles += 1
        article = existing.get(parsed_article.number)
        if article is None:
            article = Article.objects.create(
                law=law,
                number=parsed_article.number,
                sort_key=article_sort_key(parsed_article.number),
                title=parsed_article.title[:500],
                chapter=parsed_article.chapter[:300],
                section=parsed_article.section[:300],
            )
            report.new_articles += 1
            _add_version(
                article, parsed_article, effective_from or _date_of(parsed_article, data), report
            )
            continue
        changed = _update_article(article, parsed_article, data, effective_from, report)
        if changed:
            new_versions += 1
            flagged |= _flag_answers(article, changed)
    report.flagged_answers += len(flagged)
    audit_record(
        actor=actor,
        action="legal.law.import",
        target=law,
        changes={
            "articles": len(data.articles),
            "new_versions": new_versions,
            "flagged_answers": len(flagged),
        },
    )


def _free_slug(law_id: str) -> str:
    base = law_slug(law_id)
    slug, n = base, 2
    while Law.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _date_of(article: ParsedArticle, law: ParsedLaw) -> dt.date | None:
    return article.effective_from or law.effective_from


def _add_version(
    article: Article, data: ParsedArticle, start: dt.date | None, report: ImportReport
) -> ArticleVersion:
    version = ArticleVersion.objects.create(
        article=article,
        text=data.text,
        clauses=clauses_json(data.clauses),
        effective_from=start,
        source_note=data.source_note[:1000],
        digest=text_digest(data.title, data.text),
    )
    report.version_ids.append(version.pk)
    return version


def _update_article(
    article: Article,
    data: ParsedArticle,
    law: ParsedLaw,
    effective_from: dt.date | None,
    report: ImportReport,
) -> ArticleVersion | None:
    """Bring one existing article to the parsed text; the version written when it changed."""
    fields = {
        "title": data.title[:500] or article.title,
        "chapter": data.chapter[:300] or article.chapter,
        "section": data.section[:300] or article.section,
    }
    if any(getattr(article, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(article, key, value)
        article.save(update_fields=list(fields))
    versions = list(article.versions.all())
    open_versions = [v for v in versions if v.effective_to is None]
    current = max(open_versions or versions, key=version_order)
    digest = text_digest(data.title, data.text)
    if digest == current.digest:
        report.unchanged += 1
        return None
    if not data.has_text and current.text:
        # A source that lists this article by heading only says nothing about its text.
        report.unchanged += 1
        return None
    start = effective_from or _date_of(data, law) or timezone.localdate()
    if current.effective_from is None or start <= current.effective_from or not current.text:
        current.text = data.text
        current.clauses = clauses_json(data.clauses)
        current.source_note = data.source_note[:1000] or current.source_note
        current.digest = digest
        current.vectors = None
        current.imported_at = timezone.now()
        if current.effective_from is None:
            current.effective_from = start
        current.save()
        report.corrected += 1
        report.version_ids.append(current.pk)
        return current
    current.effective_to = start
    current.save(update_fields=["effective_to"])
    report.new_versions += 1
    return _add_version(article, data, start, report)


def _flag_answers(article: Article, version: ArticleVersion) -> set[int]:
    """Mark for review every curated answer citing `article` against another text (or against
    this one, corrected in place)."""
    ids = set(
        AnswerCitation.objects.filter(article=article)
        .values_list("answer_id", flat=True)
        .distinct()
    )
    if not ids:
        return set()
    when = vn_short_date(version.effective_from) if version.effective_from else ""
    reason = _("Điều %(number)s %(law)s có nội dung mới (hiệu lực từ %(date)s).") % {
        "number": article.number,
        "law": article.law.short_name,
        "date": when or "—",
    }
    CuratedAnswer.objects.filter(pk__in=ids).update(needs_review=True, review_reason=reason[:500])
    return ids
