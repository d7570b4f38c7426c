"""Messages the code stores to be read later are shown in the reader's language: a tip link's
fetch error, a source that is not fetched automatically, a file that cannot be read, and the
timeline events the code writes (alerts, assignments, evidence). Each is stored as its msgid
with its parameters; rows written before that are shown as they were.

The English texts checked here are msgids already translated in the English catalogue."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from congdoan.monitoring import alerts
from congdoan.monitoring.messages import message, nmessage, render
from congdoan.monitoring.models import EventKind, NarrativeEvent, Source, SourceKind, Tip
from congdoan.monitoring.services import handling
from congdoan.monitoring.services.fetching import fetch_source
from congdoan.monitoring.services.tips import submit_tip
from congdoan.monitoring.sources import files
from congdoan.monitoring.sources.base import SourceError
from congdoan.monitoring.tests import handle_helpers as h
from congdoan.monitoring.tests.fakes import FakeWeb

pytestmark = pytest.mark.django_db

HTTP_ERROR = "Máy chủ trả lời lỗi HTTP %(status)s."
PRIVATE = "Không lấy địa chỉ nội bộ, riêng tư: %(host)s (%(address)s)."
NOT_FETCHED = "Nguồn này không tự lấy tin: tải tệp lên hoặc chờ tin báo."


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_stored_message_is_put_into_words_in_the_active_language() -> None:
    said = [
        message("Giao cho %(name)s", name="Lan"),
        message(", hạn %(date)s", date="01/02/2027"),
    ]
    assert render(said) == "Giao cho Lan, hạn 01/02/2027"
    nested = message(
        "Không lưu được bằng chứng %(url)s: %(error)s",
        url="https://a.vn/x",
        error=message(HTTP_ERROR, status=503),
    )
    with translation.override("en"):
        assert render(said) == "Assigned to Lan, due 01/02/2027"
        assert render(nested) == (
            "Could not save evidence https://a.vn/x: The server returned HTTP error 503."
        )
        assert render(nmessage("%(n)s tài khoản Zalo", "%(n)s tài khoản Zalo", 2)).startswith("2 ")
    # A message that does not fit its parameters is shown untranslated, never raises.
    assert render(message("Giao cho %(name)s", other="x")) == "Giao cho %(name)s"
    assert render({}) == "" and render("Nguồn A") == "Nguồn A"


def test_a_tip_link_error_is_stored_as_its_msgid_and_shown_in_english(
    web: FakeWeb, member: Any, cast: Any, on_commit: Any, client_of: Any, settings: Any
) -> None:
    url = web.route("/mat", "không có", status=404)
    with on_commit():
        tip = submit_tip(user=member, unit=cast.unit_a, url=url, text="Bài này sai")
    tip.refresh_from_db()
    assert tip.fetch_error == HTTP_ERROR and tip.fetch_error_params == {"status": 404}
    assert tip.fetch_error_text == "Máy chủ trả lời lỗi HTTP 404."
    with translation.override("en"):
        assert tip.fetch_error_text == "The server returned HTTP error 404."
    # A row written before the parameters existed: its message as it was.
    old = Tip.objects.create(
        unit=cast.unit_a, url="https://cu.vn/x", fetch_error="Không tìm thấy tên miền cu.vn."
    )
    client = client_of(cast.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("monitoring:tips")).content.decode()
    assert "Could not fetch the page: The server returned HTTP error 404." in page
    assert "Không tìm thấy tên miền cu.vn." in page and old.fetch_error_params == {}


def test_a_refused_tip_link_is_shown_in_english(
    member: Any, cast: Any, settings: Any, on_commit: Any
) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    with on_commit():
        tip = submit_tip(user=member, unit=cast.unit_a, url="http://10.0.0.8/x", text="Xem")
    tip.refresh_from_db()
    assert tip.fetch_error == PRIVATE
    assert tip.fetch_error_params == {"host": "10.0.0.8", "address": "10.0.0.8"}
    with translation.override("en"):
        assert tip.fetch_error_text == (
            "Internal or private addresses are not fetched: 10.0.0.8 (10.0.0.8)."
        )


def test_a_tip_link_without_text_is_shown_in_english(
    web: FakeWeb, member: Any, cast: Any, on_commit: Any
) -> None:
    url = web.route("/trong", "<html><body></body></html>")
    with on_commit():
        tip = submit_tip(user=member, unit=cast.unit_a, url=url)
    tip.refresh_from_db()
    assert tip.fetch_error == "Trang không có nội dung chữ." and tip.item is None
    with translation.override("en"):
        assert tip.fetch_error_text == "The page has no text content."


def test_a_source_not_fetched_automatically_keeps_its_error_as_a_msgid(cast: Any) -> None:
    source = h.source(cast.unit_a, SourceKind.FILE)
    result = fetch_source(source)
    assert result.errors and source.last_error == NOT_FETCHED
    source = Source.objects.get(pk=source.pk)
    assert source.consecutive_errors == 1
    with translation.override("en"):
        assert source.error_text == (
            "This source does not fetch items by itself: upload a file or wait for tips."
        )


def test_a_file_that_cannot_be_read_says_why_in_the_uploader_s_language() -> None:
    with pytest.raises(SourceError) as err:
        list(files._rows(b"[1, 2", "json"))
    assert err.value.template == "Tệp JSON không hợp lệ: %(error)s"
    assert err.value.params["error"]
    with pytest.raises(SourceError) as err:
        list(files._rows(b'{"a": 1}', "json"))
    assert err.value.template == "Tệp JSON cần là một danh sách tin." and not err.value.params
    with translation.override("en"):
        assert files.parse_file(b"[1, 2", "json")[1][0].startswith("Invalid JSON file: ")
        assert files.parse_file(b'"x"', "json")[1] == ["The JSON file must be a list of items."]


def test_the_timeline_written_by_the_code_is_shown_in_the_reader_s_language(
    cast: Any, settings: Any, client_of: Any
) -> None:
    settings.MONITORING_FETCH_ALLOWED_HOSTS = []
    settings.MONITORING_ALERT_RISK = 0.7
    story = h.narrative(cast.unit_a, risk=0.9)
    handling.assign(cast.officer_a, story, cast.officer_a, date(2027, 2, 1))
    item = story.items.get()
    item.url = "http://127.0.0.1:9/noi-bo"
    item.save()
    assert handling.snapshot_now(cast.officer_a, item) is None
    assert alerts.send_alerts() == 1
    assign = NarrativeEvent.objects.get(narrative=story, kind=EventKind.ASSIGN)
    evidence = NarrativeEvent.objects.get(narrative=story, kind=EventKind.EVIDENCE)
    alert = NarrativeEvent.objects.get(narrative=story, kind=EventKind.ALERT)
    # The text in the site's language, as before; the message to show again.
    assert assign.text.startswith("Giao cho ") and assign.text.endswith(", hạn 01/02/2027")
    assert assign.message[0]["msgid"] == "Giao cho %(name)s"
    assert evidence.message["params"]["error"]["msgid"] == PRIVATE
    assert alert.text.startswith("Luồng thông tin mới có mức rủi ro cao. Đã gửi cảnh báo tới: ")
    with translation.override("en"):
        assert assign.shown_text.startswith("Assigned to ")
        assert assign.shown_text.endswith(", due 01/02/2027")
        assert evidence.shown_text == (
            "Could not save evidence http://127.0.0.1:9/noi-bo: Internal or private addresses"
            " are not fetched: 127.0.0.1 (127.0.0.1)."
        )
        assert alert.shown_text.startswith("New high-risk narrative")
        assert cast.officer_a.email in alert.shown_text
    # A typed note, and an event written before the messages existed: shown as they were.
    note = handling.add_note(cast.officer_a, story, "Đã báo lãnh đạo")
    assert note.message == {} and note.shown_text == "Đã báo lãnh đạo"
    client = client_of(cast.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("monitoring:narrative", args=[story.pk])).content.decode()
    assert "Could not save evidence" in page and "Đã báo lãnh đạo" in page
    assert "Không lưu được bằng chứng" not in page
