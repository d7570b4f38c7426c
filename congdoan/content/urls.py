"""The officers' studio under /noi-dung/ (the public pages are in public_urls.py)."""

from __future__ import annotations

from django.urls import path

from congdoan.content import views

app_name = "content"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("moi/", views.product_new, name="new"),
    path("thu-vien/", views.library, name="library"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/sua/", views.product_edit, name="edit"),
    path("<int:pk>/gui-duyet/", views.product_submit, name="submit"),
    path("<int:pk>/duyet/", views.product_approve, name="approve"),
    path("<int:pk>/tra-lai/", views.product_reject, name="reject"),
    path("<int:pk>/hen-gio/", views.product_schedule, name="schedule"),
    path("<int:pk>/dang/", views.product_publish, name="publish"),
    path("<int:pk>/luu-tru/", views.product_archive, name="archive"),
    path("<int:pk>/dung-lai/", views.product_reuse, name="reuse"),
    path("<int:pk>/trao-doi/", views.product_comment, name="comment"),
    path("<int:pk>/phien-ban/", views.product_versions, name="versions"),
    path("<int:pk>/tep/<int:media_pk>/", views.product_media, name="media"),
    path("<int:pk>/tep/<int:media_pk>/bo/", views.product_media_delete, name="media_delete"),
]
