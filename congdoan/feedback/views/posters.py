"""The workplace QR code and the printable poster of a grassroots union (for its officers).

Whoever may print them is `rules.can_print_poster`; the drawing is `feedback.poster`.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from congdoan.core.qr import qr_png, qr_svg
from congdoan.feedback import poster, rules
from congdoan.feedback.views.params import param
from congdoan.orgs.models import Unit
from congdoan.orgs.rules import officer_required
from congdoan.orgs.scoping import get_unit_in_scope
from congdoan.orgs.site import hotline


def _poster_unit(request: HttpRequest, code: str) -> Unit:
    """An active grassroots union in the viewer's scope (its officers, the district above); 404."""
    unit = get_unit_in_scope(request.user, code)
    if not rules.can_print_poster(request.user, unit):
        raise Http404
    return unit


@officer_required
def unit_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The union's QR code as SVG (shown on its page, scales for print) or PNG (for chats)."""
    unit = _poster_unit(request, code)
    url = poster.submit_url(unit)
    if fmt == "svg":
        response = HttpResponse(qr_svg(url), content_type="image/svg+xml")
    else:
        response = HttpResponse(qr_png(url), content_type="image/png")
    if param(request.GET, "download") == "1":
        response["Content-Disposition"] = f'attachment; filename="ma-qr-{unit.code}.{fmt}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@officer_required
def unit_poster(request: HttpRequest, code: str) -> HttpResponse:
    """The printable A4 poster (PDF) for the union's notice board."""
    unit = _poster_unit(request, code)
    try:
        body = poster.poster_pdf(unit, url=poster.submit_url(unit), hotline=hotline())
    except poster.PosterFontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ap-phich-y-kien-{unit.code}.pdf"'
    return response
