"""`congdoan feedback_import`: the old name of `congdoan feedback import-forms`.

Kept so that scripts and notes written with the old name still run (issue 13.6: one scheme,
`congdoan <app> <verb>`); it says the new name on stderr, then does exactly the same.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from congdoan.feedback.management.commands.feedback import (
    add_import_forms_arguments,
    import_forms,
)


class Command(BaseCommand):
    help = "Tên cũ của `congdoan feedback import-forms`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_import_forms_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stderr.write("`congdoan feedback_import` nay là `congdoan feedback import-forms`.")
        import_forms(self, options)
