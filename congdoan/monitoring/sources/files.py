"""Exports of social-listening tools: CSV, JSON (a list, or an object holding one) and JSON
Lines, one item a row or line.

Columns are matched by name, case-insensitively, among the usual names of such tools
(`FIELDS`): ``{"id", "url", "text", "author", "published_at", "reach"}`` is the documented form
(`congdoan monitoring ingest-file`). Other scalar columns are kept in the item's meta. A row
that cannot be read (not JSON, not an object) is refused with its line number; what is in a
row (empty text, too long) is ingestion's to judge.

The refusals are shown at once to the person who uploaded the file, or printed by the
command, in their language; none is stored. A file that cannot be read at all raises
`SourceError` with a msgid and its parameters, like every source's error.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from congdoan.monitoring.models import ItemKind
from congdoan.monitoring.sources.base import SourceError, to_datetime, to_int
from congdoan.monitoring.types import RawItem

FORMATS = ("csv", "json", "jsonl")
FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "external_id", "post_id", "comment_id", "guid", "mã"),
    "url": ("url", "link", "permalink", "permalink_url", "post_url", "đường dẫn"),
    "text": ("text", "content", "message", "body", "full_text", "snippet", "nội dung"),
    "title": ("title", "headline", "tiêu đề"),
    "author": ("author", "author_name", "user", "username", "screen_name", "from", "người đăng"),
    "published_at": (
        "published_at",
        "published",
        "date",
        "created_at",
        "created_time",
        "timestamp",
        "time",
        "thời gian",
    ),
    "reach": ("reach", "engagement", "interactions", "impressions", "views", "likes"),
    "kind": ("kind", "type"),
}


def _key(name: object) -> str:
    """A column's name compared loosely: "Author Name", "author-name" → "author_name"."""
    return "_".join(str(name).strip().lower().replace("-", " ").split())


FIELDS = {field: tuple(_key(n) for n in names) for field, names in FIELDS.items()}
_KNOWN = {name for names in FIELDS.values() for name in names}
MAX_META_KEYS = 20
KINDS = {k.value for k in ItemKind}


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    return {"ndjson": "jsonl", "txt": "csv"}.get(suffix, suffix)


def _pick(row: dict[str, Any], field: str) -> Any:
    for name in FIELDS[field]:
        if name in row and row[name] not in (None, ""):
            return row[name]
    return None


def _string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # {"name": "…", "id": "…"} of some exports
        return _string(value.get("name") or value.get("title") or "")
    return str(value).strip()


def row_item(raw: dict[str, Any]) -> RawItem:
    row = {_key(k): v for k, v in raw.items()}
    kind = _string(_pick(row, "kind")).lower()
    meta = {
        k: v
        for k, v in row.items()
        if k not in _KNOWN and isinstance(v, str | int | float | bool) and len(str(v)) <= 500
    }
    return RawItem(
        external_id=_string(_pick(row, "id")),
        url=_string(_pick(row, "url")),
        title=_string(_pick(row, "title")),
        text=_string(_pick(row, "text")),
        author=_string(_pick(row, "author")),
        published_at=to_datetime(_pick(row, "published_at")),
        reach=to_int(_pick(row, "reach")),
        kind=kind if kind in KINDS else ItemKind.POST,
        meta=dict(list(meta.items())[:MAX_META_KEYS]),
    )


def _rows(data: bytes, fmt: str) -> Iterator[tuple[int, Any]]:
    """(line or row number, the parsed row or an error message) of each row."""
    text = data.decode("utf-8-sig", errors="replace")
    if fmt == "jsonl":
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError:
                yield n, _("không phải JSON")
    elif fmt == "json":
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(gettext_noop("Tệp JSON không hợp lệ: %(error)s"), error=exc) from exc
        if isinstance(parsed, dict):
            parsed = next((v for v in parsed.values() if isinstance(v, list)), None)
        if not isinstance(parsed, list):
            raise SourceError(gettext_noop("Tệp JSON cần là một danh sách tin."))
        yield from enumerate(parsed, start=1)
    else:
        reader = csv.DictReader(io.StringIO(text))
        for n, row in enumerate(reader, start=2):  # line 1 is the headings
            yield n, {k: v for k, v in row.items() if k is not None}


def parse_file(path_or_bytes: str | Path | bytes, fmt: str = "") -> tuple[list[RawItem], list[str]]:
    """(items, refused rows as "dòng N: lý do") of an export; a file that cannot be read at all
    (not JSON, an unknown format) gives no item and its reason as the one refusal."""
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
    else:
        path = Path(path_or_bytes)
        fmt = fmt or format_of(path.name)
        data = path.read_bytes()
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        unknown = _("Định dạng tệp không hỗ trợ: %(fmt)s (chỉ CSV, JSON, JSONL).")
        return [], [unknown % {"fmt": fmt or "?"}]
    try:
        return split_rows(_rows(data, fmt))
    except SourceError as exc:
        return [], [str(exc)]


def split_rows(rows: Iterable[tuple[int, Any]]) -> tuple[list[RawItem], list[str]]:
    items: list[RawItem] = []
    refused: list[str] = []
    for n, row in rows:
        if isinstance(row, str):
            refused.append(_("dòng %(n)s: %(reason)s") % {"n": n, "reason": row})
        elif not isinstance(row, dict):
            refused.append(_("dòng %(n)s: không phải một đối tượng JSON") % {"n": n})
        else:
            item = row_item(row)
            item.meta["line"] = n
            items.append(item)
    return items, refused
