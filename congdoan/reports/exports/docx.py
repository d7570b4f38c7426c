"""The report as DOCX: docxtpl fills the fields of the Word template
(templates/reports/bao-cao.docx: header block, motto, date line, title, "Nơi nhận", signature),
then the body (parts, items, tables) is written with python-docx in place of the template's
body paragraph (`BODY_MARKER`), on the template's own styles. Why docxtpl: see
`exports/__init__.py`; the body is not a docxtpl sub-document because that needs docxcompose,
one more dependency for what python-docx does in a few lines."""

from __future__ import annotations

import io

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate

from congdoan.reports.document import ReportDocument
from congdoan.reports.docx_template import BODY_MARKER, TEMPLATE


def _write_body(document: Document, doc: ReportDocument, marker: Paragraph) -> None:
    """Append the body at the end of the document, then move it before the marker."""
    start = len(document.element.body)
    for part in doc.parts:
        heading = document.add_paragraph()
        heading.add_run(part.heading).bold = True
        heading.paragraph_format.space_before = Pt(6)
        for text in part.paragraphs:
            p = document.add_paragraph(text)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1)
        for title, note, tables in part.items:
            document.add_paragraph().add_run(title).bold = True
            if note:
                document.add_paragraph().add_run(note).italic = True
            for t in tables:
                if t.caption:
                    document.add_paragraph().add_run(t.caption).italic = True
                table = document.add_table(rows=1, cols=len(t.columns))
                table.style = "Table Grid"
                for cell, name in zip(table.rows[0].cells, t.columns, strict=True):
                    run = cell.paragraphs[0].add_run(name)
                    run.bold, run.font.size = True, Pt(11)
                for row in t.rows:
                    for cell, value in zip(table.add_row().cells, row, strict=False):
                        cell.paragraphs[0].add_run(value).font.size = Pt(11)
                document.add_paragraph()
    body = document.element.body
    # The section properties stay last: only what was added after `start` moves.
    added = [el for el in list(body)[start - 1 :] if not el.tag.endswith("}sectPr")]
    for element in added:
        marker._p.addprevious(element)
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
