"""A concern without a known union reaches the federation that runs the deployment (its home
unit), and the public intake files concerns with grassroots unions and that unit only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from congdoan.feedback.channels.intake import match_unit
from congdoan.feedback.models import Concern
from congdoan.orgs import services as org_services
from congdoan.orgs.site import home_unit, set_home_unit
from congdoan.orgs.tests.factories import unit


def _two_districts(cast: Any) -> Any:
    """A grassroots union in the other district too: the tree of a real city (and of the demo),
    where the lowest unit above every union is the city federation."""
    return unit(cast.other_district, code="TT-A", name="Công đoàn Công ty Gốm Thường Tín")


def _send(client: Any, data: dict[str, Any], url: str = "") -> Concern:
    response = client.post(url or reverse("feedback:submit"), data, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302, response.content.decode()[:2000]
    return Concern.objects.latest("pk")


def test_concern_without_a_union_reaches_the_home_unit_and_its_office_inbox(
    cast: Any, client: Any, client_of: Any
) -> None:
    _two_districts(cast)
    set_home_unit(cast.district)
    concern = _send(client, {"text": "Công ty chậm trả lương hai tuần rồi", "unit_pick": ""})
    assert concern.unit is None and concern.assigned_unit == cast.district
    inbox = client_of(cast.district_officer).get(reverse("feedback:inbox"))
    assert concern.code in inbox.content.decode()
    detail = client_of(cast.district_officer).get(reverse("feedback:detail", args=[concern.code]))
    assert detail.status_code == 200


def test_home_unit_comes_from_the_setting_and_the_admin_overrides_it(
    cast: Any, settings: Any
) -> None:
    _two_districts(cast)
    settings.CONGDOAN_HOME_UNIT = "TT"
    assert home_unit() == cast.other_district
    set_home_unit(cast.district)
    assert home_unit() == cast.district


def test_without_a_home_unit_the_fallback_is_still_someone(cast: Any, submit: Any) -> None:
    concern = submit("Xin số điện thoại của Liên đoàn", unit=None)
    assert concern.assigned_unit == cast.district  # the only district with unions


def test_the_form_preselects_a_single_search_match(cast: Any, client: Any) -> None:
    set_home_unit(cast.district)
    page = client.get(reverse("feedback:submit"), {"q": "may a"}).content.decode()
    assert 'value="PX-A" checked' in page
    assert 'name="unit_pick" value="" checked' not in page


def test_the_form_says_what_unknown_means_and_where_it_goes(cast: Any, client: Any) -> None:
    set_home_unit(cast.district)
    page = client.get(reverse("feedback:submit")).content.decode()
    assert "Chưa rõ" in page and "được gửi tới LĐLĐ huyện Phú Xuyên" in page
    several = client.get(reverse("feedback:submit"), {"q": "cong ty"}).content.decode()
    assert 'name="unit_pick" value="" checked' in several  # two matches: none is guessed


def test_confirmation_page_says_where_the_concern_went(cast: Any, client: Any) -> None:
    set_home_unit(cast.district)
    client.post(reverse("feedback:submit"), {"text": "Xin hỏi về nhà trẻ cho con công nhân"})
    concern = Concern.objects.get()
    page = client.get(reverse("feedback:track", args=[concern.code]) + "?moi=1").content.decode()
    assert "Ý kiến đã được gửi tới <strong>LĐLĐ huyện Phú Xuyên</strong>" in page
    chosen = _send(client, {"text": "Xin hỏi về ca đêm", "unit_pick": "PX-B"})
    page = client.get(reverse("feedback:track", args=[chosen.code]) + "?moi=1").content.decode()
    assert "gửi tới <strong>Công đoàn Công ty Điện tử B</strong>" in page


# -- 12.8: which units the public intake accepts ----------------------------------------------


def _api(client: Any, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/feedback", body, content_type="application/json", REMOTE_ADDR="10.2.2.2"
    )


def test_public_api_refuses_a_federation_that_is_not_the_home_unit(cast: Any, client: Any) -> None:
    set_home_unit(cast.district)
    for code in ("HN", "TT", "hn"):
        assert _api(client, {"text": "Xin hỏi về lương", "unit": code}).status_code == 404
    assert Concern.objects.count() == 0
    response = _api(client, {"text": "Xin hỏi về lương", "unit": "PX"})
    assert response.status_code == 201
    assert Concern.objects.get().assigned_unit == cast.district


def test_web_form_never_files_at_a_federation_named_in_the_post(cast: Any, client: Any) -> None:
    set_home_unit(cast.district)
    concern = _send(client, {"text": "Xin hỏi về lương", "unit_pick": "HN"})
    assert concern.unit is None and concern.assigned_unit == cast.district


def test_zalo_tag_of_a_federation_gives_no_unit(cast: Any) -> None:
    set_home_unit(cast.district)
    assert match_unit("Xin hỏi #HN về lương")[0] is None
    assert match_unit("Xin hỏi #px-a về lương")[0] == cast.unit_a


def test_merged_unions_qr_token_works_the_same_on_web_api_and_zalo(cast: Any, client: Any) -> None:
    old = unit(cast.district, code="PX-OLD", name="Công đoàn Trường cũ")
    org_services.unit_merge(actor=None, source=old, target=cast.unit_a, on_date=date(2025, 7, 1))
    url = reverse("feedback:submit_qr", args=[old.qr_token])
    page = client.get(url)
    assert page.status_code == 200 and cast.unit_a.name in page.content.decode()
    assert _send(client, {"text": "Xin hỏi về lương"}, url=url).unit == cast.unit_a
    response = _api(client, {"text": "Xin hỏi về thưởng Tết", "qr": old.qr_token})
    assert response.status_code == 201
    assert Concern.objects.get(code=response.json()["code"]).unit == cast.unit_a
    assert match_unit(f"Xin hỏi #{old.qr_token}")[0] == cast.unit_a
    assert match_unit("Xin hỏi #PX-OLD")[0] == cast.unit_a


def test_grassroots_officer_records_for_their_union_or_is_told_where_it_went(
    cast: Any, client_of: Any
) -> None:
    set_home_unit(cast.district)
    client = client_of(cast.officer_a)
    form = client.get(reverse("feedback:record")).content.decode()
    assert '<option value="PX-A" selected>' in form
    assert "Chưa rõ: gửi tới LĐLĐ huyện Phú Xuyên" in form
    response = client.post(
        reverse("feedback:record"),
        {"source": "hotline", "text": "Công nhân hỏi về nhà trẻ", "unit": ""},
        follow=True,
    )
    assert response.status_code == 200  # not the 404 of a concern outside the officer's scope
    concern = Concern.objects.get()
    assert concern.assigned_unit == cast.district
    assert f"Đã ghi nhận ý kiến {concern.code} và chuyển tới LĐLĐ huyện Phú Xuyên" in (
        response.content.decode()
    )
