from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congdoan.feedback import selectors
from congdoan.feedback.models import Concern

PHONE = "0912345678"
E164 = "+84912345678"


@pytest.fixture
def anonymous_concern(cast: Any, submit: Callable[..., Concern]) -> Concern:
    return submit(
        "Tổ trưởng chuyền 3 hay chửi mắng công nhân",
        unit=cast.unit_a,
        is_anonymous=True,
        contact_name="Nguyễn Văn Ẩn",
        contact_phone=PHONE,
    )


def test_officer_of_other_unit_cannot_see_feedback(
    cast: Any, client_of: Any, anonymous_concern: Concern
) -> None:
    client = client_of(cast.officer_b)
    assert client.get(reverse("feedback:detail", args=[anonymous_concern.code])).status_code == 404
    page = client.get(reverse("feedback:inbox") + "?status=")
    assert anonymous_concern.code not in page.content.decode()
    assert selectors.concern_queryset(viewer=cast.officer_b).count() == 0


def test_grassroots_officer_never_sees_anonymous_contact_on_page(
    cast: Any, client_of: Any, anonymous_concern: Concern
) -> None:
    client = client_of(cast.officer_a)
    html = client.get(reverse("feedback:detail", args=[anonymous_concern.code])).content.decode()
    assert "chửi mắng" in html
    assert E164 not in html and "Nguyễn Văn Ẩn" not in html
    inbox = client.get(reverse("feedback:inbox") + "?status=").content.decode()
    assert anonymous_concern.code in inbox and E164 not in inbox


def test_grassroots_officer_never_sees_anonymous_contact_in_export(
    cast: Any, client_of: Any, anonymous_concern: Concern
) -> None:
    response = client_of(cast.officer_a).get(reverse("feedback:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert anonymous_concern.code in cells
    assert E164 not in cells and "Nguyễn Văn Ẩn" not in cells


def test_grassroots_officer_never_sees_anonymous_contact_in_api(
    cast: Any, client_of: Any, anonymous_concern: Concern
) -> None:
    body = client_of(cast.officer_a).get("/api/v1/feedback/inbox").json()
    assert [row["code"] for row in body["items"]] == [anonymous_concern.code]
    assert body["items"][0]["contact_phone"] == "" and body["items"][0]["contact_name"] == ""


def test_district_office_sees_anonymous_contact_everywhere(
    cast: Any, client_of: Any, anonymous_concern: Concern
) -> None:
    client = client_of(cast.district_officer)
    assert (
        E164
        in client.get(reverse("feedback:detail", args=[anonymous_concern.code])).content.decode()
    )
    assert client.get("/api/v1/feedback/inbox").json()["items"][0]["contact_phone"] == E164
    sheet = load_workbook(io.BytesIO(client.get(reverse("feedback:export")).content)).active
    assert E164 in [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]


def test_named_sender_contact_is_visible_to_the_grassroots_officer(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit(
        "Xin hỏi thủ tục nhận trợ cấp thai sản",
        unit=cast.unit_a,
        is_anonymous=False,
        contact_phone=PHONE,
    )
    html = (
        client_of(cast.officer_a)
        .get(reverse("feedback:detail", args=[concern.code]))
        .content.decode()
    )
    assert E164 in html


def test_concern_about_the_grassroots_union_is_hidden_from_it(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit(
        "Chủ tịch công đoàn công ty bao che cho quản đốc, không bảo vệ công nhân", unit=cast.unit_a
    )
    assert concern.about_union and concern.hidden_from_unit
    assert concern.assigned_unit == cast.district
    assert (
        client_of(cast.officer_a).get(reverse("feedback:detail", args=[concern.code])).status_code
        == 404
    )
    assert (
        client_of(cast.district_officer)
        .get(reverse("feedback:detail", args=[concern.code]))
        .status_code
        == 200
    )


def test_contact_export_is_for_the_office_only(
    cast: Any, client_of: Any, anonymous_concern: Concern
) -> None:
    url = reverse("feedback:contact_export") + f"?phone={PHONE}&format=json"
    assert client_of(cast.officer_a).get(url).status_code == 404
    rows = json.loads(client_of(cast.district_officer).get(url).content)
    assert [r["code"] for r in rows] == [anonymous_concern.code]
    assert rows[0]["contact_name"] == "Nguyễn Văn Ẩn"
    xlsx = client_of(cast.district_officer).get(url.replace("format=json", "format=xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert E164 in [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]


def test_masked_concern_cannot_be_saved_back(cast: Any, anonymous_concern: Concern) -> None:
    """A concern as shown is a read-only view: it has no save, takes no value, and names no sender."""
    masked = selectors.concern_detail(viewer=cast.officer_a, code=anonymous_concern.code)
    assert masked.contact_phone == "" and masked.contact_name == "" and not masked.contact_visible
    with pytest.raises(AttributeError):
        masked.save()
    with pytest.raises(AttributeError):
        masked.contact_phone = "+84900000000"
    for hidden in ("submitted_by", "submitted_by_id", "ip_hash", "signature"):
        with pytest.raises(AttributeError):
            getattr(masked, hidden)
    assert Concern.objects.get(pk=anonymous_concern.pk).contact_phone == E164


def test_the_office_sees_the_contact_through_the_same_view(
    cast: Any, anonymous_concern: Concern
) -> None:
    shown = selectors.concern_detail(viewer=cast.district_officer, code=anonymous_concern.code)
    assert shown.contact_visible and shown.contact_phone == E164
    with pytest.raises(AttributeError):
        shown.save()


def test_anonymous_member_is_not_named_anywhere_on_the_officers_page(
    cast: Any, client_of: Any
) -> None:
    client_of(cast.member_user).post(
        reverse("feedback:submit"), {"text": "Tổ trưởng hay quát mắng", "is_anonymous": "on"}
    )
    concern = Concern.objects.get()
    assert concern.submitted_by == cast.member_user
    html = (
        client_of(cast.officer_a)
        .get(reverse("feedback:detail", args=[concern.code]))
        .content.decode()
    )
    assert "Tổ trưởng hay quát mắng" in html and "Nguyễn Thị Lan" not in html
    api = client_of(cast.officer_a).get("/api/v1/feedback/inbox").content.decode()
    assert "Nguyễn Thị Lan" not in api


def test_only_the_office_erases_a_contact_and_the_page_offers_it_to_exactly_them(
    cast: Any, client_of: Any, submit: Callable[..., Concern]
) -> None:
    """The button and the endpoint ask one rule: a grassroots officer who sees a named sender's
    contact neither gets the button nor can post the erasure; the Office can."""
    named = submit(
        "Lương tháng 10 trả chậm",
        unit=cast.unit_a,
        is_anonymous=False,
        contact_name="Trần Thị Lan",
        contact_phone=PHONE,
    )
    erase = reverse("feedback:erase_contact", args=[named.code])
    page = client_of(cast.officer_a).get(reverse("feedback:detail", args=[named.code]))
    assert "Trần Thị Lan" in page.content.decode() and erase not in page.content.decode()
    client_of(cast.officer_a).post(erase)
    assert Concern.objects.get(pk=named.pk).contact_phone == E164
    office_page = client_of(cast.district_officer).get(
        reverse("feedback:detail", args=[named.code])
    )
    assert erase in office_page.content.decode()
    client_of(cast.district_officer).post(erase)
    assert Concern.objects.get(pk=named.pk).contact_phone == ""


def test_a_concern_is_offered_only_to_officers_whose_scope_covers_its_handling_unit(
    cast: Any, submit: Callable[..., Concern], django_assert_max_num_queries: Any
) -> None:
    concern = submit("Công ty chậm trả lương tháng 10", unit=cast.unit_a)
    concern.assigned_unit = cast.unit_a
    assert set(selectors.assignable_officers(viewer=cast.district_officer, concern=concern)) == {
        cast.district_officer,
        cast.officer_a,
    }
    # Handled by the district: officer A (a candidate through the viewer's own unit) does not
    # cover it; the district's officer does. One query, not a scope per candidate.
    concern.assigned_unit = cast.district
    viewer = cast.officer_a
    selectors.assignable_officers(viewer=viewer, concern=concern)  # the viewer's scope, cached
    with django_assert_max_num_queries(1):
        officers = selectors.assignable_officers(viewer=viewer, concern=concern)
    assert officers == [cast.district_officer]
    concern.assigned_unit = None
    assert selectors.assignable_officers(viewer=viewer, concern=concern) == []
