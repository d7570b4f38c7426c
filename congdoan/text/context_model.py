"""Context model for restoration (placeholder: most frequent accented form)."""

from __future__ import annotations

from collections.abc import Sequence

from congdoan.text.vietnamese import has_marks


class ContextModel:
    @classmethod
    def load_default(cls) -> ContextModel:
        return cls()

    def decode(
        self,
        lowered: Sequence[str],
        folded: Sequence[str],
        gaps: Sequence[str],
        candidates: dict[str, tuple[str, ...]],
    ) -> list[str]:
        marked = sum(1 for w in lowered if has_marks(w))
        if marked * 3 >= len(lowered):
            return list(lowered)
        out = []
        for low, f in zip(lowered, folded, strict=True):
            cands = candidates.get(f)
            if cands and low == f:
                out.append(cands[0])
            else:
                out.append(low)
        return out
