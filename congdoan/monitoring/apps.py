"""Information monitoring: sources watched on a schedule, items scored for relevance, toxicity,
stance and known false claims, copies grouped into narratives, the handling workflow, alerts
and the plan's "80 % handled" figure (docs/monitoring.md)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "congdoan.monitoring"
    label = "monitoring"
    verbose_name = _("Theo dõi thông tin")
