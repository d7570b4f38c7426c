"""Run raw SQL in a migration only on the named database vendors."""

from __future__ import annotations

from typing import Any


def on_vendor(statements_by_vendor: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run
