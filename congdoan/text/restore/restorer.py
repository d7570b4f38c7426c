"""The restorer: prepares a line (lexicon bonuses), decodes the best sequence with the trigram
model, measures each word's confidence and copies the case back (steps 4–6 of the package
docstring); `restore`/`restore_lines` use one shared instance."""

import itertools
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from congdoan.text import context
from congdoan.text.legacy import convert_legacy
from congdoan.text.lexicon import is_syllable
from congdoan.text.lm import BOUNDARY, N_SPECIAL
from congdoan.text.restore.lattice import (
    LatticeBuilder,
)
from congdoan.text.restore.parts import (
    LEXICON_BONUS,
    MAX_LINE,
    NOISY,
    SLOT,
    Lexicon,
    Prepared,
    Restoration,
    Slot,
    WordChoice,
    _looks_binary,
    _split_long,
    _transfer_case,
)
from congdoan.text.vietnamese import fold, normalize_tone


class Restorer(LatticeBuilder):
    """Callable restorer; the default instance is shared through :func:`restore`."""

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
