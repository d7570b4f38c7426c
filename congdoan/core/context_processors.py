from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from congdoan.orgs.scoping import scope_for


def viewer(request: HttpRequest) -> dict[str, Any]:
    return {"scope": scope_for(getattr(request, "user", None))}
