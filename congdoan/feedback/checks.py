"""Deploy check: the address printed on QR posters and written in e-mails must be public."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1", ""}


def site_url_is_local() -> bool:
    return (urlsplit(settings.SITE_URL).hostname or "") in LOCAL_HOSTS


@checks.register(checks.Tags.urls, deploy=True)
def check_site_url(**kwargs: Any) -> list[checks.CheckMessage]:
    """Printed QR posters, reminder e-mails and SMS receipts carry SITE_URL: on a loopback
    address (the default), every printed poster points workers nowhere."""
    if not site_url_is_local():
        return []
    return [
        checks.Warning(
            f"SITE_URL is {settings.SITE_URL}: QR posters, e-mail links and SMS receipts"
            " would point to this machine only.",
            hint="Set SITE_URL to the public address, e.g. https://congdoan.example.vn",
            id="congdoan.W010",
        )
    ]
