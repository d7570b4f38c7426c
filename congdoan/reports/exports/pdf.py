"""The report as PDF: WeasyPrint from templates/reports/export.html, the same content as the
DOCX. The font is the first of Times New Roman, Liberation Serif or Tinos (both metric-
compatible with it; Debian's fonts-liberation) that the system has, else DejaVu Serif
(fonts-dejavu-core, installed by `make system-deps`), all with the Vietnamese letters; the
fetcher reads nothing from the network."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from congdoan.reports.document import ReportDocument


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"the report export fetches nothing: {url}")


def render(doc: ReportDocument) -> bytes:
    import weasyprint  # lazy: a heavy stack (Pango, cffi) loaded only when a PDF is asked for

    html = render_to_string("reports/export.html", {"doc": doc})
    result: bytes = weasyprint.HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    return result
