"""The officers' pages under /theo-doi/ and the tip form /bao-tin/ (namespace "monitoring";
included at the site's root by config/urls.py, so both prefixes live here)."""

from __future__ import annotations

from django.urls import URLPattern, path

from congdoan.monitoring.views import claims, dashboard, narratives, sources, tips

app_name = "monitoring"

T = "theo-doi/"

urlpatterns: list[URLPattern] = [
    path("bao-tin/", tips.tip, name="tip"),
    path("bao-tin/da-gui/", tips.tip_thanks, name="tip_thanks"),
    path(T, dashboard.index, name="index"),
    path(T + "bao-cao/", dashboard.report, name="report"),
    path(T + "bao-cao/bieu-do.svg", dashboard.report_chart, name="report_chart"),
    path(T + "bao-cao.csv", dashboard.report_export, {"fmt": "csv"}, name="report_csv"),
    path(T + "bao-cao.xlsx", dashboard.report_export, {"fmt": "xlsx"}, name="report_xlsx"),
    path(T + "luong/<int:pk>/", narratives.narrative_detail, name="narrative"),
    path(T + "luong/<int:pk>/chuyen/", narratives.narrative_transition, name="transition"),
    path(T + "luong/<int:pk>/phan-cong/", narratives.narrative_assign, name="assign"),
    path(T + "luong/<int:pk>/ghi-chu/", narratives.narrative_note, name="note"),
    path(T + "luong/<int:pk>/bieu-do.svg", narratives.narrative_chart, name="chart"),
    path(T + "tin/", narratives.item_list, name="items"),
    path(T + "tin/<int:pk>/", narratives.item_detail, name="item"),
    path(T + "tin/<int:pk>/luu-bang-chung/", narratives.item_snapshot, name="item_snapshot"),
    path(T + "nguon/", sources.source_list, name="sources"),
    path(T + "nguon/moi/", sources.source_create, name="source_create"),
    path(T + "nguon/<int:pk>/", sources.source_detail, name="source"),
    path(T + "nguon/<int:pk>/lay-ngay/", sources.source_fetch, name="source_fetch"),
    path(T + "nguon/<int:pk>/tai-len/", sources.source_upload, name="source_upload"),
    path(T + "thong-tin-sai/", claims.claim_list, name="claims"),
    path(T + "thong-tin-sai/moi/", claims.claim_create, name="claim_create"),
    path(T + "thong-tin-sai/<int:pk>/", claims.claim_edit, name="claim_edit"),
    path(T + "thong-tin-sai/<int:pk>/ngung/", claims.claim_deactivate, name="claim_deactivate"),
    path(T + "tin-bao/", tips.tip_list, name="tips"),
]
