"""The officer's API token page: create (key shown once), list, revoke; audited."""

from __future__ import annotations

import pytest

from congdoan.accounts.models import ApiToken
from congdoan.accounts.services import api_token_create, api_token_user
from congdoan.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_officer_creates_a_token_and_sees_the_key_once(cast, client_of):
    client = client_of(cast.officer_a)
    response = client.post("/tai-khoan/ma-api/", {"name": "Phần mềm báo cáo"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("cds_") and key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=cast.officer_a)
    assert token.name == "Phần mềm báo cáo" and token.key_hash != key
    assert api_token_user(key) == cast.officer_a
    assert AuditEntry.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()
    page = client.get("/tai-khoan/ma-api/").content.decode()
    assert "Phần mềm báo cáo" in page and key not in page


def test_officer_revokes_their_token(cast, client_of):
    token, key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="cũ")
    response = client_of(cast.officer_a).post(f"/tai-khoan/ma-api/{token.pk}/thu-hoi/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_token_user(key) is None
    assert (
        AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1
    )
    client_of(cast.officer_a).post(f"/tai-khoan/ma-api/{token.pk}/thu-hoi/")
    assert (
        AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1
    )


def test_officer_cannot_revoke_or_see_someone_elses_token(cast, client_of):
    token, _key = api_token_create(actor=cast.officer_b, user=cast.officer_b, name="của B")
    client = client_of(cast.officer_a)
    assert client.post(f"/tai-khoan/ma-api/{token.pk}/thu-hoi/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "của B" not in client.get("/tai-khoan/ma-api/").content.decode()


def test_token_page_needs_an_officer_login(cast, client_of, client):
    assert client.get("/tai-khoan/ma-api/").status_code == 302
    assert client_of(cast.member_user).get("/tai-khoan/ma-api/").status_code == 403
    assert client_of(cast.member_user).post("/tai-khoan/ma-api/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoke_needs_post(cast, client_of):
    token, _key = api_token_create(actor=cast.officer_a, user=cast.officer_a, name="x")
    assert (
        client_of(cast.officer_a).get(f"/tai-khoan/ma-api/{token.pk}/thu-hoi/").status_code == 405
    )


def test_profile_links_to_the_token_page_for_officers(cast, client_of):
    assert "/tai-khoan/ma-api/" in client_of(cast.officer_a).get("/tai-khoan/").content.decode()
    assert (
        "/tai-khoan/ma-api/" not in client_of(cast.member_user).get("/tai-khoan/").content.decode()
    )
