"""Builds `templates/reports/bao-cao.docx`, the Word template of the report export, with
python-docx: run `python -m congdoan.reports.docx_template` after changing this file
(the .docx is committed; an officer may equally edit the .docx in Word, keeping its
{{ … }} fields). Layout after Nghị định 30/2020/NĐ-CP and Quyết định 933/QĐ-TLĐ: A4, margins
20/20/30/15 mm, Times New Roman 13 pt, the page number centred at the top from page 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

TEMPLATE = Path(__file__).resolve().parent / "templates" / "reports" / "bao-cao.docx"
FONT = "Times New Roman"
# The paragraph the body (parts, figures, tables) replaces; keep it on a line of its own.
BODY_MARKER = "[[NỘI DUNG BÁO CÁO]]"


def _para(
    container: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 13,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Paragraph:
    p: Paragraph = container.paragraphs[0] if first else container.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return p


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _page_number(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def build(path: Path = TEMPLATE) -> Path:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    grid = doc.styles["Table Grid"]
    grid.font.size = Pt(11)
    section = doc.sections[0]
    assert section.start_type == WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    header_p = section.header.paragraphs[0]
    header_p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(header_p)

    top = doc.add_table(rows=1, cols=2)
    top.alignment = WD_TABLE_ALIGNMENT.CENTER
    top.autofit = False
    _no_borders(top)
    left, right = top.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    _para(left, "{{ parent_body }}", size=12, first=True)
    _para(left, "{{ issuer }}", bold=True, size=12)
    _para(left, "────────", size=10)
    _para(left, "{{ number_line }}", size=13)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, first=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    _para(right, "────────────────", size=10)
    _para(right, "{{ place_date }}", italic=True, size=13)

    _para(doc, "{{ draft_note }}", italic=True, size=11)
    _para(doc, "")
    _para(doc, "{{ type_name }}", bold=True, size=14)
    _para(doc, "{{ summary }}", bold=True, size=13)
    _para(doc, "──────────", size=10)
    _para(doc, BODY_MARKER, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    bottom = doc.add_table(rows=1, cols=2)
    bottom.autofit = False
    _no_borders(bottom)
    left, right = bottom.rows[0].cells
    left.width, right.width = Mm(80), Mm(85)
    _para(
        left,
        "Nơi nhận:",
        bold=True,
        italic=True,
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first=True,
    )
    _para(left, "{%p for r in recipients %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(left, "- {{ r }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(left, "{%p endfor %}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(right, "{{ authority }}", bold=True, size=13, first=True)
    _para(right, "{{ position }}", bold=True, size=13)
    for _i in range(4):
        _para(right, "")
    _para(right, "{{ signer }}", bold=True, size=13)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
