"""UPDATE many rows of one table, each with its own values, in one statement sent once.

The triage writes ~200 concerns and their clusters per batch: Django's `bulk_update` builds a
CASE per field and row, which cost more Python time than the whole text analysis of the
batch; an executemany of one plain UPDATE (psycopg pipelines it) does not.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model


def update_rows(model: type[Model], objs: list[Any], fields: list[str]) -> None:
    """UPDATE each object's row with these fields (concrete columns of `model`): one
    statement sent for many rows (executemany; psycopg pipelines it)."""
    if not objs:
        return
    meta: Any = model._meta  # the typed Options would have each field be a reverse relation too
    columns = [meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(meta.db_table)} SET "
        + ", ".join(f"{qn(c.column)} = %s" for c in columns)
        + f" WHERE {qn(meta.pk.column)} = %s"
    )
    params = [
        [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
