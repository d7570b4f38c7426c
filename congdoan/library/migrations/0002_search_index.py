"""The full-text index: FTS5 on SQLite, a tsvector column with a GIN index on PostgreSQL.

Both index `library_document.folded` (title + text, folded and tokenised by
congdoan.library.search.fold_for_index). On SQLite the FTS5 table uses the document table
as external content and three triggers keep it in step with every insert, update and delete,
whoever writes (service, bulk load, admin). On PostgreSQL the column is GENERATED, so it is
always in step by construction.

Beware: on SQLite, Django alters a table by rebuilding it, which drops these triggers. A
later migration that alters library_document must end with
`RunPython(on_vendor({"sqlite": SQLITE_BACKWARD + SQLITE_FORWARD}))` (import them from here).
"""

from __future__ import annotations

from django.db import migrations

from congdoan.library.migrations._sql import fts5_on, on_vendor

SQLITE_FORWARD, SQLITE_BACKWARD = fts5_on("library_document_fts", "folded")
POSTGRES_FORWARD = [
    "ALTER TABLE library_document ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED",
    "CREATE INDEX library_document_search_tsv ON library_document USING GIN (search_tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS library_document_search_tsv",
    "ALTER TABLE library_document DROP COLUMN IF EXISTS search_tsv",
]


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            on_vendor({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            on_vendor({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
