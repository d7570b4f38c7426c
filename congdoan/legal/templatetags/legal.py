"""Template helpers of the legal pages: a question's words emphasised in a law's text, clause
anchors, and how a citation is named and linked.

Everything is escaped here before any markup is added: the texts come from imported files and
the words from a worker's question, so neither is ever marked safe as it is.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from congdoan.legal import selectors
from congdoan.legal.models import AnswerCitation, Article
from congdoan.legal.search import resources
from congdoan.legal.search.engine import syllables
from congdoan.text import fold

register = template.Library()

_WORD_RE = re.compile(r"\w+")
#: The most words of a question emphasised (a 1,000-character question would light up all).
MAX_TERMS = 30


def question_terms(question: str) -> frozenset[str]:
    """The question's words worth emphasising in a text: folded syllables, common words and
    one-letter ones left out, at most MAX_TERMS."""
    stop = resources.stopwords()
    terms: list[str] = []
    for word in syllables(question or ""):
        if len(word) > 1 and word not in stop and word not in terms:
            terms.append(word)
        if len(terms) >= MAX_TERMS:
            break
    return frozenset(terms)


@register.filter
def emphasise(text: str | None, terms: frozenset[str] | None) -> SafeString:
    """The text escaped, each word of `terms` (folded: marks and case do not matter) in <b>."""
    text = text or ""
    if not terms:
        return mark_safe(escape(text))  # escaped just now
    out: list[str] = []
    pos = 0
    for match in _WORD_RE.finditer(text):
        if fold(match.group()) in terms:
            out.append(escape(text[pos : match.start()]))
            out.append(f"<b>{escape(match.group())}</b>")
            pos = match.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # every piece escaped above


@register.filter
def paragraphs(text: str | None) -> list[str]:
    """A text's non-empty lines, each a paragraph."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def clause_anchor(number: Any) -> str:
    """The anchor of a clause on its article's page: "khoan-2"."""
    return f"khoan-{number}" if number not in (None, "") else ""


@register.filter
def citation_label(citation: AnswerCitation) -> str:
    """ "khoản 1 Điều 113 Bộ luật Lao động 2019"."""
    return selectors.citation_label(citation.article, citation.clause)


@register.filter
def citation_url(citation: AnswerCitation) -> str:
    """The cited article's page, at the clause when one is cited."""
    return citation.article.clause_url(citation.clause)


@register.filter
def article_heading(article: Article) -> str:
    """ "Điều 113. Nghỉ hằng năm"."""
    return f"Điều {article.number}. {article.title}".rstrip(". ")
