from __future__ import annotations

from django.apps import AppConfig


class NlpConfig(AppConfig):
    name = "congdoan.nlp"
    verbose_name = "Xử lý ngôn ngữ tiếng Việt"
    default_auto_field = "django.db.models.BigAutoField"
