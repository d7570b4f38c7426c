from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from congdoan.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="feedback:submit"), name="index"),
    path("gui/", views.submit, name="submit"),
    path("gui/<str:qr_token>/", views.submit, name="submit_qr"),
    path("tra-cuu/", views.track_lookup, name="track_lookup"),
    path("tra-cuu/<str:code>/", views.track, name="track"),
    path("tra-cuu/<str:code>/danh-gia/", views.track_rate, name="track_rate"),
    path("tra-cuu/<str:code>/mo-lai/", views.track_reopen, name="track_reopen"),
    path("tra-cuu/<str:code>/xoa-lien-he/", views.track_erase, name="track_erase"),
    path("cua-toi/", views.mine, name="mine"),
    path("hop-thu/", views.inbox, name="inbox"),
    path("hop-thu/xuat.xlsx", views.export_xlsx, name="export"),
    path("hop-thu/<str:code>/", views.detail, name="detail"),
    path("hop-thu/<str:code>/phan-loai/", views.correct, name="correct"),
    path("hop-thu/<str:code>/giao/", views.assign, name="assign"),
    path("hop-thu/<str:code>/xu-ly/", views.start, name="start"),
    path("hop-thu/<str:code>/chuyen-cap-tren/", views.forward, name="forward"),
    path("hop-thu/<str:code>/anh/", views.photo, name="photo"),
    path("hop-thu/<str:code>/tra-loi/", views.answer, name="answer"),
    path("hop-thu/<str:code>/sua-tra-loi/", views.answer_correct, name="answer_correct"),
    path("hop-thu/<str:code>/dong/", views.close, name="close"),
    path("hop-thu/<str:code>/ghi-chu/", views.note, name="note"),
    path("hop-thu/<str:code>/xoa-lien-he/", views.erase_contact, name="erase_contact"),
    path("ghi-nhan/", views.record, name="record"),
    path("nhom/", views.clusters, name="clusters"),
    path("nhom/<int:pk>/", views.cluster, name="cluster"),
    path("thong-ke/", views.dashboard, name="dashboard"),
    path("thong-ke/huan-luyen/", views.retrain, name="retrain"),
    path("thong-ke/bieu-do-chu-de.svg", views.dashboard_chart, name="dashboard_chart"),
    path("tong-hop/", views.summary, name="summary"),
    path("du-lieu-ca-nhan/", views.contact_export, name="contact_export"),
    path("ma-qr/<slug:code>.svg", views.unit_qr, {"fmt": "svg"}, name="unit_qr_svg"),
    path("ma-qr/<slug:code>.png", views.unit_qr, {"fmt": "png"}, name="unit_qr_png"),
    path("ma-qr/<slug:code>/ap-phich.pdf", views.unit_poster, name="unit_poster"),
]
