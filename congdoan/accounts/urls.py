from __future__ import annotations

from django.urls import path

from congdoan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("xac-thuc/", views.otp_view, name="otp"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("", views.profile, name="profile"),
    path("xac-thuc-hai-lop/", views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-lop/tat/", views.otp_disable, name="otp_disable"),
    path("ma-api/", views.api_tokens, name="api_tokens"),
    path("ma-api/<int:pk>/thu-hoi/", views.api_token_revoke, name="api_token_revoke"),
]
