"""The month view on a 360×640 phone: a day with a highlight shows a mark, not its name
broken letter by letter down a seventh of the screen (the names are listed under the grid)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from congdoan.content.models import Highlight
from congdoan.content.models_bulletin import HighlightOccurrence
from congdoan.core.tests.test_browser import _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Ngày thành lập Quân đội nhân dân Việt Nam (22/12)"


def test_a_highlight_is_a_mark_in_the_day_and_named_below_on_a_phone(
    phone: Any, live_server: Any, cast: Any
) -> None:
    today = timezone.localdate()
    day = date(today.year, today.month, 15)
    highlight = Highlight.objects.create(name=NAME, month=day.month, day=day.day)
    HighlightOccurrence.objects.create(
        highlight=highlight, year=day.year, starts_on=day, ends_on=day
    )
    page = phone
    _log_in(page, live_server.url, cast.district_officer.email)

    page.goto(f"{live_server.url}/noi-dung/lich/?year={day.year}&month={day.month}")
    mark = page.locator("table.cal a.hl").first
    box = mark.bounding_box()
    assert box is not None and box["height"] < 24  # one line, not the name letter by letter
    assert page.locator("h2 + ul, ul").get_by_text(NAME).count() >= 1  # named under the grid
    assert int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) <= 0
    # The month links wrap as buttons, with no dot left alone at a line's end.
    assert "·" not in page.locator("p.pager").inner_text()
