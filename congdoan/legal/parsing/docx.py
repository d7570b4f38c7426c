"""A law as issued, in a Word document (.docx): its paragraphs and tables read as lines.

The lines go to parse_plain, so a DOCX is read exactly as the same text pasted would be. Body
and tables are read in document order; a table row whose cells are one line each becomes one
line with the cells separated by tabs (as a copied table would be); a row with multi-line cells
(the two-column header: issuer and number on the left, the nation's motto and the date on the
right) gives each cell's lines in turn.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from congdoan.legal.parsing.plain import parse_plain
from congdoan.legal.parsing.types import LawFormatError, ParsedLaw


def _table_lines(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append([line.strip() for line in cell.text.split("\n") if line.strip()])
        if all(len(lines) <= 1 for lines in cells):
            joined = "\t".join(lines[0] for lines in cells if lines)
            if joined:
                yield joined
        else:
            for lines in cells:
                yield from lines


def docx_lines(document: DocumentObject) -> Iterator[str]:
    """The document's paragraphs and table rows as text lines, in document order."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield from Paragraph(child, document).text.split("\n")
        elif child.tag == qn("w:tbl"):
            yield from _table_lines(Table(child, document))


def parse_docx(data: bytes, *, law_id: str = "", title: str = "") -> ParsedLaw:
    """The law a DOCX holds (see parse_plain for what is read and what is refused)."""
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise LawFormatError(
            "Không đọc được tệp DOCX (tệp hỏng hoặc không phải tài liệu Word .docx)."
        ) from error
    except Exception as error:  # python-docx raises its own PackageNotFoundError and others
        raise LawFormatError(f"Không đọc được tệp DOCX: {error}") from error
    return parse_plain("\n".join(docx_lines(document)), law_id=law_id, title=title)
