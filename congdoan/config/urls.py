from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from congdoan.api.api import api
from congdoan.core import language

# Vietnamese error pages, and JSON under /api/ (congdoan/core/errors.py).
handler400 = "congdoan.core.errors.bad_request"
handler403 = "congdoan.core.errors.permission_denied"
handler404 = "congdoan.core.errors.page_not_found"
handler500 = "congdoan.core.errors.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("congdoan.web.urls")),
    path("", include("congdoan.content.bulletin_urls")),  # /ban-tin/, /noi-dung/lich/
    path("", include("congdoan.content.public_urls")),  # news, themes, feeds, sitemap
    path("", include("congdoan.content.output_urls")),  # poster, loudspeaker, audio, podcast
    path("tai-khoan/", include("congdoan.accounts.urls")),
    path("don-vi/", include("congdoan.orgs.urls")),
    path("nhat-ky/", include("congdoan.audit.log.urls")),
    path("tai-lieu/", include("congdoan.library.urls")),
    path("noi-dung/", include("congdoan.content.urls")),
    path("y-kien/", include("congdoan.feedback.urls")),
    path("kenh/", include("congdoan.feedback.channels.urls")),
    path("hop-thu-di/", include("congdoan.outbox.urls")),
    path("xuat-ban/", include("congdoan.publishing.urls")),
    path("hoat-dong/", include("congdoan.activities.urls")),
    path("phap-luat/", include("congdoan.legal.urls")),
    path("cuoc-thi/", include("congdoan.contests.urls")),
    path("khao-sat/", include("congdoan.surveys.urls")),
    path("", include("congdoan.monitoring.urls")),  # /theo-doi/ (officers), /bao-tin/ (tips)
    path("chi-tieu/", include("congdoan.plan.urls")),
    path("bao-cao-dinh-ky/", include("congdoan.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ngon-ngu/", language.switch, name="language"),  # the header's link (no form, no cookie)
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
]
