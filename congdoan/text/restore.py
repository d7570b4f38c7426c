"""Diacritics and OCR-noise restoration.

How it works (steps):
1. the line is split into chunks at whitespace; URLs, e-mail addresses, numbers and codes
   (anything holding a digit, "/", "@", "_", or an upper-case abbreviation such as
   "KH-LĐLĐ") are protected and copied through as they came;
2. the other chunks are cut into letter runs; each letter run is a *slot*: its folded form
   ("cong") is looked up in the syllable lexicon;
3. slots written without marks get the accented form the context model prefers (see
   :mod:`congdoan.text.context_model`); slots that carry marks are kept unless the noise
   corrector finds a much better reading;
4. the case of every character is copied back from the input, so "CONG TY" becomes
   "CÔNG TY" and "Ha Noi" becomes "Hà Nội".

A line that has no slot to improve comes back byte for byte as it came.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from congdoan.text.lexicon import candidates_by_fold
from congdoan.text.vietnamese import fold, has_marks

MAX_LINE = 200_000  # characters; longer lines are processed in pieces

_CHUNK_RE = regex.compile(r"\S+")
_LETTERS_RE = regex.compile(r"\p{L}+")
_PROTECTED_RE = regex.compile(
    r"""(?x)
    ^(?:https?://|www\.|ftp://)        # URLs
    | @ | \d | / | _ | \\              # e-mail, numbers, codes, paths
    | ^[\p{Lu}\d]+(?:-[\p{Lu}\d]+)+$   # abbreviations with dashes: KH-LĐLĐ
    | \.\p{L}{2,4}$                    # file names and domains: bao.docx, abc.com
    """
)


def _transfer_case(source: str, target: str) -> str:
    """Copy the case of ``source`` onto ``target`` character by character (same length)."""
    if source.islower():
        return target
    if len(source) != len(target):
        return target.upper() if source.isupper() else target
    return "".join(t.upper() if s.isupper() else t for s, t in zip(source, target, strict=True))


class Restorer:
    """Callable restorer; the default instance is shared through :func:`restore`."""

    def __init__(self) -> None:
        from congdoan.text.context_model import ContextModel

        self.candidates = candidates_by_fold()
        self.model = ContextModel.load_default()

    def slots(self, line: str) -> list[tuple[int, int, str]]:
        """(start, end, text) of the letter runs that may be restored."""
        out: list[tuple[int, int, str]] = []
        for chunk in _CHUNK_RE.finditer(line):
            text = chunk.group(0)
            if _PROTECTED_RE.search(text):
                continue
            for m in _LETTERS_RE.finditer(text):
                out.append((chunk.start() + m.start(), chunk.start() + m.end(), m.group(0)))
        return out

    def __call__(self, line: str) -> str:
        if not line or line.isspace():
            return line
        if len(line) > MAX_LINE:
            return "".join(self(line[i : i + MAX_LINE]) for i in range(0, len(line), MAX_LINE))
        slots = self.slots(line)
        if not slots:
            return line
        words = [s[2] for s in slots]
        lowered = [w.lower() for w in words]
        folded = [fold(w) for w in lowered]
        # Separators between slots decide whether context flows across them.
        gaps = [line[slots[i][1] : slots[i + 1][0]] for i in range(len(slots) - 1)]
        chosen = self.model.decode(lowered, folded, gaps, self.candidates)
        if chosen == lowered:
            return line
        parts: list[str] = []
        last = 0
        for (start, end, word), new in zip(slots, chosen, strict=True):
            if new == word.lower():
                continue
            parts.append(line[last:start])
            parts.append(_transfer_case(word, new))
            last = end
        parts.append(line[last:])
        return "".join(parts)


@lru_cache(maxsize=1)
def default_restorer() -> Restorer:
    return Restorer()


def restore(text: str) -> str:
    """Restore diacritics and correct OCR noise; text it cannot improve comes back unchanged.

    Multi-line input is restored line by line and keeps its line breaks.
    """
    if not text:
        return text
    restorer = default_restorer()
    if "\n" in text:
        return "\n".join(restorer(line) for line in text.split("\n"))
    return restorer(text)


__all__ = ["Restorer", "default_restorer", "has_marks", "restore"]
