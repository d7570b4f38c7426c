"""Mounted at /kenh/: providers' webhooks and the paper-form import."""

from __future__ import annotations

from django.urls import path

from congdoan.feedback.channels import views

app_name = "feedback_channels"
urlpatterns = [
    path("zalo/", views.zalo_webhook, name="zalo_webhook"),
    path("sms/", views.sms_webhook, name="sms_webhook"),
    path("nhap-phieu/", views.paper_import, name="import"),
    path("nhap-phieu/xac-nhan/", views.paper_import_confirm, name="import_confirm"),
]
