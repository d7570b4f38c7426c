"""`congdoan monitoring ingest-file FILE | narratives | fetch`.

- `ingest-file FILE.jsonl --source NAME [--unit CODE] [--kind file] [--format jsonl|json|csv]`:
  one item a line, ``{"id", "url", "text", "author", "published_at", "reach"}`` (CSV and JSON
  exports are read too). The source NAME of the unit (default: the site's home unit) is made if
  missing. Prints ``new N``, ``duplicate N``, ``refused N`` (and the refused lines' reasons on
  stderr); the items are scored and grouped when it returns.
- `narratives [--json] [--limit N]`: narratives, riskiest first; `--json` prints a list of
  ``{"id", "title", "item_ids" (the items' own ids), "risk", "toxicity", "stance", "status"}``.
- `fetch [--source ID]`: fetch one source now, or every source that is due, and print what
  each gave.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import F, Prefetch

from congdoan.monitoring.models import Item, Narrative, Source, SourceKind
from congdoan.monitoring.services.ingest import ingest, process_items
from congdoan.monitoring.services.sources import due_sources, fetch_source
from congdoan.monitoring.sources.files import FORMATS, format_of, parse_file
from congdoan.orgs.models import Unit
from congdoan.orgs.site import home_unit

MAX_REASONS = 20


class Command(BaseCommand):
    help = "Theo dõi thông tin: ingest-file, narratives, fetch."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ing = sub.add_parser("ingest-file", help="nhập tin từ tệp JSONL, JSON hoặc CSV")
        ing.add_argument("file", help="tệp, mỗi dòng một tin (JSONL)")
        ing.add_argument("--source", required=True, help="tên nguồn (tạo nếu chưa có)")
        ing.add_argument("--unit", default="", help="mã đơn vị (mặc định: đơn vị chủ quản)")
        ing.add_argument("--kind", default=SourceKind.FILE, choices=[k.value for k in SourceKind])
        ing.add_argument("--format", default="", choices=["", *FORMATS])
        nar = sub.add_parser("narratives", help="các luồng thông tin, rủi ro cao trước")
        nar.add_argument("--json", action="store_true")
        nar.add_argument("--limit", type=int, default=0, help="số luồng tối đa (0: tất cả)")
        fet = sub.add_parser("fetch", help="lấy tin ngay: một nguồn, hoặc các nguồn đến hạn")
        fet.add_argument("--source", type=int, default=0, help="mã số nguồn")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "ingest-file":
            self._ingest_file(options)
        elif action == "narratives":
            self._narratives(options)
        else:
            self._fetch(options)

    def _unit(self, code: str) -> Unit:
        if code:
            unit = Unit.objects.filter(code__iexact=code).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {code}.")
            return unit
        unit = home_unit()
        if unit is None:
            raise CommandError("Chưa đặt đơn vị chủ quản: hãy ghi --unit MÃ.")
        return unit

    def _ingest_file(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        fmt = options["format"] or format_of(path.name)
        if fmt not in FORMATS:
            fmt = "jsonl"
        unit = self._unit(options["unit"])
        source, _created = Source.objects.get_or_create(
            unit=unit, name=options["source"][:200], defaults={"kind": options["kind"]}
        )
        raw, refused = parse_file(path, fmt)
        result = ingest(source, raw, process=False)
        del raw  # the rows are written: free them before scoring and grouping
        process_items(result.item_ids)
        self.stdout.write(f"new {result.new}")
        self.stdout.write(f"duplicate {result.duplicate}")
        self.stdout.write(f"refused {result.refused + len(refused)}")
        reasons = [*refused, *result.errors]
        for reason in reasons[:MAX_REASONS]:
            self.stderr.write(reason)
        if len(reasons) > MAX_REASONS:
            self.stderr.write(f"… {len(reasons) - MAX_REASONS} more")

    def _narratives(self, options: dict[str, Any]) -> None:
        items = Item.objects.order_by(F("published_at").asc(nulls_last=True), "pk").only(
            "pk", "external_id", "narrative"
        )
        narratives = Narrative.objects.order_by("-risk", "-last_seen_at", "-pk").prefetch_related(
            Prefetch("items", queryset=items)
        )
        if options["limit"] > 0:
            narratives = narratives[: options["limit"]]
        rows: list[dict[str, Any]] = [
            {
                "id": n.pk,
                "title": n.title,
                "item_ids": [i.external_id for i in n.items.all()],
                "risk": round(n.risk, 4),
                "toxicity": n.toxicity,
                "stance": n.stance,
                "status": n.status,
            }
            for n in narratives
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['id']}\t{row['risk']:.2f}\t{row['status']}\t"
                f"{len(row['item_ids'])} tin\t{row['title']}"
            )

    def _fetch(self, options: dict[str, Any]) -> None:
        if options["source"]:
            source = Source.objects.filter(pk=options["source"]).first()
            if source is None:
                raise CommandError(f"Không có nguồn số {options['source']}.")
            chosen = [source]
        else:
            chosen = due_sources()
        for source in chosen:
            result = fetch_source(source)
            line = (
                f"{source.pk}\t{source.name}\tnew {result.new}\tduplicate {result.duplicate}"
                f"\trefused {result.refused}"
            )
            if result.errors and not result.new and not result.duplicate:
                line += f"\terror {result.errors[0]}"
            self.stdout.write(line)
