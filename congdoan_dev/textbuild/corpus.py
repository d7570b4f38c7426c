"""Read the training corpus into arrays of syllable ids (build time only).

Steps:
1. the syllable vocabulary is the corpus syllable list (``wordlists/syllable_freq_from_corpus.tsv``)
   with tone marks moved to the new-style place; ids 0–4 are reserved for a sentence
   boundary, a non-Vietnamese word, a number, a comma (, ; :) and another symbol; it is
   extended with the frequent corpus words outside the list whose folded letters have a
   frequent form with marks (abbreviations and names: hđqt, đh, cđ, đắk, kông), together
   with the other frequent forms of the same letters, so that these can be restored too;
2. every corpus line is cut into sentences; a sentence whose folded letters equal a
   sentence of the test sets (vi_accent_test, vi_spelling_test) is dropped, so the test
   text is never learnt even where the sources overlap;
3. one line in 200 (by a stable hash) is held out as the development set;
4. every sentence that contains numbers, commas, brackets or quotes is *also* added in the
   form of the restoration input we know (``input_like``: lower case, numbers and codes
   deleted, commas, brackets and quotes dropped: "vào tháng 5, để có" → "vào tháng để
   có"), so the model has seen the contexts that such input leaves; the held-out lines
   are kept as text in that form too, to tune and measure on;
5. each file becomes an int16 array of ids; files are read in parallel processes.
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

# Numbers and codes as one token, as the restorer reads them (12/KH-LĐLĐ, 1.000, QH14).
_CODE = r"[\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*(?:[/.\-_:,][\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*)*"
_TOKEN_RE = regex.compile(rf"{_CODE}|\p{{L}}+|[^\s\p{{L}}\p{{N}}]|\n")
_CODE_RE = regex.compile(_CODE)
_WORD_RE = regex.compile(r"(?<![\p{L}\p{N}])\p{L}+(?![\p{L}\p{N}])")
_DROPPED_RE = regex.compile(r"[,()\[\]{}\"“”«»]")
_SPACES_RE = regex.compile(r"[ \t]+")
SENTENCE_RE = regex.compile(r"(?<=[.!?…])\s+")
_LETTERS_ONLY_RE = regex.compile(r"[^a-z]+")

CORPUS_FILES = (
    "legal_vlc/legal_01.txt",
    "baomoi_news/news_01.txt",
    "baomoi_news/news_02.txt",
    "viwiki/viwiki_01.txt",
    "viwiki/viwiki_02.txt",
)


def held_out(line: str) -> bool:
    """The corpus line belongs to the development set (one in DEV_MODULO, by a stable hash)."""
    return zlib.crc32(line.encode("utf-8")) % DEV_MODULO == 0


def held_out_lines(path: Path) -> Iterator[str]:
    """The development lines of one corpus file, stripped (see :func:`held_out`)."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and held_out(line):
                yield line


def input_like(sentence: str) -> str:
    """The sentence as restoration input often comes: lower case, no numbers or codes,
    no commas, brackets or quotes (still accented)."""
    text = _DROPPED_RE.sub(" ", _CODE_RE.sub(" ", sentence.lower()))
    return _SPACES_RE.sub(" ", text).strip()


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


def _count_unknown(path: str) -> dict[str, int]:
    """Counts of the lower-case letter words of one file that are not in the vocabulary."""
    index: dict[str, int] = _worker_state["index"]  # type: ignore[assignment]
    counts: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            for tok in _WORD_RE.findall(line.lower()):
                if tok not in index:
                    counts[tok] = counts.get(tok, 0) + 1
    return counts


def extend_vocabulary(
    datasets: Path,
    vocab: Vocabulary,
    *,
    min_count: int = 40,
    limit: int = 8192 - N_SPECIAL,
    processes: int = 2,
    files: tuple[str, ...] = CORPUS_FILES,
) -> Vocabulary:
    """``vocab`` plus frequent words with marks (and their plain twins), most frequent first."""
    paths = [str(datasets / "corpus" / f) for f in files]
    totals: dict[str, int] = {}
    with Pool(processes, initializer=_init_worker, initargs=(vocab.index, set())) as pool:
        for counts in pool.imap(_count_unknown, paths):
            for tok, n in counts.items():
                key = unicodedata.normalize("NFC", tok)
                if normalize_tone(key) not in vocab.index:  # old-style "hoà" is known
                    totals[key] = totals.get(key, 0) + n
    frequent = {w: n for w, n in totals.items() if n >= min_count}
    marked_keys = {fold(w) for w in frequent if fold(w) != w}
    extra = sorted(
        (w for w in frequent if fold(w) in marked_keys), key=lambda w: (-frequent[w], w)
    )[: max(limit - len(vocab.syllables), 0)]
    syllables = vocab.syllables + extra
    return Vocabulary(syllables, {s: i + N_SPECIAL for i, s in enumerate(syllables)})


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
                for sent in SENTENCE_RE.split(line):
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
    if any(ch.isdigit() for ch in tok):
        value = NUMBER if tok[0].isdigit() else FOREIGN
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


def encode_file(path: str) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """(train ids, dev ids, dev sentences in input form, excluded sentences) for one file."""
    index: dict[str, int] = _worker_state["index"]  # type: ignore[assignment]
    excluded: set[str] = _worker_state["excluded"]  # type: ignore[assignment]
    cache: dict[str, int] = {}
    train: list[int] = []
    dev: list[int] = []
    dev_text: list[str] = []
    dropped = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            is_dev = held_out(line)
            target = dev if is_dev else train
            kept = []
            for sent in SENTENCE_RE.split(line):
                if excluded and sentence_key(sent) in excluded:
                    dropped += 1
                else:
                    kept.append(sent)
            target.append(BOUNDARY)
            target.extend(_token_id(t, index, cache) for t in _TOKEN_RE.findall(" \n ".join(kept)))
            for sent in kept:
                variant = input_like(sent)
                if is_dev:
                    if len(variant) >= 10:
                        dev_text.append(variant)
                elif variant != sent.lower():
                    train.append(BOUNDARY)
                    train.extend(_token_id(t, index, cache) for t in _TOKEN_RE.findall(variant))
    return (
        np.asarray(train, dtype=np.int16),
        np.asarray(dev, dtype=np.int16),
        dev_text,
        dropped,
    )


def encode_corpus(
    datasets: Path, vocab: Vocabulary, *, processes: int = 2, files: tuple[str, ...] = CORPUS_FILES
) -> Iterator[tuple[str, np.ndarray, np.ndarray, list[str], int]]:
    excluded = test_sentence_keys(datasets)
    paths = [str(datasets / "corpus" / f) for f in files]
    with Pool(processes, initializer=_init_worker, initargs=(vocab.index, excluded)) as pool:
        for name, (train, dev, dev_text, dropped) in zip(
            files, pool.imap(encode_file, paths), strict=True
        ):
            yield name, train, dev, dev_text, dropped
