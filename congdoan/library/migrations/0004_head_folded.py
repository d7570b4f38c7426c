"""The title tier of search: `Document.head_folded` (title as shown and number, folded) and its
index on both databases, plus the covering index that SQLite walks the matches through.

- SQLite: adding the column rebuilds the table, which drops the triggers of 0002: they are
  created again here, with an FTS5 table on `head_folded` (`library_document_head_fts`,
  external content, same tokenizer, its own triggers) and the index
  `library_doc_search_walk` (id, status, visibility, unit_id, doc_type, issued_on): checking
  scope and filters for a thousand matches then reads that narrow index, never the wide
  document rows, whose later columns sit behind the text in overflow pages.
- PostgreSQL: `search_head` (the ranking vector of 0003) now covers `head_folded`, with a
  GIN index, so that title matches are found in the whole library.

Beware, as in 0002: a later migration that alters library_document must end with
`RunPython(on_vendor({"sqlite": SQLITE_BACKWARD + SQLITE_FORWARD}))` imported from here (it
drops and re-creates the FTS tables of 0002 and of this migration, and this index).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations, models

from congdoan.library.migrations._sql import fts5_on, on_vendor

_M0002: Any = import_module("congdoan.library.migrations.0002_search_index")

_HEAD_FTS, _HEAD_FTS_BACKWARD = fts5_on("library_document_head_fts", "head_folded")
WALK_INDEX_SQL = "CREATE INDEX IF NOT EXISTS library_doc_search_walk ON library_document (id, status, visibility, unit_id, doc_type, issued_on)"
HEAD_FORWARD = [*_HEAD_FTS, WALK_INDEX_SQL]
HEAD_BACKWARD = ["DROP INDEX IF EXISTS library_doc_search_walk", *_HEAD_FTS_BACKWARD]
SQLITE_FORWARD = [*_M0002.SQLITE_FORWARD, *HEAD_FORWARD]
SQLITE_BACKWARD = [*HEAD_BACKWARD, *_M0002.SQLITE_BACKWARD]

POSTGRES_FORWARD = [
    "ALTER TABLE library_document DROP COLUMN IF EXISTS search_head",
    "ALTER TABLE library_document ADD COLUMN search_head tsvector GENERATED ALWAYS AS (to_tsvector('simple', head_folded)) STORED",
    "CREATE INDEX library_document_search_head ON library_document USING GIN (search_head)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS library_document_search_head",
    "ALTER TABLE library_document DROP COLUMN IF EXISTS search_head",
    "ALTER TABLE library_document ADD COLUMN search_head tsvector GENERATED ALWAYS AS (to_tsvector('simple', left(folded, 300))) STORED",
]


def fill_heads(apps: Any, schema_editor: Any) -> None:
    from django.utils import translation

    from congdoan.library.models import DocType
    from congdoan.library.search.words import fold_for_index

    with translation.override("vi"):
        kinds = {value: str(label) for value, label in DocType.choices if value != DocType.OTHER}
    document = apps.get_model("library", "Document")
    batch = []
    for doc in document.objects.only("pk", "title", "number", "doc_type", "original_name").iterator(chunk_size=2000):
        title = doc.title or doc.original_name
        kind = kinds.get(doc.doc_type, "")
        shown = f"{kind} {title}" if kind and not title.lower().startswith(kind.lower()) else title  # Document.display_title
        doc.head_folded = fold_for_index(shown, doc.number)
        batch.append(doc)
        if len(batch) == 2000:
            document.objects.bulk_update(batch, ["head_folded"])
            batch = []
    if batch:
        document.objects.bulk_update(batch, ["head_folded"])




class Migration(migrations.Migration):
    dependencies = [("library", "0003_search_head")]

    operations = [
        # Undone last: removing the column rebuilds the table again, so 0002's index comes back.
        migrations.RunPython(migrations.RunPython.noop, on_vendor({"sqlite": _M0002.SQLITE_BACKWARD + _M0002.SQLITE_FORWARD})),
        migrations.AddField(
            model_name="document",
            name="head_folded",
            field=models.TextField(
                blank=True, default="", editable=False,
                help_text="title as shown (type + trích yếu) and number, folded and tokenised: a match here ranks first",
            ),
        ),
        migrations.RunPython(fill_heads, migrations.RunPython.noop),
        migrations.RunPython(
            on_vendor({"sqlite": _M0002.SQLITE_BACKWARD + SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            on_vendor({"sqlite": HEAD_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
