"""Labour law for workers: laws and decrees with their structure and versions, the union's
curated answers, and questions answered from a worker's own words (docs/legal.md)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "congdoan.legal"
    label = "legal"
    verbose_name = _("Hỏi đáp pháp luật")
