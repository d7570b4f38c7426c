"""Teen-code and chat shorthand written out, so that a comment typed "cđ ko giúp dc j" reads
"công đoàn không giúp được gì" before it is scored or matched.

Social-media text about workers and the union is full of shorthand: chat abbreviations
(ko, k, hok → không; dc, đc → được; j → gì), the union's own acronyms (cđ, cđcs, lđlđ, nlđ,
bhxh, kpcđ), letter swaps (w for qu: "wá" → "quá"; f for ph: "fải" → "phải"; z/j for d/gi)
and stretched letters ("ko đc đâuuuu"). :func:`expand` writes them out:

- a token (a run of letters and digits, not glued to a digit, so "50k" stays) whose lower-case
  form is in :data:`TEENCODE` is replaced by its expansion (lower case);
- letters repeated three times or more are squeezed to one when that gives a Vietnamese
  syllable or a known shorthand ("đâuuu" → "đâu", "kooo" → "không");
- w → qu, f → ph, z → d, j → gi at the start of a token, only when the token is not already a
  syllable and the result is one ("wá" → "quá", "fải" → "phải"; "wifi", "zalo" stay).

Only what is unambiguous in text about work and the union is in the map: "k" is "không" but
"kg" is not; "cn" is "công nhân" (a factory comment far more often than "chủ nhật");
profanity abbreviations (dm, vcl …) are left as typed, because the toxicity model learnt them
as typed. No Django; used by congdoan.monitoring's detection and anything else that scores
chat text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from congdoan.text.lexicon import is_syllable
from congdoan.text.vietnamese import fold

# Lower-case token → what it stands for (lower case). Keys with and without "đ" both listed.
TEENCODE: dict[str, str] = {
    # không
    "ko": "không",
    "k": "không",
    "kh": "không",
    "khg": "không",
    "hok": "không",
    "hk": "không",
    "hem": "không",
    "khum": "không",
    "khôm": "không",
    "hông": "không",
    "k0": "không",
    "kô": "không",
    # được
    "dc": "được",
    "đc": "được",
    "dk": "được",
    "đk": "được",
    "dcc": "được",
    # common chat words
    "j": "gì",
    "ji": "gì",
    "z": "vậy",
    "v": "vậy",
    "zậy": "vậy",
    "r": "rồi",
    "rùi": "rồi",
    "ròi": "rồi",
    "vs": "với",
    "ms": "mới",
    "cx": "cũng",
    "cg": "cũng",
    "trc": "trước",
    "ng": "người",
    "ngta": "người ta",
    "mn": "mọi người",
    "mng": "mọi người",
    "mk": "mình",
    "mik": "mình",
    "mh": "mình",
    "bn": "bao nhiêu",
    "bnh": "bao nhiêu",
    "bh": "bây giờ",
    "bjo": "bây giờ",
    "bgio": "bây giờ",
    "bây h": "bây giờ",
    "ntn": "như thế nào",
    "nt": "nhắn tin",
    "ib": "nhắn tin",
    "tl": "trả lời",
    "lm": "làm",
    "ns": "nói",
    "nch": "nói chuyện",
    "bít": "biết",
    "bik": "biết",
    "bit": "biết",
    "wa": "quá",
    "qá": "quá",
    "thik": "thích",
    "iu": "yêu",
    "nhìu": "nhiều",
    "nhiu": "nhiều",
    "đag": "đang",
    "dag": "đang",
    "đg": "đang",
    "chx": "chưa",
    "a/c": "anh chị",
    "ae": "anh em",
    "ace": "anh chị em",
    "sv": "sinh viên",
    "tks": "cảm ơn",
    "thanks": "cảm ơn",
    "cám ơn": "cảm ơn",
    "hnay": "hôm nay",
    "hqua": "hôm qua",
    "sdt": "số điện thoại",
    "sđt": "số điện thoại",
    "tr": "triệu",
    # work and the union
    "cđ": "công đoàn",
    "cd": "công đoàn",
    "cđcs": "công đoàn cơ sở",
    "cdcs": "công đoàn cơ sở",
    "lđlđ": "liên đoàn lao động",
    "ldld": "liên đoàn lao động",
    "tlđ": "tổng liên đoàn",
    "tld": "tổng liên đoàn",
    "tlđlđ": "tổng liên đoàn lao động",
    "tlđlđvn": "tổng liên đoàn lao động việt nam",
    "nlđ": "người lao động",
    "nld": "người lao động",
    "lđ": "lao động",
    "ld": "lao động",
    "cnlđ": "công nhân lao động",
    "cnvc": "công nhân viên chức",
    "cnvclđ": "công nhân viên chức lao động",
    "cn": "công nhân",
    "đv": "đoàn viên",
    "đvcđ": "đoàn viên công đoàn",
    "dvcd": "đoàn viên công đoàn",
    "kpcđ": "kinh phí công đoàn",
    "kpcd": "kinh phí công đoàn",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "bhtn": "bảo hiểm thất nghiệp",
    "hđlđ": "hợp đồng lao động",
    "hdld": "hợp đồng lao động",
    "tƣlđtt": "thỏa ước lao động tập thể",
    "tưlđtt": "thỏa ước lao động tập thể",
    "atvslđ": "an toàn vệ sinh lao động",
    "kcn": "khu công nghiệp",
    "cty": "công ty",
    "dn": "doanh nghiệp",
    "cb": "cán bộ",
    "cbcđ": "cán bộ công đoàn",
    "ubnd": "ủy ban nhân dân",
    "lđtbxh": "lao động thương binh và xã hội",
    "ldtbxh": "lao động thương binh và xã hội",
    "tnhh": "trách nhiệm hữu hạn",
    "ot": "tăng ca",
}

# Word-initial letter swaps of chat spelling: tried only on tokens that are not syllables.
_SWAPS: tuple[tuple[str, str], ...] = (("w", "qu"), ("f", "ph"), ("z", "d"), ("j", "gi"))

_KEYS = sorted(TEENCODE, key=len, reverse=True)
# Standard-library `re` (faster here than `regex`): \w is a Unicode letter, digit or "_".
_EDGE_L = r"(?<![\w/])"
_EDGE_R = r"(?![\w/])"
# A known key, or a token starting with a swap letter, or holding a letter repeated thrice.
_CANDIDATE_RE = re.compile(
    _EDGE_L
    + "(?:"
    + "|".join(re.escape(k) for k in _KEYS)
    + "|[wfzj][^\\W\\d_]+"
    + "|[^\\W\\d_]*([^\\W\\d_])\\1\\1[^\\W\\d_]*"
    + ")"
    + _EDGE_R,
    re.IGNORECASE,
)
_REPEAT_RE = re.compile(r"([^\W\d_])\1{2,}")


@lru_cache(maxsize=65536)
def expand_token(token: str) -> str:
    """The written-out form of one token (itself when it is not shorthand)."""
    low = token.lower()
    hit = TEENCODE.get(low)
    if hit is not None:
        return hit
    squeezed = _REPEAT_RE.sub(r"\1", low)
    if squeezed != low:
        hit = TEENCODE.get(squeezed)
        if hit is not None:
            return hit
        if is_syllable(squeezed):
            return squeezed
        return token  # a stretched word that is no syllable once squeezed: left as typed
    if is_syllable(low):
        return token
    for old, new in _SWAPS:
        if low.startswith(old):
            swapped = new + low[len(old) :]
            if is_syllable(swapped):
                return swapped
    return token


def _replace(match: re.Match[str]) -> str:
    return expand_token(match.group(0))


def _expand_slow(text: str) -> str:
    """The definition: every candidate of the whole text written out (one regex pass)."""
    return _CANDIDATE_RE.sub(_replace, text)


# The fast path cuts the text at its spaces and writes out each piece alone, remembered: a
# match never holds a space (but for the two keys below) and a space is an edge like the end
# of the text, so the pieces joined again are exactly what `_expand_slow` gives. Pieces repeat
# across texts (words, "dc,", "TNHH"), so almost every one is a dictionary hit: 20 µs for a
# 580-character news text against 180 µs for the one regex pass over the whole text, which
# tries 150 keys at every word. A text holding a key with a space, or a character that
# IGNORECASE matches to another's lower case (İ, ı, ſ), takes the one pass.
_SPACED_KEYS = tuple(k for k in TEENCODE if " " in k)
# Characters that IGNORECASE matches to a key's letter though their lower case differs.
_ODD_CASE = ("\u0130", "\u0131", "\u017f")


class PieceWise:
    """``substitute`` applied to a text piece by piece between its spaces, each short piece
    remembered: the same as one pass over the whole text when no match holds a space (the
    caller sends those texts to its one pass), and a dictionary hit for almost every piece."""

    def __init__(self, substitute: Callable[[str], str], *, keep: int = 200_000) -> None:
        self.substitute = substitute
        self.keep = keep
        self.memo: dict[str, str] = {}

    def one(self, piece: str) -> str:
        done = self.memo.get(piece)
        if done is None:
            done = self.substitute(piece)
            if len(piece) <= _PIECE_CHARS:
                if len(self.memo) >= self.keep:
                    self.memo.clear()
                self.memo[piece] = done
        return done

    def __call__(self, text: str) -> str:
        pieces = text.split(" ")
        done = list(map(self.memo.get, pieces))
        if None in done:
            done = [d if d is not None else self.one(p) for d, p in zip(done, pieces, strict=True)]
        return " ".join(done)  # type: ignore[arg-type]


_PIECE_CHARS = 64
_BY_PIECES = PieceWise(lambda piece: _CANDIDATE_RE.sub(_replace, piece))


def expand(text: str) -> str:
    """``text`` with its teen-code and chat shorthand written out (see the module doc)."""
    if not text:
        return text
    low = text.lower()
    for special in _SPACED_KEYS:
        if special in low:
            return _expand_slow(text)
    for special in _ODD_CASE:
        if special in text:
            return _expand_slow(text)
    return _BY_PIECES(text)


def expand_lines(texts: Iterable[str]) -> list[str]:
    """:func:`expand` of each text."""
    return [expand(t) for t in texts]


def folded_map() -> dict[str, str]:
    """The map with folded keys and values (for matching already folded text)."""
    return {fold(k): fold(v) for k, v in TEENCODE.items()}
