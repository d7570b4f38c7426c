"""The contests API (mounted at /api/v1/contests)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Contests"])
