"""The officers' pages under /cuoc-thi/quan-ly/, and the public certificate check
/cuoc-thi/chung-nhan/<code>/ (included by urls.py, before the participant's routes)."""

from __future__ import annotations

from django.urls import URLPattern, path

from congdoan.contests import views_manage as m
from congdoan.contests import views_results as r

P = "quan-ly/<int:pk>/"

urlpatterns: list[URLPattern] = [
    path("chung-nhan/<str:code>/", r.certificate_verify, name="certificate_verify"),
    path("quan-ly/", m.manage, name="manage"),
    path("quan-ly/tao-moi/", m.contest_create, name="manage_create"),
    path("quan-ly/mau-cau-hoi.xlsx", m.import_template, name="manage_import_template"),
    path(P, m.contest_detail, name="manage_detail"),
    path(P + "sua/", m.contest_edit, name="manage_edit"),
    path(P + "cong-bo/", m.contest_publish, name="manage_publish"),
    path(P + "huy/", m.contest_cancel, name="manage_cancel"),
    path(P + "cong-bo-ket-qua/", m.contest_results_publish, name="manage_results_publish"),
    path(P + "vong-thi/moi/", m.round_create, name="manage_round_create"),
    path(P + "vong-thi/<int:number>/", m.round_edit, name="manage_round_edit"),
    path(P + "cau-hoi/", m.bank, name="manage_bank"),
    path(P + "cau-hoi/moi/", m.question_create, name="manage_question_create"),
    path(P + "cau-hoi/<int:qid>/", m.question_preview, name="manage_question_preview"),
    path(P + "cau-hoi/<int:qid>/sua/", m.question_edit, name="manage_question_edit"),
    path(P + "cau-hoi/<int:qid>/bat-tat/", m.question_toggle, name="manage_question_toggle"),
    path(P + "nhap-cau-hoi/", m.import_upload, name="manage_import"),
    path(P + "nhap-cau-hoi/xem-truoc/", m.import_preview, name="manage_import_preview"),
    path(P + "nhap-cau-hoi/ghi/", m.import_confirm, name="manage_import_confirm"),
    path(P + "ket-qua/", r.results, name="manage_results"),
    path(P + "ket-qua/bieu-do.svg", r.results_chart, name="manage_results_chart"),
    path(P + "ket-qua.xlsx", r.results_export, name="manage_results_export"),
    path(P + "cham-lai/", r.rescore, name="manage_rescore"),
    path(P + "danh-dau/", r.flagged, name="manage_flagged"),
    path(P + "danh-dau/<int:aid>/", r.review, name="manage_review"),
    path(P + "giai-thuong/", r.prizes, name="manage_prizes"),
    path(P + "giai-thuong/<int:prize_id>/xoa/", r.prize_delete, name="manage_prize_delete"),
    path(P + "chung-nhan/", r.certificate_list, name="manage_certificates"),
    path(P + "chung-nhan/<int:cid>.pdf", r.certificate_download, name="manage_certificate_pdf"),
    path(P + "chung-nhan/tat-ca.pdf", r.certificate_download_all, name="manage_certificates_pdf"),
]
