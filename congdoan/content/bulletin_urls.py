"""URLs of the e-bulletin (public, /ban-tin/), of the officers' calendar (/noi-dung/lich/), of
the digital share indicator (/noi-dung/ty-le-so/) and of the reach page (/noi-dung/tiep-can/),
included at the site's root before the studio's /noi-dung/."""

from __future__ import annotations

from django.urls import path

from congdoan.content import bulletin_views, calendar_views, reach_views

app_name = "bulletin"
urlpatterns = [
    path("ban-tin/", bulletin_views.index, name="index"),
    path("ban-tin/<int:year>-<int:week>/", bulletin_views.week, name="week"),
    path("ban-tin/<int:year>-<int:week>/da-doc/", bulletin_views.acknowledge, name="acknowledge"),
    path("ban-tin/dang-ky/", bulletin_views.subscribe, name="subscribe"),
    path("ban-tin/xac-nhan/<str:token>/", bulletin_views.confirm, name="confirm"),
    path("ban-tin/huy/<str:token>/", bulletin_views.unsubscribe, name="unsubscribe"),
    path("ban-tin/c/<str:token>/", bulletin_views.click, name="click"),
    path("ban-tin/o/<str:token>.gif", bulletin_views.open_pixel, name="open"),
    path("ban-tin/r/<str:token>/<int:n>/", bulletin_views.redirect_link, name="redirect"),
    path("noi-dung/lich/", calendar_views.month, name="calendar"),
    path("noi-dung/lich/lien-ket/", calendar_views.link_create, name="calendar_link"),
    path("noi-dung/lich/lien-ket/huy/", calendar_views.link_revoke, name="calendar_link_revoke"),
    path("noi-dung/lich.ics", calendar_views.ics, name="calendar_ics"),
    path("noi-dung/ty-le-so/", reach_views.digital_share, name="digital_share"),
    path("noi-dung/tiep-can/", reach_views.reach_page, name="reach"),
    path(
        "noi-dung/ty-le-so/bieu-do.svg", reach_views.digital_share_chart, name="digital_share_chart"
    ),
]
