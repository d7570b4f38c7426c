"""The outputs of a product (output_views.py): its poster, loudspeaker script and audio
bulletin under the officers' /noi-dung/<id>/, and the public podcast feed of a unit's audio
bulletins under /tin/podcast/. Included at the site's root (full paths here)."""

from __future__ import annotations

from django.urls import path

from congdoan.content import output_views

app_name = "content_outputs"
urlpatterns = [
    path("noi-dung/<int:pk>/poster.pdf", output_views.poster_pdf, name="poster"),
    path("noi-dung/<int:pk>/loa/", output_views.loudspeaker, name="loudspeaker"),
    path("noi-dung/<int:pk>/loa/am-thanh/", output_views.audio_file, name="audio"),
    path("noi-dung/<int:pk>/loa/tao-am-thanh/", output_views.audio_make, name="audio_make"),
    path("tin/podcast/<slug:unit_code>.xml", output_views.podcast, name="podcast"),
    path(
        "tin/<slug:unit_code>/<slug:slug>/am-thanh/<int:media_id>/",
        output_views.public_audio,
        name="public_audio",
    ),
    path(
        "tin/<slug:unit_code>/<slug:slug>/am-thanh/<int:media_id>/ogg/",
        output_views.public_audio,
        {"fmt": "ogg"},
        name="public_audio_ogg",
    ),
]
