from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    name = "congdoan.periodic"
    label = "periodic"
    verbose_name = _("Việc định kỳ")
