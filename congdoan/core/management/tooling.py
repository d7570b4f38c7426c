"""The development tooling (`congdoan_dev`: benchmarks, demo data, model building), as the
commands that use it import it: it is not in the production wheel, so a production install
gets a plain sentence instead of a traceback."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.core.management.base import CommandError

NOT_INSTALLED = (
    "Công cụ phát triển (congdoan_dev) chưa được cài: lệnh này chỉ có trong bản cài đặt để "
    "phát triển (make install, hoặc pip install -e ./congdoan_dev)."
)


def import_tooling(module: str) -> ModuleType:
    """Import `module` of `congdoan_dev`, or raise a CommandError saying the tooling is absent
    (only when `congdoan_dev` itself is missing: a missing module inside it still fails loudly)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == "congdoan_dev":
            raise CommandError(NOT_INSTALLED) from exc
        raise
