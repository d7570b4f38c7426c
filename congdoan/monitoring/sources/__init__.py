"""Where items come from: each kind of source turns what it reads into `RawItem`s.

`fetch(source)` reads a source whose kind is fetched on a schedule (RSS, web page, Facebook,
YouTube); a file export is uploaded (`files.parse_file`) and tips are sent (services.tips).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_noop

from congdoan.monitoring.models import Source, SourceKind
from congdoan.monitoring.sources import facebook, rss, web, youtube
from congdoan.monitoring.sources.base import SourceError
from congdoan.monitoring.types import RawItem

FETCHERS: dict[str, Callable[[Source], list[RawItem]]] = {
    SourceKind.RSS: rss.fetch,
    SourceKind.WEB: web.fetch,
    SourceKind.FACEBOOK: facebook.fetch,
    SourceKind.YOUTUBE: youtube.fetch,
}
FETCHED_KINDS = tuple(FETCHERS)


def fetch(source: Source) -> list[RawItem]:
    fetcher = FETCHERS.get(source.kind)
    if fetcher is None:
        # Only an uploaded file's source and the tips' are not fetched (`FETCHERS`). Stored as
        # the source's last error (`congdoan monitoring fetch --source N`): a msgid.
        raise SourceError(gettext_noop("Nguồn này không tự lấy tin: tải tệp lên hoặc chờ tin báo."))
    return fetcher(source)


__all__ = ["FETCHED_KINDS", "SourceError", "fetch"]
