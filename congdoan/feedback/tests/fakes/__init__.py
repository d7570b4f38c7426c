"""Local fake providers (Zalo OA API, SMS gateway) for tests: real HTTP on 127.0.0.1.

They record every request, check it the way the real provider does, and can be told to
fail (HTTP 5xx, a provider error code, slowness) to exercise timeouts and retries.
"""

from __future__ import annotations

from congdoan.feedback.tests.fakes.base import FakeServer, Recorded
from congdoan.feedback.tests.fakes.sms import FakeSmsGateway
from congdoan.feedback.tests.fakes.zalo import FakeZaloOA

__all__ = ["FakeServer", "FakeSmsGateway", "FakeZaloOA", "Recorded"]
