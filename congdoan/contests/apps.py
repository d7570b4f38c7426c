"""Online contests ("Tìm hiểu pháp luật lao động"…): rounds, a question bank, attempts timed
by the server, results with the prediction tie-break, certificates (docs/contests.md)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "congdoan.contests"
    label = "contests"
    verbose_name = _("Cuộc thi trực tuyến")
