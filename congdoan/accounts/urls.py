from __future__ import annotations

from django.urls import path

from congdoan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("xac-thuc/", views.otp_view, name="otp"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("xac-nhan-lai/", views.reauth, name="reauth"),
    path("", views.profile, name="profile"),
    path("xac-thuc-hai-lop/", views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-lop/tat/", views.otp_disable, name="otp_disable"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("quen-mat-khau/sms/", views.sms_reset_request, name="sms_reset"),
    path("quen-mat-khau/sms/ma/", views.sms_reset_verify, name="sms_reset_verify"),
    path(
        "dat-lai-cho-doan-vien/<int:member_id>/", views.member_reset_link, name="member_reset_link"
    ),
    path("zalo/ket-noi/", views.zalo_link_start, name="zalo_link"),
    path("zalo/ngat-ket-noi/", views.zalo_unlink, name="zalo_unlink"),
    path("ma-api/", views.api_tokens, name="api_tokens"),
    path("ma-api/<int:pk>/thu-hoi/", views.api_token_revoke, name="api_token_revoke"),
]
