"""The officers' contest pages on a 360 px phone in Chromium, JavaScript off: no horizontal
scroll, and a flagged attempt is reviewed with the plain form."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.contests.models import Attempt, Contest, Question, ReviewOutcome, Round
from congdoan.contests.tests.manage_helpers import finished, person
from congdoan.core.tests.test_browser import _horizontal_overflow, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_pages_fit_a_phone_and_review_works_without_js(
    phone_no_js: Any, live_server: Any, cast: Any, contest: Contest, round_open: Round
) -> None:
    qs = list(Question.objects.filter(contest=contest).order_by("pk"))[:5]
    finished(round_open, person(contest, cast.unit_a, "Nguyễn Thị Phương Thảo"), qs, right=5)
    finished(round_open, person(contest, cast.unit_b, "Trần Văn Quang"), qs, right=5)
    flagged = Attempt.objects.filter(flagged=True).order_by("pk").first()
    assert flagged is not None
    _log_in(phone_no_js, live_server.url, cast.district_officer.email)
    base = f"{live_server.url}/cuoc-thi/quan-ly/"
    for path in (
        "",
        "tao-moi/",
        f"{contest.pk}/",
        f"{contest.pk}/sua/",
        f"{contest.pk}/vong-thi/moi/",
        f"{contest.pk}/cau-hoi/",
        f"{contest.pk}/cau-hoi/moi/",
        f"{contest.pk}/cau-hoi/{qs[0].pk}/",
        f"{contest.pk}/nhap-cau-hoi/",
        f"{contest.pk}/ket-qua/",
        f"{contest.pk}/danh-dau/",
        f"{contest.pk}/giai-thuong/",
        f"{contest.pk}/chung-nhan/",
    ):
        phone_no_js.goto(base + path)
        assert _horizontal_overflow(phone_no_js) <= 0, path
    phone_no_js.goto(f"{base}{contest.pk}/danh-dau/")
    phone_no_js.locator("form").filter(
        has=phone_no_js.locator("input[value=disqualified]")
    ).first.locator("input[value=disqualified]").check()
    phone_no_js.locator("button:has-text('Ghi kết luận')").first.click()
    phone_no_js.wait_for_load_state("load")
    flagged.refresh_from_db()
    assert flagged.review == ReviewOutcome.DISQUALIFIED
