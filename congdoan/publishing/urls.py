from __future__ import annotations

from django.urls import path

from congdoan.publishing import views

app_name = "publishing"
urlpatterns = [
    path("", views.log, name="log"),
    path("kenh/", views.accounts, name="accounts"),
    path("kenh/ket-noi/<slug:platform>/", views.connect, name="connect"),
    path("kenh/ket-noi/<slug:platform>/xong/", views.connect_done, name="connect_done"),
    path("kenh/<int:account_id>/bo-ket-noi/", views.disconnect, name="disconnect"),
    path("lan/<int:publication_id>/gui-lai/", views.retry, name="retry"),
    path("<int:product_id>/", views.product, name="product"),
]
