"""A development set for noise correction, and the penalty grid chosen on it (build time).

``python -m congdoan_dev.textbuild.noisy_dev`` takes held-out corpus sentences (the language
model's development lines: one corpus line in 200, never trained on), injects the kinds of
error that typed and scanned text has — a letter inserted, deleted, replaced or swapped, a
digit inside a word ("t5ạo"), chat shorthand ("đc"), Telex typed without an input method
("lafm"), a wrong tone mark — one to three per sentence in 85 % of them (seed 5), restores
them, and prints for a grid of penalties the share of noisy sentences fully corrected and
the share of all the original sentences that restoration leaves unchanged. The penalties of
:mod:`congdoan.text.restore` and :mod:`congdoan.text.correct` were chosen on this set, never
on ``vi_spelling_test``.
"""

from __future__ import annotations

import random
import sys
import unicodedata

import regex

from congdoan.text import correct
from congdoan.text.correct import SHORTHAND
from congdoan.text.datasets import datasets_dir
from congdoan.text.restore import Restorer, lattice
from congdoan.text.vietnamese import strip_marks
from congdoan_dev.textbuild.corpus import SENTENCE_RE, held_out_lines

FILES = ("baomoi_news/news_01.txt", "viwiki/viwiki_01.txt", "legal_vlc/legal_01.txt")
PER_FILE = 1200
_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_TELEX_KEYS = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_LETTERS = "abcdeghiklmnopqrstuvxy"
_WORD_RE = regex.compile(r"\p{L}+")


def dev_sentences(per_file: int = PER_FILE) -> list[str]:
    """Held-out corpus sentences of 40–250 characters, shuffled (seed 5)."""
    sentences: list[str] = []
    for name in FILES:
        got = 0
        for line in held_out_lines(datasets_dir() / "corpus" / name):
            for sentence in SENTENCE_RE.split(line):
                if 40 <= len(sentence) <= 250:
                    sentences.append(sentence)
                    got += 1
            if got >= per_file:
                break
    random.Random(5).shuffle(sentences)
    return sentences


def _noisy_word(word: str, rng: random.Random, shorthand: dict[str, list[str]]) -> str | None:
    low = word.lower()
    kind = rng.choice(["insert", "digit", "short", "delete", "replace", "swap", "tone", "telex"])
    if kind == "short" and low in shorthand:
        return rng.choice(shorthand[low])
    if kind == "telex":
        nfd = unicodedata.normalize("NFD", low)
        key = next((_TELEX_KEYS[c] for c in nfd if c in _TELEX_KEYS), "")
        base = strip_marks(low)
        if key and base.isalpha():
            typed = base + key
            return typed[:1].upper() + typed[1:] if word[:1].isupper() else typed
    if len(word) < 2:
        return None
    i = rng.randrange(1, len(word))
    if kind == "insert":
        return word[:i] + rng.choice(_LETTERS) + word[i:]
    if kind == "digit":
        return word[:i] + rng.choice("0123456789") + word[i:]
    if kind == "delete" and len(word) > 2:
        return word[:i] + word[i + 1 :]
    if kind == "replace":
        return word[:i] + rng.choice(_LETTERS) + word[i + 1 :]
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "tone":
        bare = "".join(c for c in unicodedata.normalize("NFD", word) if c not in _TONES)
        vowels = [k for k, c in enumerate(bare) if c.lower() in "aeiouy"]
        if vowels:
            k = rng.choice(vowels)
            return unicodedata.normalize("NFC", bare[: k + 1] + rng.choice(_TONES) + bare[k + 1 :])
    return None


def noisy_pairs(sentences: list[str], seed: int = 5) -> list[tuple[str, str]]:
    """(noisy, original) pairs; 15 % of the sentences are left clean."""
    rng = random.Random(seed)
    shorthand: dict[str, list[str]] = {}
    for short, full in SHORTHAND.items():
        shorthand.setdefault(full, []).append(short)
    pairs: list[tuple[str, str]] = []
    for sentence in sentences:
        if rng.random() < 0.15:
            pairs.append((sentence, sentence))
            continue
        words = sentence.split(" ")
        slots = [k for k, w in enumerate(words) if _WORD_RE.fullmatch(w)]
        rng.shuffle(slots)
        wanted, done = rng.choice([1, 1, 2, 2, 3]), 0
        for k in slots:
            new = _noisy_word(words[k], rng, shorthand)
            if new and new != words[k]:
                words[k] = new
                done += 1
            if done >= wanted:
                break
        pairs.append((" ".join(words), sentence))
    return pairs


def score(pairs: list[tuple[str, str]], **penalties: float) -> tuple[float, float]:
    """(noisy sentences fully corrected, original sentences left unchanged), per cent, with
    the given module-level penalties set for the run in the modules that read them
    (``correct``; ``restore.lattice``, which reads ``PENALTY_KEEP_NONWORD`` of ``restore.parts``
    as its own global: setting it on the ``restore`` package would change nothing)."""
    saved = {}
    for name, value in penalties.items():
        for module in (correct, lattice):
            if hasattr(module, name):
                saved[(module, name)] = getattr(module, name)
                setattr(module, name, value)
    correct.corrections.cache_clear()
    try:
        restorer = Restorer()
        noisy = [(a, b) for a, b in pairs if a != b]
        out = restorer.restore_lines([a for a, _ in noisy])
        fixed = 100.0 * sum(o == b for o, (_, b) in zip(out, noisy, strict=True)) / len(noisy)
        originals = [b for _, b in pairs]
        same = restorer.restore_lines(originals)
        kept = 100.0 * sum(o == b for o, b in zip(same, originals, strict=True)) / len(originals)
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)
        correct.corrections.cache_clear()
    return fixed, kept


def main(argv: list[str]) -> None:
    pairs = noisy_pairs(dev_sentences())
    print(f"{len(pairs)} sentences, {sum(a != b for a, b in pairs)} with errors", flush=True)
    for edit in (-4.5, -4.0, -3.5, -3.0):
        for keep in (-2.5, -3.5, -4.5, -5.5):
            fixed, kept = score(pairs, PENALTY_EDIT=edit, PENALTY_KEEP_NONWORD=keep)
            print(
                f"PENALTY_EDIT {edit}, PENALTY_KEEP_NONWORD {keep}: "
                f"fully corrected {fixed:.2f} %, unchanged {kept:.2f} %",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
