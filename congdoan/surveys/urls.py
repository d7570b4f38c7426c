"""Pages of the surveys app under /khao-sat/: the respondent's (the open surveys, one
survey's form by its link) and the officers' (quan-ly/)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congdoan.surveys.views import answer, manage

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", answer.index, name="index"),
    path("quan-ly/", manage.manage, name="manage"),
    path("quan-ly/tao/", manage.create, name="create"),
    path("quan-ly/tu-mau/", manage.from_template, name="from_template"),
    path("quan-ly/nhap-xlsform/", manage.import_xlsform, name="import"),
    path("quan-ly/<int:survey_id>/", manage.detail, name="detail"),
    path("quan-ly/<int:survey_id>/sua/", manage.edit, name="edit"),
    path("quan-ly/<int:survey_id>/xem-truoc/", manage.preview, name="preview"),
    path("quan-ly/<int:survey_id>/trang-thai/", manage.status, name="status"),
    path("quan-ly/<int:survey_id>/xoa/", manage.delete, name="delete"),
    path("quan-ly/<int:survey_id>/cau-hoi/them/", manage.question_form, name="question_add"),
    path(
        "quan-ly/<int:survey_id>/cau-hoi/<int:question_id>/sua/",
        manage.question_form,
        name="question_edit",
    ),
    path(
        "quan-ly/<int:survey_id>/cau-hoi/<int:question_id>/xoa/",
        manage.question_delete,
        name="question_delete",
    ),
    path(
        "quan-ly/<int:survey_id>/cau-hoi/<int:question_id>/chuyen/",
        manage.question_move,
        name="question_move",
    ),
    path("quan-ly/<int:survey_id>/ket-qua/", manage.results_page, name="results"),
    path("quan-ly/<int:survey_id>/bieu-do/<int:question_id>.svg", manage.chart, name="chart"),
    path("quan-ly/<int:survey_id>/xuat.xlsx", manage.export, name="export"),
    path("<slug:key>/", answer.take, name="take"),
    path("<slug:key>/cam-on/", answer.thanks, name="thanks"),
]
