"""`congdoan bench monitoring`: items ingested, scored and grouped, at the issue's scale.

Usage: congdoan bench monitoring -- [--items 100000] [--ingest 5000] [--batch 500]
                                      [--db sqlite|postgres] [--database-url URL]
                                      [--seed 18] [--record]

Steps:
1. a fresh database of its own (SQLite under var/bench/, or PostgreSQL
   `congdoan_bench_monitoring` made afresh with `--db postgres`); the rest runs in a child
   process pointed at it, migrated, with one thread per numeric library (one core);
2. a district with two unions, 40 sources (press feeds, Facebook pages, exported files);
3. ingestion and scoring: `--ingest` synthetic items through `services.ingest.ingest`
   (process=False), `--batch` at a time as a fetch gives them, each batch then read back and
   scored by detection (`detection.score_items`), then grouped (`grouping.assign`); timed apart
   after a warm-up batch (the models loaded); target ≥ 500 items/s ingested and scored;
4. grouping at scale: `--items` synthetic items (many stories, each with copies and
   near-copies: shared with a prefix or a comment, unaccented, teen-code, truncated, headline
   reworded; and lone posts) written in bulk, pre-scored, then `grouping.group_all` over all
   of them: target ≤ 60 s for 100,000; how well the narratives match the stories they were
   made from (items in their story's narrative; narratives holding one story);
5. peak memory: the process's maximum resident set (getrusage);
6. the national scale on paper: workers (one core each) for 1,000,000 items a day at the
   measured rate of the whole pipeline, with a peak hour at 10× the day's average.

It prints figures and, with `--record`, writes them in docs/figures.json; never fails on a
timing.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from congdoan.core.processes import run_child
from congdoan.monitoring import detection, grouping
from congdoan.monitoring.models import (
    Item,
    ItemKind,
    Source,
    SourceKind,
    Stance,
    Toxicity,
)
from congdoan.monitoring.services.ingest import ingest
from congdoan.monitoring.types import RawItem
from congdoan.orgs.models import Unit
from congdoan.text import datasets
from congdoan_dev import figures
from congdoan_dev.bench.db import fresh_database_url
from congdoan_dev.bench.measure import loadavg
from congdoan_dev.bench.reports import build_tree

PG_DB = "congdoan_bench_monitoring"
CHILD_FLAG = "CONGDOAN_BENCH_MONITORING_CHILD"
ITEMS_A_DAY = 1_000_000
PEAK_FACTOR = 10  # the busiest hour at 10× the day's average rate
ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench monitoring")
    add = parser.add_argument
    add("--items", type=int, default=100_000, help="items grouped at once (group_all)")
    add("--ingest", type=int, default=5000, help="items ingested, scored and grouped")
    add("--batch", type=int, default=500, help="items per ingestion call (one fetch)")
    add("--db", choices=["sqlite", "postgres"], default="sqlite")
    add("--database-url", default="", help="the PostgreSQL server of --db postgres")
    add("--seed", type=int, default=18)
    add("--record", action="store_true", help="record the figures in docs/figures.json")
    args = parser.parse_args(argv)
    if min(args.items, args.ingest, args.batch) < 1:
        parser.error("--items, --ingest and --batch must be ≥ 1")
    return args


def run(argv: list[str]) -> None:
    args = parse(argv)
    if os.environ.get(CHILD_FLAG) == "1":
        _child(args, argv)
        return
    bench_dir = Path(settings.VAR_DIR) / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    url = fresh_database_url(
        args.db,
        name=PG_DB,
        sqlite_path=bench_dir / "monitoring.sqlite3",
        server_url=args.database_url,
    )
    env = {**os.environ, "DATABASE_URL": url, CHILD_FLAG: "1", "PYTHONUNBUFFERED": "1"}
    env.update(dict.fromkeys(ONE_THREAD, "1"))
    env["TASKS_BACKEND"] = "immediate"
    env["LOG_LEVEL"] = "WARNING"
    cmd = [sys.executable, "-m", "congdoan.config.cli", "bench", "monitoring", "--", *argv]
    raise SystemExit(run_child(cmd, env=env, check=False).returncode)


def _child(args: argparse.Namespace, argv: list[str]) -> None:
    db = connection.settings_dict
    label = f"PostgreSQL {db['NAME']}" if connection.vendor == "postgresql" else "SQLite"
    print(f"database: {label} (fresh); CPUs: {os.cpu_count()}; load average: {loadavg()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    result = measure(args)
    if args.record:
        _record(result, args, argv)


# --- synthetic stories ---------------------------------------------------------------------

SECTORS = [
    "May mặc", "Giày da", "Điện tử", "Cơ khí", "Nhựa", "Bao bì", "Dệt kim", "Gỗ", "Thực phẩm",
    "Linh kiện", "Xây dựng", "Túi xách", "Sắt thép", "Dược phẩm", "Vận tải", "Gốm sứ",
]  # fmt: skip
NAMES = [
    "Hòa Bình", "Minh Khang", "Tân Tiến", "Phúc Lâm", "Sao Việt", "An Phú", "Thiên Ân",
    "Việt Hưng", "Đại Thành", "Kim Sơn", "Hải Nam", "Nam Việt", "Hưng Thịnh", "Thành Công",
    "Minh Phát", "Phú Thành", "Hoàng Gia", "Đức Giang", "Sông Hồng", "Việt Đức", "Trường An",
    "Bình Minh", "Quang Trung", "Hồng Hà", "Thăng Long", "Đông Á", "Tiến Đạt", "Hợp Nhất",
    "Kim Long", "Phương Nam", "Ánh Dương", "Lạc Hồng", "Hà Thành", "Vĩnh Phát", "Gia Bảo",
]  # fmt: skip
PLACES = [
    "Phú Xuyên", "Thường Tín", "Phú Túc", "Nam Triều", "Hồng Minh", "Văn Hoàng", "Tri Trung",
    "Đại Xuyên", "Châu Can", "Phúc Tiến", "Quang Lãng", "Khai Thái", "Sơn Hà", "Minh Tân",
]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
GIVEN = ["Lan", "Hùng", "Mai", "Tuấn", "Hoa", "Dũng", "Hương", "Nam", "Thảo", "Bình", "Linh"]

# A story: 4 to 6 sentences, each "time, subject predicate tail." with the predicates of its
# topic; slots: {co} company, {n} {m} numbers, {d} a day, {p} a place, {who} a person,
# {money} an amount. Stories on one topic share words, rarely whole sentences (as two
# newspapers' stories of two different events).
TIMES = [
    "Sáng {d}", "Chiều {d}", "Tối {d}", "Trong tuần qua", "Từ đầu tháng {m}", "Mấy ngày nay",
    "Theo phản ánh ngày {d}", "Gần đây", "Đến ngày {d}", "Trong buổi làm việc hôm {d}",
]  # fmt: skip
SUBJECTS = [
    "hơn {n} công nhân {co}", "chị {who}, công nhân {co},", "công đoàn cơ sở {co}",
    "LĐLĐ huyện {p}", "ban giám đốc {co}", "nhiều người lao động ở {p}",
    "anh {who}, tổ trưởng tại {co},", "đại diện người lao động {co}", "một nhóm công nhân ca đêm",
]  # fmt: skip
TAILS = [
    "", " sau nhiều lần đề nghị", " trong khi vẫn phải tăng ca", ", theo thông tin ban đầu",
    " nhưng chưa có kết quả", " khiến nhiều người lo lắng", " ngay trong ngày {d}",
    " với sự chứng kiến của cán bộ công đoàn",
]  # fmt: skip
TOPICS: list[tuple[list[str], list[str]]] = [
    (
        ["Công nhân {co} bị nợ lương {m} tháng", "{co} chậm trả lương cho {n} lao động"],
        [
            "cho biết chưa được trả lương từ tháng {m}",
            "phải vay {money} để trả tiền nhà trọ",
            "đã gửi văn bản đề nghị trả lương trước ngày {d}",
            "giải thích đơn hàng giảm khiến dòng tiền khó khăn",
            "yêu cầu doanh nghiệp trả dứt điểm tiền lương còn nợ",
            "chỉ được ứng {money} cho cả tháng",
            "lập danh sách {n} người bị nợ lương gửi lên huyện",
        ],
    ),
    (
        ["{co} cắt thưởng Tết, công nhân bức xúc", "Thưởng Tết ở {co} chỉ {money}"],
        [
            "thông báo năm nay chỉ thưởng Tết {money}",
            "cho rằng việc cắt thưởng là không thỏa đáng",
            "đề nghị tổ chức đối thoại về tiền thưởng",
            "so sánh với năm ngoái được thưởng gấp đôi",
            "ký đơn tập thể gửi ban giám đốc",
            "hứa sẽ xem xét thưởng bổ sung vào tháng {m}",
        ],
    ),
    (
        ["{n} công nhân {co} nhập viện nghi ngộ độc", "Ngộ độc thực phẩm ở {co}"],
        [
            "bị đau bụng, buồn nôn sau bữa cơm ca",
            "được đưa đến bệnh viện đa khoa {p}",
            "lấy mẫu thức ăn để xét nghiệm",
            "đến thăm hỏi, hỗ trợ mỗi người {money}",
            "phản ánh suất ăn ca chỉ có giá {m} nghìn đồng",
            "đề nghị thay nhà cung cấp suất ăn",
        ],
    ),
    (
        ["Công nhân {co} ngừng việc tập thể", "{n} lao động {co} ngừng việc"],
        [
            "ngừng việc tại cổng nhà máy",
            "phản đối việc tăng định mức thêm {m}% mà không tăng đơn giá",
            "có mặt để đề nghị hai bên đối thoại",
            "trở lại làm việc sau khi định mức mới được tạm dừng",
            "cho biết đây là lần thứ {m} trong năm định mức bị thay đổi",
            "cam kết giữ nguyên đơn giá đến tháng {m}",
        ],
    ),
    (
        ["Tin giả về {co} lan truyền trên mạng", "Bác bỏ tin đồn {co} đóng cửa"],
        [
            "lan truyền tin công ty sắp đóng cửa trên các nhóm Zalo",
            "xin nghỉ việc vì hoang mang trước tin đồn",
            "khẳng định đây là tin đồn thất thiệt",
            "cho biết vẫn có đơn hàng đến tháng {m} năm sau",
            "đang xác minh người tung tin trên mạng",
            "đề nghị công nhân không chia sẻ bài viết sai sự thật",
        ],
    ),
    (
        ["Công nhân {co} bị tai nạn lao động", "Tai nạn tại xưởng {co}"],
        [
            "bị thương khi vận hành máy dập",
            "được đưa đi cấp cứu tại bệnh viện {p}",
            "phát hiện máy thiếu thiết bị che chắn",
            "đề nghị tạm dừng máy và huấn luyện lại {n} công nhân",
            "hỗ trợ gia đình {money} và làm hồ sơ tai nạn lao động",
            "kiểm tra lại toàn bộ dây chuyền",
        ],
    ),
    (
        ["{co} nợ bảo hiểm xã hội {money}", "Lao động {co} mất quyền lợi bảo hiểm"],
        [
            "nợ bảo hiểm xã hội hơn {m} tháng",
            "chưa nhận được tiền thai sản dù đã nghỉ sinh",
            "đề nghị cơ quan bảo hiểm và thanh tra vào cuộc",
            "ba lần lên phòng nhân sự hỏi nhưng không có câu trả lời",
            "hứa trả số tiền nợ {money} trước ngày {d}",
            "không chốt được sổ bảo hiểm khi nghỉ việc",
        ],
    ),
    (
        ["Công đoàn {p} tổ chức chương trình cho công nhân", "{n} công nhân nhận quà công đoàn"],
        [
            "trao {n} suất quà cho công nhân có hoàn cảnh khó khăn",
            "trao mỗi suất quà trị giá {money}",
            "tổ chức văn nghệ và gian hàng 0 đồng tại nhà văn hóa",
            "xúc động khi được nhận quà lần thứ {m}",
            "bố trí xe đưa công nhân về quê",
            "mời bác sĩ khám sức khỏe miễn phí",
        ],
    ),
]
DETAILS = [
    "Sự việc được chia sẻ rộng rãi trên mạng xã hội.",
    "Nhiều người để lại bình luận bức xúc.",
    "Phóng viên đã liên hệ công ty nhưng chưa nhận được phản hồi.",
    "Người lao động mong sớm có câu trả lời rõ ràng.",
    "Vụ việc đang được cơ quan chức năng xem xét.",
    "Đây không phải lần đầu doanh nghiệp này bị phản ánh.",
    "Một số công nhân cho biết sẽ nghỉ việc nếu không được giải quyết.",
    "Chính quyền xã đã nắm được thông tin.",
]
PREFIXES = ["Chia sẻ: ", "Nóng: ", "Mọi người đọc đi: ", "[TIN NÓNG] ", "Copy từ nhóm: ", ""]
COMMENTS = [
    "Quá đáng thật sự, công đoàn ở đâu?",
    "Mọi người chia sẻ cho nhiều người biết nhé!",
    "Thương anh chị em công nhân quá.",
    "Không biết thật hay giả, mọi người cẩn thận.",
    "Đề nghị cơ quan chức năng vào cuộc ngay!!!",
    "Công ty mình cũng y chang vậy luôn.",
]
LONE = [
    "Hôm nay trời mưa to quá, đường vào khu công nghiệp ngập hết.",
    "Có ai biết quán phở nào ngon gần {p} không ạ?",
    "Cần tuyển gấp {n} lao động phổ thông, lương thỏa thuận, liên hệ {who}.",
    "Bán xe máy cũ giá {money}, ai cần inbox.",
    "Chúc mừng sinh nhật em {who}, tuổi mới nhiều niềm vui!",
    "Cho thuê phòng trọ gần {co}, giá {money} một tháng.",
    "Công ty {co} tổ chức hội thao, đội tổ {m} vô địch kéo co.",
    "Tối nay xem bóng đá ở đâu vui mọi người ơi?",
]
TEEN = {
    "không": "ko",
    "được": "đc",
    "công ty": "cty",
    "người": "ng",
    "công nhân": "cn",
    "công đoàn": "cđ",
    "với": "vs",
    "biết": "bít",
    "quá": "wá",
    "mọi người": "mn",
    "nhiều": "nhìu",
    "tháng": "th",
    "trước": "trc",
}


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def news_articles(limit: int) -> list[tuple[str, str]]:
    """Up to `limit` news articles (title, lead and text) of the shared corpus
    (../shared/datasets/corpus/baomoi_news: read here, never shipped), none when it is absent:
    real stories differ from each other as much as real stories do."""
    folder = datasets.datasets_dir() / "corpus" / "baomoi_news"
    out: list[tuple[str, str]] = []
    for path in sorted(folder.glob("news_*.txt")):
        lines: list[str] = []
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if line:
                    lines.append(line)
                    continue
                if len(lines) >= 2 and len(" ".join(lines[1:])) >= 300:
                    out.append((lines[0][:300], " ".join(lines[1:])[:2000]))
                    if len(out) >= limit:
                        return out
                lines = []
    return out


@dataclass
class Synthetic:
    """One synthetic item and the story it was made from (-1: a lone post)."""

    story: int
    title: str
    text: str
    seen: datetime
    reach: int
    relevant: bool


class Corpus:
    """Stories made from topic templates with their own facts (company, place, numbers, a
    person, details), each copied a long-tailed number of times across sources with the
    changes people make; and lone posts about nothing in particular."""

    def __init__(self, seed: int, news: list[tuple[str, str]] | None = None) -> None:
        self.rng = random.Random(seed)
        self.start = timezone.make_aware(datetime(2026, 10, 1, 7, 0))
        self.news = news or []
        self.used = 0

    def _slots(self) -> dict[str, str]:
        r = self.rng
        return {
            "co": f"Công ty TNHH {r.choice(SECTORS)} {r.choice(NAMES)}",
            "n": str(r.randint(12, 1500)),
            "m": str(r.randint(2, 12)),
            "d": f"{r.randint(1, 28)}/{r.randint(1, 12)}",
            "p": r.choice(PLACES),
            "who": f"{r.choice(FAMILY)} {r.choice(['Văn', 'Thị', 'Đức', 'Ngọc'])} {r.choice(GIVEN)}",
            "money": f"{r.randint(1, 99) * 100} nghìn đồng",
        }

    def story(self) -> tuple[str, str, str]:
        """(title, another title for the same facts, body): the next news article of the
        corpus when there is one (its text cut at 300 to 900 characters; another outlet's
        title: its lead's first clause), else one made from the topics."""
        r = self.rng
        if self.used < len(self.news):
            title, body = self.news[self.used]
            self.used += 1
            body = body[: r.randint(300, 900)].rsplit(" ", 1)[0] + "."
            other = body.split(".")[0].split(",")[0][:120]
            return title, other, body
        titles, predicates = r.choice(TOPICS)
        slots = self._slots()
        sentences = []
        for predicate in r.sample(predicates, k=r.randint(3, 5)):
            sentence = f"{r.choice(TIMES)}, {r.choice(SUBJECTS)} {predicate}{r.choice(TAILS)}."
            sentences.append(sentence.format(**slots))
        body = " ".join(sentences) + " " + r.choice(DETAILS)
        first, second = r.sample(titles, k=2)
        return first.format(**slots), second.format(**slots), body

    def copy(self, title: str, other_title: str, body: str) -> tuple[str, str]:
        r = self.rng
        kind = r.random()
        if kind < 0.3:
            text = (
                r.choice(PREFIXES) + body + (" " + r.choice(COMMENTS) if r.random() < 0.5 else "")
            )
            return title, text
        if kind < 0.45:
            return _strip(title), _strip(body)
        if kind < 0.6:
            text = body.lower()
            for word, short in TEEN.items():
                text = text.replace(word, short)
            return "", (_strip(text) if r.random() < 0.5 else text)
        if kind < 0.75:
            return other_title, body
        if kind < 0.9:
            cut = body[: int(len(body) * r.uniform(0.5, 0.9))].rsplit(" ", 1)[0]
            return title, cut + "… Xem thêm"
        return "", f"{r.choice(COMMENTS)} {title}. {body}"

    def lone(self) -> str:
        return self.rng.choice(LONE).format(**self._slots())

    def items(self, count: int) -> list[Synthetic]:
        """`count` items: 95 % copies of stories (1 + a long-tailed number of copies each),
        5 % lone posts; in the order they were seen."""
        r = self.rng
        out: list[Synthetic] = []
        story_id = 0
        in_stories = int(count * 0.95)
        while len(out) < in_stories:
            title, other_title, body = self.story()
            relevant = r.random() < 0.85
            first = self.start + timedelta(minutes=r.randint(0, 60 * 24 * 60))
            copies = min(int(r.paretovariate(1.2)), 400, in_stories - len(out) - 1)
            out.append(
                Synthetic(story_id, title, body, first, int(r.lognormvariate(6, 2)), relevant)
            )
            for _ in range(copies):
                t, text = self.copy(title, other_title, body)
                seen = first + timedelta(minutes=r.expovariate(1 / 600))
                reach = int(r.lognormvariate(5, 2))
                # The classifier is not perfect: a few copies are scored the other way.
                out.append(
                    Synthetic(story_id, t, text, seen, reach, relevant ^ (r.random() < 0.05))
                )
            story_id += 1
        while len(out) < count:
            seen = self.start + timedelta(minutes=r.randint(0, 60 * 24 * 60))
            out.append(Synthetic(-1, "", self.lone(), seen, r.randint(0, 500), r.random() < 0.1))
        out.sort(key=lambda s: s.seen)
        return out


# --- the run -------------------------------------------------------------------------------


@dataclass
class Result:
    ingested: int
    ingest_s: float
    score_s: float
    assign_s: float
    grouped: int
    group_s: float
    signatures_s: float
    narratives: int
    stories: int
    completeness: float
    purity: float
    peak_mb: float
    pipeline_cpu: float = 0.0
    group_cpu: float = 0.0

    @property
    def ingest_rate(self) -> float:
        """Items ingested and scored per second."""
        return self.ingested / max(self.ingest_s + self.score_s, 1e-9)

    @property
    def pipeline_rate(self) -> float:
        """Items ingested, scored and grouped per second."""
        return self.ingested / max(self.ingest_s + self.score_s + self.assign_s, 1e-9)

    @property
    def workers(self) -> int:
        peak = ITEMS_A_DAY / 86_400 * PEAK_FACTOR
        return max(1, math.ceil(peak / max(self.pipeline_rate, 1e-9)))


def _sources() -> list[Source]:
    if not Unit.objects.filter(code="RB-CS000000").exists():
        build_tree(districts=1, grassroots=2, members=0)
    units = list(Unit.objects.filter(code__startswith="RB-CS").order_by("pk"))
    kinds = [SourceKind.RSS, SourceKind.FACEBOOK, SourceKind.FILE, SourceKind.YOUTUBE]
    sources = []
    for n in range(40):
        source, _ = Source.objects.get_or_create(
            unit=units[n % len(units)],
            name=f"Nguồn đo {n + 1}",
            defaults={"kind": kinds[n % len(kinds)], "active": False},
        )
        sources.append(source)
    return sources


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(args: argparse.Namespace) -> Result:
    sources = _sources()
    # ~1 story for 5 items (a long tail of copies); stories from real news where it is here.
    news = news_articles((args.items + args.ingest + 100) // 3)
    corpus = Corpus(args.seed, news)
    print(
        f"stories: {'news articles of the shared corpus' if news else 'made from templates'}"
        f" ({len(news):,} articles read)"
    )

    # Ingestion and scoring, one batch (one fetch) at a time; a warm-up batch first.
    warm = corpus.items(min(100, args.ingest))
    _ingest_batch(sources[0], warm, tag="warm")
    stream = corpus.items(args.ingest)
    ingested = 0
    ingest_s = score_s = assign_s = 0.0
    cpu_before = time.process_time()
    for start in range(0, len(stream), args.batch):
        batch = stream[start : start + args.batch]
        source = sources[(start // args.batch) % len(sources)]
        new, a, b, c = _ingest_batch(source, batch, tag=f"i{start}")
        ingested, ingest_s, score_s, assign_s = (
            ingested + new,
            ingest_s + a,
            score_s + b,
            assign_s + c,
        )
    pipeline_cpu = time.process_time() - cpu_before
    rate = ingested / max(ingest_s + score_s, 1e-9)
    print(
        f"ingested and scored: {ingested:,} new items (of {len(stream):,} offered) in "
        f"{ingest_s + score_s:.1f} s: "
        f"{rate:,.0f} items/s on one core (target ≥ 500/s); ingestion {ingest_s:.1f} s, "
        f"scoring {score_s:.1f} s; the process's CPU for ingestion, scoring and grouping "
        f"{pipeline_cpu:.1f} s ({ingested / max(pipeline_cpu, 1e-9):,.0f} items per CPU second;"
        f" the machine's load average {loadavg()})"
    )
    print(
        f"grouped as they came (grouping.assign, {args.batch} a call): {assign_s:.1f} s; "
        f"the whole pipeline {ingested / max(ingest_s + score_s + assign_s, 1e-9):,.0f} items/s"
    )

    # Grouping at scale: items written in bulk (pre-scored), then group_all.
    synthetic = corpus.items(args.items)
    written = time.perf_counter()
    ids = _write_scored(synthetic, sources)
    print(f"{len(ids):,} items written in bulk in {time.perf_counter() - written:.1f} s")
    read = time.perf_counter()
    fields = ["title", "text", "published_at", "fetched_at", "narrative", "relevant", "source"]
    mine = Item.objects.filter(pk__gte=ids[0], pk__lte=ids[-1])  # written with these ids
    items = list(mine.only(*fields))
    read_s = time.perf_counter() - read
    started, cpu_before = time.perf_counter(), time.process_time()
    grouping.group_all(items)
    group_s, group_cpu = time.perf_counter() - started, time.process_time() - cpu_before
    del items
    narrative_of = dict(mine.values_list("pk", "narrative_id"))
    completeness, purity, stories = _quality(synthetic, ids, narrative_of)
    narratives = len({n for n in narrative_of.values() if n is not None})
    steps = grouping.last_timings
    print(
        f"grouping: {len(ids):,} items into {narratives:,} narratives in {group_s:.1f} s "
        f"(target ≤ 60 s): signatures {steps.get('signatures_s', 0):.1f} s, matching "
        f"{steps.get('matching_s', 0):.1f} s, writing (items, buckets) "
        f"{steps.get('writing_s', 0):.1f} s, figures {steps.get('refresh_s', 0):.1f} s; "
        f"reading the items before {read_s:.1f} s; the process's CPU {group_cpu:.1f} s "
        f"(load average {loadavg()})"
    )
    print(
        f"narratives against the {stories:,} relevant stories they were made from: "
        f"{completeness:.1f} % of the items in their story's narrative, "
        f"{purity:.1f} % of the narratives' items from one story"
    )
    result = Result(
        ingested=ingested,
        ingest_s=ingest_s,
        score_s=score_s,
        assign_s=assign_s,
        grouped=len(ids),
        group_s=group_s,
        signatures_s=grouping.last_timings.get("signatures_s", 0.0),
        narratives=narratives,
        stories=stories,
        completeness=completeness,
        purity=purity,
        peak_mb=_peak_mb(),
        pipeline_cpu=pipeline_cpu,
        group_cpu=group_cpu,
    )
    print(f"peak memory: {result.peak_mb:,.0f} MB (the process's maximum resident set)")
    average = ITEMS_A_DAY / 86_400
    day_group = ITEMS_A_DAY / max(len(ids), 1) * group_s
    print(
        f"national scale: {ITEMS_A_DAY:,} items a day = {average:.1f}/s on average, "
        f"{average * PEAK_FACTOR:.0f}/s in a peak hour at {PEAK_FACTOR}× the average: "
        f"{result.workers} worker(s) of one core at {result.pipeline_rate:,.0f} items/s "
        f"(ingested, scored, grouped); regrouping a whole day in bulk: {day_group / 60:.1f} min"
    )
    return result


def _ingest_batch(
    source: Source, batch: list[Synthetic], *, tag: str
) -> tuple[int, float, float, float]:
    """New items, and the seconds of ingestion, scoring (with reading the items back) and
    grouping of a batch (a copy with the same text in the same source is a duplicate)."""
    raws = [
        RawItem(
            external_id=f"{tag}-{n}",
            url=f"https://bao.example.vn/{tag}/{n}",
            title=s.title,
            text=s.text,
            author="Người đăng",
            published_at=s.seen,
            reach=s.reach,
            kind=ItemKind.POST,
        )
        for n, s in enumerate(batch)
    ]
    started = time.perf_counter()
    result = ingest(source, raws, process=False)
    ingested = time.perf_counter()
    items = list(
        Item.objects.filter(pk__in=result.item_ids).select_related("source").order_by("pk")
    )
    detection.score_items(items)
    scored = time.perf_counter()
    grouping.assign(items)
    return result.new, ingested - started, scored - ingested, time.perf_counter() - scored


def _write_scored(synthetic: list[Synthetic], sources: list[Source]) -> list[int]:
    """The items in bulk with the scores detection would give (relevant as made, a risk, a
    toxicity and a stance); their ids in order."""
    rng = random.Random(7)
    now = timezone.now()
    ids: list[int] = []
    batch: list[Item] = []
    base = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for n, s in enumerate(synthetic):
        toxic = rng.random()
        batch.append(
            Item(
                pk=base + n,
                source_id=sources[(n * 7 + s.story) % len(sources)].pk,
                external_id=f"g{n}",
                content_hash=f"{n:040x}",
                title=s.title[:500],
                text=s.text,
                published_at=s.seen,
                fetched_at=s.seen,
                reach=s.reach,
                relevant=s.relevant,
                relevance=0.8 if s.relevant else 0.1,
                risk=round(rng.random() * (0.9 if s.relevant else 0.2), 3),
                toxicity=Toxicity.HATE
                if toxic < 0.03
                else Toxicity.OFFENSIVE
                if toxic < 0.15
                else Toxicity.CLEAN,
                stance=rng.choice(
                    [Stance.NEGATIVE, Stance.NEUTRAL, Stance.NEUTRAL, Stance.POSITIVE]
                ),
                scored_at=now,
            )
        )
        ids.append(base + n)
        if len(batch) == 5000:
            Item.objects.bulk_create(batch)
            batch = []
    Item.objects.bulk_create(batch)
    return ids


def _quality(
    synthetic: list[Synthetic], ids: list[int], narrative_of: Mapping[int, int | None]
) -> tuple[float, float, int]:
    """(per cent of the items of relevant stories in their story's main narrative, per cent
    of the narratives' items from their main story, relevant stories)."""
    by_story: dict[int, Counter[int | None]] = defaultdict(Counter)
    by_narrative: dict[int, Counter[int]] = defaultdict(Counter)
    relevant_story: set[int] = set()
    for s, pk in zip(synthetic, ids, strict=True):
        narrative = narrative_of.get(pk)
        if s.story >= 0:
            by_story[s.story][narrative] += 1
            if s.relevant:
                relevant_story.add(s.story)
        if narrative is not None:
            by_narrative[narrative][s.story] += 1
    together = total = 0
    for story in relevant_story:
        counts = by_story[story]
        main = max((n for n in counts if n is not None), key=lambda n: counts[n], default=None)
        together += counts[main] if main is not None else 0
        total += sum(counts.values())
    pure = sum(max(c.values()) for c in by_narrative.values())
    held = sum(sum(c.values()) for c in by_narrative.values())
    return 100 * together / max(total, 1), 100 * pure / max(held, 1), len(relevant_story)


def _record(result: Result, args: argparse.Namespace, argv: list[str]) -> None:
    db = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    ingest_note = f"{result.ingested:,} synthetic items, {args.batch} a call, one core, {db}"
    group_note = (
        f"{result.grouped:,} synthetic items into {result.narratives:,} narratives "
        f"({result.completeness:.1f} % with their story, {result.purity:.1f} % pure), {db}"
    )
    rows: list[tuple[str, float | str, str, str]] = [
        ("monitoring.ingest_score_rate", round(result.ingest_rate), "/s", ingest_note),
        ("monitoring.pipeline_rate", round(result.pipeline_rate), "/s", ingest_note + ", grouped"),
        (
            "monitoring.pipeline_rate_cpu",
            round(result.ingested / max(result.pipeline_cpu, 1e-9)),
            "/s",
            ingest_note + ", grouped, per CPU second",
        ),
        ("monitoring.group_s", round(result.group_s, 1), "s", group_note),
        ("monitoring.group_cpu_s", round(result.group_cpu, 1), "s", group_note + ", CPU"),
        ("monitoring.peak_memory_mb", round(result.peak_mb), "MB", "maximum resident set"),
        (
            "monitoring.national_workers",
            result.workers,
            "",
            f"{ITEMS_A_DAY:,} items a day, peak hour at {PEAK_FACTOR}× the average",
        ),
    ]
    figures.record_many(rows, command=figures.bench_command("monitoring", argv))
