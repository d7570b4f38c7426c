"""Vietnamese order for names of people and units: one key, usable in Python and in SQL.

Code-point order puts "Điện lực" after "Yên Bái" and "Ánh" after "Yến"; Vietnamese
dictionaries order letters as a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
and compare the tones (none, huyền, hỏi, ngã, sắc, nặng) only when the letters tie.

`vn_key(text)` is a string of digits that sorts in that order under any database
collation (digits compare the same in "C", ICU and glibc locales), so it can be stored in
an indexed column (`Unit.sort_key`, `Member.sort_key`) and used with `order_by`, or used
directly as a `sorted(key=…)`. People are ordered the Vietnamese way by given name, then
middle name, then surname: `person_key("Nguyễn Thị Lan")` compares "Lan Thị Nguyễn".

Steps of `vn_key`:
1. split into words (letters and digits; everything else separates words);
2. primary part: each character as two digits by its place in the alphabet above (digits
   first), words separated by "01", the end marked by "00" (so "An" < "An Bình" < "Anh");
3. secondary part: the tone of each character, one digit each, in the same order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

import regex

from congdoan.text.vietnamese import strip_marks

KEY_LENGTH = 1000

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {ch: f"{20 + i:02d}" for i, ch in enumerate(_ALPHABET)}
_PRIMARY.update({str(d): f"{10 + d:02d}" for d in range(10)})
# Tones in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_WORD = regex.compile(r"[\p{L}\p{N}]+")


def _letter_and_tone(ch: str) -> tuple[str, str]:
    """("ấ" → "â", "4"): the letter with its shape kept and its tone taken off."""
    parts = unicodedata.normalize("NFD", ch)
    tone = "0"
    kept = []
    for part in parts:
        if part in _TONES:
            tone = _TONES[part]
        else:
            kept.append(part)
    letter = unicodedata.normalize("NFC", "".join(kept))
    if letter not in _PRIMARY and len(letter) == 1:
        # A letter outside Vietnamese (é with a shape we do not know…): its base letter.
        base = strip_marks(letter)
        letter = base if base in _PRIMARY else letter
    return letter, tone


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def _key(words: list[str]) -> str:
    primary: list[str] = []
    secondary: list[str] = []
    for i, word in enumerate(words):
        if i:
            primary.append("01")
        for ch in word:
            letter, tone = _letter_and_tone(ch)
            primary.append(_PRIMARY.get(letter, "99"))
            secondary.append(tone)
    return ("".join(primary) + "00" + "".join(secondary))[:KEY_LENGTH]


def vn_key(text: str) -> str:
    """Sort key of a text in Vietnamese dictionary order (a string of digits)."""
    return _key(_words(text))


def person_key(full_name: str) -> str:
    """Sort key of a Vietnamese full name: given name, then middle name(s), then surname."""
    words = _words(full_name)
    if len(words) > 1:
        words = [words[-1], *words[1:-1], words[0]]
    return _key(words)


def units_tree_order(units: Iterable[Any]) -> list[Any]:
    """Units depth first, siblings in Vietnamese order (their stored `sort_key`): the order
    of an indented drop-down.

    A unit whose parent is not among `units` starts its own branch at the top.
    """
    units = list(units)
    ids = {u.pk for u in units}
    children: dict[int | None, list[Any]] = {}
    for u in units:
        children.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)

    def walk(parent_id: int | None) -> Iterator[Any]:
        for child in sorted(children.get(parent_id, []), key=lambda u: u.sort_key):
            yield child
            yield from walk(child.pk)

    return list(walk(None))
