"""The language switch: a plain link (`/ngon-ngu/?lang=en&next=/tin/`) that sets the language
cookie and goes back to the page. No form, no CSRF token and no session, so that a public page
sets no cookie for an anonymous visitor and can be cached (content/page_cache.py); without
JavaScript it is an ordinary link. VietnameseFirstLocaleMiddleware reads the cookie."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe


@require_safe
def switch(request: HttpRequest) -> HttpResponseRedirect:
    """Set the language asked for (an unknown one changes nothing) and go back to `next` when
    it is a page of this site, else to the home page."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    language = request.GET.get("lang", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
