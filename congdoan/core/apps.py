from __future__ import annotations

from django.apps import AppConfig

from congdoan.core.images import install_decoder_limit


class CoreConfig(AppConfig):
    name = "congdoan.core"
    label = "core"

    def ready(self) -> None:
        # Once per process (web, worker, commands): Pillow refuses to open a decompression bomb.
        install_decoder_limit()
