"""PostgreSQL only: a small tsvector over the head of `folded` (title, number, issuer, first
words) to rank with. Ranking over the full `search_tsv` of every match made common words cost
hundreds of milliseconds at 100,000 documents (see docs/library.md); the GIN index on
`search_tsv` still decides what matches. Nothing changes on SQLite (no table rebuild)."""

from __future__ import annotations

from django.db import migrations

from congdoan.library.migrations._sql import on_vendor

FORWARD = [
    "ALTER TABLE library_document ADD COLUMN search_head tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', left(folded, 300))) STORED",
]
BACKWARD = ["ALTER TABLE library_document DROP COLUMN IF EXISTS search_head"]


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [migrations.RunPython(on_vendor({"postgresql": FORWARD}), on_vendor({"postgresql": BACKWARD}))]
