"""Detect and convert text typed in the legacy VNI-Windows and TCVN3 (ABC) fonts.

Such text arrives as Unicode whose letters are the glyph codes of the old font, e.g.
"Coâng ñoaøn" (VNI) or "C«ng ®oµn" (TCVN3) for "Công đoàn". We convert a line when it
carries characters that Vietnamese Unicode text never uses and the conversion raises the
share of tokens that are real Vietnamese syllables.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import regex

# Tone marks as combining characters: sắc, huyền, hỏi, ngã, nặng.
_S, _H, _R, _N, _J = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"


def _compose(*parts: str) -> str:
    return unicodedata.normalize("NFC", "".join(parts))


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    tone_lower = {"ù": _S, "ø": _H, "û": _R, "õ": _N, "ï": _J}
    circ_lower = {"â": "", "á": _S, "à": _H, "å": _R, "ã": _N, "ä": _J}
    breve_lower = {"ê": "", "é": _S, "è": _H, "ú": _R, "ü": _N, "ë": _J}
    for upper in (False, True):

        def cased(s: str, upper: bool = upper) -> str:
            return s.upper() if upper else s

        for base in "aeouy":
            for code, tone in tone_lower.items():
                table[cased(base) + cased(code)] = _compose(cased(base), tone)
        for base in "aeo":
            for code, tone in circ_lower.items():
                table[cased(base) + cased(code)] = _compose(cased(base), _CIRC, tone)
        for code, tone in breve_lower.items():
            table[cased("a") + cased(code)] = _compose(cased("a"), _BREVE, tone)
        for horn_code, base in (("ô", "o"), ("ö", "u")):
            for code, tone in tone_lower.items():
                table[cased(horn_code) + cased(code)] = _compose(cased(base), _HORN, tone)
        singles = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ó": "ĩ", "ò": "ị", "æ": "ỉ", "î": "ỵ"}
        for code, letter in singles.items():
            table[cased(code)] = cased(letter)
    return table


def _tcvn3_table() -> dict[str, str]:
    rows = {
        "a": "µ¸¶·¹",
        "ă": "»¾¼½Æ",
        "â": "ÇÊÈÉË",
        "e": "ÌÐÎÏÑ",
        "ê": "ÒÕÓÔÖ",
        "i": "×ÝØÜÞ",
        "o": "ßãáâä",
        "ô": "åèæçé",
        "ơ": "êíëìî",
        "u": "ïóñòô",
        "ư": "õøö÷ù",
        "y": "úýûüþ",
    }
    tones = (_H, _S, _R, _N, _J)
    table: dict[str, str] = {}
    for base, codes in rows.items():
        for code, tone in zip(codes, tones, strict=True):
            table[code] = _compose(base, tone)
    table.update({"¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\xad": "ư", "®": "đ"})
    table.update({"¡": "Ă", "¢": "Â", "§": "Đ", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư"})
    return table


VNI_TABLE = _vni_table()
TCVN3_TABLE = _tcvn3_table()

_VNI_RE = regex.compile("|".join(sorted(map(regex.escape, VNI_TABLE), key=len, reverse=True)))
_TCVN3_RE = regex.compile("|".join(map(regex.escape, TCVN3_TABLE)))
# Characters that never occur in Vietnamese Unicode text but do in the legacy fonts.
_VNI_SIGNS = set("øïñöûäåëüæØÏÑÖÛÄÅËÜÆ")
_TCVN3_SIGNS = set("µ¸¶·¹»¾¼½Æ©ª«¬\xad®¨ÇÊÈËÌÐÎÏÑÒÕÓÔÖ×ÝØÜÞßäåæçèëîïñö÷øûüþ§¡¢£¤¥¦")
_WORD_RE = regex.compile(r"\p{L}+")
_VNI_SIGN_RE = regex.compile("[" + regex.escape("".join(sorted(_VNI_SIGNS))) + "]")
_TCVN3_SIGN_RE = regex.compile("[" + regex.escape("".join(sorted(_TCVN3_SIGNS))) + "]")
_ANY_SIGN_RE = regex.compile("[" + regex.escape("".join(sorted(_VNI_SIGNS | _TCVN3_SIGNS))) + "]")
# A legacy font's sign is part of a word (a letter or another sign beside it): "C«ng ®oµn".
# A sign standing alone is a symbol of Unicode text ("Bản quyền © 2024"), never converted.
_SIGNS = regex.escape("".join(sorted(_VNI_SIGNS | _TCVN3_SIGNS)))
_SIGN_IN_WORD_RE = regex.compile(rf"[\p{{L}}{_SIGNS}][{_SIGNS}]|[{_SIGNS}][\p{{L}}{_SIGNS}]")


def vni_to_unicode(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI_TABLE[m.group(0)], text)


def tcvn3_to_unicode(text: str) -> str:
    return _TCVN3_RE.sub(lambda m: TCVN3_TABLE[m.group(0)], text)


def _valid_share(text: str, is_syllable: Callable[[str], bool]) -> float:
    words = _WORD_RE.findall(text)
    if not words:
        return 0.0
    return sum(1 for w in words if is_syllable(w.lower())) / len(words)


def detect_legacy(text: str, is_syllable: Callable[[str], bool]) -> str | None:
    """Return "vni", "tcvn3" or None for one line of text."""
    if text.isascii() or not _SIGN_IN_WORD_RE.search(text):
        return None
    signs_vni = len(_VNI_SIGN_RE.findall(text))
    signs_tcvn = len(_TCVN3_SIGN_RE.findall(text))
    before = _valid_share(text, is_syllable)
    best: tuple[float, str | None] = (before + 0.1, None)
    if signs_vni:
        share = _valid_share(vni_to_unicode(text), is_syllable)
        if share > best[0]:
            best = (share, "vni")
    if signs_tcvn:
        share = _valid_share(tcvn3_to_unicode(text), is_syllable)
        if share > best[0]:
            best = (share, "tcvn3")
    return best[1]


def convert_legacy(text: str, is_syllable: Callable[[str], bool]) -> str:
    """Convert a line typed in VNI or TCVN3 to Unicode; other lines come back unchanged."""
    kind = detect_legacy(text, is_syllable)
    if kind == "vni":
        return vni_to_unicode(text)
    if kind == "tcvn3":
        return tcvn3_to_unicode(text)
    return text
