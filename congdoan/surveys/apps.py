"""Surveys of members (the plan's standing survey of information needs and others): built on
the page or imported from XLSForm, answered on a phone, charted and exported (docs/surveys.md)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "congdoan.surveys"
    label = "surveys"
    verbose_name = _("Khảo sát")
