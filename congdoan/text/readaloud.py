"""Vietnamese text as a speaker reads it: numbers, dates, times and abbreviations in words.

A loudspeaker reader (or a text-to-speech engine) should not have to work out "1.250.000đ",
"27/11/2026", "7h30" or "CĐCS" on the spot. :func:`read_aloud` writes them out the way a
Northern reader says them: "một triệu hai trăm năm mươi nghìn đồng", "ngày hai mươi bảy
tháng mười một năm hai nghìn không trăm hai mươi sáu", "bảy giờ ba mươi phút", "công đoàn
cơ sở". :func:`reading_time` estimates how long reading takes.

Rules (applied in this order, each on what the previous ones left):

1. phone numbers (0912 345 678, +84…, 1900 xxxx) digit by digit, groups as written;
2. document numbers "12/2019/NĐ-CP" → "số mười hai năm hai nghìn không trăm mười chín của
   Chính phủ" (the issuing body from a small table, an unknown code left as written);
3. dates dd/mm/yyyy, mm/yyyy and dd/mm ("ngày" added unless the text says it already);
4. times 7h30, 7h, 07:30 → "bảy giờ ba mươi phút";
5. abbreviations (:data:`ABBREVIATIONS`: the union's own — CĐCS, LĐLĐ, NLĐ, ATVSLĐ — and
   TP., Q., v.v.), whole tokens only, case as written;
6. Roman numerals after Chương, Phần, Mục, Đại hội, khóa ("Chương IV" → "Chương bốn") and
   ordinals "thứ 1" / "thứ 4" → "thứ nhất" / "thứ tư";
7. ranges "2024–2026", "7–9" → "… đến …"; money "đ", "VNĐ" → "đồng";
8. numbers: "1.250.000" (full stop groups thousands), decimals with a comma ("3,5" → "ba
   phẩy năm"), percentages ("90%" → "chín mươi phần trăm"), plain integers; a digit string
   with a leading zero or longer than 15 digits (an account, a code) digit by digit.

Number words follow the Northern reading heard on the radio: "linh" for an empty tens place
(105 → "một trăm linh năm"), "mốt" for a final 1 after mươi (21 → "hai mươi mốt"), "lăm" for
a final 5 after mười/mươi (15 → "mười lăm", 25 → "hai mươi lăm"), "tư" for a final 4 after
mươi (24 → "hai mươi tư"), "không trăm" for an empty hundreds place inside a larger number
(2026 → "hai nghìn không trăm hai mươi sáu"). A year is read as this cardinal ("1995" →
"một nghìn chín trăm chín mươi lăm"), as Vietnamese readers do.

Why our own rules and not g2p-hamster (PyPI, Apache-2.0, checked at version 0.2.8): it is a
complete front end for neural TTS whose output is phonemes in its own inventory, not text
for espeak-ng or a human reader; it is an 18 MB wheel at ~140 sentences/s; and on the
union's own words it reads wrongly what matters most here: it spells "CĐCS", "NLĐ", "LĐLĐ",
"ATVSLĐ" letter by letter, reads "ĐT" (điện thoại) as "đội tuyển" and uses the Southern
"lẻ". The rules below are a page of code, tested case by case, with the union's table.

Pure Python, no Django (the toolkit's contract).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import timedelta

__all__ = [
    "ABBREVIATIONS",
    "WORDS_PER_MINUTE",
    "digits_to_words",
    "number_to_words",
    "read_aloud",
    "reading_time",
    "syllable_count",
]

# Syllables per minute of a loudspeaker reader. Vietnamese is written one syllable per
# "word" (space-separated), so a syllable count is what a reading rate counts. Ordinary
# conversation runs well above 200 syllables a minute; a loudspeaker reader on a commune or
# factory system slows down deliberately, because the sound reaches listeners from several
# horns at once with echoes between buildings, and each syllable's tone must stay
# distinguishable over them. 160 sits inside the 150–180 range that announcers aim for on
# such systems and is the figure the audio bulletin gives espeak-ng (congdoan.content.audio),
# so the estimate and the recording agree; an officer who knows their reader is faster
# passes words_per_minute.
WORDS_PER_MINUTE = 160
# A pause at each sentence end and each comma-like break (seconds), which a syllable count
# misses: a reader breathes there.
SENTENCE_PAUSE_S = 0.6
CLAUSE_PAUSE_S = 0.25

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"))


def _below_hundred(n: int, *, inside: bool) -> str:
    """0–99; `inside`: a hundreds place stands before it (so 5 → "linh năm")."""
    tens, unit = divmod(n, 10)
    if tens == 0:
        if unit == 0:
            return ""
        return f"linh {DIGITS[unit]}" if inside else DIGITS[unit]
    head = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 5:
        tail = "lăm"
    elif unit == 1 and tens > 1:
        tail = "mốt"
    elif unit == 4 and tens > 1:
        tail = "tư"
    else:
        tail = DIGITS[unit]
    return f"{head} {tail}"


def _below_thousand(n: int, *, full: bool) -> str:
    """0–999; `full`: a larger scale stands before it, so an empty hundreds place is said
    ("không trăm hai mươi sáu")."""
    hundreds, rest = divmod(n, 100)
    if hundreds == 0 and not full:
        return _below_hundred(rest, inside=False)
    words = f"{DIGITS[hundreds]} trăm"
    if rest:
        words += " " + _below_hundred(rest, inside=True)
    return words


def number_to_words(n: int) -> str:
    """A non-negative (or negative: "âm …") integer in Vietnamese words, Northern style.

    >>> number_to_words(1250000)
    'một triệu hai trăm năm mươi nghìn'
    """
    if n < 0:
        return "âm " + number_to_words(-n)
    if n == 0:
        return DIGITS[0]
    return _join_scales(n, full=False)


def _join_scales(n: int, *, full: bool) -> str:
    for size, name in _SCALES:
        if n >= size:
            high, low = divmod(n, size)
            # Above a billion the high part is itself a number ("một nghìn tỷ").
            words = f"{_join_scales(high, full=full)} {name}"
            if low:
                words += " " + _join_scales(low, full=True)
            return words
    return _below_thousand(n, full=full)


def digits_to_words(digits: str) -> str:
    """Each digit in words: "0912" → "không chín một hai" (phone numbers, codes)."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


def _decimal_words(integer: str, fraction: str) -> str:
    whole = number_to_words(int(integer.replace(".", "")))
    # "3,5" → "ba phẩy năm", "3,25" → "ba phẩy hai mươi lăm"; "0,05" or "3,125" digit by
    # digit, as the number is then easier to follow.
    if len(fraction) <= 2 and not fraction.startswith("0"):
        part = number_to_words(int(fraction))
    else:
        part = digits_to_words(fraction)
    return f"{whole} phẩy {part}"


# The union's abbreviations and a few common ones. Whole tokens only; the longest first.
ABBREVIATIONS: dict[str, str] = {
    "TLĐLĐVN": "Tổng Liên đoàn Lao động Việt Nam",
    "CNVCLĐ": "công nhân, viên chức, lao động",
    "ATVSLĐ": "an toàn, vệ sinh lao động",
    "BLĐTBXH": "Bộ Lao động, Thương binh và Xã hội",
    "TƯLĐTT": "thỏa ước lao động tập thể",
    "NSDLĐ": "người sử dụng lao động",
    "ĐVCĐ": "đoàn viên công đoàn",
    "TLĐ": "Tổng Liên đoàn",
    "LĐLĐ": "Liên đoàn Lao động",
    "CĐCS": "công đoàn cơ sở",
    "CĐCT": "công đoàn cấp trên",
    "CNLĐ": "công nhân lao động",
    "BHXH": "bảo hiểm xã hội",
    "BHYT": "bảo hiểm y tế",
    "BHTN": "bảo hiểm thất nghiệp",
    "HĐLĐ": "hợp đồng lao động",
    "BLLĐ": "Bộ luật Lao động",
    "HĐND": "Hội đồng nhân dân",
    "UBND": "Ủy ban nhân dân",
    "TP.HCM": "Thành phố Hồ Chí Minh",
    "TPHCM": "Thành phố Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
    "NLĐ": "người lao động",
    "BCH": "Ban Chấp hành",
    "KCN": "khu công nghiệp",
    "KCX": "khu chế xuất",
    "TNHH": "trách nhiệm hữu hạn",
    "SĐT": "số điện thoại",
    "ĐT": "điện thoại",
    "CĐ": "công đoàn",
    "VN": "Việt Nam",
    "TP.": "thành phố",
    "TX.": "thị xã",
    "Q.": "quận",
    "P.": "phường",
    "v.v.": "vân vân",
    "v.v": "vân vân",
}

# Issuing bodies at the end of a document number ("…/2019/NĐ-CP").
_ISSUERS: dict[str, str] = {
    "NĐ-CP": "của Chính phủ",
    "QĐ-TTg": "của Thủ tướng Chính phủ",
    "TT-BLĐTBXH": "của Bộ Lao động, Thương binh và Xã hội",
    "QĐ-TLĐ": "của Tổng Liên đoàn Lao động Việt Nam",
    "HD-TLĐ": "của Tổng Liên đoàn Lao động Việt Nam",
}

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ORDINALS = {1: "nhất", 4: "tư"}
_MONTHS = {4: "tư"}  # "tháng tư", never "tháng bốn"

_PHONE = re.compile(
    r"(?<![\w.,])(?:\+84[ .]?|0)(?:\d[ .]?){8,9}\d(?![\w])"  # mobile / landline, 10–11 digits
    r"|(?<![\w.,])1[89]00[ .]?\d{3,4}[ .]?\d{0,4}(?![\w])"  # 1900 / 1800 numbers
)
_DOCUMENT = re.compile(r"\b(\d{1,4})/(\d{4})/([A-ZĐ][\wĐđ]*(?:-[\wĐđ]+)*)")
_DATE_DMY = re.compile(r"(ngày\s+)?\b(\d{1,2})/(\d{1,2})/(\d{4})\b", re.IGNORECASE)
_DATE_MY = re.compile(r"(tháng\s+)?\b(\d{1,2})/(\d{4})\b", re.IGNORECASE)
_DATE_DM = re.compile(r"(ngày\s+)?(?<![\d/])\b(\d{1,2})/(\d{1,2})\b(?![/\d])", re.IGNORECASE)
_TIME = re.compile(r"\b(\d{1,2})(?:[hH](\d{2})?|:(\d{2}))(?![\w:])")
_ROMAN_AFTER = re.compile(
    r"\b(Chương|chương|Phần|phần|Mục|mục|Đại hội|đại hội|[Kk]hóa|[Kk]hoá|lần thứ)\s+([IVXLC]+)\b"
)
_ORDINAL = re.compile(r"\b(thứ)\s+(\d{1,3})\b")
_MONTH = re.compile(r"\b([Tt]háng)\s+0?(4)\b")
_RANGE = re.compile(r"(\d)\s*[–—-]\s*(\d)")
_MONEY = re.compile(r"(\d)\s*(?:đ|VNĐ|VND|vnđ)(?![\w])")
_NUMBER = re.compile(r"(?<![\w,])(-)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(\s*%)?")
# A key ending in a full stop ("Q.", "TP.") may touch what follows ("Q.1"); others are
# whole tokens.
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(
        f"({re.escape(key)})" + ("" if key.endswith(".") else r"(?![\w])")
        for key in sorted(ABBREVIATIONS, key=len, reverse=True)
    )
    + ")"
)
_SPACES = re.compile(r"[ \t]+")
_SYLLABLE = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_CLAUSE_BREAK = re.compile(r"[,;:–—]")


def _phone(match: re.Match[str]) -> str:
    text = match.group(0).replace("+84", "0 ").strip()
    groups = [g for g in re.split(r"[ .]", text) if g]
    if len(groups) == 1:  # "0912345678": 4-3-3, as people say it
        digits = groups[0]
        groups = [digits[:4], digits[4:7], digits[7:]] if len(digits) >= 10 else [digits]
    if match.group(0).startswith("+84"):
        groups = ["cộng tám tư", *groups[1:]]
        return ", ".join([groups[0], *(digits_to_words(g) for g in groups[1:])])
    return ", ".join(digits_to_words(g) for g in groups)


def _document(match: re.Match[str]) -> str:
    number, year, code = match.groups()
    issuer = _ISSUERS.get(code)
    if issuer is None and re.fullmatch(r"QH\d+", code):
        issuer = f"của Quốc hội khóa {number_to_words(int(code[2:]))}"
    words = f"số {number_to_words(int(number))} năm {number_to_words(int(year))}"
    return f"{words} {issuer or code}"


def _valid_date(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _month(month: int) -> str:
    return _MONTHS.get(month) or number_to_words(month)


def _date_dmy(match: re.Match[str]) -> str:
    prefix, day, month, year = match.groups()
    if not _valid_date(int(day), int(month)):
        return match.group(0)
    head = prefix or "ngày "
    return (
        f"{head}{number_to_words(int(day))} tháng {_month(int(month))} "
        f"năm {number_to_words(int(year))}"
    )


def _date_my(match: re.Match[str]) -> str:
    prefix, month, year = match.groups()
    if not 1 <= int(month) <= 12:
        return match.group(0)
    return f"{prefix or 'tháng '}{_month(int(month))} năm {number_to_words(int(year))}"


def _date_dm(match: re.Match[str]) -> str:
    prefix, day, month = match.groups()
    if not _valid_date(int(day), int(month)):
        return match.group(0)
    return f"{prefix or 'ngày '}{number_to_words(int(day))} tháng {_month(int(month))}"


def _time(match: re.Match[str]) -> str:
    hour, minutes = int(match.group(1)), match.group(2) or match.group(3)
    if hour > 24 or (minutes is not None and int(minutes) > 59):
        return match.group(0)
    words = f"{number_to_words(hour)} giờ"
    if minutes and int(minutes):
        words += f" {number_to_words(int(minutes))} phút"
    return words


def _roman_value(numeral: str) -> int | None:
    total = 0
    for index, letter in enumerate(numeral):
        value = _ROMAN[letter]
        following = _ROMAN[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if total > 0 else None


def _roman(match: re.Match[str]) -> str:
    value = _roman_value(match.group(2))
    if value is None:
        return match.group(0)
    word = "tư" if value == 4 and match.group(1).endswith("thứ") else number_to_words(value)
    return f"{match.group(1)} {word}"


def _ordinal(match: re.Match[str]) -> str:
    value = int(match.group(2))
    return f"{match.group(1)} {_ORDINALS.get(value) or number_to_words(value)}"


def _number(match: re.Match[str]) -> str:
    sign, integer, fraction, percent = match.groups()
    plain = integer.replace(".", "")
    if (
        fraction is None
        and "." not in integer
        and ((len(plain) > 1 and plain.startswith("0")) or len(plain) > 15)
    ):
        words = digits_to_words(plain)
    elif fraction is not None:
        words = _decimal_words(integer, fraction)
    else:
        words = number_to_words(int(plain))
    if sign:
        words = "âm " + words
    if percent:
        words += " phần trăm"
    return words


def _abbreviation(match: re.Match[str]) -> str:
    key = match.group(match.lastindex or 0)
    words = ABBREVIATIONS[key]
    if key.endswith("."):
        rest = match.string[match.end() :]
        # "… v.v." closing a sentence: its full stop is also the sentence's.
        if not rest.strip() or (key == "v.v." and re.match(r"\s+[A-ZÀ-ỸĐ]", rest)):
            words += "."
        elif not rest.startswith((" ", "\n")):
            words += " "
    return words


def _sentence_case(replace: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
    """What `replace` writes at the start of a sentence starts with a capital ("CĐCS họp." →
    "Công đoàn cơ sở họp."); a sentence the writer began in lower case is left so."""

    def replace_in_sentence(match: re.Match[str]) -> str:
        words = replace(match)
        before = match.string[: match.start()]
        written = match.group(0)
        starts = not before.strip() or re.search(r"[.!?\n]\s*$", before)
        if words and starts and not written[:1].islower():
            words = words[0].upper() + words[1:]
        return words

    return replace_in_sentence


def read_aloud(text: str) -> str:
    """`text` with numbers, dates, times and abbreviations written out for reading aloud.

    Sentences, punctuation and line breaks stay where they were (a reader pauses there).

    >>> read_aloud("CĐCS hỗ trợ 1.250.000 đồng cho 21 NLĐ.")
    'Công đoàn cơ sở hỗ trợ một triệu hai trăm năm mươi nghìn đồng cho hai mươi mốt người lao động.'
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("…", ", ").replace("&", " và ")
    text = _PHONE.sub(_sentence_case(_phone), text)
    text = _DOCUMENT.sub(_sentence_case(_document), text)
    text = _DATE_DMY.sub(_sentence_case(_date_dmy), text)
    text = _DATE_MY.sub(_sentence_case(_date_my), text)
    text = _DATE_DM.sub(_sentence_case(_date_dm), text)
    text = _TIME.sub(_sentence_case(_time), text)
    text = _ABBREVIATION.sub(_sentence_case(_abbreviation), text)
    text = _ROMAN_AFTER.sub(_sentence_case(_roman), text)
    text = _ORDINAL.sub(_sentence_case(_ordinal), text)
    text = _MONTH.sub(lambda m: f"{m.group(1)} tư", text)
    text = _RANGE.sub(r"\1 đến \2", text)
    text = _MONEY.sub(r"\1 đồng", text)
    text = _NUMBER.sub(_sentence_case(_number), text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return text


def syllable_count(text: str) -> int:
    """The syllables a reader says: the read-aloud form's letter runs ("1.250.000" is 7)."""
    return len(_SYLLABLE.findall(read_aloud(text)))


def reading_time(text: str, words_per_minute: int = WORDS_PER_MINUTE) -> timedelta:
    """How long reading `text` aloud takes at `words_per_minute` syllables a minute, with a
    breath at each sentence end and each comma (see :data:`WORDS_PER_MINUTE`), to the second.
    """
    if words_per_minute <= 0:
        raise ValueError("words_per_minute must be positive")
    spoken = read_aloud(text)
    syllables = len(_SYLLABLE.findall(spoken))
    if not syllables:
        return timedelta(0)
    pauses = len(_SENTENCE_END.findall(spoken)) * SENTENCE_PAUSE_S
    pauses += len(_CLAUSE_BREAK.findall(spoken)) * CLAUSE_PAUSE_S
    return timedelta(seconds=math.ceil(syllables * 60 / words_per_minute + pauses))
