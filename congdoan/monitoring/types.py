"""What a source gives ingestion (`RawItem`) and what ingestion answers (`IngestResult`).

Every source (RSS, web page, Facebook, YouTube, an exported file, a tip) turns what it read
into `RawItem`s; `services.ingest.ingest` turns them into `Item` rows, idempotently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from congdoan.monitoring.models import ItemKind


@dataclass
class RawItem:
    # The source's own id of the item ("" lets ingestion use the content hash instead).
    external_id: str
    url: str = ""
    title: str = ""
    text: str = ""
    author: str = ""
    published_at: datetime | None = None
    reach: int = 0
    kind: str = ItemKind.POST
    meta: dict[str, Any] = field(default_factory=dict)
    # The page's or post's HTML as read (sanitised with nh3 before it is kept in a Snapshot).
    html: str = ""


@dataclass
class IngestResult:
    new: int = 0
    duplicate: int = 0
    refused: int = 0
    item_ids: list[int] = field(default_factory=list)
    # One line per refused item or failure ("dòng 3: không có nội dung").
    errors: list[str] = field(default_factory=list)

    def add(self, other: IngestResult) -> None:
        self.new += other.new
        self.duplicate += other.duplicate
        self.refused += other.refused
        self.item_ids.extend(other.item_ids)
        self.errors.extend(other.errors)
