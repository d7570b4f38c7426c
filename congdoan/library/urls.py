from __future__ import annotations

from django.urls import path

from congdoan.library import feeds, views

app_name = "library"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("tai-len/", views.upload, name="upload"),
    path("chi-so/", views.indicator, name="indicator"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/tien-do/", views.progress, name="progress"),
    path("<int:pk>/sua/", views.correct, name="correct"),
    path("<int:pk>/chia-se/", views.share, name="share"),
    path("<int:pk>/thu-lai/", views.retry, name="retry"),
    path("<int:pk>/lop-chu/", views.layers, name="layers"),
    path("<int:pk>/doc-lai-lop-chu/", views.reread_layers, name="reread_layers"),
    path("<int:pk>/tep/", views.download, name="download"),
    path("<int:pk>/pdf/", views.download_searchable, name="searchable_pdf"),
    path("cong-khai/", views.public_list, name="public_list"),
    path("cong-khai/<int:pk>/", views.public_detail, name="public_detail"),
    path("cong-khai/<int:pk>/tep/", views.public_download, name="public_download"),
    path("cong-khai/rss/", feeds.PublicDocumentsFeed(), name="feed_rss"),
    path("cong-khai/atom/", feeds.PublicDocumentsAtom(), name="feed_atom"),
]
