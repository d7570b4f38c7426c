"""Diacritics and OCR-noise restoration.

How it works (steps):
1. a line typed in a legacy font (VNI, TCVN3) is converted; binary garbage and lines that
   are mostly not Vietnamese are returned as they came;
2. the line is cut into units: protected spans (URLs, e-mail addresses, HTML tags,
   numbers and codes such as "12/KH-LĐLĐ", file names) are copied through; letter runs
   are *slots*; punctuation marks are context for the model;
3. the line is judged accented (≥ 30 % of its syllables carry marks) or not, and each
   slot gets candidates with a log-score:
   - a plain syllable in unaccented text: every accented form of its letters
     ("cong" → công, cộng, cổng, …);
   - a syllable that carries marks in unaccented text (OCR): its other forms, penalised;
   - a valid syllable in accented text: kept, except for common spelling confusions
     (tr/ch, d/gi/r, n/ng, …) that the context must strongly support;
   - a word that is no syllable: Telex, shorthand, OCR and one-edit corrections
     (:mod:`congdoan.text.correct`) against keeping it as it came;
   - initials, lone capital abbreviations (UBND) and parts of hyphenated names: kept;
4. the syllable trigram model (:mod:`congdoan.text.lm`) picks the best sequence with a
   second-order Viterbi search, many lines at once;
5. the case of every character is copied back, so "CONG TY" becomes "CÔNG TY" and
   "Ha Noi" becomes "Hà Nội";
6. in a document (several lines of one text), each plain syllable's form is also pushed
   towards the form the text chose for it elsewhere, and the lines are decoded again
   (:mod:`congdoan.text.context`).

A line that has nothing to improve comes back exactly as it came.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import regex

from congdoan.text import context
from congdoan.text.correct import PENALTY_REAL_WORD, confusions, corrections
from congdoan.text.legacy import convert_legacy
from congdoan.text.lexicon import is_syllable, syllable_counts
from congdoan.text.lm import BOUNDARY, COMMA, FOREIGN, N_SPECIAL, NUMBER, SYMBOL, SyllableLM
from congdoan.text.vietnamese import fold, has_marks, normalize_tone

MAX_LINE = 200_000  # characters; longer lines are processed in pieces
SLOT = -1

# Spans copied through untouched: URLs, e-mail addresses, HTML tags and entities, numbers
# and codes (12/KH-LĐLĐ, 45/2019/QH14, COVID-19), abbreviations with dashes (KH-LĐLĐ),
# file and domain names, identifiers with underscores.
_PROTECTED = r"""
    (?:https?://|ftp://|www\.)\S+
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+
    | </?[A-Za-z][^<>]{0,200}> | &[#\w]{1,10};
    | [\p{L}\p{N}]*\p{N}[\p{L}\p{N}]*(?:[/.\-_:][\p{L}\p{N}]+)*
    | \p{Lu}+(?:[/\-]\p{Lu}+)+
    | \w+(?:\.\w+)*\.(?:docx?|pdf|xlsx?|pptx?|txt|jpg|png|com|vn|org|net|gov)\b
    | \w*_\w+
"""
# A lower-case word with one stray digit inside or at its end ("t5ạo", "đã9i", "ph6"):
# OCR or typing noise.
_NOISY = r"(?:\p{Ll}+\p{N}\p{Ll}+|\p{Ll}{2,}[013456789])(?![\p{L}\p{N}/.\-_:])"
_UNIT_RE = regex.compile(
    rf"(?x)(?P<noisy>{_NOISY})|(?P<protected>{_PROTECTED})|(?P<letters>\p{{L}}+)|(?P<other>[^\s\p{{L}}\p{{N}}])"
)


def _transfer_case(source: str, target: str) -> str:
    """Copy the case of ``source`` onto ``target`` (character by character when aligned)."""
    if source.islower():
        return target
    if len(source) != len(target):
        if source.isupper() and len(source) > 1:
            return target.upper()
        return target[:1].upper() + target[1:] if source[:1].isupper() else target
    return "".join(t.upper() if s.isupper() else t for s, t in zip(source, target, strict=True))


_COMMA_CHARS = frozenset(",;:")
_END_CHARS = frozenset(".!?…")
# A line where at least this share of the syllables carry marks is taken as accented
# text: its plain syllables are then left alone unless they cannot be Vietnamese as typed.
ACCENTED_LINE_SHARE = 0.3
# Log-score for changing marks that OCR did read, in text scanned without Vietnamese.
PENALTY_MARK_CHANGE = -3.0
# Extra log-score for correcting a capitalised word (names are often foreign, not typos).
PENALTY_CAPITALISED = -1.5
NOISY = -2
# A word-list syllable seen fewer times than this in the corpus is not trusted as typed.
MIN_TRUSTED_COUNT = 20
MIN_TRUSTED_ODD_COUNT = 100
# Onset, vowels and final of a Vietnamese syllable (folded): rejects "cos", "fai", "sex".
_SHAPE_RE = regex.compile(
    r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?$"
)
# Log-score for adding marks to a plain word inside accented text.
PENALTY_ACCENT_IN_ACCENTED = -1.5
# Log-score for leaving a short lower-case non-word as it came.
PENALTY_KEEP_NONWORD = -4.5
# Below this log-probability a syllable is rare enough that a typo is the likelier reading.
RARE_LOGPROB = -13.0
# Words whose candidates and facts a restorer remembers (least recently used go first).
WORD_CACHE_SIZE = 50_000
# Log-bonus for the form a lexicon (the caller's known names) gives two or more syllables
# typed in a row ("phu minh" in a text from "Công ty May Phú Minh").
LEXICON_BONUS = 6.0


@dataclass
class Slot:
    """Candidate ids for one unit, their log-bonus (None: all 0) and the original text."""

    ids: np.ndarray
    bonus: np.ndarray | None
    original: str | None
    texts: list[str | None] | None = None  # the syllable of each id (None: special), on use


@dataclass(frozen=True)
class WordChoice:
    """One word the restorer chose among several forms, and how sure it was.

    ``start``/``end`` are offsets in the restored text. ``confidence`` is the probability
    of the chosen form against the word's other forms, its neighbours as chosen (the
    trigram scores that involve the word, and its bonus, normalised over its candidates).
    """

    start: int
    end: int
    original: str
    restored: str
    confidence: float

    @property
    def changed(self) -> bool:
        return self.original != self.restored


@dataclass(frozen=True)
class Restoration:
    """A restored text, the words decided in it and the least sure of them."""

    text: str
    words: tuple[WordChoice, ...] = ()

    @property
    def confidence(self) -> float:
        """The confidence of the least sure changed word (1.0 when nothing was changed)."""
        return min((w.confidence for w in self.words if w.changed), default=1.0)

    def doubtful(self, threshold: float) -> list[WordChoice]:
        """Changed words whose confidence is below ``threshold``."""
        return [w for w in self.words if w.changed and w.confidence < threshold]


class Lexicon:
    """Known names (units of the union tree, places, companies) that restoration prefers.

    Every run of two syllables of a name is remembered by its folded letters; when a text
    types that run, each syllable's form from the name gets ``LEXICON_BONUS``. Single
    syllables are not boosted (one syllable alone says too little).
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.pairs: dict[tuple[str, str], tuple[str, str]] = {}
        for name in names:
            syllables = [normalize_tone(w.lower()) for w in regex.findall(r"\p{L}+", name)]
            for a, b in itertools.pairwise(syllables):
                self.pairs.setdefault((fold(a), fold(b)), (a, b))

    def __len__(self) -> int:
        return len(self.pairs)


class _WordInfo(NamedTuple):
    marked: bool  # the word carries diacritics
    plain_syllable: bool  # its lower-case letters, as typed, are a syllable without marks
    folded_syllable: bool  # its letters with the marks taken off are a syllable


Prepared = tuple[
    list[tuple[int, int, str, int]], list[Slot | None], list[np.ndarray], list[np.ndarray | None]
]


class Restorer:
    """Callable restorer; the default instance is shared through :func:`restore`."""

    def __init__(self, lm: SyllableLM | None = None) -> None:
        self.lm = lm if lm is not None else SyllableLM.default()
        # Per-word facts, computed once per process: a text repeats its words, and these are
        # most of the work of building a lattice. Cached slots are shared: never change one.
        self._word_slot = lru_cache(maxsize=WORD_CACHE_SIZE)(self._compute_slot)
        self._word_info = lru_cache(maxsize=WORD_CACHE_SIZE)(self._compute_word_info)
        self._has_trusted_form = lru_cache(maxsize=WORD_CACHE_SIZE)(self._compute_trusted_form)

    def units(self, line: str) -> list[tuple[int, int, str, int]]:
        """(start, end, text, kind) of the units of a line; kind is SLOT or a special id."""
        out: list[tuple[int, int, str, int]] = []
        for m in _UNIT_RE.finditer(line):
            tok = m.group(0)
            group = m.lastgroup
            if group == "letters":
                kind = SLOT
            elif group == "noisy":
                kind = NOISY
            elif group == "protected":
                kind = NUMBER if tok[0].isdigit() else FOREIGN
            elif tok in _COMMA_CHARS:
                kind = COMMA
            elif tok in _END_CHARS:
                kind = BOUNDARY
            else:
                kind = SYMBOL
            out.append((m.start(), m.end(), tok, kind))
        return out

    def _lattice(self, units: list[tuple[int, int, str, int]], line: str) -> list[Slot | None]:
        """Candidates per unit; ``None`` marks a unit that is kept as it came.

        Steps:
        1. decide whether the line is accented text (then valid syllables are trusted)
           or text typed / scanned without marks (then every syllable may change);
        2. a valid syllable gets the accented forms of its letters (none in accented text);
        3. a word that is no syllable gets its accented forms if its letters are a
           syllable ("nguoi"), otherwise spelling / OCR corrections with penalties and
           the option to stay as it came.
        """
        infos = [self._word_info(u[2]) for u in units if u[3] == SLOT and len(u[2]) > 1]
        marked = sum(1 for info in infos if info.marked)
        viet = sum(1 for info in infos if info.marked or info.plain_syllable)
        accented_line = marked > 0 and (marked >= ACCENTED_LINE_SHARE * viet or viet <= 4)
        # An all-capital word standing alone among lower-case words is an abbreviation
        # (UBND, CA, TP); runs of capital syllables are headings and get restored.
        slot_units = [i for i, u in enumerate(units) if u[3] == SLOT]
        upper_run: set[int] = set()
        for left, right in itertools.pairwise(slot_units):
            if units[left][2].isupper() and units[right][2].isupper():
                upper_run.update((left, right))
        lattice: list[Slot | None] = []
        for i, (start, end, text, kind) in enumerate(units):
            if kind == NOISY:
                lattice.append(self._corrections(text, accented_line))
                continue
            if kind != SLOT or (len(text) > 1 and text.isupper() and i not in upper_run):
                lattice.append(None)
                continue
            initial = len(text) == 1 and text.isupper() and line[end : end + 1] == "."
            if initial or (accented_line and (len(text) == 1 or _in_compound(line, start, end))):
                # Initials "V.", list markers "b)", transliterations "cát-xê": as typed.
                lattice.append(None)
                continue
            lattice.append(self._word_slot(text, accented_line))
        return lattice

    def _compute_slot(self, text: str, accented_line: bool) -> Slot | None:
        """Candidates of one word in a line that is (not) accented (see :meth:`_lattice`);
        cached as ``_word_slot``."""
        lm = self.lm
        assert lm is not None
        low = text.lower()
        norm = normalize_tone(low)
        observed = lm.index.get(norm)
        folded = fold(low)
        forms = lm.candidates.get(folded)
        restorable = not accented_line and not has_marks(low) and self._has_trusted_form(folded)
        if observed is not None and not restorable and not self._trusted(norm, folded):
            # Junk or very rare entries of the word list ("khoong", "cos"): a typo is
            # likelier, but the word may stay.
            fixes = self._corrections(text, accented_line)
            if fixes is not None and fixes.bonus is not None:
                fixes.ids[0] = observed
                if has_marks(low):
                    fixes.bonus[0] = 0.0  # marks typed on purpose: a rare real word
                if not accented_line and forms is not None and not has_marks(low):
                    # Text without marks: the accented forms stay candidates as well.
                    fixes = Slot(
                        np.concatenate([forms, fixes.ids[1:]]),
                        np.concatenate([np.zeros(len(forms)), fixes.bonus[1:]]),
                        None,
                    )
                return fixes
        if observed is not None:
            if accented_line and len(low) > 1:
                alternatives = confusions(norm)
                if not alternatives:
                    return None
                ids = np.array([observed] + [lm.index[w] for w in alternatives], dtype=np.int64)
                bonus = np.full(len(ids), PENALTY_REAL_WORD)
                bonus[0] = 0.0
                return Slot(ids, bonus, None)
            elif accented_line or forms is None:
                return None
            elif not has_marks(low):
                return Slot(forms, None, None)
            else:
                # Marks read by OCR in unaccented text: keep them unless context disagrees.
                bonus = np.where(forms == observed, 0.0, PENALTY_MARK_CHANGE)
                if observed not in forms:
                    forms = np.append(forms, observed)
                    bonus = np.append(bonus, 0.0)
                return Slot(forms, bonus, None)
        elif forms is not None and not has_marks(low):
            if lm.unigram[forms[0]] < RARE_LOGPROB:
                # Only rare syllables read like this: maybe a typo ("nim" for "năm").
                fixes = self._corrections(text, accented_line)
                if fixes is not None:
                    ids = np.concatenate([forms, fixes.ids[1:]])
                    assert fixes.bonus is not None
                    bonus = np.concatenate([np.zeros(len(forms)), fixes.bonus[1:]])
                    return Slot(ids, bonus, None)
            if accented_line:
                # In accented text a plain word may be meant as typed (chat, game).
                ids = np.concatenate([[FOREIGN], forms])
                bonus = np.concatenate([[0.0], np.full(len(forms), PENALTY_ACCENT_IN_ACCENTED)])
                return Slot(ids, bonus, None)
            else:
                return Slot(forms, None, None)
        else:
            return self._corrections(text, accented_line)

    def _looks_vietnamese(self, units: list[tuple[int, int, str, int]]) -> bool:
        """At least a third of the longer words read as Vietnamese syllables (else: not ours)."""
        infos = [self._word_info(u[2]) for u in units if u[3] == SLOT and len(u[2]) > 1]
        if len(infos) < 4:
            return True
        viet = sum(1 for info in infos if info.folded_syllable)
        return viet * 3 >= len(infos)

    def _compute_word_info(self, word: str) -> _WordInfo:
        """What :meth:`_lattice` and :meth:`_looks_vietnamese` count of a word; cached as
        ``_word_info``."""
        assert self.lm is not None
        low = word.lower()
        return _WordInfo(has_marks(low), low in self.lm.candidates, fold(low) in self.lm.candidates)

    def _compute_trusted_form(self, folded: str) -> bool:
        """Some accented form of these letters is a trusted syllable; cached as
        ``_has_trusted_form``."""
        assert self.lm is not None
        forms = self.lm.candidates.get(folded, ())
        return any(self._trusted(self.lm.word(int(f)), folded) for f in forms)

    def _trusted(self, syllable: str, folded: str) -> bool:
        """A syllable of the word list that is frequent and well-formed enough to keep as typed."""
        count = syllable_counts().get(syllable, 0)
        if count < MIN_TRUSTED_COUNT:
            return False
        # Ill-formed but frequent entries are abbreviations and loanwords (vn, fax, email).
        return count >= MIN_TRUSTED_ODD_COUNT or len(folded) <= 2 or bool(_SHAPE_RE.match(folded))

    def _corrections(self, text: str, accented_line: bool) -> Slot | None:
        """Spelling / OCR candidates for a word that is no syllable, or None."""
        assert self.lm is not None
        # Candidates come from the default model's vocabulary; keep those this one knows.
        found = [(w, p) for w, p in corrections(text) if w in self.lm.index]
        if not found:
            return None
        ids = np.array([FOREIGN] + [self.lm.index[w] for w, _ in found], dtype=np.int64)
        penalty = np.array([0.0] + [p for _, p in found])
        if text[:1].isupper():
            penalty[1:] += PENALTY_CAPITALISED
        elif 3 <= len(text) <= 7:
            # A short lower-case non-word is far more often a typo than a foreign word
            # (one and two letters are often abbreviations: kg, vn, h).
            penalty[0] = PENALTY_KEEP_NONWORD
        return Slot(ids, penalty, text)

    def _fixed_id(self, text: str, kind: int) -> int:
        if kind == NOISY:
            return FOREIGN
        if kind != SLOT:
            return kind
        assert self.lm is not None
        low = text.lower()
        return self.lm.index.get(low) or self.lm.index.get(normalize_tone(low)) or FOREIGN

    def _prepare(self, line: str, lexicon: Lexicon | None = None) -> Prepared | None:
        """Units, candidates and the full lattice of a line; None when nothing can change.
        ``lexicon``: known names whose forms are preferred (see :class:`Lexicon`)."""
        if not line or line.isspace() or self.lm is None:
            return None
        if _looks_binary(line):
            return None
        units = self.units(line)
        if not any(u[3] in (SLOT, NOISY) for u in units):
            return None
        if not self._looks_vietnamese(units):
            return None
        lattice = self._lattice(units, line)
        if lexicon:
            lattice = self._apply_lexicon(units, lattice, line, lexicon)
        if all(c is None for c in lattice):
            return None
        full = [
            np.array([self._fixed_id(u[2], u[3])], dtype=np.int64) if c is None else c.ids
            for u, c in zip(units, lattice, strict=True)
        ]
        bonus = [None if c is None else c.bonus for c in lattice]
        return units, lattice, full, bonus

    def _apply_lexicon(
        self,
        units: list[tuple[int, int, str, int]],
        lattice: list[Slot | None],
        line: str,
        lexicon: Lexicon,
    ) -> list[Slot | None]:
        """The lattice with ``LEXICON_BONUS`` on the forms a known name gives to runs of
        syllables typed next to each other (new slots: cached ones are shared)."""
        assert self.lm is not None
        slots = [i for i, u in enumerate(units) if u[3] == SLOT]
        boost: dict[int, str] = {}
        for a, b in itertools.pairwise(slots):
            if line[units[a][1] : units[b][0]].strip():
                continue  # punctuation or a number between: not one name
            form = lexicon.pairs.get((fold(units[a][2].lower()), fold(units[b][2].lower())))
            if form is not None:
                boost.setdefault(a, form[0])
                boost.setdefault(b, form[1])
        if not boost:
            return lattice
        out = list(lattice)
        for i, syllable in boost.items():
            target = self.lm.index.get(syllable)
            slot = lattice[i]
            if target is None or slot is None:
                continue
            ids = slot.ids
            bonus = np.zeros(len(ids)) if slot.bonus is None else slot.bonus.copy()
            if target not in ids:
                ids = np.append(ids, target)
                bonus = np.append(bonus, 0.0)
            bonus[ids == target] += LEXICON_BONUS
            out[i] = Slot(ids, bonus, slot.original)
        return out

    def _confidences(
        self, full: list[np.ndarray], bonus: list[np.ndarray | None], chosen: list[int]
    ) -> dict[int, float]:
        """Position → probability of the chosen candidate among that position's candidates,
        the other positions as chosen, for every position with a choice.

        Steps: (1) the chosen path, after two sentence boundaries; (2) for each candidate c
        at position i, the three trigram scores that involve it (c after i-2, i-1; i+1
        after i-1, c; i+2 after c, i+1) and its bonus, all looked up in one call;
        (3) a softmax over the candidates of each position.
        """
        assert self.lm is not None
        wanted = [i for i, c in enumerate(full) if len(c) > 1]
        if not wanted:
            return {}
        path = np.array(
            [BOUNDARY, BOUNDARY] + [int(c[k]) for c, k in zip(full, chosen, strict=True)],
            dtype=np.int64,
        )
        n = len(full)
        us: list[np.ndarray] = []
        vs: list[np.ndarray] = []
        ws: list[np.ndarray] = []
        owner: list[np.ndarray] = []  # (flat candidate index) of each looked-up triple
        sizes = np.array([len(full[i]) for i in wanted], dtype=np.int64)
        starts = np.cumsum(sizes) - sizes
        for k, i in enumerate(wanted):
            cands = full[i].astype(np.int64)
            m = len(cands)
            p = i + 2
            index = starts[k] + np.arange(m)
            us.append(np.full(m, path[p - 2]))
            vs.append(np.full(m, path[p - 1]))
            ws.append(cands)
            owner.append(index)
            if i + 1 < n:
                us.append(np.full(m, path[p - 1]))
                vs.append(cands)
                ws.append(np.full(m, path[p + 1]))
                owner.append(index)
            if i + 2 < n:
                us.append(cands)
                vs.append(np.full(m, path[p + 1]))
                ws.append(np.full(m, path[p + 2]))
                owner.append(index)
        logp = np.log(self.lm.prob(np.concatenate(us), np.concatenate(vs), np.concatenate(ws)))
        score = np.zeros(int(sizes.sum()))
        np.add.at(score, np.concatenate(owner), logp)
        out: dict[int, float] = {}
        for k, i in enumerate(wanted):
            local = score[starts[k] : starts[k] + sizes[k]]
            extra = bonus[i]
            if extra is not None:
                local = local + extra
            local = np.exp(local - local.max())
            out[i] = float(local[chosen[i]] / local.sum())
        # Two neighbours that are wrong together ("hà bắc" for "hạ bậc") look sure one by
        # one: a word is no surer than its pair with either neighbour.
        lm = self.lm
        for i in wanted:
            j = i + 1
            if j >= n or len(full[j]) < 2 or min(out[i], out[j]) < 0.5:
                continue
            a = np.repeat(full[i].astype(np.int64), len(full[j]))
            b = np.tile(full[j].astype(np.int64), len(full[i]))
            p = i + 2
            m = len(a)
            joint = np.log(lm.prob(np.full(m, path[p - 2]), np.full(m, path[p - 1]), a))
            joint += np.log(lm.prob(np.full(m, path[p - 1]), a, b))
            if j + 1 < n:
                joint += np.log(lm.prob(a, b, np.full(m, path[p + 2])))
            if j + 2 < n:
                joint += np.log(lm.prob(b, np.full(m, path[p + 2]), np.full(m, path[p + 3])))
            first, second = bonus[i], bonus[j]
            if first is not None:
                joint += np.repeat(first, len(full[j]))
            if second is not None:
                joint += np.tile(second, len(full[i]))
            joint = np.exp(joint - joint.max())
            pair = float(joint[chosen[i] * len(full[j]) + chosen[j]] / joint.sum())
            out[i] = min(out[i], pair)
            out[j] = min(out[j], pair)
        return out

    def _finish(
        self,
        line: str,
        units: list[tuple[int, int, str, int]],
        lattice: list[Slot | None],
        chosen: list[int],
        confidence: dict[int, float] | None = None,
    ) -> Restoration:
        """The restored line; with ``confidence`` (position → probability), also the words
        decided in it, with their offsets in the restored line."""
        assert self.lm is not None
        parts: list[str] = []
        words: list[WordChoice] = []
        last = 0
        shift = 0  # length of the restored line so far minus the original's
        for at, ((start, end, text, _kind), slot, pick) in enumerate(
            zip(units, lattice, chosen, strict=True)
        ):
            if slot is None:
                continue
            if slot.texts is None:
                slot.texts = [self.lm.word(int(i)) if i >= N_SPECIAL else None for i in slot.ids]
            new = slot.texts[pick]
            low = text.lower()
            if new is None or new == low or new == normalize_tone(low):
                replacement = text  # the word stays as it came
            else:
                replacement = _transfer_case(text, new)
                parts.append(line[last:start])
                parts.append(replacement)
                last = end
            if confidence is not None and at in confidence:
                words.append(
                    WordChoice(
                        start + shift,
                        start + shift + len(replacement),
                        text,
                        replacement,
                        confidence[at],
                    )
                )
            shift += len(replacement) - len(text)
        if parts:
            parts.append(line[last:])
        return Restoration("".join(parts) if parts else line, tuple(words))

    def __call__(self, text: str) -> str:
        """Restore one text (see :func:`restore`)."""
        if not text:
            return text
        return "\n".join(self.restore_lines(text.split("\n"), document=True))

    def restore_lines(
        self,
        lines: Sequence[str],
        batch_size: int = 128,
        *,
        document: bool = False,
        lexicon: Lexicon | None = None,
    ) -> list[str]:
        """Restore many lines; lines are decoded in batches, which is several times faster.

        ``document``: the lines are one text (a letter, a scanned page, an article), and
        each word's form is also decided by how the text reads it elsewhere
        (:mod:`congdoan.text.context`); independent items (comments, one feedback each)
        are restored without it. Document context decodes most lines twice. A line over
        ``MAX_LINE`` characters is read as a document of its own, piece by piece.
        ``lexicon``: known names whose forms are preferred (see :class:`Lexicon`).
        """
        return [r.text for r in self._restore(lines, batch_size, document, lexicon, False)]

    def restore_scored(
        self,
        lines: Sequence[str],
        batch_size: int = 128,
        *,
        document: bool = False,
        lexicon: Lexicon | None = None,
    ) -> list[Restoration]:
        """As :meth:`restore_lines`, with the words decided in each line and how sure the
        restorer was of each (:class:`WordChoice`): a caller can show a worker's own words
        where the restorer was unsure, and the restoration as a suggestion."""
        return self._restore(lines, batch_size, document, lexicon, True)

    def restore_text(self, text: str, *, lexicon: Lexicon | None = None) -> Restoration:
        """One text (a concern, a letter) as :meth:`__call__` restores it, with its words
        scored (offsets in the whole restored text)."""
        if not text:
            return Restoration(text)
        lines = self.restore_scored(text.split("\n"), document=True, lexicon=lexicon)
        words: list[WordChoice] = []
        offset = 0
        for line in lines:
            words += [
                WordChoice(w.start + offset, w.end + offset, w.original, w.restored, w.confidence)
                for w in line.words
            ]
            offset += len(line.text) + 1
        return Restoration("\n".join(line.text for line in lines), tuple(words))

    def _restore(
        self,
        lines: Sequence[str],
        batch_size: int,
        document: bool,
        lexicon: Lexicon | None,
        scored: bool,
    ) -> list[Restoration]:
        texts = list(lines)
        out: dict[int, Restoration] = {}

        def finish(i: int, line: str, prepared: Prepared, ids: list[int], emitted: Any) -> None:
            units, lattice, full, _bonus = prepared
            confidence = self._confidences(full, emitted, ids) if scored else None
            out[i] = self._finish(line, units, lattice, ids, confidence)

        work = self._work(lines, texts, batch_size, document, lexicon)
        if not document:
            for i, line, prepared, ids, emitted in self._decode(work, batch_size):
                finish(i, line, prepared, ids, emitted)
            return [out.get(i) or Restoration(text) for i, text in enumerate(texts)]
        occurrences = context.Occurrences()
        inputs: dict[int, str] = {}
        position = 0
        for i, line, prepared, ids, emitted in self._decode(work, batch_size):
            finish(i, line, prepared, ids, emitted)
            units, lattice = prepared[0], prepared[1]
            for at, (slot, pick) in enumerate(zip(lattice, ids, strict=True)):
                if slot is not None and slot.bonus is None and len(slot.ids) > 1:
                    occurrences.add(i, at, position + at, slot.ids, pick)
            inputs[i] = line
            position += len(units)
        assert self.lm is not None
        pushes = context.Pushes(occurrences, self.lm.p_unigram)
        # Lines are prepared again rather than kept from the first pass: a long document's
        # lattices would all be held at once (its words' candidates are cached anyway).
        again = ((i, inputs[i], self._prepare(inputs[i], lexicon)) for i in pushes.again)
        for i, line, prepared, ids, emitted in self._decode(
            ((i, line, p) for i, line, p in again if p is not None), batch_size, pushes
        ):
            finish(i, line, prepared, ids, emitted)
        return [out.get(i) or Restoration(text) for i, text in enumerate(texts)]

    def _work(
        self,
        lines: Sequence[str],
        out: list[str],
        batch_size: int,
        document: bool,
        lexicon: Lexicon | None = None,
    ) -> Iterator[tuple[int, str, Prepared]]:
        """The lines that restoration may change, prepared, in order; ``out`` receives the
        others' results (long lines, restored piece by piece, and legacy-font conversions)."""
        for i, line in enumerate(lines):
            if len(line) > MAX_LINE:
                # Piece by piece: a long line's lattice is large; one at a time caps memory.
                pieces = self.restore_lines(
                    _split_long(line), batch_size=1, document=document, lexicon=lexicon
                )
                out[i] = "".join(pieces)
                continue
            converted = convert_legacy(line, is_syllable)  # VNI / TCVN3 fonts → Unicode
            if converted != line:
                out[i] = line = converted
            prepared = self._prepare(line, lexicon)
            if prepared is not None:
                yield i, line, prepared

    def _decode(
        self,
        work: Iterable[tuple[int, str, Prepared]],
        batch_size: int,
        pushes: context.Pushes | None = None,
    ) -> Iterator[tuple[int, str, Prepared, list[int], list[np.ndarray | None]]]:
        """Decode the prepared lines in batches; ``pushes`` (document context's log-bonuses
        per lattice position) replace the lattice's own bonus there. Yields each line with
        its chosen candidates and the bonuses it was decoded with."""
        assert self.lm is not None
        pending: list[tuple[int, str, Prepared]] = []

        def emissions(i: int, bonus: list[np.ndarray | None]) -> list[np.ndarray | None]:
            if pushes is None:
                return bonus
            changed = list(bonus)
            for at, push in pushes.line(i):
                changed[at] = push
            return changed

        def flush() -> Iterator[tuple[int, str, Prepared, list[int], list[np.ndarray | None]]]:
            assert self.lm is not None
            emitted = [emissions(p[0], p[2][3]) for p in pending]
            chosen = self.lm.viterbi_many([p[2][2] for p in pending], emitted)
            for (i, line, prepared), ids, bonus in zip(pending, chosen, emitted, strict=True):
                yield i, line, prepared, ids, bonus
            pending.clear()

        for item in work:
            pending.append(item)
            if len(pending) >= batch_size:
                yield from flush()
        if pending:
            yield from flush()


def _in_compound(line: str, start: int, end: int) -> bool:
    """The word at ``line[start:end]`` is part of a hyphenated or dotted compound
    ("cát-xê", "T.Ư")."""
    before, after = line[max(start - 2, 0) : start], line[end : end + 2]
    return (
        before.endswith("-")
        or after.startswith("-")
        or (len(before) == 2 and before[1] == "." and before[0].isalpha())
        or (len(after) == 2 and after[0] == "." and after[1].isalpha())
    )


_BINARY_RE = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\udc80-\udcff]")


def _looks_binary(line: str) -> bool:
    """Control characters, replacement characters or undecodable bytes in 2 % of the line."""
    bad = len(_BINARY_RE.findall(line))
    return bad > 0 and bad * 50 >= len(line)


def _split_long(line: str) -> list[str]:
    """Cut a very long line into pieces of at most MAX_LINE characters at spaces."""
    pieces: list[str] = []
    start = 0
    while len(line) - start > MAX_LINE:
        cut = line.rfind(" ", start + 1, start + MAX_LINE)
        if cut <= start:
            cut = start + MAX_LINE
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces


@lru_cache(maxsize=1)
def default_restorer() -> Restorer:
    return Restorer()


def restore(text: str) -> str:
    """Restore diacritics and correct OCR noise; text it cannot improve comes back unchanged.

    Multi-line input is restored line by line, as one document (each word is also read
    as the text reads it elsewhere), and keeps its line breaks.
    """
    return default_restorer()(text)


def restore_lines(lines: Sequence[str], *, document: bool = False) -> list[str]:
    """Restore a list of lines (one output per input line, same order); ``document``: the
    lines are one text, not independent items (see :meth:`Restorer.restore_lines`)."""
    return default_restorer().restore_lines(lines, document=document)


__all__ = [
    "Lexicon",
    "Restoration",
    "Restorer",
    "WordChoice",
    "default_restorer",
    "restore",
    "restore_lines",
]
