"""The admin does not show who sent an anonymous concern (issue 12, finding 10)."""

from __future__ import annotations

from typing import Any

import pytest

from congdoan.feedback.admin import IDENTITY_FIELDS
from congdoan.feedback.models import Channel, Concern

pytestmark = pytest.mark.django_db

NAME = "Trần Thị Kín Tiếng"
PHONE = "+84987650001"


def _concern(cast: Any, *, anonymous: bool) -> Concern:
    cast.member_user.full_name = "Lê Văn Thành Viên"
    cast.member_user.save(update_fields=["full_name"])
    return Concern.objects.create(
        unit=cast.unit_a,
        text="Công ty chậm lương",
        channel=Channel.WEB,
        is_anonymous=anonymous,
        contact_name=NAME,
        contact_phone=PHONE,
        contact_zalo_id="zalo-42424242",
        submitted_by=cast.member_user,
        external_id="msg-777777",
        ip_hash="f" * 64,
    )


def test_admin_change_page_of_an_anonymous_concern_hides_the_sender(cast, client_of):
    concern = _concern(cast, anonymous=True)
    response = client_of(cast.admin).get(f"/quan-tri/feedback/concern/{concern.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    for secret in (NAME, PHONE, "zalo-42424242", "Lê Văn Thành Viên", "msg-777777", "f" * 64):
        assert secret not in page, secret
    form_fields = set(response.context["adminform"].form.fields)
    assert not form_fields & set(IDENTITY_FIELDS)
    assert "is_anonymous" not in form_fields  # unticking it must not reveal the sender


def test_saving_an_anonymous_concern_in_the_admin_keeps_the_contact(cast, client_of):
    concern = _concern(cast, anonymous=True)
    client = client_of(cast.admin)
    page = client.get(f"/quan-tri/feedback/concern/{concern.pk}/change/")
    form = page.context["adminform"].form
    values = {name: form[name].value() for name in form.fields if name != "photo"}
    data = {
        k: ("on" if v is True else v) for k, v in values.items() if v is not None and v is not False
    }
    for inline in page.context["inline_admin_formsets"]:  # none has rows for this concern
        data.update(
            {
                f"{inline.formset.prefix}-TOTAL_FORMS": "0",
                f"{inline.formset.prefix}-INITIAL_FORMS": "0",
            }
        )
    data["internal_note"] = "đã xem"
    response = client.post(f"/quan-tri/feedback/concern/{concern.pk}/change/", data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [
            (f.formset.errors, f.formset.non_form_errors())
            for f in response.context["inline_admin_formsets"]
        ],
        response.context["errors"],
    )
    concern.refresh_from_db()
    assert (concern.contact_name, concern.contact_phone, concern.submitted_by) == (
        NAME,
        PHONE,
        cast.member_user,
    )
    assert concern.is_anonymous and concern.internal_note == "đã xem"


def test_admin_shows_the_sender_of_a_concern_sent_with_a_name(cast, client_of):
    concern = _concern(cast, anonymous=False)
    page = client_of(cast.admin).get(f"/quan-tri/feedback/concern/{concern.pk}/change/")
    assert NAME in page.content.decode()
