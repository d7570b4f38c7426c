"""`python -m congdoan_dev.bench.web ARGS…`: the child of `congdoan bench web` (and a way to run
the benchmark without the `congdoan` command)."""

from __future__ import annotations

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdoan.config.settings")
django.setup()

from congdoan_dev.bench.web import run  # noqa: E402  (after django.setup())

run(sys.argv[1:])
