"""Query parameters of the feedback pages: one language (English names), old names kept.

Links with the old Vietnamese names were printed, bookmarked and sent before the rename (a
worker's tracking link `?moi=1`, a lookup `?ma=YK-…`, a period summary `?tu=…&den=…`, an
answer link `?mau=…`): every page still reads them, as aliases of the new name.
"""

from __future__ import annotations

from django.http import QueryDict

#: new name → the old name it replaced (read when the new one is absent).
OLD_NAMES = {
    "new": "moi",  # the tracking page right after sending: "?moi=1" in links already sent
    "code": "ma",  # the tracking code looked up: "?ma=YK-…" written on paper forms and posters
    "from": "tu",  # a period summary's first day: links kept for the six-month report
    "to": "den",  # its last day
    "format": "dinh-dang",  # the summary as JSON
    "download": "tai",  # a QR code as a file
    "template": "mau",  # the answer template an officer picked
    "basis": "can-cu",  # the legal basis an officer picked
}


def param(query: QueryDict, name: str, default: str = "") -> str:
    """The value of `name`, or of the old name it replaced (OLD_NAMES), or `default`."""
    if name in query:
        return query.get(name, default) or ""
    old = OLD_NAMES.get(name)
    if old is not None and old in query:
        return query.get(old, default) or ""
    return default
