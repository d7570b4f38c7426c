"""Read the training corpus into arrays of syllable ids (build time only).

Steps:
1. the syllable vocabulary is the corpus syllable list (``wordlists/syllable_freq_from_corpus.tsv``)
   with tone marks moved to the new-style place; ids 0–4 are reserved for a sentence
   boundary, a non-Vietnamese word, a number, a comma (, ; :) and another symbol;
2. every corpus line is cut into sentences; a sentence whose folded letters equal a
   sentence of the test sets (vi_accent_test, vi_spelling_test) is dropped, so the test
   text is never learnt even where the sources overlap;
3. one line in 200 (by a stable hash) is held out as the development set;
4. each file becomes an int16 array of ids; files are read in parallel processes.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import regex

from congdoan.text.vietnamese import fold, normalize_tone

BOUNDARY, FOREIGN, NUMBER, COMMA, SYMBOL = 0, 1, 2, 3, 4
N_SPECIAL = 5
COMMA_CHARS = frozenset(",;:")
SENTENCE_END_CHARS = frozenset(".!?…\n")
DEV_MODULO = 200

_TOKEN_RE = regex.compile(r"\p{L}+|\p{N}+|[^\s\p{L}\p{N}]|\n")
_SENT_RE = regex.compile(r"(?<=[.!?…])\s+")
_LETTERS_ONLY_RE = regex.compile(r"[^a-z]+")

CORPUS_FILES = (
    "legal_vlc/legal_01.txt",
    "baomoi_news/news_01.txt",
    "baomoi_news/news_02.txt",
    "viwiki/viwiki_01.txt",
    "viwiki/viwiki_02.txt",
)


def sentence_key(sentence: str) -> str:
    """Letters of the folded sentence, for matching test sentences in the corpus."""
    return _LETTERS_ONLY_RE.sub("", fold(sentence))


@dataclass
class Vocabulary:
    syllables: list[str]  # id - N_SPECIAL → syllable
    index: dict[str, int]

    @classmethod
    def from_wordlist(cls, path: Path) -> Vocabulary:
        seen: dict[str, int] = {}
        with path.open(encoding="utf-8") as fh:
            next(fh)
            for line in fh:
                syl = normalize_tone(unicodedata.normalize("NFC", line.split("\t", 1)[0].lower()))
                if syl and syl not in seen:
                    seen[syl] = len(seen)
        syllables = list(seen)
        return cls(syllables, {s: i + N_SPECIAL for i, s in enumerate(syllables)})


def test_sentence_keys(datasets: Path) -> set[str]:
    keys: set[str] = set()
    for rel in (
        "vi_accent_test/test.txt",
        "vi_spelling_test/groundtruth_6000.txt",
        "vi_spelling_test/testset_6000.txt",
    ):
        path = datasets / rel
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                for sent in _SENT_RE.split(line):
                    key = sentence_key(sent)
                    if len(key) >= 20:
                        keys.add(key)
    return keys


_worker_state: dict[str, object] = {}


def _init_worker(index: dict[str, int], excluded: set[str]) -> None:
    _worker_state["index"] = index
    _worker_state["excluded"] = excluded


def _token_id(tok: str, index: dict[str, int], cache: dict[str, int]) -> int:
    got = cache.get(tok)
    if got is not None:
        return got
    if tok[0].isdigit():
        value = NUMBER
    elif tok[0].isalpha():
        low = tok.lower()
        value = index.get(low) or index.get(normalize_tone(low)) or FOREIGN
    elif tok in COMMA_CHARS:
        value = COMMA
    elif tok in SENTENCE_END_CHARS:
        value = BOUNDARY
    else:
        value = SYMBOL
    cache[tok] = value
    return value


def encode_file(path: str) -> tuple[np.ndarray, np.ndarray, int]:
    """(train ids, dev ids, number of excluded sentences) for one corpus file."""
    index: dict[str, int] = _worker_state["index"]  # type: ignore[assignment]
    excluded: set[str] = _worker_state["excluded"]  # type: ignore[assignment]
    cache: dict[str, int] = {}
    train: list[int] = []
    dev: list[int] = []
    dropped = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            target = dev if zlib.crc32(line.encode("utf-8")) % DEV_MODULO == 0 else train
            if excluded:
                kept = []
                for sent in _SENT_RE.split(line):
                    if sentence_key(sent) in excluded:
                        dropped += 1
                    else:
                        kept.append(sent)
                line = " \n ".join(kept)
            target.append(BOUNDARY)
            target.extend(_token_id(t, index, cache) for t in _TOKEN_RE.findall(line))
    return np.asarray(train, dtype=np.int16), np.asarray(dev, dtype=np.int16), dropped


def encode_corpus(
    datasets: Path, vocab: Vocabulary, *, processes: int = 2, files: tuple[str, ...] = CORPUS_FILES
) -> Iterator[tuple[str, np.ndarray, np.ndarray, int]]:
    excluded = test_sentence_keys(datasets)
    paths = [str(datasets / "corpus" / f) for f in files]
    with Pool(processes, initializer=_init_worker, initargs=(vocab.index, excluded)) as pool:
        for name, (train, dev, dropped) in zip(files, pool.imap(encode_file, paths), strict=True):
            yield name, train, dev, dropped
