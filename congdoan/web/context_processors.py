"""What every page's base template needs: the viewer's scope and the officers' top menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congdoan.core.registry import OFFICER_LINKS
from congdoan.orgs.scoping import scope_for

# Shown beside the menu on wide screens.
MAIN_SECTIONS = {"web:dashboard", "feedback:inbox", "library:list", "orgs:tree"}


def viewer(request: HttpRequest) -> dict[str, Any]:
    """The viewer's scope, and for officers the sections of the top menu.

    The menu lists the dashboard, every link an app registered for officers
    (`register_officer_link`), the union tree, the audit log and the outbox of their scope,
    and for administrators the background workers' page; the entry whose address starts the
    current path is marked current.
    """
    scope = scope_for(getattr(request, "user", None))
    context: dict[str, Any] = {"scope": scope}
    if scope.is_officer:
        links: list[tuple[str, str, Any]] = [
            ("web:dashboard", reverse("web:dashboard"), _("Bảng điều khiển"))
        ]
        links += [(link.url_name, link.url, link.label) for link in OFFICER_LINKS]
        links.append(("orgs:tree", reverse("orgs:tree"), _("Đơn vị và đoàn viên")))
        links.append(("audit:list", reverse("audit:list"), _("Nhật ký hoạt động")))
        links.append(("outbox:health", reverse("outbox:health"), _("Hộp thư đi")))
        if scope.is_admin:
            links.append(("web:operations", reverse("web:operations"), _("Tiến trình nền")))
        path = getattr(request, "path", "")
        best = max(
            (url for _name, url, _label in links if url != "#" and path.startswith(url)),
            key=len,
            default="",
        )
        context["officer_menu"] = [
            {"url": url, "label": label, "current": url == best, "main": name in MAIN_SECTIONS}
            for name, url, label in links
        ]
    return context
