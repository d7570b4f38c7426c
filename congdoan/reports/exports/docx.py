"""The report as DOCX: docxtpl fills the fields of the Word template
(templates/reports/bao-cao.docx: header block, motto, date line, title, "Nơi nhận", signature),
then the body (parts, items, tables) is written with python-docx in place of the template's
body paragraph (`BODY_MARKER`), on the template's own styles. Why docxtpl: see
`exports/__init__.py`; the body is not a docxtpl sub-document because that needs docxcompose,
one more dependency for what python-docx does in a few lines."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate

from congdoan.reports.document import ReportDocument
from congdoan.reports.docx_template import BODY_MARKER, TEMPLATE

TEXT_WIDTH_TWIPS = 9355  # 165 mm: A4 less the 30 mm and 15 mm margins


def _run(text: str, *, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _table(columns: list[str], rows: list[list[str]]) -> Any:
    """A Word table ("Table Grid", the header row repeated on each page), written as XML in
    one piece: python-docx's add_row/cells cost a grid walk per cell, seconds for the 200
    rows of a district's consolidation."""
    n = len(columns)
    first = TEXT_WIDTH_TWIPS * 2 // 5 if n > 2 else TEXT_WIDTH_TWIPS // n
    rest = (TEXT_WIDTH_TWIPS - first) // (n - 1) if n > 1 else 0
    widths = [first] + [rest] * (n - 1)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def row(values: list[str], *, header: bool) -> str:
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
            f"<w:p>{_run(v, bold=header) if v else ''}</w:p></w:tc>"
            for v, w in zip(values + [""] * (n - len(values)), widths, strict=False)
        )
        head = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
        return f"<w:tr>{head}{cells}</w:tr>"

    body = row(columns, header=True) + "".join(row(r, header=False) for r in rows)
    return parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


def _write_body(document: Document, doc: ReportDocument, marker: Paragraph) -> None:
    """Append the body's paragraphs and tables just before the marker, then drop it."""

    def paragraph(text: str, *, bold: bool = False, italic: bool = False) -> Paragraph:
        p = marker.insert_paragraph_before()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        return p

    for part in doc.parts:
        paragraph(part.heading, bold=True).paragraph_format.space_before = Pt(6)
        for text in part.paragraphs:
            p = paragraph(text)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1)
        for title, note, tables in part.items:
            paragraph(title, bold=True)
            if note:
                paragraph(note, italic=True)
            for t in tables:
                if t.caption:
                    paragraph(t.caption, italic=True)
                marker._p.addprevious(_table(t.columns, t.rows))
                marker.insert_paragraph_before()
    marker._p.getparent().remove(marker._p)


def render(doc: ReportDocument) -> bytes:
    tpl = DocxTemplate(str(TEMPLATE))
    tpl.render(
        {
            "parent_body": doc.parent_body,
            "issuer": doc.issuer,
            "number_line": doc.number_line,
            "place_date": doc.place_date,
            "draft_note": doc.draft_note,
            "type_name": doc.type_name,
            "summary": doc.summary,
            "recipients": doc.recipients,
            "authority": doc.authority,
            "position": doc.position,
            "signer": doc.signer,
        },
        autoescape=True,
    )
    document = tpl.docx
    marker = next(p for p in document.paragraphs if p.text.strip() == BODY_MARKER)
    _write_body(document, doc, marker)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
