"""The three exports of a report, from one `ReportDocument` (reports/document.py):

- DOCX (`docx.py`): docxtpl fills `templates/reports/bao-cao.docx`, a Word file an officer may
  open and restyle in Word (header block, motto, "Nơi nhận", signature, fonts, margins are in
  the file; only the body with its tables is generated). docxtpl over bare python-docx: the
  template stays an ordinary .docx with {{ … }} fields, so changing the layout is a job for
  Word, not for a programmer; docxtpl also copes with Word splitting a field into runs.
- PDF (`pdf.py`): WeasyPrint from an HTML template of the same content, A4, the same margins.
- XLSX (`xlsx.py`): openpyxl, the figures (every table, then the totals).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation

from congdoan.reports.document import ReportDocument
from congdoan.reports.exports import docx, pdf, xlsx

FORMATS: dict[str, tuple[Callable[[ReportDocument], bytes], str]] = {
    "docx": (
        docx.render,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (pdf.render, "application/pdf"),
    "xlsx": (xlsx.render, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def render(doc: ReportDocument, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of `doc` in format `fmt` (KeyError if unknown)."""
    renderer, content_type = FORMATS[fmt]
    with translation.override(settings.LANGUAGE_CODE):  # a Vietnamese document in any interface
        content = renderer(doc)
    return content, content_type, f"{doc.filename_stem}.{fmt}"
