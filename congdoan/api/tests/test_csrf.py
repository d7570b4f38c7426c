"""Session-authenticated API calls need CSRF; bearer tokens do not (issue 12, finding 9)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from congdoan.accounts.services import api_token_create
from congdoan.feedback.models import Concern

pytestmark = pytest.mark.django_db

BODY = json.dumps({"text": "Công ty chậm lương tháng 10 hai tuần rồi", "unit": "PX-A"})


def _session_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="congdoan.accounts.backends.EmailOrPhoneBackend")
    return client


def test_cross_site_text_plain_post_with_the_officers_session_is_refused(cast):
    client = _session_client(cast.officer_a)
    response = client.post(
        "/api/v1/feedback", BODY, content_type="text/plain", HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Concern.objects.exists()


def test_session_post_without_a_token_is_refused_even_same_origin(cast):
    client = _session_client(cast.officer_a)
    response = client.post("/api/v1/feedback", BODY, content_type="application/json")
    assert response.status_code == 403
    assert not Concern.objects.exists()


def test_session_post_with_the_csrf_token_goes_through(cast):
    client = _session_client(cast.officer_a)
    client.get("/y-kien/gui/")  # any page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/feedback", BODY, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content
    assert Concern.objects.count() == 1


def test_bearer_token_calls_need_no_csrf(cast):
    _token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="x")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/feedback",
        BODY,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201
    assert client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_anonymous_public_post_needs_no_csrf(cast):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/feedback", BODY, content_type="application/json"
    )
    assert response.status_code == 201


def test_session_reads_need_no_csrf(cast):
    assert _session_client(cast.officer_a).get("/api/v1/units/").status_code == 200
