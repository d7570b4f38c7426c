"""Read a Vietnamese administrative document the way a clerk does.

Pure functions over text (no database), so that they can be tested on many headers.

How it reads (steps):
1. the first lines are the header. Text from OCR or from a PDF often runs the two header
   columns together on one line ("LĐLĐ THÀNH PHỐ HÀ NỘI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
   so the national motto, "Số: …" and "<place>, ngày … tháng … năm …" are cut out of each
   line wherever they are; matching is done on the folded text (no marks, lower case), which
   has the same length as the text, so a match maps back to the original characters;
2. the upper-case lines left above the number are the issuing bodies: the first is the
   parent (cơ quan chủ quản), the rest the issuer;
3. the type comes from the symbol (21/KH-LĐLĐ → Kế hoạch) and from the centred title line
   (KẾ HOẠCH); agreeing sources give a higher confidence; "V/v" without a type means a
   Công văn;
4. the title (trích yếu) is what follows the type line (or "V/v") up to the body;
5. at the end, "Nơi nhận:" and its "- …" lines are the recipients; the signature block gives
   the capacity (TM. BAN THƯỜNG VỤ / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH …) and the signer's name.
Each field gets a confidence in [0, 1]; absent fields are not returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import regex

from congdoan.text import fold
from congdoan.text.vietnamese import nfc

DOC_TYPE_BY_SYMBOL = {
    "kh": "ke_hoach",
    "ctr": "chuong_trinh",
    "nq": "nghi_quyet",
    "bc": "bao_cao",
    "tb": "thong_bao",
    "qd": "quyet_dinh",
    "hd": "huong_dan",
    "ttr": "to_trinh",
    "bb": "bien_ban",
    "ct": "chi_thi",
    "kl": "ket_luan",
    "gm": "giay_moi",
    "qc": "quy_che",
    "cv": "cong_van",
}
DOC_TYPE_BY_NAME = {
    "ke hoach": "ke_hoach",
    "chuong trinh": "chuong_trinh",
    "nghi quyet": "nghi_quyet",
    "bao cao": "bao_cao",
    "thong bao": "thong_bao",
    "quyet dinh": "quyet_dinh",
    "huong dan": "huong_dan",
    "to trinh": "to_trinh",
    "bien ban": "bien_ban",
    "chi thi": "chi_thi",
    "ket luan": "ket_luan",
    "giay moi": "giay_moi",
    "quy che": "quy_che",
    "cong van": "cong_van",
}
SURNAMES = {
    fold(s)
    for s in [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Mai",
        "Trịnh",
        "Đào",
        "Cao",
        "Lương",
        "Tạ",
        "Chu",
        "Hà",
        "Lâm",
        "Phùng",
        "Kiều",
        "Tô",
        "Triệu",
        "Quách",
        "Đoàn",
        "Vương",
        "Trương",
        "Lại",
        "Thái",
        "Đàm",
        "Nghiêm",
        "Khuất",
        "Lưu",
        "Tăng",
        "Doãn",
        "Kim",
        "Hứa",
        "Văn",
        "Mạc",
        "Lã",
    ]
}

_MOTTO_RE = regex.compile(
    r"cong\s*hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam"
    # "Độc lập" is often misread ("@A44"): accept one odd token in its place
    r"|(?:doc\s+lap|\S*[^\s\w]\S*)?\s*[-–—_.,]*\s*tu\s+do\s*[-–—_.,]*\s*hanh\s+phuc"
)
_NUMBER_RE = regex.compile(
    r"\bso\s*(?P<colon>[:.])?\s*(?P<num>\d{1,5}[a-z]?\s*/\s*[\p{L}\d][\p{L}\d\-/.&]*[\p{L}\d])"
)
_PLACE_DATE_RE = regex.compile(
    r"(?:(?P<place>[a-z][a-z .'-]{1,40}?)\s*,\s*)?ngay[\s.,-]+(?P<d>\d{1,2})[\s.,-]+thang[\s.,-]+(?P<m>\d{1,2})[\s.,-]+nam[\s.,-]+(?P<y>\d{4})"
)
_TYPE_LINE_RE = regex.compile(
    r"^(?P<t>" + "|".join(sorted(DOC_TYPE_BY_NAME, key=len, reverse=True)) + r")\b\s*(?P<rest>.*)$"
)
_VV_RE = regex.compile(r"^\s*(?:v/v|ve viec)\s*[:.]?\s*")
_BODY_START_RE = regex.compile(
    r"^\s*(?:[-–+•]\s*)?(?:can cu|thuc hien|kinh gui|theo de nghi|xet de nghi|trong nam|nham|de |hom nay|i\.|1\.|a\)|ban thuong vu|ban chap hanh [a-z ]*(?:quyet|thong|ban hanh))"
)
_ROLE_RE = regex.compile(
    r"^(?:(?:tm|kt|tl|tuq|q)\s*[.:]\s*\S|ban\s+thuong\s+vu|ban\s+chap\s+hanh|ban\s+chi\s+dao|ban\s+to\s+chuc|"
    r"(?:pho\s+)?chu\s+tich|(?:pho\s+)?truong\s+ban|(?:pho\s+)?chanh\s+van\s+phong|(?:pho\s+)?giam\s+doc|(?:pho\s+)?bi\s+thu|"
    r"(?:pho\s+)?truong\s+phong|thu\s+truong|thu\s+ky|nguoi\s+lap|chu\s+tri|uy\s+vien|cong\s+doan|lien\s+doan|"
    r"to\s+truong|(?:pho\s+)?truong\s+doan)"
)
_MOTTO_WORDS_RE = regex.compile(
    r"\b(?:cong\s+hoa|xa\s+hoi\s+chu|chu\s+nghia\s+viet|doc\s+lap|tu\s+do|hanh\s+phuc)\b"
)
_BODY_KIND_END_RE = regex.compile(
    r"(?:lien\s+doan\s+lao\s+dong|ldld|cong\s+doan(?:\s+co\s+so|\s+nganh)?|ban\s+chap\s+hanh|uy\s+ban\s+nhan\s+dan|ubnd|hoi\s+dong\s+nhan\s+dan)$"
)
_PLACE_START_RE = regex.compile(
    r"^(?:huyen|quan|thanh\s+pho|tp\b|tinh|thi\s+xa|thi\s+tran|xa|phuong|nganh|khu\s+cong\s+nghiep|kcn|cong\s+ty|tong\s+cong\s+ty)\b"
)
_NAME_TAIL_RE = regex.compile(r"(?:^|[\s.;:,])(?P<name>(?:\p{Lu}\p{Ll}*\s+){1,4}\p{Lu}\p{Ll}+)\s*$")
_UPPER_TAIL_RE = regex.compile(
    r"(?P<tail>(?:(?:TM|KT|TL|TUQ|Q)\s*\.\s*)?(?:[\p{Lu}\d][\p{Lu}\d.]*\s*)+)$"
)


@dataclass
class Extracted:
    values: dict[str, Any] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)

    def set(self, name: str, value: Any, confidence: float) -> None:
        if value in (None, "", []):
            return
        self.values[name] = value
        self.confidence[name] = round(confidence, 2)


def number_key(number: str) -> str:
    """How two writings of one number compare: "21 / KH-LĐLĐ" and "21/kh-ldld" are the same."""
    return regex.sub(r"\s+", "", fold(number)).strip(".-/")


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def _cut(line: str, start: int, end: int) -> str:
    return (line[:start] + " " + line[end:]).strip()


def _clean(text: str) -> str:
    text = regex.sub(r"[_=~*|]{2,}|^[-–_.\s]+|[-–_\s]+$", " ", text)
    return regex.sub(r"\s{2,}", " ", text).strip(" ,;")


def extract_metadata(text: str) -> Extracted:
    out = Extracted()
    lines = [nfc(line).rstrip() for line in text.splitlines()]
    header_end = min(len(lines), 18)
    number_line: int | None = None
    left_parts: list[tuple[int, str]] = []

    # 1. the header: cut motto, number and place/date out of each line (above the type line).
    type_guess = _find_type_line(lines, None)
    if type_guess is not None:
        header_end = min(header_end, type_guess)
    for i in range(header_end):
        line = lines[i]
        folded = fold(line)
        for m in reversed(list(_MOTTO_RE.finditer(folded))):
            line = _cut(line, *m.span())
            folded = fold(line)
        m = _NUMBER_RE.search(folded)
        if m and "number" not in out.values:
            number = regex.sub(r"\s*/\s*", "/", line[m.start("num") : m.end("num")]).strip(" .")
            out.set("number", number, 0.95 if m["colon"] else 0.8)
            number_line = i
            line = _cut(line, *m.span())
            folded = fold(line)
        m = _PLACE_DATE_RE.search(folded)
        if m and "issued_on" not in out.values:
            try:
                issued = date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                issued = None
            if issued is not None:
                place = _clean(line[m.start("place") : m.end("place")]) if m["place"] else ""
                out.set("issued_on", issued, 0.95 if place else 0.8)
                out.set("place", place, 0.9)
            line = _cut(line, *m.span())
        if number_line is None or i <= number_line:
            left_parts.append((i, _clean(line)))

    # 2. issuing bodies: upper-case lines above the number (or above the type line).
    type_line = type_guess if type_guess is not None else _find_type_line(lines, number_line)
    stop = number_line if number_line is not None else (type_line if type_line is not None else 0)
    bodies = [
        part
        for i, part in left_parts
        if i < stop or (i == stop and part and number_line is not None)
    ]
    bodies = [b for b in bodies if _is_upper(b) and not _TYPE_LINE_RE.match(fold(b))]
    bodies, wrapped = _join_wrapped(bodies)
    if bodies:
        if len(bodies) >= 2:
            out.set("issuer_parent", bodies[0], 0.85)
            out.set("issuer", " ".join(bodies[1:]), 0.9)
        else:
            out.set("issuer", bodies[0], 0.85 if wrapped else 0.7)
    for name in ("issuer_parent", "issuer"):
        # Words of the national motto in an issuing body: the two header columns were read
        # across (a misread motto is not cut out); an officer must look at it.
        if name in out.values and _MOTTO_WORDS_RE.search(fold(out.values[name])):
            out.confidence[name] = min(out.confidence[name], 0.3)

    # 3. the type, from the symbol and from the title line.
    from_symbol = None
    if "number" in out.values:
        symbol = number_key(out.values["number"]).split("/", 1)[-1]
        first = symbol.split("-", 1)[0] if "-" in symbol else ""
        from_symbol = DOC_TYPE_BY_SYMBOL.get(first)
    from_line = None
    rest = ""
    if type_line is not None:
        m = _TYPE_LINE_RE.match(fold(lines[type_line]).strip())
        assert m is not None
        from_line = DOC_TYPE_BY_NAME[m["t"]]
        stripped = lines[type_line].strip()
        rest = stripped[len(stripped) - len(m["rest"]) :].strip() if m["rest"] else ""
    vv_line = _find_vv_line(lines, min(len(lines), 24))
    if from_symbol and from_line:
        out.set("doc_type", from_line, 0.97 if from_symbol == from_line else 0.6)
    elif from_line:
        out.set("doc_type", from_line, 0.85)
    elif from_symbol:
        out.set("doc_type", from_symbol, 0.8)
    elif vv_line is not None:
        out.set("doc_type", "cong_van", 0.75)

    # 4. the title (trích yếu).
    title_lines: list[str] = [rest] if rest else []
    start = None
    if type_line is not None:
        start = type_line + 1
    elif vv_line is not None:
        first = lines[vv_line]
        cut = _VV_RE.match(fold(first))
        assert cut is not None
        title_lines = [_clean(first[cut.end() :])]
        start = vv_line + 1
    if start is not None:
        i = start
        while i < len(lines) and not lines[i].strip() and not title_lines:
            i += 1
        while i < len(lines) and len(title_lines) < 4:
            line = lines[i].strip()
            if not line or _BODY_START_RE.match(fold(line)):
                break
            if title_lines and (
                line.endswith((".", ":")) or (_is_upper(line) and not _is_upper(title_lines[-1]))
            ):
                break
            # A wrapped title goes on with a lower-case word or a shorter line; a longer line
            # that starts a new sentence is the body.
            if (
                title_lines
                and title_lines[-1]
                and not line[:1].islower()
                and len(line) > len(title_lines[-1])
            ):
                break
            title_lines.append(_clean(line))
            i += 1
        title = " ".join(t for t in title_lines if t)
        out.set("title", title, 0.85 if type_line is not None else 0.75)
    if "title" not in out.values:
        for line in lines[header_end if number_line is not None else 0 :]:
            if line.strip() and not _is_upper(line):
                out.set("title", _clean(line)[:200], 0.3)
                break

    body_start = max(i for i in (type_line, number_line, vv_line, -1) if i is not None) + 1
    _read_closing(lines, out, body_start)
    return out


def _join_wrapped(bodies: list[str]) -> tuple[list[str], bool]:
    """One issuing body wrapped over two lines ("LIÊN ĐOÀN LAO ĐỘNG" / "HUYỆN PHÚ XUYÊN") is one
    body, not a parent and an issuer: a line that ends with the kind of body is followed by
    the place it belongs to."""
    joined: list[str] = []
    wrapped = False
    for body in bodies:
        if (
            joined
            and _BODY_KIND_END_RE.search(fold(joined[-1]).strip())
            and _PLACE_START_RE.match(fold(body).strip())
        ):
            joined[-1] = f"{joined[-1]} {body}"
            wrapped = True
        else:
            joined.append(body)
    return joined, wrapped


def _find_type_line(lines: list[str], number_line: int | None) -> int | None:
    start = (number_line + 1) if number_line is not None else 0
    for i in range(start, min(len(lines), start + 12)):
        raw = lines[i].strip()
        if not raw:
            continue
        m = _TYPE_LINE_RE.match(fold(raw))
        if m is None:
            continue
        head = raw[: len(m["t"])]
        if _is_upper(head):
            return i
    return None


def _find_vv_line(lines: list[str], limit: int) -> int | None:
    for i in range(min(len(lines), limit)):
        if _VV_RE.match(fold(lines[i])) and fold(lines[i]).strip().startswith(("v/v", "ve viec")):
            return i
    return None


def _read_closing(lines: list[str], out: Extracted, body_start: int) -> None:
    """Recipients (Nơi nhận), capacity and signer, from the last part of the document."""
    start = max(body_start, len(lines) - 40)
    noi_nhan = None
    for i in range(len(lines) - 1, start - 1, -1):
        if "noi nhan" in fold(lines[i]):
            noi_nhan = i
            break
    capacity: list[str] = []
    recipients: list[str] = []
    region_start = noi_nhan if noi_nhan is not None else max(start, len(lines) - 15)
    if region_start >= len(lines):
        return
    role_line = None
    for i in range(region_start, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        folded = fold(line)
        body = line
        if i == noi_nhan:
            pos = folded.index("noi nhan") + len("noi nhan")
            body = line[pos:].lstrip(" :")
            line_is_item = False
        else:
            line_is_item = line[:1] in "-–+•"
        tail = _UPPER_TAIL_RE.search(body)
        if tail and tail["tail"].strip():
            candidate = tail["tail"].strip()
            if (
                _ROLE_RE.match(fold(candidate))
                and len(candidate) >= 5
                and (not line_is_item or tail.start() > 2)
            ):
                capacity.append(candidate)
                role_line = i
                body = body[: tail.start()].rstrip()
        if line_is_item or (i == noi_nhan and body.startswith(("-", "–"))):
            item = _clean(body.lstrip("-–+• "))
            name = _NAME_TAIL_RE.search(item)
            if (
                name
                and fold(name["name"].split()[0]) in SURNAMES
                and regex.search(r"[.;]\s*" + regex.escape(name["name"]) + r"$", item)
            ):
                item = item[: name.start("name")].rstrip()
            if item:
                recipients.append(item.rstrip(";").rstrip("."))
    if noi_nhan is not None:
        out.set("recipients", "\n".join(recipients), 0.9 if recipients else 0.5)
    if capacity:
        out.set("signer_capacity", ", ".join(capacity), 0.85)
    # The signer: the last name-like line (or line tail) after the capacity.
    first = (role_line + 1) if role_line is not None else max(start, len(lines) - 8)
    for i in range(len(lines) - 1, first - 1, -1):
        line = lines[i].strip()
        if not line:
            continue
        m = _NAME_TAIL_RE.search(line)
        if not m:
            continue
        name = m["name"]
        words = name.split()
        if line[:1] in "-–+•" and not regex.search(r"[.;]\s*" + regex.escape(name) + r"$", line):
            continue
        if len(words) < 2 or any(fold(w) in {"noi", "nhan", "luu", "nhu", "tren"} for w in words):
            continue
        known = fold(words[0]) in SURNAMES
        out.set("signer", name, 0.9 if known and role_line is not None else (0.7 if known else 0.4))
        break
