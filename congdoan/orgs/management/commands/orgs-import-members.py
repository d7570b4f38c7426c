"""`congdoan orgs-import-members`: the old name of `congdoan orgs import-members`.

Kept so that scripts and notes written with the old name still run (issue 13.6: one scheme,
`congdoan <app> <verb>`); it says the new name on stderr, then does exactly the same.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from congdoan.orgs.management.commands.orgs import add_import_members_arguments, import_members


class Command(BaseCommand):
    help = "Tên cũ của `congdoan orgs import-members`."

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_import_members_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stderr.write("`congdoan orgs-import-members` nay là `congdoan orgs import-members`.")
        import_members(self, options)
