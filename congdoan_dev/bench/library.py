"""`congdoan bench library`: search latency beside tantivy, and OCR throughput beside bare tesseract.

Usage: congdoan bench library -- [--docs 100000] [--queries 40] [--repeat 3] [--ocr-pages 4] [--skip-ocr]
                                   [--skip-search] [--metadata]

Steps:
1. create a throw-away test database on the configured backend (SQLite file or PostgreSQL
   `test_…`, from DATABASE_URL) and migrate it, so the real data is never touched;
2. generate --docs synthetic Vietnamese documents (titles and bodies drawn from a pool of
   union phrases, numbers, units and places; seeded, so runs are comparable) and bulk-insert
   them (the FTS5 triggers or the generated tsvector index them as any write would);
3. index the same folded texts in tantivy (in memory);
4. run the same queries (2–4 words, typed without marks) through `search_documents` (scope,
   count, first 20 rows ordered by relevance, snippets) and through the backend query alone,
   and through tantivy (count + top 20); print p50 and p95 of each;
5. OCR: render --ocr-pages pages with Pillow; run them through the library's own pipeline
   (upload → process → OCR step → searchable PDF, metadata, links) and through bare
   `tesseract PAGE out -l vie --psm N` on the same PNG files; print pages per minute.
6. with --metadata: render 8 headers written apart from the tests (after the reader was
   finished), OCR them with noise, and count per field how often the value read equals the
   value written.
It prints figures and never fails on a timing.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from congdoan.accounts.models import User
from congdoan.core.processes import run_child
from congdoan.library import ocr, pipeline, services
from congdoan.library.metadata import extract_metadata, number_key
from congdoan.library.models import Blob, Document
from congdoan.library.render import PaperDocument, render_page
from congdoan.library.search import engine as search_engine
from congdoan.library.search import planner
from congdoan.library.search.planner import engine_page
from congdoan.library.search.words import fold_for_index, query_tokens
from congdoan.library.selectors import search_documents
from congdoan.orgs import scoping
from congdoan.orgs.models import Level, Unit
from congdoan_dev import figures

POOL_TITLES = [
    "Kế hoạch tuyên truyền Tháng Công nhân năm {y}",
    "Báo cáo kết quả công tác công đoàn năm {y}",
    "Chương trình truyền thông công đoàn giai đoạn {y} - 2028",
    "Thông báo lịch đối thoại với người lao động quý {q}",
    "Hướng dẫn tổ chức Đại hội công đoàn cơ sở",
    "Nghị quyết Hội nghị Ban Chấp hành lần thứ {n}",
    "Quyết định khen thưởng phong trào thi đua lao động giỏi",
    "Công văn về việc chăm lo Tết Sum vầy năm {y}",
    "Kế hoạch phát triển đoàn viên và thành lập công đoàn cơ sở",
    "Báo cáo sơ kết 6 tháng về an toàn, vệ sinh lao động",
    "Tờ trình đề nghị hỗ trợ đoàn viên có hoàn cảnh khó khăn",
    "Biên bản hội nghị người lao động năm {y}",
    "Kế hoạch tổ chức cuộc thi tìm hiểu pháp luật lao động trực tuyến",
    "Thông báo kết luận về phòng, chống tin giả trên mạng xã hội",
]
POOL_SENTENCES = [
    "Thực hiện Chương trình số {n}/CTr-BCH của Ban Chấp hành Tổng Liên đoàn về công tác truyền thông.",
    "Tổ chức tuyên truyền chính sách pháp luật về lao động, tiền lương, bảo hiểm xã hội cho đoàn viên.",
    "Công đoàn cơ sở phối hợp với người sử dụng lao động tổ chức đối thoại định kỳ tại nơi làm việc.",
    "Đẩy mạnh truyền thông trên nền tảng số, Fanpage công đoàn và các nhóm Zalo của công nhân.",
    "Chăm lo đời sống vật chất, tinh thần cho người lao động, đặc biệt là công nhân ở nhà trọ.",
    "Kiểm tra an toàn, vệ sinh lao động tại các dây chuyền sản xuất, phòng chống cháy nổ.",
    "Phát triển {n} đoàn viên mới, thành lập công đoàn cơ sở tại doanh nghiệp ngoài nhà nước.",
    "Tiếp nhận tâm tư, nguyện vọng của người lao động về bữa ăn ca và thời giờ làm việc.",
    "Biểu dương {n} tập thể và cá nhân có thành tích xuất sắc trong phong trào thi đua.",
    "Phản bác thông tin sai lệch, xấu độc về giai cấp công nhân và tổ chức công đoàn.",
    "Tổ chức Tết Sum vầy, trao quà cho đoàn viên có hoàn cảnh khó khăn tại {place}.",
    "Hướng dẫn quy trình thương lượng tập thể, ký kết thỏa ước lao động tập thể.",
    "Tập huấn kỹ năng truyền thông cho cán bộ công đoàn cơ sở tại {place}.",
    "Báo cáo tình hình việc làm, thu nhập của người lao động quý {q} năm {y}.",
    "Công nhân lao động tại khu công nghiệp {place} được tư vấn pháp luật miễn phí.",
    "Ban Thường vụ đề nghị các công đoàn cơ sở triển khai nghiêm túc và báo cáo kết quả.",
]
PLACES = [
    "Phú Xuyên",
    "Phú Minh",
    "Đại Xuyên",
    "Phú Túc",
    "Vân Từ",
    "Tri Trung",
    "Hồng Minh",
    "Phượng Dực",
    "Thường Tín",
    "Chuyên Mỹ",
    "Quang Trung",
    "Tân Dân",
]
QUERIES = [
    "ke hoach truyen thong",
    "thang cong nhan",
    "an toan ve sinh lao dong",
    "tet sum vay",
    "doi thoai nguoi lao dong",
    "phat trien doan vien",
    "bua an ca",
    "tin gia mang xa hoi",
    "thoa uoc lao dong tap the",
    "cuoc thi phap luat",
    "bao hiem xa hoi",
    "cong doan co so",
    "nha tro cong nhan",
    "phu xuyen",
    "tu van phap luat",
    "ban chap hanh tong lien doan",
    "fanpage zalo",
    "khen thuong thi dua",
    "thu nhap viec lam",
    "dai hoi cong doan",
    "phong chong chay no",
    "hoan canh kho khan",
    "ky nang truyen thong",
    "dai xuyen",
]


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench library")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=4)
    parser.add_argument("--skip-ocr", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    parser.add_argument(
        "--metadata",
        action="store_true",
        help="also: metadata read from OCR'd scans of held-apart headers",
    )
    return parser.parse_args(argv)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _doc_text(rng: random.Random, i: int) -> tuple[str, str, int]:
    year = rng.choice([2022, 2023, 2024, 2025, 2026])
    fill = {
        "y": year,
        "q": rng.choice(["I", "II", "III", "IV"]),
        "n": rng.randint(1, 120),
        "place": rng.choice(PLACES),
    }
    title = rng.choice(POOL_TITLES).format(**fill)
    body = " ".join(
        rng.choice(POOL_SENTENCES).format(
            **{**fill, "n": rng.randint(1, 300), "place": rng.choice(PLACES)}
        )
        for _ in range(rng.randint(6, 18))
    )
    return title, f"Số: {i}/KH-LĐLĐ\n{title}\n{body}", year


def _setup_corpus(n: int) -> None:
    level = Level.objects.create(code="bench", name="bench", rank=2)
    root = Unit.objects.create(code="BENCH", name="Bench", level=level, path="/")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = []
    for k in range(20):
        u = Unit.objects.create(
            code=f"BENCH-{k}",
            name=f"Công đoàn cơ sở {k}",
            level=level,
            parent=root,
            path="/",
            depth=1,
        )
        u.path = f"{root.path}{u.pk}/"
        u.save(update_fields=["path"])
        units.append(u)
    blob = Blob.objects.create(
        sha256="0" * 64, file="library/bench.txt", size=1, content_type="text/plain"
    )
    rng = random.Random(2026)
    batch: list[Document] = []
    types = ["ke_hoach", "bao_cao", "thong_bao", "huong_dan", "quyet_dinh", "cong_van"]
    for i in range(1, n + 1):
        title, text, year = _doc_text(rng, i)
        batch.append(
            Document(
                unit=rng.choice(units),
                blob=blob,
                original_name=f"{i}.txt",
                source_kind="text",
                status="ready",
                visibility=rng.choice(["unit", "subtree", "union", "public"]),
                title=title,
                text=text,
                doc_type=rng.choice(types),
                issued_on=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                head_folded=fold_for_index(title),
                folded=fold_for_index(title, text),
            )
        )
        if len(batch) == 2000:
            Document.objects.bulk_create(batch)
            batch = []
            print(f"  … {i} tài liệu", flush=True)
    if batch:
        Document.objects.bulk_create(batch)


def _bench_officer() -> Any:
    """An officer of the grassroots unit BENCH-3, as congdoan.orgs.scoping would see one: own
    unit's documents at every sharing level, the others' "union" and "public" ones (about half
    of the corpus)."""

    unit = Unit.objects.get(code="BENCH-3")
    officer = User(pk=-1, username="bench-officer")
    setattr(
        officer,
        scoping._CACHE_ATTR,
        scoping.Scope(user_id=-1, unit_paths=(unit.path,), unit_ids=(unit.pk,)),
    )
    return officer


def _time(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm
    best = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best.append(time.perf_counter() - t)
    return statistics.median(best)


def _search_bench(args: argparse.Namespace) -> list[tuple[str, float | str, str, str]]:
    import tantivy  # lazy: an optional dependency of this benchmark only

    t0 = time.perf_counter()
    _setup_corpus(args.docs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE library_document")
    print(f"Nạp {args.docs} tài liệu vào {connection.vendor}: {time.perf_counter() - t0:.1f} s")

    schema = (
        tantivy.SchemaBuilder()
        .add_text_field("body", stored=False)
        .add_integer_field("id", stored=True)
        .build()
    )
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    t0 = time.perf_counter()
    for pk, folded in Document.objects.values_list("pk", "folded").iterator(chunk_size=5000):
        writer.add_document(tantivy.Document(body=folded, id=pk))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    print(f"Nạp cùng kho vào tantivy: {time.perf_counter() - t0:.1f} s")

    admin = User(is_superuser=True, pk=0)
    officer = _bench_officer()
    rng = random.Random(7)
    queries = [rng.choice(QUERIES) for _ in range(args.queries)]

    ours, backend_only, tv, scoped = [], [], [], []
    for q in queries:
        tokens = query_tokens(q)

        def full(q: str = q) -> Any:
            return search_documents(viewer=admin, query=q, per_page=20)

        def backend(t: list[str] = tokens) -> Any:
            return planner.database_page(Document.objects.all(), t, 0, 20, True)

        parsed = index.parse_query(" ".join(f"+{t}" for t in tokens), ["body"])

        def engine(p: Any = parsed) -> Any:
            return searcher.search(p, 20, count=True)

        def full_scoped(q: str = q) -> Any:
            return search_documents(viewer=officer, query=q, per_page=20)

        ours.append(_time(full, args.repeat))
        scoped.append(_time(full_scoped, args.repeat))
        backend_only.append(_time(backend, args.repeat))
        tv.append(_time(engine, args.repeat))
    # The same queries through search_documents with the optional tantivy engine
    # (LIBRARY_SEARCH_ENGINE=tantivy), its index built on disk by the library's own sync.

    settings.LIBRARY_SEARCH_ENGINE = "tantivy"
    settings.LIBRARY_SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="congdoan-bench-index-")
    t0 = time.perf_counter()
    search_engine.sync(full=True)
    size = sum(f.stat().st_size for f in search_engine.index_dir().rglob("*") if f.is_file())
    print(
        f"Dựng chỉ mục tantivy của thư viện (engine.sync): {time.perf_counter() - t0:.1f} s, {size / 1e6:.0f} MB trên đĩa"
    )
    with_engine, engine_only, engine_scoped, engine_unit = [], [], [], []
    try:
        for q in queries:
            tokens = query_tokens(q)

            def full_engine(q: str = q) -> Any:
                return search_documents(viewer=admin, query=q, per_page=20)

            def engine_alone(t: list[str] = tokens) -> Any:
                return engine_page(Document.objects.all(), t, 0, 20)

            def scoped_engine(q: str = q) -> Any:
                return search_documents(viewer=officer, query=q, per_page=20)

            def unit_engine(q: str = q) -> Any:
                return search_documents(viewer=officer, query=q, unit_code="BENCH-3", per_page=20)

            with_engine.append(_time(full_engine, args.repeat))
            engine_scoped.append(_time(scoped_engine, args.repeat))
            engine_unit.append(_time(unit_engine, args.repeat))
            engine_only.append(_time(engine_alone, args.repeat))
    finally:
        settings.LIBRARY_SEARCH_ENGINE = "database"
        shutil.rmtree(search_engine.index_dir(), ignore_errors=True)
    ms = 1000
    print(
        f"\nTìm kiếm trên {args.docs} tài liệu, {len(queries)} truy vấn × {args.repeat} lần (trung vị), cơ sở dữ liệu: {connection.vendor}"
    )
    print(f"{'':34}{'p50 (ms)':>10}{'p95 (ms)':>10}")
    print(
        f"{'search_documents (toàn bộ)':34}{_pct(ours, 0.5) * ms:>10.1f}{_pct(ours, 0.95) * ms:>10.1f}"
    )
    print(
        f"{'  + cán bộ CĐCS (phạm vi)':34}{_pct(scoped, 0.5) * ms:>10.1f}{_pct(scoped, 0.95) * ms:>10.1f}"
    )
    print(
        f"{'chỉ truy vấn CSDL (đếm + 20 đầu)':34}{_pct(backend_only, 0.5) * ms:>10.1f}{_pct(backend_only, 0.95) * ms:>10.1f}"
    )
    print(
        f"{'search_documents, engine tantivy':34}{_pct(with_engine, 0.5) * ms:>10.1f}{_pct(with_engine, 0.95) * ms:>10.1f}"
    )
    print(
        f"{'  + cán bộ CĐCS (phạm vi)':34}{_pct(engine_scoped, 0.5) * ms:>10.1f}{_pct(engine_scoped, 0.95) * ms:>10.1f}"
    )
    print(
        f"{'  + cán bộ CĐCS, lọc đơn vị':34}{_pct(engine_unit, 0.5) * ms:>10.1f}{_pct(engine_unit, 0.95) * ms:>10.1f}"
    )
    print(
        f"{'chỉ engine + lọc CSDL (đếm + 20)':34}{_pct(engine_only, 0.5) * ms:>10.1f}{_pct(engine_only, 0.95) * ms:>10.1f}"
    )
    print(f"{'tantivy (đếm + 20 đầu)':34}{_pct(tv, 0.5) * ms:>10.1f}{_pct(tv, 0.95) * ms:>10.1f}")
    tv95 = max(_pct(tv, 0.95), 1e-9)
    print(
        f"p95 / tantivy: CSDL {_pct(backend_only, 0.95) / tv95:.1f}×, search_documents (CSDL) {_pct(ours, 0.95) / tv95:.1f}×, "
        f"engine + lọc {_pct(engine_only, 0.95) / tv95:.1f}×, search_documents (engine) {_pct(with_engine, 0.95) / tv95:.1f}× (mục tiêu ≤ 2×)"
    )
    db, corpus = connection.vendor, f"{args.docs:,} documents, {len(queries)} queries"
    return [
        (f"library.search_p95.{db}", round(_pct(backend_only, 0.95) * ms, 1), "ms", corpus),
        (f"library.search_p50.{db}", round(_pct(backend_only, 0.5) * ms, 1), "ms", corpus),
        (f"library.tantivy_p95.{db}", round(_pct(tv, 0.95) * ms, 1), "ms", "bare tantivy"),
        (f"library.search_ratio.{db}", round(_pct(backend_only, 0.95) / tv95, 1), "×", ""),
        (f"library.selector_p95.{db}", round(_pct(ours, 0.95) * ms, 1), "ms", "whole selector"),
        (
            f"library.engine_p95.{db}",
            round(_pct(engine_only, 0.95) * ms, 1),
            "ms",
            "engine + scope",
        ),
    ]


def _ocr_bench(args: argparse.Namespace) -> list[tuple[str, float | str, str, str]]:
    reason = ocr.unavailable_reason()
    if reason:
        print(f"Bỏ qua đo OCR: {reason}")
        return []
    rng = random.Random(3)
    pages = []
    for i in range(args.ocr_pages):
        doc = PaperDocument(
            "LĐLĐ THÀNH PHỐ HÀ NỘI",
            "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
            f"{i + 1}/KH-LĐLĐ",
            "Phú Xuyên, ngày 05 tháng 6 năm 2025",
            "Kế hoạch",
            rng.choice(POOL_TITLES).format(y=2025, q="II", n=i),
            [
                rng.choice(POOL_SENTENCES).format(n=i, place="Phú Xuyên", q="II", y=2025)
                for _ in range(12)
            ],
            ["Các CĐCS;", "Lưu VP."],
            ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
            "Nguyễn Văn Hùng",
        )
        buffer = io.BytesIO()
        render_page(doc, noise=0.3, seed=i).save(
            buffer, format="PNG", dpi=(settings.LIBRARY_OCR_DPI, settings.LIBRARY_OCR_DPI)
        )
        pages.append(buffer.getvalue())
    unit = Unit.objects.order_by("pk").first()
    if unit is None:
        unit = Unit.objects.create(
            code="BENCH",
            name="Bench",
            level=Level.objects.create(code="bench", name="bench", rank=2),
            path="/",
        )

    def bare_tesseract(path: str) -> None:
        run_child(
            [
                settings.LIBRARY_TESSERACT,
                path,
                path + ".out",
                "-l",
                settings.LIBRARY_OCR_LANG,
                "--psm",
                str(settings.LIBRARY_OCR_PSM),
            ],
            check=True,
            capture_output=True,
            env=ocr.tesseract_env(),
        )

    def library_pipeline(i: int, data: bytes) -> None:
        with transaction.atomic():
            doc_obj = services.document_upload(
                actor=None, unit=unit, name=f"bench-{i}.png", data=data
            )
        pipeline.document_process(document_id=doc_obj.pk)
        while Document.objects.get(pk=doc_obj.pk).status == "ocr":
            pipeline.document_ocr_step(document_id=doc_obj.pk)

    ours = bare = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, data in enumerate(pages):
            path = os.path.join(tmp, f"p{i}.png")
            with open(path, "wb") as fh:
                fh.write(data)
            paths.append(path)
        bare_tesseract(paths[0])  # warm the model files into the page cache for both sides
        for i, (path, data) in enumerate(zip(paths, pages, strict=True)):
            # alternate which side goes first, so that neither gains from the other's warm caches
            order = (
                [("bare", path), ("ours", data)] if i % 2 == 0 else [("ours", data), ("bare", path)]
            )
            for side, item in order:
                t0 = time.perf_counter()
                if side == "bare":
                    bare_tesseract(str(item))
                    bare += time.perf_counter() - t0
                else:
                    library_pipeline(i, item)  # type: ignore[arg-type]
                    ours += time.perf_counter() - t0
    n = len(pages)
    print(
        f"\nOCR {n} trang (1240×~1500 điểm ảnh, nhiễu nhẹ), OMP_THREAD_LIMIT={settings.LIBRARY_OCR_THREADS}, --psm {settings.LIBRARY_OCR_PSM}"
    )
    print(
        f"  thư viện (tải lên → OCR → PDF tìm kiếm được → siêu dữ liệu → liên kết): {60 * n / ours:.1f} trang/phút"
    )
    print(
        f"  tesseract trần (chỉ txt):                                           {60 * n / bare:.1f} trang/phút"
    )
    print(f"  chi phí thêm: {100 * (ours - bare) / bare:+.0f}% (mục tiêu ≤ 20%)")
    return [
        ("library.ocr_pages_per_minute", round(60 * n / ours, 1), "pages/min", f"{n} pages"),
        ("library.tesseract_pages_per_minute", round(60 * n / bare, 1), "pages/min", "bare"),
        ("library.ocr_overhead", round(100 * (ours - bare) / bare), "%", ""),
    ]


# Headers written after the metadata reader was finished, apart from the tests. Their first run
# (83%) drove four general fixes (see docs/library.md), so they are no longer strictly unseen.
HELD_APART = [
    (
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "CÔNG ĐOÀN NGÀNH GIÁO DỤC HÀ NỘI",
        "18/KH-CĐN",
        "Hà Nội, ngày 22 tháng 8 năm 2025",
        "Kế hoạch",
        "Tổ chức các hoạt động chào mừng năm học mới 2025 - 2026",
        ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        "Đinh Thị Phương",
    ),
    (
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "CÔNG ĐOÀN CÔNG TY TNHH NHỰA TOKAI VIỆT NAM",
        "05/BC-CĐ",
        "Phú Xuyên, ngày 08 tháng 01 năm 2026",
        "Báo cáo",
        "Tình hình tiền lương, tiền thưởng Tết Nguyên đán Bính Ngọ năm 2026",
        ["TM. BAN CHẤP HÀNH", "PHÓ CHỦ TỊCH"],
        "Kiều Văn Toàn",
    ),
    (
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN THƯỜNG TÍN",
        "64/TB-LĐLĐ",
        "Thường Tín, ngày 16 tháng 9 năm 2025",
        "Thông báo",
        "Kết quả Hội thi an toàn, vệ sinh viên giỏi năm 2025",
        ["TL. BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"],
        "Tạ Minh Khôi",
    ),
    (
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "BAN TUYÊN GIÁO",
        "211/HD-TG",
        "Hà Nội, ngày 03 tháng 3 năm 2026",
        "Hướng dẫn",
        "Tuyên truyền kỷ niệm 140 năm Ngày Quốc tế Lao động",
        ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"],
        "Lương Thị Ngọc Ánh",
    ),
    (
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "CĐCS TRƯỜNG MẦM NON PHƯỢNG DỰC",
        "03/QĐ-CĐCS",
        "Phượng Dực, ngày 12 tháng 12 năm 2025",
        "Quyết định",
        "Về việc thành lập Ban Thanh tra nhân dân nhiệm kỳ 2025 - 2027",
        ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"],
        "Nghiêm Thị Thu",
    ),
    (
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
        "150/TTr-LĐLĐ",
        "Phú Xuyên, ngày 25 tháng 11 năm 2025",
        "Tờ trình",
        "Đề nghị phê duyệt kinh phí hỗ trợ xây dựng Mái ấm Công đoàn",
        ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        "Nguyễn Văn Hùng",
    ),
    (
        "LĐLĐ HUYỆN PHÚ XUYÊN",
        "CÔNG ĐOÀN BỆNH VIỆN ĐA KHOA HUYỆN",
        "11/NQ-CĐ",
        "Phú Xuyên, ngày 30 tháng 10 năm 2025",
        "Nghị quyết",
        "Hội nghị Ban Chấp hành mở rộng quý IV năm 2025",
        ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"],
        "Hồ Quang Vinh",
    ),
    (
        "LĐLĐ THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN PHÚ XUYÊN",
        "09/CTr-LĐLĐ",
        "Phú Xuyên, ngày 14 tháng 01 năm 2026",
        "Chương trình",
        "Công tác tuyên truyền, giáo dục năm 2026",
        ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"],
        "Phạm Thị Thu Hà",
    ),
]


def _metadata_eval(noise: float = 0.6) -> None:
    """Per field: how often the value read from an OCR'd, noisy scan equals what was written."""
    reason = ocr.unavailable_reason()
    if reason:
        print(f"Bỏ qua đánh giá siêu dữ liệu: {reason}")
        return
    fields = [
        "issuer_parent",
        "issuer",
        "number",
        "doc_type",
        "issued_on",
        "place",
        "title",
        "signer_capacity",
        "signer",
    ]
    right = dict.fromkeys(fields, 0)
    types = {
        "Kế hoạch": "ke_hoach",
        "Báo cáo": "bao_cao",
        "Thông báo": "thong_bao",
        "Hướng dẫn": "huong_dan",
        "Quyết định": "quyet_dinh",
        "Tờ trình": "to_trinh",
        "Nghị quyết": "nghi_quyet",
        "Chương trình": "chuong_trinh",
    }
    for i, (parent, issuer, number, place_date, kind, title, capacity, signer) in enumerate(
        HELD_APART
    ):
        fill = {"n": 12 + i, "place": PLACES[i], "q": "II", "y": 2025}
        doc = PaperDocument(
            parent,
            issuer,
            number,
            place_date,
            kind,
            title,
            [POOL_SENTENCES[i].format(**fill), POOL_SENTENCES[i + 3].format(**fill)],
            ["Như trên;", "Lưu VP."],
            capacity,
            signer,
        )
        found = extract_metadata(ocr.ocr_image(render_page(doc, noise=noise, seed=i)).text).values
        place, _, rest = place_date.partition(", ngày ")
        d, _, rest = rest.partition(" tháng ")
        m, _, y = rest.partition(" năm ")
        expected = {
            "issuer_parent": parent,
            "issuer": issuer,
            "number": number_key(number),
            "doc_type": types[kind],
            "issued_on": date(int(y), int(m), int(d)),
            "place": place,
            "title": title,
            "signer_capacity": ", ".join(capacity),
            "signer": signer,
        }
        got = {**found, "number": number_key(found.get("number", ""))}
        for f in fields:
            right[f] += got.get(f) == expected[f]
    n = len(HELD_APART)
    print(
        f"\nSiêu dữ liệu đọc từ {n} bản quét (nhiễu {noise}) của các tiêu đề viết riêng, ngoài bộ kiểm thử:"
    )
    for f in fields:
        print(f"  {f:16} {right[f]}/{n}")
    print(
        f"  tổng             {sum(right.values())}/{n * len(fields)} ({100 * sum(right.values()) / (n * len(fields)):.0f}%)"
    )


def run(argv: list[str]) -> None:
    args = _parse(argv)
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="congdoan-bench-media-")
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"Cơ sở dữ liệu tạm: {test_name}")
    measured: list[tuple[str, float | str, str, str]] = []
    try:
        if not args.skip_search:
            measured += _search_bench(args)
        if not args.skip_ocr:
            measured += _ocr_bench(args)
        if args.metadata:
            _metadata_eval()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    if measured:
        figures.record_many(measured, command=figures.bench_command("library", argv))
