from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from congdoan.core.cache import create_cache_table
from congdoan.core.images import install_decoder_limit


class CoreConfig(AppConfig):
    name = "congdoan.core"
    label = "core"

    def ready(self) -> None:
        # Once per process (web, worker, commands): Pillow refuses to open a decompression bomb.
        install_decoder_limit()
        # The shared cache's table (rate limits) comes with `migrate`; its deploy check too.
        post_migrate.connect(create_cache_table, sender=self)
