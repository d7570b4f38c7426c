"""Links each app adds to the site's shared pages, registered in its AppConfig.ready().

The site's top (`congdoan.web`) reads them; the registry lives in the floor so that the apps
below the site can fill it without importing the site.

    from congdoan.core.registry import register_public_link, register_officer_link
    register_public_link("feedback:submit", _("Gửi tâm tư, nguyện vọng"), order=10)

`public` links show on the home page; `officer` links in the officers' menu and dashboard.

`ZALO_PREFIXES`: Zalo OA messages an app claims by their first words ("#baotin …" is a
monitoring tip, "#lienket …" links an account), read by feedback's Zalo intake; here so that
apps below feedback (accounts) can register too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from congdoan.text.vietnamese import fold


@dataclass(frozen=True)
class Link:
    url_name: str
    label: str | Promise
    order: int = 50
    description: str | Promise = ""

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"


PUBLIC_LINKS: list[Link] = []
OFFICER_LINKS: list[Link] = []


def register_public_link(
    url_name: str, label: str | Promise, order: int = 50, description: str | Promise = ""
) -> None:
    if all(link.url_name != url_name for link in PUBLIC_LINKS):
        PUBLIC_LINKS.append(Link(url_name, label, order, description))
        PUBLIC_LINKS.sort(key=lambda link: link.order)


def register_officer_link(
    url_name: str, label: str | Promise, order: int = 50, description: str | Promise = ""
) -> None:
    if all(link.url_name != url_name for link in OFFICER_LINKS):
        OFFICER_LINKS.append(Link(url_name, label, order, description))
        OFFICER_LINKS.sort(key=lambda link: link.order)


# (folded prefix, dotted path of handler(sender_id=, text=, msg_id=) -> reply text)
ZALO_PREFIXES: list[tuple[str, str]] = []


def register_zalo_prefix(prefix: str, handler_path: str) -> None:
    """Send Zalo messages starting with `prefix` (any case, with or without diacritics) to the
    handler instead of making a concern; the handler must be idempotent (Zalo redelivers)."""
    entry = (fold(prefix.strip()), handler_path)
    if entry not in ZALO_PREFIXES:
        ZALO_PREFIXES.append(entry)
