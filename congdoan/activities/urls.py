from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from congdoan.activities import views, views_more, views_sheets

app_name = "activities"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.activity_list, name="list"),
    path("moi/", views.activity_create, name="create"),
    path("<int:activity_id>/", views.activity_detail, name="detail"),
    path("<int:activity_id>/sua/", views.activity_edit, name="edit"),
    path("<int:activity_id>/xoa/", views.activity_delete, name="delete"),
    path("<int:activity_id>/diem-danh/", views.attendance_tick, name="tick"),
    path("<int:activity_id>/nhap-danh-sach/", views.attendance_upload, name="import_upload"),
    path(
        "<int:activity_id>/nhap-danh-sach/mau.xlsx",
        views.attendance_template,
        name="import_template",
    ),
    path(
        "<int:activity_id>/nhap-danh-sach/xem-truoc/",
        views.attendance_preview,
        name="import_preview",
    ),
    path(
        "<int:activity_id>/nhap-danh-sach/xac-nhan/",
        views.attendance_confirm,
        name="import_confirm",
    ),
    path("bao-chi/", views.press_list, name="press"),
    path("bao-chi/<int:press_id>/", views.press_edit, name="press_edit"),
    path("bao-chi/<int:press_id>/xoa/", views.press_delete, name="press_delete"),
    path("guong-dien-hinh/", views_more.example_list, name="examples"),
    path("guong-dien-hinh/<int:example_id>/", views_more.example_detail, name="example"),
    path(
        "guong-dien-hinh/<int:example_id>/<slug:action>/",
        views_more.example_act,
        name="example_act",
    ),
    path("tap-huan/", views_more.course_list, name="courses"),
    path("tap-huan/<int:course_id>/", views_more.course_detail, name="course"),
    path("tap-huan/buoi/<int:session_id>/", views_more.session_detail, name="session"),
    path("tap-huan/buoi/<int:session_id>/ghi/", views_more.session_attend, name="session_attend"),
    path(
        "tap-huan/buoi/<int:session_id>/nhap-danh-sach/",
        views_sheets.session_import_upload,
        name="session_import_upload",
    ),
    path(
        "tap-huan/buoi/<int:session_id>/nhap-danh-sach/xem-truoc/",
        views_sheets.session_import_preview,
        name="session_import_preview",
    ),
    path(
        "tap-huan/buoi/<int:session_id>/nhap-danh-sach/xac-nhan/",
        views_sheets.session_import_confirm,
        name="session_import_confirm",
    ),
    path(
        "tap-huan/nguoi-du/<int:row_id>/xoa/",
        views_more.session_unattend,
        name="session_unattend",
    ),
    path("kenh/", views_more.presence, name="presence"),
    path("kenh/<int:channel_id>/", views_more.channel_edit, name="channel_edit"),
    path("kinh-phi/", views_more.budget, name="budget"),
]
