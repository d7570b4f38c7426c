"""What each word of a line may become: `LatticeBuilder` cuts a line into units and gives each
slot its candidate syllables with their log-scores (steps 2–3 of the package docstring).
Per-word facts are cached per process."""

import itertools
from functools import lru_cache

import numpy as np

from congdoan.text.correct import PENALTY_REAL_WORD, confusions, corrections
from congdoan.text.lexicon import syllable_counts
from congdoan.text.lm import FOREIGN, SyllableLM
from congdoan.text.restore.parts import (
    _SHAPE_RE,
    _UNIT_RE,
    ACCENTED_LINE_SHARE,
    MIN_TRUSTED_COUNT,
    MIN_TRUSTED_ODD_COUNT,
    NOISY,
    PENALTY_ACCENT_IN_ACCENTED,
    PENALTY_CAPITALISED,
    PENALTY_KEEP_NONWORD,
    PENALTY_MARK_CHANGE,
    RARE_LOGPROB,
    SLOT,
    WORD_CACHE_SIZE,
    Slot,
    _in_compound,
    _WordInfo,
    split_units,
)
from congdoan.text.vietnamese import fold, has_marks, normalize_tone

_KINDS = {"letters": SLOT, "noisy": NOISY}  # the restorer's units (`split_units`)


class LatticeBuilder:
    """Candidates for the words of a line; `Restorer` decodes them."""

    def __init__(self, lm: SyllableLM | None = None) -> None:
        self.lm = lm if lm is not None else SyllableLM.default()
        # Per-word facts, computed once per process: a text repeats its words, and these are
        # most of the work of building a lattice. Cached slots are shared: never change one.
        self._word_slot = lru_cache(maxsize=WORD_CACHE_SIZE)(self._compute_slot)
        self._word_info = lru_cache(maxsize=WORD_CACHE_SIZE)(self._compute_word_info)
        self._has_trusted_form = lru_cache(maxsize=WORD_CACHE_SIZE)(self._compute_trusted_form)

    def units(self, line: str) -> list[tuple[int, int, str, int]]:
        """(start, end, text, kind) of the units of a line; kind is SLOT or a special id."""
        return split_units(line, _UNIT_RE, _KINDS)

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
