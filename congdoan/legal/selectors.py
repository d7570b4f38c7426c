"""Reads of the legal app: laws and articles, curated answers, questions workers asked, and
`ask`, which answers a question from the articles in force.

Laws are public (a worker reads them without an account); a curated answer is public once
published, and its drafts are seen by the officers who may edit it (`rules.can_edit_answer`).
The search index is built once per process from the versions in force today and rebuilt when
any text or published answer changes (`_fingerprint`: one small query per question).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.legal import embedding
from congdoan.legal.models import (
    AnswerStatus,
    Article,
    ArticleVersion,
    AskedQuestion,
    Citation,
    CuratedAnswer,
    Law,
    LawKind,
)
from congdoan.legal.search import resources
from congdoan.legal.search.engine import (
    MAX_QUERY_CHARS,
    LegalIndex,
    Params,
    Passage,
    syllables,
)
from congdoan.legal.search.passages import article_passages
from congdoan.orgs.scoping import Viewer, scope_for, unit_q
from congdoan.text import embed, restore
from congdoan.text.vietnamese import has_marks

#: Below this share of the question's weight matched, a hit is shown but not called an answer.
CONFIDENT_COVERAGE = 0.5
#: A curated answer is offered when its question matches this share of the worker's question.
ANSWER_COVERAGE = 0.55
#: The longest question taken whole; a longer one is cut here and the worker is told.
MAX_QUESTION_CHARS = MAX_QUERY_CHARS


# ---------------------------------------------------------------- laws and articles


def laws() -> QuerySet[Law]:
    return Law.objects.annotate(article_count=Count("articles")).order_by("kind", "-issued_on")


def law_by_slug(slug: str) -> Law | None:
    return Law.objects.filter(slug=slug).first()


def articles_of(law: Law) -> QuerySet[Article]:
    return law.articles.prefetch_related("versions").order_by("sort_key")


def article_by_number(law: Law, number: str) -> Article | None:
    return law.articles.prefetch_related("versions").filter(number=number).first()


def find_article(law_id: str, number: str) -> Article | None:
    """An article by its law's number as issued and its own ("45/2019/QH14", "113")."""
    return (
        Article.objects.select_related("law")
        .prefetch_related("versions")
        .filter(law__law_id=law_id, number=number)
        .first()
    )


def citation_label(article: Article, clause: str = "") -> str:
    """ "khoản 1 Điều 113 Bộ luật Lao động 2019" — how an answer names what it rests on."""
    head = f"khoản {clause} " if clause else ""
    return f"{head}Điều {article.number} {article.law.short_name}"


# ---------------------------------------------------------------- curated answers


def published_answers() -> QuerySet[CuratedAnswer]:
    return CuratedAnswer.objects.filter(status=AnswerStatus.PUBLISHED).select_related("unit")


def answers_for_officer(viewer: Viewer) -> QuerySet[CuratedAnswer]:
    """Every published answer, and the drafts of the units in the viewer's scope."""
    scope = scope_for(viewer)
    return (
        CuratedAnswer.objects.filter(Q(status=AnswerStatus.PUBLISHED) | unit_q(scope))
        .select_related("unit", "updated_by")
        .prefetch_related("citations__article__law")
    )


def answers_citing(article: Article) -> QuerySet[CuratedAnswer]:
    return published_answers().filter(citations__article=article).distinct()


def citations_of(target: str, target_id: int) -> QuerySet[Citation]:
    """The articles a row of another app cites ("content.product", 12)."""
    return Citation.objects.filter(target=target, target_id=target_id).select_related(
        "article__law", "version"
    )


# ---------------------------------------------------------------- questions asked


@dataclass
class Unanswered:
    key: str
    example: str
    count: int
    unhelpful: int
    last_asked: dt.datetime


def unanswered_questions(*, days: int = 90, limit: int = 30) -> list[Unanswered]:
    """The most-asked questions of the last `days` that no curated answer met, or that workers
    said did not help: what officers should write next."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        AskedQuestion.objects.filter(asked_at__gte=since)
        .filter(Q(answer__isnull=True) | Q(helpful=False))
        .values("key")
        .annotate(
            n=Count("id"),
            unhelpful=Count("id", filter=Q(helpful=False)),
            last=Max("asked_at"),
            last_id=Max("id"),
        )
        .order_by("-n", "-last")[:limit]
    )
    examples = dict(
        AskedQuestion.objects.filter(id__in=[r["last_id"] for r in rows]).values_list("key", "text")
    )
    return [
        Unanswered(
            key=r["key"],
            example=examples.get(r["key"], r["key"]),
            count=r["n"],
            unhelpful=r["unhelpful"],
            last_asked=r["last"],
        )
        for r in rows
    ]


# ---------------------------------------------------------------- asking


@dataclass
class ArticleHit:
    article: Article
    version: ArticleVersion | None
    score: float
    clause: str  # the clause that answers best ("" for the article as a whole)
    coverage: float

    @property
    def law(self) -> Law:
        return self.article.law

    def as_json(self) -> dict[str, Any]:
        return {
            "law_id": self.article.law.law_id,
            "article": self.article.number,
            "title": self.article.title,
            "score": self.score,
            "clause": self.clause,
            "url": self.article.get_absolute_url(),
        }


@dataclass
class AnswerHit:
    answer: CuratedAnswer
    score: float
    direct: bool  # its question fits the worker's; else it cites the best article


@dataclass
class AskResult:
    question: str
    articles: list[ArticleHit] = field(default_factory=list)
    answers: list[AnswerHit] = field(default_factory=list)
    problem: str = ""  # why nothing (or less) could be answered, for the worker
    notice: str = ""  # said beside the answer (e.g. the question was cut)
    confident: bool = False


@dataclass
class _Built:
    fingerprint: tuple[Any, ...]
    index: LegalIndex
    answers_index: LegalIndex | None
    versions: dict[int, int]  # article id → the version in force
    semantic: bool


_LOCK = threading.Lock()
_CACHE: dict[dt.date, _Built] = {}


def _fingerprint(day: dt.date) -> tuple[Any, ...]:
    versions = ArticleVersion.objects.aggregate(n=Count("id"), last=Max("imported_at"))
    answers = CuratedAnswer.objects.filter(status=AnswerStatus.PUBLISHED).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return (day, versions["n"], versions["last"], answers["n"], answers["last"])


def _context(article: Article) -> str:
    return " ".join(p for p in (article.chapter, article.section) if p)


def _build(day: dt.date, fingerprint: tuple[Any, ...]) -> _Built:
    passages: list[Passage] = []
    vectors: list[np.ndarray | None] = []
    versions: dict[int, int] = {}
    articles = Article.objects.select_related("law").prefetch_related("versions")
    for article in articles.filter(
        Q(law__effective_to__isnull=True) | Q(law__effective_to__gt=day)
    ):
        version = article.version_on(day)
        if version is None or not version.in_force_on(day):
            continue
        versions[article.pk] = version.pk
        pieces = article_passages(
            article.pk,
            article.number,
            article.title,
            version.text,
            version.clauses,
            _context(article),
            secondary=article.law.kind not in (LawKind.CODE, LawKind.LAW),
        )
        passages.extend(pieces)
        stored = _vectors_of(version, len(pieces))
        vectors.extend(stored if stored is not None else [None] * len(pieces))
    # Meaning only once every text in force has its vectors: while the worker is still
    # embedding an import, the embedded articles would outrank the others for no reason.
    matrix: np.ndarray | None = None
    if vectors and all(v is not None for v in vectors):
        matrix = np.stack([v for v in vectors if v is not None])
    index = LegalIndex(passages, resources.analyzer(), resources.synonyms(), vectors=matrix)
    answer_passages = [
        Passage(key=a.pk, clause="", title=a.question, text="\n".join(a.variant_list()))
        for a in CuratedAnswer.objects.filter(status=AnswerStatus.PUBLISHED)
    ]
    answers_index = (
        LegalIndex(
            answer_passages,
            resources.analyzer(),
            resources.synonyms(),
            # a few questions hold few words: a word they lack says nothing of the fit
            params=Params(count_unknown=False),
        )
        if answer_passages
        else None
    )
    return _Built(fingerprint, index, answers_index, versions, matrix is not None)


def _vectors_of(version: ArticleVersion, count: int) -> list[np.ndarray] | None:
    if not version.vectors:
        return None
    data = np.frombuffer(bytes(version.vectors), dtype=np.float16)
    if data.size != count * 384:
        return None  # written for another cut of the text: recomputed by the task
    return list(data.reshape(count, 384).astype(np.float32))


def search_index(day: dt.date | None = None) -> _Built:
    """The index of the texts in force on `day`, rebuilt when a text or an answer changed."""
    day = day or timezone.localdate()
    fingerprint = _fingerprint(day)
    built = _CACHE.get(day)
    if built is not None and built.fingerprint == fingerprint:
        return built
    with _LOCK:
        built = _CACHE.get(day)
        if built is None or built.fingerprint != fingerprint:
            built = _build(day, fingerprint)
            if len(_CACHE) > 3:
                _CACHE.clear()
            _CACHE[day] = built
    return built


def _looks_foreign(question: str) -> bool:
    """No Vietnamese marks and most words not Vietnamese syllables: English or another tongue."""
    if has_marks(question):
        return False
    words = syllables(question)
    if len(words) < 3:
        return False
    known = resources.folded_syllables()
    foreign = sum(1 for w in words if w not in known and not w.isdigit())
    return foreign / len(words) > 0.4


def for_meaning(question: str) -> str:
    """The question as the model and the marked-syllable match read it: typed without marks,
    or mostly without (a phone's keyboard adds some), its diacritics restored by the toolkit."""
    words = question.split()
    marked = sum(1 for w in words if has_marks(w))
    return restore(question) if words and marked / len(words) < 0.5 else question


def _query_vector(question: str, semantic: bool) -> np.ndarray | None:
    """The meaning of the question, given with its marks (`for_meaning`: the model reads
    "nghỉ phép" far better than "nghi phep")."""
    if not semantic or not embedding.available():
        return None
    try:
        return embed.embed(question, kind="query")[0]
    except embed.EmbeddingUnavailable:  # the package went away under us
        return None


def ask(question: str, *, top: int = 5, day: dt.date | None = None) -> AskResult:
    """The articles (best first) and curated answers for a worker's question.

    Never raises for what a worker types: an empty, foreign or unmatched question comes back
    with `problem` saying so; a question past MAX_QUESTION_CHARS is cut and `notice` says so."""
    text = " ".join((question or "").split())
    result = AskResult(question=text)
    if not text or not syllables(text):
        result.problem = _("Hãy viết câu hỏi của bạn, ví dụ: “Nghỉ phép năm được bao nhiêu ngày?”")
        return result
    if len(text) > MAX_QUESTION_CHARS:
        text = text[:MAX_QUESTION_CHARS]
        result.question = text
        result.notice = _("Câu hỏi dài quá nên chỉ %(n)s ký tự đầu được dùng để tìm.") % {
            "n": f"{MAX_QUESTION_CHARS:,}".replace(",", "."),
        }
    built = search_index(day)
    if not built.versions:
        result.problem = _("Chưa có văn bản pháp luật nào được nhập.")
        return result
    if _looks_foreign(text):
        result.problem = _(
            "Hiện trang này chỉ trả lời câu hỏi bằng tiếng Việt. Bạn hãy hỏi bằng tiếng Việt "
            "(có dấu hoặc không dấu) hoặc gửi ý kiến để cán bộ Công đoàn trả lời."
        )
        return result
    top = max(1, min(top, 20))
    marked = for_meaning(text)
    hits = built.index.search(
        text, top=top, query_vector=_query_vector(marked, built.semantic), accented=marked
    )
    if not hits:
        result.problem = _(
            "Chưa tìm thấy điều luật nào khớp với câu hỏi. Bạn có thể hỏi cách khác, hoặc gửi "
            "câu hỏi cho Công đoàn để cán bộ trả lời."
        )
        return result
    by_id = (
        Article.objects.select_related("law")
        .prefetch_related("versions")
        .in_bulk([h.key for h in hits])
    )
    for hit in hits:
        article = by_id.get(hit.key)
        if article is None:
            continue
        in_force = built.versions.get(hit.key)
        version = next((v for v in article.versions.all() if v.pk == in_force), None)
        result.articles.append(ArticleHit(article, version, hit.score, hit.clause, hit.coverage))
    result.confident = bool(result.articles) and result.articles[0].coverage >= CONFIDENT_COVERAGE
    result.answers = _answers_for(text, built, result.articles)
    return result


def _answers_for(question: str, built: _Built, articles: Sequence[ArticleHit]) -> list[AnswerHit]:
    """Published answers whose question fits (direct), then those citing the best article."""
    picked: list[tuple[int, float, bool]] = []
    if built.answers_index is not None:
        picked += [
            (hit.key, hit.score, True)
            for hit in built.answers_index.search(question, top=3)
            if hit.coverage >= ANSWER_COVERAGE
        ]
    if articles:
        citing = (
            published_answers()
            .filter(citations__article=articles[0].article)
            .exclude(pk__in=[pk for pk, _score, _direct in picked])
            .distinct()
            .values_list("pk", flat=True)[:2]
        )
        picked += [(pk, 0.0, False) for pk in citing]
    rows = (
        published_answers()
        .prefetch_related("citations__article__law")
        .in_bulk([pk for pk, _score, _direct in picked])
    )
    return [AnswerHit(rows[pk], score, direct) for pk, score, direct in picked if pk in rows][:3]


# ---------------------------------------------------------------- for other apps' pages
# Articles suggested beside a concern's answer, and the link a free-text citation names
# (hooks_feedback.py): other apps may import only this module (contract "domain").
from congdoan.legal.hooks_feedback import (  # noqa: E402, F401 (re-exported)
    SuggestedArticle,
    link_for_citation,
    suggested_articles,
)
