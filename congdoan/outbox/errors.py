"""What a channel raises when a message could not be delivered."""

from __future__ import annotations


class ChannelError(Exception):
    """A message could not be delivered through an external channel.

    `retryable` says whether trying again later may help (the provider was down, timed out or
    answered 5xx/429); a refusal of this very message (bad number, 4xx) is final.
    """

    def __init__(self, message: str, *, retryable: bool = False, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class ChannelNotConfigured(ChannelError):
    """The provider's settings are missing: nothing was sent and retrying cannot help."""
