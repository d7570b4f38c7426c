"""The repairer: candidates for garbled words under the confusion model, decoded by the
syllable language model (see :mod:`congdoan.text.garbled`); :func:`repair` and
:func:`repair_lines`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import regex

from congdoan.text.garbled.channel import ConfusionModel, _grouped, _Trie
from congdoan.text.garbled.edits import Repair, _build, _diff, _name_bonus, _name_pairs
from congdoan.text.garbled.scoring import score
from congdoan.text.legacy import convert_legacy
from congdoan.text.lexicon import is_syllable
from congdoan.text.lm import FOREIGN, N_SPECIAL, NUMBER, SYMBOL, SyllableLM
from congdoan.text.restore import Restorer, default_restorer
from congdoan.text.restore.parts import _PROTECTED, split_units
from congdoan.text.vietnamese import nfc, normalize_tone

# A word an engine garbled: letters with a digit or @ inside, or a lone 6, & or @ (ở, ố).
_GARBLED_WORD = r"""
    (?<![\p{L}\p{N}/.\-_:@])
    (?:\p{Lu}?\p{Ll}*[0-9@¢©]\p{Ll}+ | \p{Lu}?\p{Ll}+[0-9@¢©] | \p{Lu}?[0-9]{1,2} | [&@©¢])
    (?![\p{L}\p{N}/\-_:@]|[.,]\p{N}|\.\p{L})
"""
_UNIT_RE = regex.compile(
    rf"(?x)(?P<garbled>{_GARBLED_WORD})|(?P<protected>{_PROTECTED})|(?P<letters>\p{{L}}+)"
    r"|(?P<other>[^\s\p{L}\p{N}])"
)
# A short number an engine may have printed for a syllable ("16" for lộ, "14" for là): a
# word only where the word table has seen it so, and kept as a number at no cost.
_SHORT_NUMBER_RE = regex.compile(r"^[0-9]{1,2}$")

SLOT = -1
# Log-score for leaving a word as it came (a name, an English word) in a garbled line.
PENALTY_KEEP = -12.0
PENALTY_KEEP_CAPITALISED = -9.0
# Log-score for keeping a number or sign that the engine may have printed for a syllable
# ("6" for ở): the language model scores numbers as one class, this one is a few of them.
PENALTY_KEEP_NUMBER = -4.0
# Channel scores below this are not candidates.
MIN_CHANNEL = -14.0
MAX_CANDIDATES = 12
# Only candidates within this log-probability of a word's best reading are decoded.
CANDIDATE_RANGE = 8.0
BEAM = 80
MAX_PRINTED = 9
# Longer lines (no page has them) go to the restorer, which reads them piece by piece.
MAX_GARBLED_LINE = 20_000
# Log-score for reading a digit or sign inside a word as an o or as nothing.
PENALTY_VARIANT = -3.0
_NOT_LETTER_RE = regex.compile(r"[^\p{L}]")
# The weight of the channel's log-probability against the language model's.
CHANNEL_WEIGHT = 1.3
# Document context: the log-bonus for reading a printed word as the text's other
# occurrences of it were read (times their share).
CONTEXT_WEIGHT = 1.0


class GarbleRepairer:
    """Candidates for garbled words and their decoding (see :mod:`congdoan.text.garbled`)."""

    def __init__(self, lm: SyllableLM | None = None, model: ConfusionModel | None = None) -> None:
        self.lm = lm if lm is not None else SyllableLM.default()
        self.model = model if model is not None else ConfusionModel.load()
        self.restorer: Restorer = default_restorer() if lm is None else Restorer(self.lm)
        self._trie = _Trie()
        if self.lm is not None:
            for syllable in self.lm.syllables:
                if syllable.isalpha():
                    node = self._trie
                    for c in syllable:
                        node = node.children.setdefault(c, _Trie())
                    node.word = syllable
        # For each letter: the printed strings it may become, best first.
        self._emit = {
            t: sorted(((s, p) for s, p in table.items() if p > -12.0), key=lambda x: -x[1])
            for t, table in self.model.chars.items()
        }
        # The same, by first printed character: (letter, printed, log P), and the letters
        # that may print as nothing.
        self._by_first, self._silent = _grouped(
            {t: o for t, o in self._emit.items() if not t.isupper()}
        )
        # The first letter of a capitalised word prints otherwise (Đ as P): its own table.
        self._by_first_cap, self._silent_cap = _grouped(
            {
                **{t: o for t, o in self._emit.items() if not t.isupper()},
                **{t.lower(): o for t, o in self._emit.items() if t.isupper()},
            }
        )
        self._slot = lru_cache(maxsize=200_000)(self._compute_slot)
        self._candidates = lru_cache(maxsize=200_000)(self._compute_candidates)
        self.channel_weight = CHANNEL_WEIGHT

    # candidates ----------------------------------------------------------------------------

    def _search(self, seen: str, cap: int = 0) -> dict[str, float]:
        """Syllables of the trie that print as ``seen`` under the character model, with
        log P(seen | syllable) (best alignment), a beam over (position, trie node);
        ``cap``: 1, the word was capitalised (its first letter has its own table); 2, it was
        in capitals (every letter has: "LPLD" for LĐLĐ)."""
        by_first, silent = (
            (self._by_first_cap, self._silent_cap)
            if cap
            else (
                self._by_first,
                self._silent,
            )
        )
        found: dict[str, float] = {}
        frontier = [(0, 0.0, self._trie)]
        n = len(seen)
        # Each step prints one more letter of the syllable as 0–2 characters.
        for _depth in range(max(n + 3, 9)):
            nxt: dict[tuple[int, int], tuple[int, float, _Trie]] = {}
            for pos, sc, node in frontier:
                children = node.children
                options = by_first.get(seen[pos], ()) if pos < n else ()
                for letter, printed, p in (*options, *silent):
                    total = sc + p
                    if total < MIN_CHANNEL:
                        continue
                    child = children.get(letter)
                    if child is None:
                        continue
                    if len(printed) > 1 and not seen.startswith(printed, pos):
                        continue
                    end = pos + len(printed)
                    key = (end, id(child))
                    old = nxt.get(key)
                    if old is None or old[1] < total:
                        nxt[key] = (end, total, child)
            if not nxt:
                break
            if cap < 2:
                by_first, silent = self._by_first, self._silent
            frontier = sorted(nxt.values(), key=lambda s: -s[1])[:BEAM]
            for pos, sc, node in frontier:
                if pos == n and node.word is not None and sc > found.get(node.word, -1e9):
                    found[node.word] = sc
        return found

    def _compute_candidates(self, low: str, cap: int) -> tuple[tuple[str, float], ...]:
        """(syllable, log P(low | syllable)) for a lower-case printed word (``cap``: 1, it
        was capitalised; 2, in capitals), best first."""
        done = self.model.searched.get("^" * cap + low)
        if done is not None:
            return tuple((str(syl), float(p)) for syl, p in done)
        # No syllable has more than 7 letters; an engine prints at most a few more.
        found = self._search(low, cap) if len(low) <= MAX_PRINTED else {}
        if not low.isalpha() and any(c.isalpha() for c in low):
            # A digit or sign inside a word the letter model cannot place ("mé6t", "ngu¢i"):
            # read it as an o, or as nothing, at a cost.
            for variant in (_NOT_LETTER_RE.sub("o", low), _NOT_LETTER_RE.sub("", low)):
                if variant and variant != low and len(variant) <= MAX_PRINTED:
                    for syl, p in self._search(variant, cap).items():
                        found[syl] = max(found.get(syl, -1e9), p + PENALTY_VARIANT)
        table = (cap and self.model.words.get(low[:1].upper() + low[1:])) or self.model.words.get(
            low
        )
        if table:
            for syllable, p in table.items():
                # The word table is sure of what it saw often; keep the better estimate.
                found[syllable] = max(found.get(syllable, -1e9), p)
        # Chosen by the channel and the syllable's own frequency (a word prints as many
        # syllables; the rare ones seldom matter), scored by the channel alone.
        lm = self.lm
        assert lm is not None
        index, unigram = lm.index, lm.unigram
        ranked = sorted(
            ((syl, p) for syl, p in found.items() if syl in index),
            key=lambda x: -(x[1] + unigram[index[x[0]]]),
        )
        return tuple(ranked[:MAX_CANDIDATES])

    def candidates(self, word: str) -> tuple[tuple[str, float], ...]:
        cap = 2 if len(word) > 1 and word.isupper() else int(word[:1].isupper())
        return self._candidates(nfc(word.lower()), cap)

    # lines ---------------------------------------------------------------------------------

    def units(self, line: str) -> list[tuple[int, int, str, int]]:
        return split_units(line, _UNIT_RE, {"letters": SLOT, "garbled": SLOT})

    def _compute_slot(self, text: str) -> tuple[np.ndarray, np.ndarray, list[str | None]] | None:
        """Candidate ids, their log-scores and their texts (None: keep) for one word."""
        assert self.lm is not None
        low = nfc(text.lower())
        keep_id: int | None
        if not any(c.isalpha() for c in text) or (
            len(text) <= 3 and text[0].isupper() and not text[-1].isalpha()
        ):
            # A number or sign, or a capital and a digit ("B6" for Bộ, but also "A4", "F1"):
            # a word only where the table saw the engine print it so, kept at no cost.
            table = self.model.words.get(text[:1] + low[1:]) or self.model.words.get(low)
            if not table:
                return None
            cands: tuple[tuple[str, float], ...] = tuple(sorted(table.items(), key=lambda x: -x[1]))
            keep_id = NUMBER if low.isdigit() else SYMBOL if not low.isalnum() else FOREIGN
            keep_score = PENALTY_KEEP_NUMBER
        else:
            cands = self.candidates(text)
            if len(text) > 1 and text.isupper():
                cands = tuple((s, p) for s, p in cands if p > -6.0)
            keep_id = self.lm.index.get(normalize_tone(low))
            keep_score = PENALTY_KEEP_CAPITALISED if text[:1].isupper() else PENALTY_KEEP
            if keep_id is None:
                keep_id = FOREIGN
        index = self.lm.index
        ids: list[int] = []
        scores: list[float] = []
        texts: list[str | None] = []
        weight = self.channel_weight
        # Candidates far below the word's best reading cost the decoder (cubic in their
        # number) and seldom win.
        floor = max((p for _, p in cands), default=0.0) - CANDIDATE_RANGE
        for syllable, p in cands:
            if p < floor:
                continue
            i = index.get(syllable)
            if i is None or i == keep_id:
                continue
            ids.append(i)
            scores.append(weight * p)
            texts.append(syllable)
        if not ids:
            return None
        ids.append(keep_id)
        scores.append(weight * self._keep_logprob(low, keep_id, keep_score))
        texts.append(None)
        return np.array(ids, dtype=np.int64), np.array(scores), texts

    def _keep_logprob(self, low: str, keep_id: int, keep_score: float) -> float:
        """log P(printed as it is | meant as it is): a syllable printed as itself is scored
        by the channel like any candidate; another word pays ``keep_score``."""
        if keep_id >= N_SPECIAL:
            found = dict(self.candidates(low))
            return found.get(normalize_tone(low), keep_score)
        return keep_score

    def repair_lines(
        self,
        lines: Sequence[str],
        *,
        extra_words: Iterable[str] = (),
        together: bool = True,
        document: bool = False,
    ) -> list[Repair]:
        """Repair each line: garbled lines are decoded here, the others restored by the
        restorer. ``together``: the lines come from one source, and when they read as
        garbled as a whole, every line that is not clean accented Vietnamese (nor mostly
        foreign) is decoded here too (an engine garbles a whole page, including the lines
        that happen to look plain). ``document``: the restorer reads its lines as one text
        (:meth:`congdoan.text.restore.Restorer.restore_lines`)."""
        assert self.lm is not None
        names = _name_pairs(tuple(extra_words))
        whole = together and score("\n".join(lines)).garbled
        out: list[Repair | None] = [None] * len(lines)
        plain: list[int] = []
        work: list[tuple[int, list[tuple[int, int, str, int]], list, list, list]] = []
        for k, line in enumerate(lines):
            if not line.strip():
                continue
            if len(line) > MAX_GARBLED_LINE or convert_legacy(line, is_syllable) != line:
                plain.append(k)  # a legacy font (VNI, TCVN3): the restorer converts it
                continue
            judged = score(line)
            if not judged.garbled and (not whole or judged.clean or judged.foreign):
                plain.append(k)
                continue
            units = self.units(line)
            full: list[np.ndarray] = []
            bonus: list[np.ndarray | None] = []
            texts: list[list[str | None] | None] = []
            for _start, _end, text, kind in units:
                slot = self._slot(text) if kind == SLOT else None
                if slot is None:
                    fixed = kind
                    if kind == SLOT:
                        if not any(c.isalpha() for c in text):
                            fixed = NUMBER if text.isdigit() else SYMBOL
                        else:
                            fixed = self.lm.index.get(normalize_tone(text.lower()), FOREIGN)
                    full.append(np.array([fixed], dtype=np.int64))
                    bonus.append(None)
                    texts.append(None)
                else:
                    full.append(slot[0])
                    bonus.append(slot[1])
                    texts.append(slot[2])
            if names:
                _name_bonus(units, texts, bonus, names, line)
            work.append((k, units, full, bonus, texts))
        if plain:
            restored = self.restorer.restore_lines([lines[k] for k in plain], document=document)
            for k, new in zip(plain, restored, strict=True):
                out[k] = _diff(lines[k], new)
        picked = self._decode(work)
        if together and CONTEXT_WEIGHT > 0 and len(work) > 1:
            again = self._context(work, picked)
            if again:
                redo = [work[n] for n in again]
                for n, picks in zip(again, self._decode(redo), strict=True):
                    picked[n] = picks
        for (k, units, _full, _bonus, texts), picks in zip(work, picked, strict=True):
            out[k] = _build(lines[k], units, texts, picks)
        return [r if r is not None else Repair(lines[k]) for k, r in enumerate(out)]

    def _decode(self, work: list[Any]) -> list[list[int]]:
        assert self.lm is not None
        picked: list[list[int]] = []
        for b in range(0, len(work), 128):
            batch = work[b : b + 128]
            picked += self.lm.viterbi_many([w[2] for w in batch], [w[3] for w in batch])
        return picked

    @staticmethod
    def _context(work: list[Any], picked: list[list[int]]) -> list[int]:
        """Document context: each printed word that occurs more than once is pushed
        towards what the text's other occurrences of it were read as (``CONTEXT_WEIGHT``
        times the share of them), in place in ``work``; the lines where a push favours
        another reading than the first pass's, to decode again."""
        chosen: dict[str, Counter[str | None]] = {}
        places: list[tuple[int, int, str]] = []
        for n, ((_k, units, _full, _bonus, texts), picks) in enumerate(
            zip(work, picked, strict=True)
        ):
            for at, options in enumerate(texts):
                if options is not None and len(options) > 1:
                    word = units[at][2].lower()
                    chosen.setdefault(word, Counter())[options[picks[at]]] += 1
                    places.append((n, at, word))
        again: set[int] = set()
        for n, at, word in places:
            counts = chosen[word]
            total = sum(counts.values()) - 1
            if total < 1:
                continue
            options = work[n][4][at]
            own = options[picked[n][at]]
            share = np.array([(counts[o] - (o == own)) / total for o in options], dtype=np.float64)
            if share[picked[n][at]] >= share.max():
                continue  # the others agree with this reading: its path stays the best
            bonus = work[n][3][at]
            work[n][3][at] = bonus + CONTEXT_WEIGHT * share
            again.add(n)
        return sorted(again)


@lru_cache(maxsize=1)
def default_repairer() -> GarbleRepairer:
    return GarbleRepairer()


def repair(text: str, extra_words: Iterable[str] = ()) -> Repair:
    """Repair garbled OCR text (lines that are not garbled are restored as
    :func:`congdoan.text.restore.restore_lines` does, so clean accented text stays as it is);
    ``extra_words``: names (the deployment's units) whose syllables read side by side are
    preferred. Changes are given with offsets in ``text``."""
    if not text:
        return Repair(text)
    lines = text.split("\n")
    repaired = default_repairer().repair_lines(lines, extra_words=extra_words, document=True)
    changes: list[tuple[int, int, str, str]] = []
    offset = 0
    for line, r in zip(lines, repaired, strict=True):
        changes += [(s + offset, e + offset, o, n) for s, e, o, n in r.changes]
        offset += len(line) + 1
    return Repair("\n".join(r.text for r in repaired), changes)


def repair_lines(
    lines: Sequence[str], extra_words: Iterable[str] = (), *, document: bool = False
) -> list[str]:
    """The repaired text of each line (one out per line in); the lines are judged together
    (one source), and ``document``: the restorer reads them as one text."""
    repaired = default_repairer().repair_lines(lines, extra_words=extra_words, document=document)
    return [r.text for r in repaired]
