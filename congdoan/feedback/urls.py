from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from congdoan.feedback.views import concern, inbox, posters, public, reports

app_name = "feedback"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="feedback:submit"), name="index"),
    path("gui/", public.submit, name="submit"),
    path("gui/<str:qr_token>/", public.submit, name="submit_qr"),
    path("tra-cuu/", public.track_lookup, name="track_lookup"),
    path("tra-cuu/<str:code>/", public.track, name="track"),
    path("tra-cuu/<str:code>/danh-gia/", public.track_rate, name="track_rate"),
    path("tra-cuu/<str:code>/mo-lai/", public.track_reopen, name="track_reopen"),
    path("tra-cuu/<str:code>/xoa-lien-he/", public.track_erase, name="track_erase"),
    path("cua-toi/", public.mine, name="mine"),
    path("hop-thu/", inbox.inbox, name="inbox"),
    path("hop-thu/xuat.xlsx", inbox.export_xlsx, name="export"),
    path("hop-thu/<str:code>/", concern.detail, name="detail"),
    path("hop-thu/<str:code>/phan-loai/", concern.correct, name="correct"),
    path("hop-thu/<str:code>/giao/", concern.assign, name="assign"),
    path("hop-thu/<str:code>/xu-ly/", concern.start, name="start"),
    path("hop-thu/<str:code>/chuyen-cap-tren/", concern.forward, name="forward"),
    path("hop-thu/<str:code>/anh/", concern.photo, name="photo"),
    path("hop-thu/<str:code>/tra-loi/", concern.answer, name="answer"),
    path("hop-thu/<str:code>/sua-tra-loi/", concern.answer_correct, name="answer_correct"),
    path("hop-thu/<str:code>/dong/", concern.close, name="close"),
    path("hop-thu/<str:code>/ghi-chu/", concern.note, name="note"),
    path("hop-thu/<str:code>/xoa-lien-he/", concern.erase_contact, name="erase_contact"),
    path("ghi-nhan/", inbox.record, name="record"),
    path("nhom/", reports.clusters, name="clusters"),
    path("nhom/<int:pk>/", reports.cluster, name="cluster"),
    path("thong-ke/", reports.dashboard, name="dashboard"),
    path("thong-ke/huan-luyen/", reports.retrain, name="retrain"),
    path("thong-ke/bieu-do-chu-de.svg", reports.dashboard_chart, name="dashboard_chart"),
    path("tong-hop/", reports.summary, name="summary"),
    path("du-lieu-ca-nhan/", reports.contact_export, name="contact_export"),
    path("ma-qr/<slug:code>.svg", posters.unit_qr, {"fmt": "svg"}, name="unit_qr_svg"),
    path("ma-qr/<slug:code>.png", posters.unit_qr, {"fmt": "png"}, name="unit_qr_png"),
    path("ma-qr/<slug:code>/ap-phich.pdf", posters.unit_poster, name="unit_poster"),
]
