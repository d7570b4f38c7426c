from __future__ import annotations

from django.urls import path

from congdoan.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/worker", views.healthz_worker, name="healthz_worker"),
    path("healthz/worker/<str:result_id>", views.healthz_worker_result, name="healthz_worker_result"),
]
