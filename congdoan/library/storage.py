"""Where the library's files live: the storage alias "library" (settings.STORAGES).

By default it is the same local disk as everything else (MEDIA_ROOT); with
LIBRARY_S3_BUCKET set it is an S3-compatible bucket (django-storages), see the
`# --- library ---` settings block. Every read and write of a library file goes through
`library_storage`, a lazy proxy that follows settings changes (tests, management commands).
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _LibraryStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = (
            storages["library"] if "library" in storages.backends else storages["default"]
        )


library_storage: Storage = _LibraryStorage()  # type: ignore[assignment]


def get_library_storage() -> Storage:
    """For FileField(storage=…): a callable, so that migrations name it instead of pickling it."""
    return library_storage


@receiver(setting_changed)
def _forget_storage(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STORAGES", "MEDIA_ROOT"}:
        library_storage._wrapped = empty  # type: ignore[attr-defined]
