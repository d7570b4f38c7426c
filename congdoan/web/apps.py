"""The site's top: the pages that gather every app (home, officers' dashboard, operations).

It sits above the domain apps and may import any of them; nothing imports it (apps add their
links to its pages through `congdoan.core.registry`, from their own `ready()`)."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "congdoan.web"
    label = "web"
    verbose_name = _("Trang chung")
