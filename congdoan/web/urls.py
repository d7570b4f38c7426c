"""The site's top: home, dashboard, health checks and the operations page, at the root."""

from __future__ import annotations

from django.urls import path

from congdoan.web import views, views_operations

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("bang-dieu-khien/pham-vi/", views.dashboard_scope, name="dashboard_scope"),
    path("healthz", views_operations.healthz, name="healthz"),
    path("quan-tri/tien-trinh-nen/", views_operations.operations, name="operations"),
    path(
        "quan-tri/tien-trinh-nen/<str:task_id>/chay-lai/",
        views_operations.operations_retry,
        name="operations_retry",
    ),
    path("healthz/worker", views.healthz_worker, name="healthz_worker"),
    path(
        "healthz/worker/<str:result_id>", views.healthz_worker_result, name="healthz_worker_result"
    ),
]
