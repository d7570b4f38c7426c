from __future__ import annotations

from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "congdoan.library"
    label = "library"
