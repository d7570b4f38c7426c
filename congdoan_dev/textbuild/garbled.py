"""The confusion model of garbled OCR (``congdoan/text/models/garbled/``) and its figures
(build time).

``python -m congdoan_dev.textbuild.garbled [DATA_DIR] [--out MODEL_DIR]`` reads the pairs that
:mod:`congdoan_dev.textbuild.garbled_data` wrote (default ``var/garbled``), learns from
``train.tsv`` and writes ``confusions.json.gz``; ``--eval`` then prints the syllable accuracy
of :func:`congdoan.text.garbled.repair` on ``dev.tsv`` (and ``test.tsv`` with ``--test``).

Steps:
1. each OCR line and its truth are cut into words (letters, digits, @ and &) and aligned
   word to word by edit distance, the cost of matching two words being the edit distance of
   their folded letters (digits read as the letters they stand for) over their length;
2. for each pair of a syllable and the word printed for it: the word table counts
   (printed, syllable), and the letters are aligned (a letter matches its own forms at a
   small cost), each letter of the syllable getting the characters printed for it (none,
   one, or two: an inserted character belongs to the letter before it);
3. P(printed | letter) = (count + 0.05) / (letter count + 0.05 · forms), kept above e^-12
   (the first letter of a capitalised word has its own table: Đ prints otherwise than đ),
   with a few confusions of real engines that the rendered pages do not show (``PRIORS``);
   P(printed word | syllable) = count / syllable count, kept for pairs seen at least twice;
4. the candidates of every printed word seen in training are searched once here and
   stored (``searched``), so that a new text's common words need no search at run time
   (the same candidates: built with the same settings).
"""

from __future__ import annotations

import gzip
import json
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import regex

from congdoan.text.garbled import (
    MODEL_DIR,
    ConfusionModel,
    GarbleRepairer,
    read_pairs,
    repair_pages,
)
from congdoan.text.lm import SyllableLM
from congdoan.text.vietnamese import fold, normalize_tone

DATA_DIR = Path(__file__).resolve().parents[2] / "var" / "garbled"
# Printed words seen this often in training have their candidates searched and shipped.
MIN_SEARCHED = 1
_TOKEN_RE = regex.compile(r"[\p{L}\p{N}@&©¢]+")
_DIGIT_AS = str.maketrans({"0": "o", "6": "o", "4": "a", "1": "l", "@": "o", "&": "o", "3": "e"})


# Confusions of real engines that the rendered pages do not show (the scanned plan of issue
# 19: "Pay" for Đẩy, "LPLD" for LĐLĐ, "tic" for tác, "Phi" for Phú, "cia" for của):
# (letter, printed) → log P, used where the pages learnt less.
PRIORS = {
    ("Đ", "p"): -2.5,
    ("đ", "p"): -4.0,
    ("á", "i"): -4.5,
    ("ú", "i"): -4.5,
    ("ủ", "i"): -4.5,
}


def _key(word: str) -> str:
    return fold(word.lower()).translate(_DIGIT_AS)


def _edit(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def align_words(seen: list[str], truth: list[str]) -> list[tuple[int, int]]:
    """(index in seen, index in truth) of the words matched one to one."""
    n, m = len(seen), len(truth)
    ks = [_key(w) for w in seen]
    kt = [_key(w) for w in truth]
    gap = 0.7
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i * gap
        back[i][0] = 1
    for j in range(1, m + 1):
        cost[0][j] = j * gap
        back[0][j] = 2
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            sub = _edit(ks[i - 1], kt[j - 1]) / max(len(ks[i - 1]), len(kt[j - 1]), 1)
            options = (
                (cost[i - 1][j - 1] + sub * 1.5, 0),
                (cost[i - 1][j] + gap, 1),
                (cost[i][j - 1] + gap, 2),
            )
            cost[i][j], back[i][j] = min(options)
    pairs = []
    i, j = n, m
    while i > 0 or j > 0:
        move = back[i][j]
        if move == 0:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif move == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def align_letters(truth: str, seen: str) -> list[str] | None:
    """What was printed for each letter of ``truth`` (insertions join the letter before)."""
    n, m = len(truth), len(seen)
    if not n:
        return None
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = float(i)
        back[i][0] = 1
    for j in range(1, m + 1):
        cost[0][j] = float(j)
        back[0][j] = 2
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            a, b = truth[i - 1], seen[j - 1]
            sub = 0.0 if a == b else 0.3 if _key(a) == _key(b) else 1.0
            options = (
                (cost[i - 1][j - 1] + sub, 0),
                (cost[i - 1][j] + 1.0, 1),
                (cost[i][j - 1] + 1.0, 2),
            )
            cost[i][j], back[i][j] = min(options)
    printed = [""] * n
    i, j = n, m
    pending = ""
    while i > 0 or j > 0:
        move = back[i][j]
        if move == 0:
            printed[i - 1] = seen[j - 1] + pending
            pending = ""
            i, j = i - 1, j - 1
        elif move == 1:
            printed[i - 1] = pending
            pending = ""
            i -= 1
        else:
            pending = seen[j - 1] + pending
            j -= 1
    if pending:
        printed[0] = pending + printed[0]
    if any(len(p) > 3 for p in printed):
        return None
    return printed


def learn(pairs: list[tuple[str, str]], lm: SyllableLM) -> dict[str, object]:
    chars: dict[str, Counter[str]] = defaultdict(Counter)
    words: dict[str, Counter[str]] = defaultdict(Counter)
    syllables: Counter[str] = Counter()
    for seen_line, truth_line in pairs:
        seen = _TOKEN_RE.findall(seen_line)
        truth = _TOKEN_RE.findall(truth_line)
        for i, j in align_words(seen, truth):
            t = normalize_tone(truth[j].lower())
            s = seen[i].lower()
            if t not in lm.index or not t.isalpha():
                continue
            cap = truth[j][:1].isupper() and not truth[j].isupper()
            syllables[t] += 1
            words[s][t] += 1
            if cap:  # capitalised words print their first letter otherwise (Đ as P)
                syllables["^" + t] += 1
                words[s[:1].upper() + s[1:]]["^" + t] += 1
            printed = align_letters(t, s)
            if printed is None:
                continue
            for k, (letter, out) in enumerate(zip(t, printed, strict=True)):
                chars[letter.upper() if cap and k == 0 else letter][out] += 1
    char_model: dict[str, dict[str, float]] = {}
    for letter, counts in chars.items():
        total = sum(counts.values()) + 0.05 * len(counts)
        char_model[letter] = {
            out: round(math.log((c + 0.05) / total), 3)
            for out, c in counts.most_common()
            if c >= 2 and math.log((c + 0.05) / total) > -12.0
        }
    for (letter, out), p in PRIORS.items():
        table = char_model.setdefault(letter, {})
        table[out] = max(table.get(out, -99.0), p)
    word_model: dict[str, dict[str, float]] = {}
    for s, counts in words.items():
        kept = {
            t.lstrip("^"): round(math.log(c / syllables[t]), 3) for t, c in counts.items() if c >= 2
        }
        if kept:
            word_model[s] = kept
    # Every printed word seen in training, searched now: most words of a new text.
    repairer = GarbleRepairer(lm, ConfusionModel(char_model, word_model))
    searched: dict[str, list[list[str | float]]] = {}
    for s, counts in words.items():
        if sum(counts.values()) < MIN_SEARCHED or not any(c.isalpha() for c in s):
            continue
        cap = s[:1].isupper()
        found = repairer.candidates(s if cap else s.lower())
        searched[("^" if cap else "") + s.lower()] = [[syl, round(p, 3)] for syl, p in found]
    return {"chars": char_model, "words": word_model, "searched": searched}


def evaluate(pairs: list[tuple[str, str]]) -> str:
    """Syllable accuracy of the lines as the engine printed them, of the restorer and of the
    repair, and the repair's lines a second."""
    from congdoan.text.evaluate import syllable_accuracy
    from congdoan.text.restore import restore_lines

    seen = [s for s, _ in pairs]
    gold = [t for _, t in pairs]
    repairer = GarbleRepairer()
    repairer.repair_lines(seen[:50])
    start = time.perf_counter()
    out = repair_pages(repairer, seen)
    speed = len(seen) / (time.perf_counter() - start)
    return (
        f"{len(pairs)} lines: as printed {syllable_accuracy(gold, seen):.2f} %, "
        f"restore {syllable_accuracy(gold, restore_lines(seen)):.2f} %, "
        f"repair {syllable_accuracy(gold, out):.2f} % ({speed:.0f} lines/s)"
    )


def main(argv: list[str]) -> None:
    data = Path(argv[0]) if argv and not argv[0].startswith("--") else DATA_DIR
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else MODEL_DIR
    lm = SyllableLM.default()
    assert lm is not None, "the language model is missing: congdoan text build-models"
    start = time.time()
    pairs = read_pairs(data / "train.tsv")
    model = learn(pairs, lm)
    out.mkdir(parents=True, exist_ok=True)
    with gzip.open(out / "confusions.json.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(model, fh, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    print(
        f"{len(pairs)} training lines, {len(model['words'])} printed words "  # type: ignore[arg-type]
        f"in {time.time() - start:.0f} s → {out / 'confusions.json.gz'}",
        flush=True,
    )
    if "--eval" in argv:
        for split in ("dev", "test") if "--test" in argv else ("dev",):
            print(split, evaluate(read_pairs(data / f"{split}.tsv")), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
