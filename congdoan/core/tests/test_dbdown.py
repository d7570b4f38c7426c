"""While the database is away, the site answers a clean 503 with Retry-After, never a 500."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from congdoan.core.dbdown import DatabaseUnavailableMiddleware

# The middleware closes a connection that the error left unusable, which asks the database.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "error", [OperationalError("server closed the connection"), InterfaceError("closed")]
)
def test_database_errors_become_a_503_with_retry_after(error: Exception) -> None:
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/api/v1/feedback")
    response = middleware.process_exception(request, error)
    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("application/json")


def test_other_errors_are_left_alone() -> None:
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None
