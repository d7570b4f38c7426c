"""The settings gunicorn runs under in `congdoan bench web`: the project's own, with the bench's
URL conf (the project's URLs plus the bare floor view) and static files collected into the
bench's own folder, so that a run never writes into the deployment's `var/static`."""

from __future__ import annotations

import os
from pathlib import Path

from congdoan.config.settings import *  # noqa: F403
from congdoan.config.settings import VAR_DIR, static_from_finders

ROOT_URLCONF = "congdoan_dev.bench.web.urls"
# Set by the bench for its child and its gunicorn (one folder per run).
STATIC_ROOT = Path(os.environ.get("CONGDOAN_BENCH_WEB_STATIC") or VAR_DIR / "bench" / "web-static")
# Collected (the bench collects before gunicorn starts): the compressed copies, as deployed.
WHITENOISE_USE_FINDERS = static_from_finders(STATIC_ROOT)
