"""Content products that cite articles of the law: the studio's panel to add and remove them,
and "Căn cứ pháp lý" on the public product page.

Content never imports legal (docs/decisions/0001-content-foundation.md): this module registers
its panels in `content.hooks` (`register()`, from `LegalConfig.ready()`), asks content's own
rule who may edit a product (`content.selectors.product_editable`), and writes through
`legal.services.cite` / `uncite` with the product as the target. Its two POST views are routed
under the legal pages (`urlpatterns`, included in `legal.urls`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congdoan.content import selectors as content_selectors
from congdoan.content.hooks import register_product_panel, register_public_product_panel
from congdoan.legal import selectors, services
from congdoan.legal.models import Article, Law
from congdoan.orgs.scoping import Viewer

if TYPE_CHECKING:  # a name for the annotations only: products come through content's hooks
    from congdoan.content.models import Product

logger = logging.getLogger(__name__)

TARGET = "content.product"
#: How many articles one product may cite (a leaflet rests on a few).
MAX_PRODUCT_CITATIONS = 12
STUDIO_TEMPLATE = "legal_hooks/product_citations.html"
PUBLIC_TEMPLATE = "legal_hooks/public_citations.html"


def cited_articles(product: Product) -> list[dict[str, Any]]:
    """The articles `product` cites, in the order they were added: label, title, link."""
    rows = []
    for citation in selectors.citations_of(TARGET, product.pk).order_by("pk"):
        rows.append(
            {
                "article_id": citation.article_id,
                "label": selectors.citation_label(citation.article, citation.clause),
                "title": citation.article.title,
                "url": citation.article.clause_url(citation.clause),
            }
        )
    return rows


def studio_panel(viewer: Viewer, product: Product) -> dict[str, Any] | None:
    """The studio's box: the cited articles; for those who may edit the product, a remove
    button on each, articles suggested by its title and summary, and a form by number."""
    cited = cited_articles(product)
    editable = content_selectors.product_editable(viewer=viewer, pk=product.pk) is not None
    if not editable:
        return {"cited": cited, "editable": False} if cited else None
    laws = list(
        Law.objects.order_by("kind", "-issued_on").only("law_id", "title", "kind", "issued_on")
    )
    cited_ids = {row["article_id"] for row in cited}
    suggestions = []
    if laws and len(cited) < MAX_PRODUCT_CITATIONS:
        text = " ".join(p for p in (product.title, product.summary) if p)
        suggestions = [
            s
            for s in selectors.suggested_articles(text)
            if int(s.key.split("-")[0]) not in cited_ids
        ]
    return {
        "cited": cited,
        "editable": True,
        "laws": laws,
        "suggestions": suggestions,
        "cite_url": reverse("legal:product_cite", args=[product.pk]),
        "uncite_url": reverse("legal:product_uncite", args=[product.pk]),
        "full": len(cited) >= MAX_PRODUCT_CITATIONS,
    }


def public_panel(product: Product) -> dict[str, Any] | None:
    """ "Căn cứ pháp lý" below a public product's text, when it cites any article."""
    cited = cited_articles(product)
    return {"cited": cited} if cited else None


# ---------------------------------------------------------------- the studio's two POSTs


def _editable_product(request: HttpRequest, pk: int) -> Product:
    product = content_selectors.product_editable(viewer=request.user, pk=pk)
    if product is None:
        raise Http404
    return product


def _article_from_post(request: HttpRequest) -> tuple[Article, str]:
    """The article (and clause) the officer picked: a suggestion ("<id>-<clause>") or a law,
    an article number and an optional clause typed in."""
    key = request.POST.get("article", "").strip()
    if key:
        head, _sep, clause = key.partition("-")
        article = (
            Article.objects.select_related("law").filter(pk=int(head)).first()
            if head.isdigit()
            else None
        )
        if article is None:
            raise ValidationError(_("Không tìm thấy điều luật đã chọn."))
        return article, _checked_clause(article, clause)
    law_id = request.POST.get("law_id", "").strip()
    number = request.POST.get("number", "").strip().lower().removeprefix("điều").strip()
    if not law_id or not number:
        raise ValidationError(_("Hãy chọn văn bản và ghi số điều (ví dụ: 113)."))
    article = selectors.find_article(law_id, number[:16])
    if article is None:
        raise ValidationError(
            _("Văn bản %(law)s không có Điều %(n)s.") % {"law": law_id[:64], "n": number[:16]}
        )
    return article, _checked_clause(article, request.POST.get("clause", ""))


def _checked_clause(article: Article, clause: str) -> str:
    clause = clause.strip().lower().removeprefix("khoản").strip()[:8]
    if not clause:
        return ""
    version = article.version_on()
    numbers = {str(c.get("number", "")) for c in (version.clauses if version else [])}
    if clause not in numbers:
        raise ValidationError(
            _("Điều %(n)s không có khoản %(k)s.") % {"n": article.number, "k": clause}
        )
    return clause


@login_required
@require_POST
def product_cite(request: HttpRequest, pk: int) -> HttpResponse:
    product = _editable_product(request, pk)
    back = redirect("content:detail", pk=product.pk)
    try:
        article, clause = _article_from_post(request)
        if selectors.citations_of(TARGET, product.pk).count() >= MAX_PRODUCT_CITATIONS:
            raise ValidationError(
                _("Một sản phẩm dẫn tối đa %(n)s điều luật.") % {"n": MAX_PRODUCT_CITATIONS}
            )
        services.cite(
            actor=request.user, target=product, article=article, clause=clause, unit=product.unit
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return back
    except PermissionDenied:
        raise Http404 from None
    messages.success(
        request,
        _("Đã thêm căn cứ: %(label)s.") % {"label": selectors.citation_label(article, clause)},
    )
    return back


@login_required
@require_POST
def product_uncite(request: HttpRequest, pk: int) -> HttpResponse:
    product = _editable_product(request, pk)
    raw = request.POST.get("article", "").strip()
    article = Article.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if article is None or not services.uncite(
        actor=request.user, target=product, article=article, unit=product.unit
    ):
        messages.error(request, _("Sản phẩm không dẫn điều luật này."))
    else:
        messages.success(request, _("Đã bỏ căn cứ Điều %(n)s.") % {"n": article.number})
    return redirect("content:detail", pk=product.pk)


#: Included in `legal.urls` (the "legal" namespace): legal:product_cite, legal:product_uncite.
urlpatterns: list[URLPattern] = [
    path("noi-dung/<int:pk>/dan-dieu-luat/", product_cite, name="product_cite"),
    path("noi-dung/<int:pk>/bo-dieu-luat/", product_uncite, name="product_uncite"),
]


def register() -> None:
    """Add the panels to content's pages (from LegalConfig.ready())."""
    register_product_panel(STUDIO_TEMPLATE, studio_panel, order=60)
    register_public_product_panel(PUBLIC_TEMPLATE, public_panel, order=60)
