"""Run raw SQL in a migration only on the named database vendors."""

from __future__ import annotations

from typing import Any


def on_vendor(statements_by_vendor: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def fts5_on(table: str, column: str) -> tuple[list[str], list[str]]:
    """SQLite: an FTS5 table `table` indexing `library_document.<column>` as external content
    (accent-insensitive tokenizer), the three triggers that keep it in step with every insert,
    update and delete, and a rebuild from the rows already there; and the statements undoing it."""
    forward = [
        f"CREATE VIRTUAL TABLE {table} USING fts5({column}, content='library_document', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"""CREATE TRIGGER {table}_ai AFTER INSERT ON library_document BEGIN
        INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column});
    END""",
        f"""CREATE TRIGGER {table}_ad AFTER DELETE ON library_document BEGIN
        INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column});
    END""",
        f"""CREATE TRIGGER {table}_au AFTER UPDATE OF {column} ON library_document BEGIN
        INSERT INTO {table}({table}, rowid, {column}) VALUES ('delete', old.id, old.{column});
        INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column});
    END""",
        f"INSERT INTO {table}({table}) VALUES ('rebuild')",
    ]
    backward = [
        f"DROP TRIGGER IF EXISTS {table}_au",
        f"DROP TRIGGER IF EXISTS {table}_ad",
        f"DROP TRIGGER IF EXISTS {table}_ai",
        f"DROP TABLE IF EXISTS {table}",
    ]
    return forward, backward
