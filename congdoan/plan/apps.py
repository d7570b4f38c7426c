from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "congdoan.plan"
    label = "plan"
    verbose_name = _("Kế hoạch và chỉ tiêu")
