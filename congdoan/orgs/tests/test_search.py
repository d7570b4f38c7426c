"""Searching the tree and the members with or without diacritics; Vietnamese order."""

from __future__ import annotations

import pytest

from congdoan.orgs.tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["Phú Minh", "phu minh", "PHU MINH", "May Phú", "cong ty may phu"]
)
def test_tree_search_finds_a_unit_typed_with_or_without_diacritics(cast, client_of, query):
    factories.unit(cast.district, code="PX-PM", name="Công đoàn Công ty May Phú Minh")
    response = client_of(cast.district_officer).get("/don-vi/", {"q": query})
    assert response.status_code == 200
    assert "Công đoàn Công ty May Phú Minh" in response.content.decode()


def test_tree_search_answers_every_viewer_without_error(cast, client_of):
    for user in (cast.admin, cast.district_officer, cast.officer_a):
        response = client_of(user).get("/don-vi/", {"q": "công ty"})
        assert response.status_code == 200


def test_tree_search_stays_in_the_viewers_scope(cast, client_of):
    response = client_of(cast.officer_a).get("/don-vi/", {"q": "cong doan"})
    body = response.content.decode()
    assert "Công đoàn Công ty May A" in body
    assert "Điện tử B" not in body
