"""The law where officers answer concerns (feedback): articles suggested for a concern's text,
and a link to the article a free-text citation names.

Feedback reaches these through `legal.selectors` (the only door the import contract opens),
which re-exports `suggested_articles` and `link_for_citation`. Both say nothing rather than
fail: with no law imported, or the legal pages not routed, a concern's page is drawn as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from congdoan.legal.models import Article, Law, LawKind
from congdoan.text import fold

#: The most articles suggested beside an answer form.
MAX_SUGGESTIONS = 5

# "khoản 1 Điều 113", "Điều 113", "điều 20a", "Khoản 2, Điều 35" (folded: no marks, lower case)
_ARTICLE_RE = re.compile(r"(?:khoan\s+(\d{1,3})\s*,?\s*)?dieu\s+(\d{1,4}[a-z]?)\b")
# A number and symbol as issued: "45/2019/qh14", "145/2020/nd-cp", "10/2020/tt-bldtbxh"
_LAW_ID_RE = re.compile(r"\b\d{1,4}/\d{4}/[a-z0-9-]+")
# How people name the Labour Code without its number.
_LABOUR_CODE_NAMES = ("bo luat lao dong", "blld", "luat lao dong")


@dataclass(frozen=True)
class SuggestedArticle:
    """An article offered as an answer's legal basis: `key` is what the officer's click sends
    back ("<article id>-<clause>"), `label` goes into "Căn cứ", `url` into its link."""

    key: str
    label: str
    title: str
    law_name: str
    url: str


#: The share of the concern's weighted words an article must match to be suggested: lower than
#: "confident" in selectors (a long story matches a smaller share). On the Labour Code, concerns
#: about something else reach 0.2–0.3, the right article of a worker's story 0.3–0.5; below it a
#: concern about something else would still get its five "best" articles.
MIN_COVERAGE = 0.3


def suggested_articles(text: str, *, top: int = MAX_SUGGESTIONS) -> list[SuggestedArticle]:
    """Up to `top` articles in force that answer `text` (a concern), best first; none when no
    law is imported or nothing fits."""
    from congdoan.legal.selectors import (  # lazy: selectors re-exports this module
        ask,
        citation_label,
    )

    if not (text or "").strip() or not Law.objects.exists():
        return []
    result = ask(text, top=max(1, min(top, MAX_SUGGESTIONS)))
    out = []
    for hit in result.articles:
        if hit.coverage < MIN_COVERAGE:
            continue  # a concern about something else shares a word or two with it
        url = hit.article.clause_url(hit.clause)
        out.append(
            SuggestedArticle(
                key=f"{hit.article.pk}-{hit.clause}",
                label=citation_label(hit.article, hit.clause),
                title=hit.article.title,
                law_name=hit.article.law.short_name,
                url=url,
            )
        )
    return out


def _law_named(folded: str, laws: list[Law]) -> Law | None:
    """The imported law a citation's text names: by number as issued, by its short name or
    title, or the Labour Code by its usual names."""
    for law_id in _LAW_ID_RE.findall(folded):
        law = next((law for law in laws if fold(law.law_id) == law_id), None)
        if law is not None:
            return law
    by_name = sorted(laws, key=lambda law: -len(law.short_name))
    for law in by_name:
        if fold(law.short_name) in folded:
            return law
    if any(name in folded for name in _LABOUR_CODE_NAMES):
        codes = [law for law in laws if law.kind == LawKind.CODE and "lao dong" in fold(law.title)]
        if codes:
            return max(codes, key=lambda law: (law.issued_on is not None, law.issued_on))
    return None


def link_for_citation(text: str) -> str | None:
    """The page of the article a free-text "Căn cứ" names ("khoản 1 Điều 113 Bộ luật Lao động
    2019" → /phap-luat/van-ban/45-2019-qh14/dieu-113/#khoan-1), or None when it names no
    article of an imported law (or names the law ambiguously)."""
    folded = " ".join(fold(text or "").split())[:500]
    match = _ARTICLE_RE.search(folded)
    if match is None:
        return None
    laws = list(Law.objects.only("id", "law_id", "slug", "kind", "title", "issued_on"))
    if not laws:
        return None
    law = _law_named(folded[match.start() :], laws) or _law_named(folded, laws)
    if law is None:
        return None
    clause, number = match.group(1) or "", match.group(2)
    article = Article.objects.select_related("law").filter(law=law, number=number).first()
    if article is None:
        return None
    return article.clause_url(clause)
