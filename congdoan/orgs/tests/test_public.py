"""The public home page lists the grassroots unions it counts; each has a public page."""

from __future__ import annotations

import re

import pytest

from congdoan.orgs import services
from congdoan.orgs.tests import factories

pytestmark = pytest.mark.django_db


def _home_count(body: str) -> int:
    match = re.search(r'data-count="(\d+)"', body)
    assert match, "the home page shows no count"
    return int(match.group(1))


def test_home_page_lists_every_union_it_counts_with_a_link(cast, client):
    factories.unit(cast.other_district, code="TT-A", name="Công đoàn Trường Tiểu học Thường Tín")
    body = client.get("/").content.decode()
    links = re.findall(r'href="/don-vi/cong-khai/([\w-]+)/"', body)
    assert sorted(links) == ["PX-A", "PX-B", "TT-A"]
    assert _home_count(body) == 3
    assert "3 công đoàn cơ sở đang hoạt động" in body


def test_home_page_and_district_dashboard_count_the_same_unions(cast, client, client_of):
    factories.unit(cast.other_district, code="TT-A", name="Công đoàn Trường Tiểu học Thường Tín")
    merged = factories.unit(cast.district, code="PX-C", name="Công đoàn Công ty C")
    services.unit_merge(actor=None, source=merged, target=cast.unit_a)
    home = client.get("/").content.decode()
    # The district's group on the home page and the district officer's dashboard agree.
    assert "LĐLĐ huyện Phú Xuyên · 2 công đoàn cơ sở" in home
    dashboard = client_of(cast.district_officer).get("/bang-dieu-khien/").content.decode()
    assert "2 công đoàn cơ sở" in dashboard
    assert "PX-C" not in re.findall(r'href="/don-vi/cong-khai/([\w-]+)/"', home)


def test_home_page_promises_only_what_exists(client, db):
    body = client.get("/").content.decode()
    assert "Tin tức" not in body and "chính sách pháp luật" not in body
    assert "Các đơn vị" not in body  # no heading without a list when there are no unions


def test_union_public_page_shows_the_workplace_and_no_people(cast, client):
    response = client.get("/don-vi/cong-khai/PX-A/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Công đoàn Công ty May A" in body and "LĐLĐ huyện Phú Xuyên" in body
    assert "/y-kien/gui/?unit=PX-A" in body
    assert cast.member_a.full_name not in body and "Chủ tịch CĐ A" not in body


@pytest.mark.parametrize("code", ["PX", "HN", "KHONGCO"])
def test_only_grassroots_unions_have_a_public_page(cast, client, code):
    assert client.get(f"/don-vi/cong-khai/{code}/").status_code == 404
