"""Control characters are refused at the edge with a clear 400 (issue 12, finding 4).

A NUL reaching PostgreSQL is a 500 ("A string literal cannot contain NUL"); these ran on both
databases (see DEVELOPING.md: DATABASE_URL=postgres://… for PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from congdoan.feedback.models import Concern

pytestmark = pytest.mark.django_db


def _refused(response) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert "ký tự điều khiển" in response.content.decode()


def test_api_intake_with_a_nul_in_a_field_is_a_400_and_stores_nothing(cast, client):
    body = json.dumps({"text": "Công ty chậm lương", "unit": "PX-A", "contact_name": "a\u0000b"})
    response = client.post("/api/v1/feedback", body, content_type="application/json")
    assert response.status_code == 400
    assert "ký tự điều khiển" in response.json()["detail"]
    assert not Concern.objects.exists()


def test_api_intake_with_a_lone_surrogate_is_a_400(cast, client):
    body = '{"text": "Công ty chậm lương \\ud800", "unit": "PX-A"}'
    response = client.post("/api/v1/feedback", body, content_type="text/plain")
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_api_intake_with_newlines_and_tabs_is_accepted(cast, client):
    body = json.dumps({"text": "Công ty chậm lương\n\ttháng 10\r\nhai tuần rồi", "unit": "PX-A"})
    response = client.post("/api/v1/feedback", body, content_type="application/json")
    assert response.status_code == 201


def test_a_nul_in_a_path_is_a_400(cast, client):
    _refused(client.get("/y-kien/gui/abc%00/"))
    _refused(client.get("/y-kien/tra-cuu/YK%00/"))


@pytest.mark.parametrize(
    "url",
    [
        "/y-kien/hop-thu/?q=%00",
        "/y-kien/hop-thu/?status=%01",
        "/don-vi/?q=a%00b",
        "/tai-lieu/?q=%00",
        "/api/v1/units/?q=%00",
        "/api/v1/feedback/inbox?q=%00",
        "/api/v1/documents/?q=%00",
    ],
)
def test_a_nul_in_a_query_string_is_a_400_for_an_officer(cast, client_of, url):
    response = client_of(cast.district_officer).get(url)
    assert response.status_code == 400, response.content[:300]


def test_a_nul_in_a_query_string_is_a_400_for_anyone(client):
    response = client.get("/y-kien/tra-cuu/?code=%00")
    assert response.status_code == 400
    assert "ký tự điều khiển" in response.content.decode()


# The worker's public forms (/y-kien/gui/, rating, reopening) keep pasted words instead: they
# turn invisible controls into line breaks or drop them (feedback.forms.worker_input).


def test_a_nul_in_a_form_body_is_a_400_and_stores_nothing(cast, client_of):
    response = client_of(cast.officer_a).post(
        "/y-kien/ghi-nhan/", {"text": "Công ty chậm lương\x00", "unit": "PX-A", "source": "hotline"}
    )
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_a_nul_in_a_multipart_form_is_a_400(cast, client_of):
    response = client_of(cast.officer_a).post(
        "/y-kien/ghi-nhan/",
        {"text": "Công ty\x00 chậm lương", "source": "hotline", "photo": ""},
        format="multipart",
    )
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_a_form_with_line_breaks_goes_through(cast, client):
    response = client.post(
        "/y-kien/gui/", {"text": "Công ty chậm lương\r\nhai tuần rồi\tạ", "unit": "PX-A"}
    )
    assert response.status_code in {200, 302}
    assert response.status_code != 400


def test_a_cookie_with_a_nul_is_ignored_not_a_500(cast):
    # Sent as a raw header: some Python builds refuse to put a NUL in a client-side cookie jar.
    client = Client(HTTP_COOKIE="sessionid=abc\x00defghijkl")
    assert client.get("/").status_code == 200
    assert client.get("/y-kien/hop-thu/").status_code == 302
