"""The surveys API (mounted at /api/v1/surveys)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["Surveys"])
