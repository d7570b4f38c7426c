"""Uploads: how much we read, and sizes said truthfully.

A file is refused as "larger than" a limit once the limit is passed, and we never read (or
claim to know) more of it than that. Two guards, both from settings:
- `RequestSizeLimitMiddleware`: a multipart request whose declared length passes
  UPLOAD_MAX_REQUEST_BYTES is answered 413 at once, before a byte of its body is read (a page,
  or for HTMX the message alone);
- `LimitedUploadHandler` (first in FILE_UPLOAD_HANDLERS): a file that passes UPLOAD_MAX_BYTES
  stops being stored there (neither memory nor disk gets more than the limit) and reaches the
  view as an `OversizedUpload`, which says only that it is larger than the limit.
Each feature may have a smaller limit of its own (a worker's photo, a library file): it checks
`upload.size`, which for an oversized upload is the limit + 1.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def format_size(n: int) -> str:
    """A size the Vietnamese way: "50 MB", "1,5 MB", "800 KB", "10 byte"."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            value = n / factor
            text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:.0f}"
            return f"{text.replace('.', ',')} {unit}"
    return f"{n} byte"


class OversizedUpload(UploadedFile):
    """A file that passed the upload limit: nothing of it is kept; `size` is the limit + 1."""

    oversized = True

    def __init__(self, name: str, content_type: str, limit: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=limit + 1)
        self.limit = limit


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes; past UPLOAD_MAX_BYTES the rest is not passed on to the handlers
    that store it, and the file becomes an `OversizedUpload`."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self.oversized = True
            return None  # the storing handlers after this one never see it
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.oversized:
            return OversizedUpload(
                self.file_name or "", self.content_type or "", settings.UPLOAD_MAX_BYTES
            )
        return None  # the next handler (memory or temporary file) made the file


class RequestSizeLimitMiddleware:
    """A multipart body declared larger than UPLOAD_MAX_REQUEST_BYTES is refused unread (413)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.UPLOAD_MAX_REQUEST_BYTES
            if length > limit:
                context = {
                    "limit": format_size(limit),
                    "file_limit": format_size(settings.UPLOAD_MAX_BYTES),
                }
                # HTMX (the library's upload form) gets the message alone, to put under the
                # form; its script lets HTMX swap this 4xx answer in (library/upload.js).
                template = (
                    "core/_upload_too_large.html"
                    if request.headers.get("HX-Request")
                    else "core/upload_too_large.html"
                )
                response = render(request, template, context, status=413)
                if not request.META.get("SERVER_SOFTWARE", "").startswith("WSGIServer/"):
                    # The unread body is not this connection's next request (gunicorn would
                    # otherwise read it all to reach the next one). Not under Django's
                    # development server: wsgiref refuses a hop-by-hop header from the
                    # application (a 500), and that server reads the rest of the body itself.
                    response["Connection"] = "close"
                return response
        return self.get_response(request)
