"""The library's upload form in Chromium (marker `browser`): HTMX shows the server's refusals."""

from __future__ import annotations

import pytest

from congdoan.core.tests.test_browser import _log_in, browser, desktop  # noqa: F401 (fixtures)
from congdoan.library.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_upload_over_the_request_limit_shows_the_too_large_message_under_the_form(
    desktop,  # noqa: F811 (the fixture imported above)
    live_server,
    cast,
    settings,
):
    settings.UPLOAD_MAX_REQUEST_BYTES = 4096
    page = desktop
    _log_in(page, live_server.url, cast.district_officer.email)
    page.goto(f"{live_server.url}/tai-lieu/tai-len/")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "to.txt", "mimeType": "text/plain", "buffer": b"a" * 20_000}],
    )
    page.select_option("select[name=unit]", str(cast.district.pk))
    page.click("form.card button[type=submit]")

    message = page.locator("#upload-result #upload-too-large")
    message.wait_for(timeout=15_000)
    assert "Tệp gửi lên quá lớn" in message.inner_text()
    assert page.url.endswith("/tai-lieu/tai-len/")  # still the form, under the HTMX swap
    assert Document.objects.count() == 0
