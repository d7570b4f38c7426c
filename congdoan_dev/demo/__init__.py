"""The demo data of LĐLĐ huyện Phú Xuyên behind `congdoan seed-demo` (`make demo`).

One module per app, each with `seed(stdout=None) -> None`, idempotent (a second run adds
nothing). They run in the order of INSTALLED_APPS, so each finds the rows of the apps it builds
on (the tree of `orgs` first).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

from congdoan_dev.demo.orgs import print_logins

# app label → module holding its `seed()`
SEEDERS = {
    "orgs": "congdoan_dev.demo.orgs",
    "library": "congdoan_dev.demo.library",
    "feedback": "congdoan_dev.demo.feedback",
    "content": "congdoan_dev.demo.content",
    "publishing": "congdoan_dev.demo.publishing",
    "activities": "congdoan_dev.demo.activities",
    "legal": "congdoan_dev.demo.legal",
    "contests": "congdoan_dev.demo.contests",
    "surveys": "congdoan_dev.demo.surveys",
    "monitoring": "congdoan_dev.demo.monitoring",
    "plan": "congdoan_dev.demo.plan",
    "reports": "congdoan_dev.demo.reports",
}


def seed_all(*, only: set[str], stdout: Any) -> None:
    """Seed the apps labelled in `only` (all when empty), in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if config.label not in SEEDERS or (only and config.label not in only):
            continue
        stdout.write(f"• {config.label}")
        importlib.import_module(SEEDERS[config.label]).seed(stdout=stdout)


__all__ = ["SEEDERS", "print_logins", "seed_all"]
