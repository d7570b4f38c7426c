from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_district_officer_sees_the_tree(cast, client_of):
    response = client_of(cast.district_officer).get("/don-vi/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Công đoàn Công ty May A" in body and "Công đoàn Công ty Điện tử B" in body
    assert "Thường Tín" not in body


def test_officer_of_other_unit_gets_404_for_unit_page(cast, client_of):
    assert client_of(cast.officer_a).get("/don-vi/PX-B/").status_code == 404
    assert client_of(cast.officer_a).get("/don-vi/PX-A/").status_code == 200


def test_admin_moves_a_unit_from_the_page(cast, client_of):
    response = client_of(cast.admin).post(
        "/don-vi/PX-A/chuyen/", {"new_parent": cast.other_district.pk, "on_date": "2025-07-01"}
    )
    assert response.status_code == 302
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.parent_id == cast.other_district.pk


def test_officer_cannot_merge_units(cast, client_of):
    response = client_of(cast.district_officer).post(
        "/don-vi/PX-A/sap-nhap/", {"target": cast.unit_b.pk}
    )
    assert response.status_code == 403


def test_login_by_phone_number_works(cast, client):
    cast.officer_a.phone = "+84912000111"
    cast.officer_a.save()
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "0912 000 111", "password": "mat-khau-rat-dai-123"}
    )
    assert response.status_code == 302


def test_home_page_is_public_and_vietnamese(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Công đoàn" in response.content.decode()
    assert "Content-Security-Policy" in response
