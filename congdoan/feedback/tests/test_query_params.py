"""One query-parameter language (English names); the old Vietnamese names still work, because
links with them were printed on posters and paper forms, bookmarked and sent to workers."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congdoan.feedback.models import AnswerTemplate, Concern
from congdoan.feedback.views.params import OLD_NAMES, param

THANKS = "Cảm ơn bạn! Ý kiến đã được gửi."


def test_every_old_name_is_read_as_the_new_one() -> None:
    for new, old in OLD_NAMES.items():
        assert param(QueryDict(f"{old}=x"), new) == "x"
        assert param(QueryDict(f"{new}=y&{old}=x"), new) == "y"  # the new name wins
        assert param(QueryDict(""), new, "d") == "d"


def test_sending_leads_to_the_tracking_page_with_new(
    cast: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("feedback:submit"),
            {"unit_pick": "PX-A", "text": "Công ty chậm trả lương", "is_anonymous": "on"},
        )
    concern = Concern.objects.get()
    assert response["Location"] == reverse("feedback:track", args=[concern.code]) + "?new=1"
    assert THANKS in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("query", ["?new=1", "?moi=1"])
def test_the_thanks_of_a_tracking_link_already_sent_still_shows(
    cast: Any, client: Any, submit: Any, query: str
) -> None:
    concern = submit(unit=cast.unit_a)
    track = reverse("feedback:track", args=[concern.code])
    assert THANKS in client.get(track + query).content.decode()
    assert THANKS not in client.get(track).content.decode()


@pytest.mark.parametrize("name", ["code", "ma"])
def test_a_lookup_by_code_works_under_both_names(
    cast: Any, client: Any, submit: Any, name: str
) -> None:
    concern = submit(unit=cast.unit_a)
    response = client.get(reverse("feedback:track_lookup") + f"?{name}={concern.code}")
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:track", args=[concern.code])


def test_the_lookup_form_sends_code(client: Any) -> None:
    assert 'name="code"' in client.get(reverse("feedback:track_lookup")).content.decode()


@pytest.mark.parametrize(
    "query",
    ["?from={start}&to={end}&format=json", "?tu={start}&den={end}&dinh-dang=json"],
)
def test_a_summary_link_works_under_both_names(
    cast: Any, client_of: Any, submit: Any, query: str
) -> None:
    submit(unit=cast.unit_a)
    today = timezone.localdate()
    old = today - datetime.timedelta(days=400)
    url = reverse("feedback:summary") + query.format(start=old, end=old)
    data = client_of(cast.district_officer).get(url).json()
    assert data["start"] == str(old) and data["end"] == str(old) and data["total"] == 0


@pytest.mark.parametrize("query", ["?download=1", "?tai=1"])
def test_a_qr_download_link_works_under_both_names(cast: Any, client_of: Any, query: str) -> None:
    response = client_of(cast.officer_a).get(reverse("feedback:unit_qr_svg", args=["PX-A"]) + query)
    assert "ma-qr-PX-A.svg" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["template", "mau"])
def test_an_answer_template_link_works_under_both_names(
    cast: Any, client_of: Any, submit: Any, name: str
) -> None:
    template = AnswerTemplate.objects.create(
        title="Chậm trả lương", text="Công đoàn đã làm việc với công ty về kỳ trả lương."
    )
    concern = submit(unit=cast.unit_a)
    page = (
        client_of(cast.officer_a)
        .get(reverse("feedback:detail", args=[concern.code]) + f"?{name}={template.pk}")
        .content.decode()
    )
    assert "Công đoàn đã làm việc với công ty về kỳ trả lương." in page
    assert f"?template={template.pk}" in page  # the page's own links use the new name


def test_the_contact_export_spreadsheet_has_headings_in_the_readers_language(
    cast: Any, client_of: Any, submit: Any
) -> None:
    submit(unit=cast.unit_a, is_anonymous=False, contact_phone="0912345678")
    url = reverse("feedback:contact_export") + "?phone=0912345678&format=xlsx"
    sheet = load_workbook(io.BytesIO(client_of(cast.district_officer).get(url).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã", "Ngày gửi") and len(rows) == 2
