"""The development tooling (`congdoan_dev`: benchmarks, demo data, model building) is not in
the production wheel: there, the commands that use it say so in one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congdoan.core.management.tooling import NOT_INSTALLED

# The `congdoan` command line in a process where `congdoan_dev` is not installed (an import
# finder placed first answers for it as an absent package does).
WITHOUT_TOOLING = """
import sys

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "congdoan_dev":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
from congdoan.config.cli import main
sys.argv = ["congdoan", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize(
    "args",
    [
        ["bench", "tree"],
        ["seed-demo"],
        ["text", "build-models"],
    ],
)
def test_a_production_install_says_the_dev_tooling_is_not_installed(
    args: list[str], tmp_path: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_TOOLING, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert NOT_INSTALLED in done.stderr
    assert "Traceback" not in done.stderr


def test_bench_names_the_benchmarks_when_given_an_unknown_one() -> None:
    with pytest.raises(
        CommandError,
        match="faults, feedback, legal, library, monitoring, publish, reports, text, tree, web",
    ):
        call_command("bench", "nosuch")
