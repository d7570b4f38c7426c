from __future__ import annotations

from django.urls import path

from congdoan.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.health, name="health"),
    path("<int:message_id>/gui-lai/", views.retry, name="retry"),
]
