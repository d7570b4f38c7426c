"""Garbled OCR data: held-out corpus lines rendered as scanned pages and read by an OCR
engine without Vietnamese (``tesseract -l eng``), then paired with the truth (build time).

``python -m congdoan_dev.textbuild.garbled_data OUT_DIR [--pages N] [--skip LINES]`` writes
``OUT_DIR/{train,dev,test}.tsv`` (OCR line, true line; one pair a line); ``--skip`` and
``--files`` (corpus files, comma-separated) start a second worker, into another folder (its
files concatenated after), past the first one's lines or on other files.

Steps:
1. lines: the language model's held-out corpus lines (one in 200 by a stable hash, never
   trained on: :func:`congdoan_dev.textbuild.corpus.held_out`), cut into sentences and then
   into printed lines of 6–16 words; a second stable hash puts each corpus line in *train*
   (confusions are learnt there, 60 %), *dev* (choices are made there, 20 %) or *test*
   (reported, 20 %), so no sentence is in two splits;
2. pages: 24 lines a page, one font (DejaVu Sans/Serif, Liberation Sans/Serif/Mono, Be Vietnam
   Pro; regular, bold, italic), size and resolution drawn per page, then scan-like noise: a
   slight rotation, blur, down- and up-scaling, speckles, JPEG compression;
3. OCR: ``tesseract -l eng --psm 6`` (one thread), a page at a time; a page whose line count
   differs from what was printed is kept only when its lines can be matched one to one
   (page dropped otherwise).
"""

from __future__ import annotations

import io
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from congdoan.text.datasets import datasets_dir
from congdoan_dev.textbuild.corpus import SENTENCE_RE, held_out_lines

FILES = (
    "baomoi_news/news_02.txt",
    "legal_vlc/legal_01.txt",
    "viwiki/viwiki_02.txt",
    "baomoi_news/news_01.txt",
)
LINES_PER_PAGE = 24
_DEJAVU = "/usr/share/fonts/truetype/dejavu/"
_LIBERATION = "/usr/share/fonts/truetype/liberation2/"


def _fonts() -> list[str]:
    import fontpkg_be_vietnam_pro

    be = Path(fontpkg_be_vietnam_pro.__file__).parent / "files"
    names = [
        _DEJAVU + "DejaVuSans.ttf",
        _DEJAVU + "DejaVuSerif.ttf",
        _DEJAVU + "DejaVuSans-Bold.ttf",
        _DEJAVU + "DejaVuSansCondensed.ttf",
        _DEJAVU + "DejaVuSerif-Bold.ttf",
        _LIBERATION + "LiberationSans-Regular.ttf",
        _LIBERATION + "LiberationSerif-Regular.ttf",
        _LIBERATION + "LiberationSerif-Regular.ttf",
        _LIBERATION + "LiberationSans-Bold.ttf",
        _LIBERATION + "LiberationSerif-Italic.ttf",
        _LIBERATION + "LiberationMono-Regular.ttf",
        str(be / "BeVietnamPro-Regular.ttf"),
        str(be / "BeVietnamPro-Medium.ttf"),
        str(be / "BeVietnamPro-Light.ttf"),
    ]
    return [n for n in names if os.path.exists(n)]


def split_of(line: str) -> str:
    """train / dev / test of a held-out corpus line (a second stable hash)."""
    k = (zlib.crc32(line.encode("utf-8")) // 200) % 10
    return "train" if k < 6 else "dev" if k < 8 else "test"


def printed_lines(rng: random.Random, files: tuple[str, ...] = FILES) -> Iterator[tuple[str, str]]:
    """(split, printed line) from the held-out corpus lines, file after file, in turn."""
    sources = [held_out_lines(datasets_dir() / "corpus" / name) for name in files]
    while sources:
        for it in list(sources):
            line = next(it, None)
            if line is None:
                sources.remove(it)
                continue
            split = split_of(line)
            for sentence in SENTENCE_RE.split(line):
                words = sentence.split()
                while words:
                    n = rng.randint(6, 16)
                    chunk, words = words[:n], words[n:]
                    if len(chunk) >= 3 and len(" ".join(chunk)) <= 110:
                        yield split, " ".join(chunk)


def render(lines: list[str], rng: random.Random, fonts: list[str]) -> Image.Image:
    """One scanned-looking page of ``lines``."""
    dpi = rng.choice([150, 200, 200, 300, 300])
    points = rng.choice([10, 11, 12, 12, 13, 14])
    size = max(12, round(points * dpi / 72))
    font = ImageFont.truetype(rng.choice(fonts), size)
    pad = size
    height = int(size * 1.9)
    width = max(int(font.getlength(line)) for line in lines) + 2 * pad
    page = Image.new("L", (width, height * len(lines) + 2 * pad), 255)
    draw = ImageDraw.Draw(page)
    ink = rng.randint(0, 60)
    for i, line in enumerate(lines):
        draw.text((pad, pad + i * height), line, font=font, fill=ink)
    angle = rng.uniform(-0.6, 0.6)
    if abs(angle) > 0.1:
        page = page.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255, expand=True)
    blur = rng.choice([0, 0, 0.4, 0.7, 1.0])
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur * dpi / 200))
    if rng.random() < 0.4:  # a coarser scan, enlarged again
        factor = rng.uniform(0.55, 0.8)
        small = page.resize((int(page.width * factor), int(page.height * factor)))
        page = small.resize(page.size, Image.Resampling.BILINEAR)
    if rng.random() < 0.4:  # speckles
        draw = ImageDraw.Draw(page)
        for _ in range(rng.randint(20, 200)):
            x, y = rng.randrange(page.width), rng.randrange(page.height)
            draw.point((x, y), fill=rng.randint(0, 120))
    quality = rng.choice([25, 40, 60, 85])
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    out = Image.open(buf)
    out.info["dpi"] = (dpi, dpi)
    return out


def ocr(page: Image.Image, lang: str = "eng") -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".png") as fh:
        page.save(fh.name, dpi=page.info.get("dpi", (300, 300)))
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        done = subprocess.run(
            ["tesseract", fh.name, "stdout", "-l", lang, "--psm", "6"],
            capture_output=True,
            env=env,
            check=False,
        )
    text = done.stdout.decode("utf-8", errors="replace")
    return [line.strip() for line in text.split("\n") if line.strip()]


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    pages = int(argv[argv.index("--pages") + 1]) if "--pages" in argv else 400
    # A second worker: another seed, and printed lines past those the first one reads.
    skip = int(argv[argv.index("--skip") + 1]) if "--skip" in argv else 0
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(19 + skip)
    fonts = _fonts()
    corpus_files = tuple(argv[argv.index("--files") + 1].split(",")) if "--files" in argv else FILES
    source = printed_lines(rng, corpus_files)
    for _ in range(skip):
        next(source)
    files = {s: (out / f"{s}.tsv").open("a", encoding="utf-8") for s in ("train", "dev", "test")}
    cpu = 0.0
    kept = dropped = 0
    start = time.time()
    for n in range(pages):
        batch = list(itertools.islice(source, LINES_PER_PAGE))
        if len(batch) < LINES_PER_PAGE:
            break  # the held-out lines are all read
        page = render([line for _, line in batch], rng, fonts)
        t0 = time.process_time()
        r0 = os.times()
        got = ocr(page)
        r1 = os.times()
        cpu += r1.children_user + r1.children_system - r0.children_user - r0.children_system
        cpu += time.process_time() - t0
        if len(got) != len(batch):
            dropped += 1
            continue
        kept += 1
        for (split, truth), seen in zip(batch, got, strict=True):
            files[split].write(f"{seen}\t{truth}\n")
        if n % 10 == 0:
            for fh in files.values():
                fh.flush()
            print(
                f"page {n}: kept {kept}, dropped {dropped}, OCR CPU {cpu:.0f} s, "
                f"wall {time.time() - start:.0f} s",
                flush=True,
            )
    for fh in files.values():
        fh.close()
    print(f"done: {kept} pages kept, {dropped} dropped, OCR CPU {cpu:.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
