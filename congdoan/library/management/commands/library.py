"""`congdoan library import|search|show|resume|reindex`: the library from the command line.

congdoan library import PATH… [--unit CODE] [--visibility unit|subtree|union|public] [--tags …]
congdoan library search "QUERY" [--json] [--as EMAIL]
congdoan library show ID [--json]   (with the pages whose text layer was garbled)
congdoan library resume            # re-enqueue work a killed worker left behind
congdoan library reindex [--changed]   # rebuild the tantivy index (LIBRARY_SEARCH_ENGINE=tantivy)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from congdoan.accounts.models import User
from congdoan.library import selectors, services
from congdoan.library.api import document_detail_data
from congdoan.library.models import Document, Visibility
from congdoan.library.search import engine
from congdoan.orgs.models import Unit


class Command(BaseCommand):
    help = "Thư viện tài liệu: nhập thư mục, tìm kiếm, xem tài liệu, tiếp tục xử lý bị gián đoạn."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập tệp hoặc thư mục")
        imp.add_argument("paths", nargs="+")
        imp.add_argument("--unit", default="PX", help="mã đơn vị (mặc định PX)")
        imp.add_argument("--visibility", default=Visibility.UNIT, choices=Visibility.values)
        imp.add_argument("--tags", default="")
        imp.add_argument("--json", action="store_true", dest="as_json")
        search = sub.add_parser("search", help="Tìm tài liệu")
        search.add_argument("query")
        search.add_argument("--json", action="store_true", dest="as_json")
        search.add_argument(
            "--as",
            dest="as_user",
            default="",
            help="tìm với quyền của người dùng này (mặc định: toàn quyền)",
        )
        search.add_argument("--limit", type=int, default=20)
        show = sub.add_parser("show", help="Xem một tài liệu")
        show.add_argument("id", type=int)
        show.add_argument("--json", action="store_true", dest="as_json")
        sub.add_parser("resume", help="Đưa lại vào hàng đợi các tài liệu bị gián đoạn")
        reindex = sub.add_parser(
            "reindex", help="Dựng lại chỉ mục tìm kiếm tantivy (LIBRARY_SEARCH_ENGINE=tantivy)"
        )
        reindex.add_argument(
            "--changed", action="store_true", help="chỉ các tài liệu đổi từ lần đồng bộ trước"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"do_{action}")(**options)

    def do_import(
        self,
        *,
        paths: list[str],
        unit: str,
        visibility: str,
        tags: str,
        as_json: bool,
        **_options: Any,
    ) -> None:
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": unit})
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files += sorted(
                    p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                )
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(_("Không tìm thấy “%(path)s”.") % {"path": raw})
        summary: dict[str, list[dict[str, Any]]] = {"created": [], "duplicate": [], "refused": []}
        for path in tqdm(files, desc=_("Nhập tài liệu"), unit=_("tệp"), disable=as_json):
            with path.open(
                "rb"
            ) as fh:  # never more than the limit into memory: a bigger file is refused anyway
                data = fh.read(settings.LIBRARY_MAX_BYTES + 1)
            with transaction.atomic():
                outcome = services.upload_many(
                    actor=None,
                    unit=target,
                    files=[(path.name, data)],
                    visibility=visibility,
                    tags=tags,
                )[0]
            entry = {
                "file": str(path),
                "reason": outcome.message,
                "id": outcome.document.pk if outcome.document else None,
            }
            summary[outcome.status].append(entry)
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Đã nhập: %(created)d · Trùng, bỏ qua: %(duplicate)d · Từ chối: %(refused)d")
            % {key: len(rows) for key, rows in summary.items()}
        )
        for entry in summary["duplicate"]:
            self.stdout.write(
                _("  [trùng] %(file)s: %(reason)s")
                % {"file": entry["file"], "reason": entry["reason"]}
            )
        for entry in summary["refused"]:
            self.stdout.write(
                self.style.WARNING(
                    _("  [từ chối] %(file)s: %(reason)s")
                    % {"file": entry["file"], "reason": entry["reason"]}
                )
            )

    def _viewer(self, as_user: str) -> User:
        if not as_user:
            return User(is_superuser=True, pk=0)
        user = (
            User.objects.filter(email=as_user).first()
            or User.objects.filter(username=as_user).first()
        )
        if user is None:
            raise CommandError(_("Không có người dùng “%(who)s”.") % {"who": as_user})
        return user

    def do_search(
        self, *, query: str, as_json: bool, as_user: str, limit: int, **_options: Any
    ) -> None:
        viewer = self._viewer(as_user)
        results = selectors.search_documents(viewer=viewer, query=query, per_page=limit)
        rows = [
            {
                "id": h.document.pk,
                "title": h.document.display_title,
                "number": h.document.number,
                "score": round(h.score, 6),
                "issued_on": h.document.issued_on.isoformat() if h.document.issued_on else None,
                "unit": h.document.unit.code,
            }
            for h in results.hits
        ]
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"query": query, "total": results.total, "results": rows},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(_("%(n)d tài liệu") % {"n": results.total})
        for row in rows:
            self.stdout.write(
                f"  #{row['id']:<6} {row['score']:>9.4f}  {row['number'] or '—':<18} {row['title']}"
            )

    def do_show(self, *, id: int, as_json: bool, **_options: Any) -> None:
        doc = Document.objects.select_related("unit").filter(pk=id).first()
        if doc is None:
            raise CommandError(_("Không có tài liệu số %(id)d.") % {"id": id})
        data = document_detail_data(viewer=self._viewer(""), doc=doc)
        data["text_layers"] = [
            {
                "page": p.number,
                "reading": p.reading,
                "garbled": p.garbled,
                "changes": [[c.text, c.other] for c in p.changes],
                "scores": p.scores,
            }
            for p in selectors.document_layers(document=doc)
        ]
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            return
        for key in (
            "id",
            "title",
            "number",
            "doc_type",
            "issuer_parent",
            "issuer",
            "place",
            "issued_on",
            "signer_capacity",
            "signer",
            "status",
        ):
            self.stdout.write(f"{key:>16}: {data[key]}")
        for link in data["cites"]:  # type: ignore[attr-defined]
            self.stdout.write(f"{_('dẫn chiếu'):>16}: {link['raw']} → #{link['target_id']}")
        for link in data["missing"]:  # type: ignore[attr-defined]
            self.stdout.write(f"{_('chưa có'):>16}: {link['raw']}")
        for link in data["cited_by"]:  # type: ignore[attr-defined]
            self.stdout.write(f"{_('được dẫn bởi'):>16}: #{link['target_id']} {link['raw']}")
        for layer in data["text_layers"]:  # type: ignore[attr-defined]
            self.stdout.write(
                f"{_('lớp chữ'):>16}: "
                + _("trang %(n)d, %(reading)s, %(k)d từ đã sửa")
                % {"n": layer["page"], "reading": layer["reading"], "k": len(layer["changes"])}
            )

    def do_resume(self, **_options: Any) -> None:
        count = services.resume_all()
        self.stdout.write(_("Đã đưa lại %(n)d tài liệu vào hàng đợi.") % {"n": count})

    def do_reindex(self, *, changed: bool, **_options: Any) -> None:
        if not engine.enabled():
            self.stdout.write(
                _(
                    "Lưu ý: LIBRARY_SEARCH_ENGINE=%(engine)s, chỉ mục này chưa được dùng để tìm kiếm."
                )
                % {"engine": engine.engine_name()}
            )
        count = engine.sync(full=not changed)
        self.stdout.write(
            _("Đã đưa %(n)d tài liệu vào chỉ mục %(path)s.")
            % {"n": count, "path": engine.index_dir()}
        )
