"""The concern form is cheap to draw: the empty form is kept for anonymous visitors with a slot
for the CSRF token (each visitor gets their own token and cookie, and can send), its list of
unions and the home unit are kept while the units stay the same (a new or renamed union shows
at once), names are escaped and the chosen union is selected."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congdoan.feedback.models import Concern
from congdoan.orgs.site import set_home_unit
from congdoan.orgs.tests import factories

pytestmark = pytest.mark.django_db
URL = "/y-kien/gui/"


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()


def _get(client: Any, path: str = URL) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_visit_costs_no_query_and_keeps_its_csrf_token(client, cast):
    set_home_unit(cast.district)
    first, spent = _get(client)
    assert spent > 0 and cast.unit_a.name in first
    client.cookies.clear()
    again, spent = _get(client)
    assert spent == 0
    assert "csrfmiddlewaretoken" in again and cast.unit_a.name in again
    assert cast.district.name in again  # where a concern without a union goes


def test_a_new_or_renamed_union_shows_at_once(client, cast):
    _get(client)
    factories.unit(cast.district, code="PX-MOI", name="CĐCS Công ty Mới Mở")
    assert "CĐCS Công ty Mới Mở" in _get(client)[0]
    cast.unit_a.name = "CĐCS Đã Đổi Tên"
    cast.unit_a.save()
    assert "CĐCS Đã Đổi Tên" in _get(client)[0]


def test_the_chosen_union_is_selected_and_names_are_escaped(client, cast):
    factories.unit(cast.district, code="PX-X", name="<b>Công ty & Co</b>")
    page, _ = _get(client, f"{URL}?unit={cast.unit_a.code}")
    assert f'<option value="{cast.unit_a.code}" selected>' in page
    assert page.count(" selected>") == 1
    assert "&lt;b&gt;Công ty &amp; Co&lt;/b&gt;" in page and "<b>Công ty" not in page


def test_a_search_still_finds_a_union_without_diacritics(client, cast):
    page, _ = _get(client, f"{URL}?q={cast.unit_a.name.split()[-1]}")
    assert 'name="unit_pick"' in page and cast.unit_a.name in page


def test_each_visitor_of_the_kept_form_gets_their_own_token_and_can_send(cast):
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get(URL)
        page = response.content.decode()
        assert "csrfslot" not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token and "csrftoken" in response.cookies
        tokens.append(token.group(1))
    assert tokens[0] != tokens[1]
    sent = visitor.post(
        URL,
        {
            "csrfmiddlewaretoken": tokens[1],
            "text": "Công ty chậm trả lương tháng 10 cho công nhân",
            "unit_pick": cast.unit_a.code,
            "is_anonymous": "on",
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:500]
    assert Concern.objects.filter(unit=cast.unit_a).count() == 1
    refused = Client(enforce_csrf_checks=True).post(URL, {"text": "không có mã"})
    assert refused.status_code == 403
