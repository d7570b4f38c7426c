from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "congdoan.activities"
    label = "activities"
    verbose_name = _("Hoạt động, tập huấn, kênh và kinh phí")
