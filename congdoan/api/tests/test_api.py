"""The JSON API: its OpenAPI document and docs page, token auth and scoping."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from congdoan.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_openapi_document_is_valid_json_listing_the_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {"/api/v1/units/", "/api/v1/units/{code}", "/api/v1/units/{code}/members"} <= set(paths)
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_docs_page_uses_only_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower() and "https://" not in body
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp


def test_token_auth_lists_only_the_officers_units(cast):
    _token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="test")
    response = Client().get("/api/v1/units/", headers=bearer(key))
    assert response.status_code == 200
    codes = [u["code"] for u in response.json()["items"]]
    assert codes == ["PX-A"]


def test_token_auth_reads_members_of_a_unit_in_scope(cast):
    _token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="test")
    response = Client().get("/api/v1/units/PX-A/members", headers=bearer(key))
    assert response.status_code == 200
    names = [m["full_name"] for m in response.json()["items"]]
    assert names == ["Nguyễn Thị Lan"]
    detail = Client().get("/api/v1/units/PX-A", headers=bearer(key)).json()
    assert (
        detail["code"] == "PX-A" and detail["members_total"] == 1 and detail["parent_code"] == "PX"
    )


def test_member_search_filters_by_name(cast):
    _token, key = api_token_create(
        actor=cast.district_officer, user=cast.district_officer, name="t"
    )
    client = Client(headers=bearer(key))
    found = client.get("/api/v1/units/PX-B/members?q=Bình").json()["items"]
    assert [m["full_name"] for m in found] == ["Trần Văn Bình"]
    assert client.get("/api/v1/units/PX-B/members?q=Lan").json()["items"] == []


def test_revoked_or_unknown_token_gets_401(cast):
    token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="test")
    api_token_revoke(actor=cast.officer_a, token=token)
    assert Client().get("/api/v1/units/", headers=bearer(key)).status_code == 401
    assert Client().get("/api/v1/units/", headers=bearer("cds_khong-co")).status_code == 401
    assert Client().get("/api/v1/units/").status_code == 401


def test_token_of_an_inactive_user_gets_401(cast):
    _token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="test")
    cast.officer_a.is_active = False
    cast.officer_a.save()
    assert Client().get("/api/v1/units/", headers=bearer(key)).status_code == 401


def test_unit_outside_the_scope_is_404(cast):
    _token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="test")
    client = Client()
    assert client.get("/api/v1/units/PX-B", headers=bearer(key)).status_code == 404
    response = client.get("/api/v1/units/PX-B/members", headers=bearer(key))
    assert response.status_code == 404
    assert "Trần Văn Bình" not in response.content.decode()
    assert client.get("/api/v1/units/KHONG-CO", headers=bearer(key)).status_code == 404


def test_session_auth_works_for_a_logged_in_officer(cast, client_of):
    response = client_of(cast.officer_b).get("/api/v1/units/")
    assert [u["code"] for u in response.json()["items"]] == ["PX-B"]


def test_member_login_sees_no_units_and_no_members(cast, client_of):
    client = client_of(cast.member_user)
    assert client.get("/api/v1/units/").json()["items"] == []
    for code in ("PX-A", "PX-B"):
        response = client.get(f"/api/v1/units/{code}/members")
        assert response.status_code == 404
        assert "Trần Văn Bình" not in response.content.decode()
    _token, key = api_token_create(actor=cast.member_user, user=cast.member_user, name="m")
    assert Client().get("/api/v1/units/", headers=bearer(key)).json()["items"] == []
    assert Client().get("/api/v1/units/PX-B/members", headers=bearer(key)).status_code == 404
