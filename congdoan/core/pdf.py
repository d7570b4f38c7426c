"""PDF from HTML, offline, with a font that has every Vietnamese letter.

Why here: several apps print A4 pages from a template with WeasyPrint (content's posters,
contests' certificates) and each needs the same three things, kept in one place so that a fix
reaches them all:

- the font: Be Vietnam Pro, installed with the project (the PyPI package
  fontpkg-be-vietnam-pro, OFL), else Debian's DejaVu Sans (fonts-dejavu-core); `pdf_fonts`
  gives its family name and files for the template's ``@font-face``, or raises
  `PdfFontMissing` with what to install;
- a fetcher (`fetch_offline`) that reads only ``data:`` and ``file:`` addresses: an address
  in user text (``<img src="https://…">``) is refused, so rendering never touches the
  network, never waits on it and never tells a third party that a page was printed;
- `data_uri` for what the page embeds (QR codes, photos); `render_html` (the laid-out document: its pages can be counted before writing) and
  `html_to_pdf` (the bytes).

WeasyPrint is imported lazily (~0.7 s and many modules at every web process's start-up).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from PIL import ImageFile

if TYPE_CHECKING:
    import weasyprint

try:
    import fontpkg_be_vietnam_pro
except ImportError:  # the Debian font is the fallback
    fontpkg_be_vietnam_pro = None

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
PROTOCOLS = ("data", "file")

# WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on when imported: uploads must keep refusing
# truncated images (congdoan.core.images also puts it back before every decode).
ImageFile.LOAD_TRUNCATED_IMAGES = False


class PdfFontMissing(RuntimeError):
    """Neither the project's font nor Debian's is installed."""


@dataclass(frozen=True)
class PdfFonts:
    family: str
    regular: Path
    bold: Path

    def context(self) -> dict[str, str]:
        """What a PDF template's ``@font-face`` needs: font_family, font_regular, font_bold."""
        return {
            "font_family": self.family,
            "font_regular": self.regular.as_uri(),
            "font_bold": self.bold.as_uri(),
        }


def pdf_fonts() -> PdfFonts:
    """Be Vietnam Pro, else DejaVu Sans; PdfFontMissing (saying what to install) when neither."""
    if fontpkg_be_vietnam_pro is not None:
        root = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
        regular, bold = root / "BeVietnamPro-Regular.ttf", root / "BeVietnamPro-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return PdfFonts("Be Vietnam Pro", regular, bold)
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        return PdfFonts("DejaVu Sans", regular, bold)
    raise PdfFontMissing(
        _(
            "Chưa cài phông chữ tiếng Việt để in PDF: cài lại dự án (make install, gói "
            "fontpkg-be-vietnam-pro) hoặc gói Debian fonts-dejavu-core (make system-deps)."
        )
    )


def data_uri(content_type: str, data: bytes) -> str:
    """A resource embedded in the HTML (a QR code, a photo): what the offline fetcher reads."""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _refuse_remote(url: str) -> None:
    if not url.startswith(tuple(f"{p}:" for p in PROTOCOLS)):
        raise ValueError(f"PDF resources are local only: {url[:80]}")


@lru_cache(maxsize=1)
def _offline_fetcher_class() -> type | None:
    """WeasyPrint ≥ 68's class-based fetcher, refusing all but data: and file: (None before).

    From that version WeasyPrint needs a URLFetcher instance: a plain function that raises
    makes the rendering fail instead of leaving the resource out."""
    import weasyprint  # lazy: ~0.7 s and many modules at start-up of every web process

    base = getattr(weasyprint.urls, "URLFetcher", None)
    if base is None:
        return None

    class OfflineFetcher(base):  # type: ignore[misc, valid-type]
        def fetch(self, url: str, headers: Any = None) -> Any:
            _refuse_remote(url)
            return super().fetch(url, headers)

    return OfflineFetcher


def offline_fetcher() -> Any:
    """A fetcher for one rendering (it keeps state per request): data: and file: only."""
    fetcher_class = _offline_fetcher_class()
    if fetcher_class is None:
        return fetch_offline
    return fetcher_class(allowed_protocols=set(PROTOCOLS))


def fetch_offline(url: str, *args: Any, **kwargs: Any) -> Any:
    """Fetch `url` if it is data: or file: (the fonts, embedded images), never the network:
    anything else raises ValueError, which WeasyPrint logs, leaving the resource out."""
    import weasyprint  # lazy: ~0.7 s and many modules at start-up of every web process

    _refuse_remote(url)
    fetcher_class = _offline_fetcher_class()
    if fetcher_class is None:  # WeasyPrint before the class-based fetchers
        return weasyprint.default_url_fetcher(url, *args, **kwargs)
    return fetcher_class(allowed_protocols=set(PROTOCOLS)).fetch(url, *args, **kwargs)


def render_html(html: str, *, base_url: str | None = None) -> weasyprint.Document:
    """The laid-out document (``.pages``, ``.write_pdf()``), resources fetched offline only."""
    import weasyprint  # lazy: ~0.7 s and many modules at start-up of every web process

    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=offline_fetcher()).render()


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF of `html` (resources fetched offline only)."""
    pdf: bytes = render_html(html, base_url=base_url).write_pdf()
    return pdf


__all__ = [
    "PdfFontMissing",
    "PdfFonts",
    "data_uri",
    "fetch_offline",
    "html_to_pdf",
    "offline_fetcher",
    "pdf_fonts",
    "render_html",
]
