"""Sizes of uploads, said truthfully: a file is refused as "larger than" a limit once the limit
is passed, and we never read (or claim to know) more of it than that.
"""

from __future__ import annotations


def format_size(n: int) -> str:
    """A size the Vietnamese way: "50 MB", "1,5 MB", "800 KB", "10 byte"."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= factor:
            value = n / factor
            text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 100 else f"{value:.0f}"
            return f"{text.replace('.', ',')} {unit}"
    return f"{n} byte"
