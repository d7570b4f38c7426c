"""The plan's indicators as code: a registry (`base`) and one module per data source.

Importing the package registers the built-in indicators; `indicator_codes()` lists them in
the order the dashboard shows them.
"""

from __future__ import annotations

from congdoan.plan.indicators import (  # noqa: F401  (each module registers its indicators)
    content_share,
    documents,
    leaders,
    monitoring,
    presence,
    reach,
)
from congdoan.plan.indicators.base import (
    COUNT,
    PERCENT,
    Evidence,
    Indicator,
    Result,
    UnitRef,
    all_indicators,
    get,
    indicator_codes,
    register,
    register_figure_source,
    register_reach_source,
)

__all__ = [
    "COUNT",
    "PERCENT",
    "Evidence",
    "Indicator",
    "Result",
    "UnitRef",
    "all_indicators",
    "get",
    "indicator_codes",
    "register",
    "register_figure_source",
    "register_reach_source",
]
