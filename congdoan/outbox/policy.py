"""The one retry policy of every outbound message: exponential backoff with jitter.

Attempt n (1-based) failing waits ``min(cap, base × 2^(n-1))`` seconds, scaled by a random
factor in [0.5, 1.5) so that messages failing together do not all come back together; after
OUTBOX_MAX_ATTEMPTS failed attempts the message is marked failed (an officer can retry it).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    cap_seconds: float

    @classmethod
    def from_settings(cls) -> RetryPolicy:
        return cls(
            max_attempts=max(1, settings.OUTBOX_MAX_ATTEMPTS),
            base_seconds=float(settings.OUTBOX_BACKOFF_SECONDS),
            cap_seconds=float(settings.OUTBOX_BACKOFF_MAX_SECONDS),
        )

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def delay(self, attempts: int, *, rng: random.Random | None = None) -> timedelta:
        """How long to wait after the `attempts`-th failed attempt."""
        plain = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        factor = 0.5 + (rng or random).random()
        return timedelta(seconds=plain * factor)
