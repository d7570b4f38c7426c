"""The officers' studio (/noi-dung/): pages driven through real requests, with the standard
cast. officer_a writes for unit A (and cannot approve their own product); the district
officer leads PX, the level above, and approves; officer_b is another unit's officer."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from congdoan.content import calendar, services
from congdoan.content.models import Highlight, Product, ProductKind, ProductStatus, Sharing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _draft(cast: Any, **kw: Any) -> Product:
    fields = {"title": "Hội nghị người lao động năm 2026", "summary": "Ngắn gọn."} | kw
    return services.product_create(actor=cast.officer_a, unit=cast.unit_a, **fields)


def _published(cast: Any, **kw: Any) -> Product:
    product = _draft(cast, **kw)
    services.product_submit(actor=cast.officer_a, product=product)
    services.product_approve(actor=cast.district_officer, product=product)
    return services.product_publish(actor=cast.officer_a, product=product)


def _form(**kw: Any) -> dict[str, Any]:
    return {
        "unit": "",
        "kind": ProductKind.NEWS,
        "title": "Công đoàn thăm hỏi công nhân bị tai nạn",
        "summary": "Chiều nay, Công đoàn đã thăm hỏi.",
        "body": "Đoạn một về **chuyến thăm**.\n\nĐoạn hai.\n\n- quà tặng\n- tiền hỗ trợ",
        "tags": "an toàn, thăm hỏi",
        "sharing": Sharing.UNIT,
        "is_digital": "on",
    } | kw


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (2400, 1800), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Dien thoai cua ai do"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}  # GPS
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_officer_writes_a_news_item_and_sends_it_for_approval_without_javascript(cast, client_of):
    c = client_of(cast.officer_a)
    page = c.get("/noi-dung/moi/")
    assert page.status_code == 200
    assert 'capture="environment"' in page.content.decode()
    data = _form(unit=cast.unit_a.pk, then="submit")
    answer = c.post("/noi-dung/moi/", data)
    product = Product.objects.get(title=data["title"])
    assert answer.status_code == 302 and answer["Location"] == f"/noi-dung/{product.pk}/"
    assert product.status == ProductStatus.SUBMITTED
    assert product.unit == cast.unit_a and product.author == cast.officer_a
    assert "<strong>chuyến thăm</strong>" in product.body and "<li>quà tặng</li>" in product.body
    assert product.tags == ["an toàn", "thăm hỏi"]
    assert product.versions.count() == 1
    detail = c.get(answer["Location"]).content.decode()
    assert "Chờ duyệt" in detail and "Đã lưu và gửi duyệt." in detail
    assert (
        f"/noi-dung/{product.pk}/poster.pdf" in detail and f"/noi-dung/{product.pk}/loa/" in detail
    )


def test_form_errors_are_shown_on_the_form(cast, client_of):
    c = client_of(cast.officer_a)
    answer = c.post(
        "/noi-dung/moi/",
        _form(unit=cast.unit_a.pk, title="", kind=ProductKind.EVENT),
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Sự kiện cần có thời gian bắt đầu." in text
    assert not Product.objects.exists()


def test_script_in_the_full_version_is_removed(cast, client_of):
    c = client_of(cast.officer_a)
    c.post(
        "/noi-dung/moi/",
        _form(unit=cast.unit_a.pk, body='<p onclick="x()">Chào</p><script>alert(1)</script>'),
    )
    product = Product.objects.get()
    assert "<script" not in product.body and "onclick" not in product.body
    assert "alert" not in c.get(f"/noi-dung/{product.pk}/").content.decode()


def test_photo_from_the_phone_is_stored_without_its_exif(cast, client_of, settings):
    c = client_of(cast.officer_a)
    photo = SimpleUploadedFile("IMG_0001.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    answer = c.post("/noi-dung/moi/", _form(unit=cast.unit_a.pk, camera=photo))
    assert answer.status_code == 302
    media = Product.objects.get().media.get()
    assert media.kind == "photo" and (media.width or 0) <= 2560 and (media.height or 0) <= 2560
    with media.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert not stored.getexif()
    shown = c.get(f"/noi-dung/{media.product_id}/tep/{media.pk}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_a_photo_video_or_pdf_is_refused_with_a_message(cast, client_of):
    c = client_of(cast.officer_a)
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 200)
    answer = c.post("/noi-dung/moi/", _form(unit=cast.unit_a.pk, attachments=bad))
    assert answer.status_code == 400
    assert "Không nhận loại tệp" in answer.content.decode()
    assert Product.objects.get().media.count() == 0  # the text is kept, the file is not


def test_a_video_over_the_request_limit_is_refused_with_413(cast, client_of, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024 * 1024
    c = client_of(cast.officer_a)
    video = SimpleUploadedFile("clip.mp4", b"\x00" * (2 * 1024 * 1024), content_type="video/mp4")
    answer = c.post("/noi-dung/moi/", _form(unit=cast.unit_a.pk, attachments=video))
    assert answer.status_code == 413
    assert not Product.objects.exists()


def test_officer_of_another_unit_gets_404_everywhere(cast, client_of):
    product = _draft(cast)
    c = client_of(cast.officer_b)
    for path in ("", "sua/", "phien-ban/"):
        assert c.get(f"/noi-dung/{product.pk}/{path}").status_code == 404, path
    for path in ("gui-duyet/", "duyet/", "dang/", "luu-tru/", "dung-lai/", "trao-doi/"):
        assert c.post(f"/noi-dung/{product.pk}/{path}", {"text": "x"}).status_code == 404, path
    assert product.title not in c.get("/noi-dung/").content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT


def test_member_and_visitor_cannot_open_the_studio(cast, client_of, client):
    assert client_of(cast.member_user).get("/noi-dung/").status_code == 403
    assert client.get("/noi-dung/").status_code == 302


def test_author_cannot_approve_their_own_product(cast, client_of):
    product = _draft(cast)
    services.product_submit(actor=cast.officer_a, product=product)
    c = client_of(cast.officer_a)
    page = c.get(f"/noi-dung/{product.pk}/").content.decode()
    assert f"/noi-dung/{product.pk}/duyet/" not in page
    answer = c.post(f"/noi-dung/{product.pk}/duyet/", follow=True)
    assert answer.status_code == 200
    assert "không thể tự duyệt" in answer.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.SUBMITTED


def test_leader_above_sees_it_waiting_and_approves(cast, client_of):
    product = _draft(cast)
    services.product_submit(actor=cast.officer_a, product=product)
    c = client_of(cast.district_officer)
    waiting = c.get("/noi-dung/?waiting=1").content.decode()
    assert product.title in waiting
    assert f"/noi-dung/{product.pk}/duyet/" in c.get(f"/noi-dung/{product.pk}/").content.decode()
    c.post(f"/noi-dung/{product.pk}/duyet/")
    product.refresh_from_db()
    assert product.status == ProductStatus.APPROVED and product.approver == cast.district_officer
    assert product.title not in c.get("/noi-dung/?waiting=1").content.decode()


def test_send_back_needs_a_reason_and_the_reason_joins_the_comments(cast, client_of):
    product = _draft(cast)
    services.product_submit(actor=cast.officer_a, product=product)
    c = client_of(cast.district_officer)
    empty = c.post(f"/noi-dung/{product.pk}/tra-lai/", {"comment": ""})
    assert empty.status_code == 400
    c.post(f"/noi-dung/{product.pk}/tra-lai/", {"comment": "Thiếu ảnh hiện trường."})
    product.refresh_from_db()
    assert product.status == ProductStatus.DRAFT
    page = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/").content.decode()
    assert "Thiếu ảnh hiện trường." in page


def test_a_schedule_in_the_past_is_a_message_on_the_page(cast, client_of):
    product = _draft(cast)
    services.product_submit(actor=cast.officer_a, product=product)
    services.product_approve(actor=cast.district_officer, product=product)
    c = client_of(cast.officer_a)
    past = timezone.localtime() - timedelta(days=1)
    answer = c.post(
        f"/noi-dung/{product.pk}/hen-gio/", {"publish_at": past.strftime("%Y-%m-%dT%H:%M")}
    )
    assert answer.status_code == 400
    assert "Thời điểm đăng đã qua" in answer.content.decode()
    later = timezone.localtime() + timedelta(days=1)
    c.post(f"/noi-dung/{product.pk}/hen-gio/", {"publish_at": later.strftime("%Y-%m-%dT%H:%M")})
    product.refresh_from_db()
    assert product.status == ProductStatus.SCHEDULED


def test_correcting_a_published_product_keeps_the_old_text_and_shows_the_diff(cast, client_of):
    product = _published(cast, body="<p>Có 120 công nhân dự.</p>")
    c = client_of(cast.officer_a)
    page = c.get(f"/noi-dung/{product.pk}/sua/").content.decode()
    assert "Đính chính" in page
    data = _form(
        unit=cast.unit_a.pk,
        title=product.title,
        summary=product.summary,
        body="<p>Có 150 công nhân dự.</p>",
    )
    c.post(f"/noi-dung/{product.pk}/sua/", data)
    product.refresh_from_db()
    assert product.corrected_at is not None and "150" in product.body
    detail = c.get(f"/noi-dung/{product.pk}/").content.decode()
    assert "đã cập nhật" in detail
    numbers = list(product.versions.order_by("number").values_list("number", flat=True))
    diff = c.get(f"/noi-dung/{product.pk}/phien-ban/?a={numbers[0]}&b={numbers[-1]}")
    text = diff.content.decode()
    assert "<del>120</del>" in text and "<ins>150</ins>" in text


def test_shared_library_finds_without_diacritics_and_reuse_is_counted(cast, client_of):
    source = _published(cast, title="Chăm lo an toàn lao động", sharing=Sharing.UNION)
    _published(cast, title="Tin nội bộ đơn vị A", sharing=Sharing.UNIT)
    c = client_of(cast.officer_b)
    found = c.get("/noi-dung/thu-vien/?q=cham+lo+an+toan").content.decode()
    assert source.title in found and "Tin nội bộ" not in found
    assert "Tin nội bộ" not in c.get("/noi-dung/thu-vien/").content.decode()
    answer = c.post(f"/noi-dung/{source.pk}/dung-lai/")
    copy = Product.objects.get(unit=cast.unit_b)
    assert answer["Location"] == f"/noi-dung/{copy.pk}/sua/"
    assert copy.source == source and copy.status == ProductStatus.DRAFT
    source.refresh_from_db()
    assert source.reuse_count == 1
    author_page = client_of(cast.officer_a).get(f"/noi-dung/{source.pk}/").content.decode()
    assert "dùng lại 1 lần" in author_page


def test_comments_between_author_and_approver(cast, client_of):
    product = _draft(cast)
    client_of(cast.officer_a).post(f"/noi-dung/{product.pk}/trao-doi/", {"text": "Anh xem giúp."})
    page = client_of(cast.district_officer).get(f"/noi-dung/{product.pk}/").content.decode()
    assert "Anh xem giúp." in page


def test_list_filters_by_status_and_answers_htmx_with_the_partial(cast, client_of):
    draft = _draft(cast, title="Bản nháp thứ nhất")
    published = _published(cast, title="Tin đã đăng rồi")
    c = client_of(cast.officer_a)
    page = c.get("/noi-dung/?status=published").content.decode()
    assert published.title in page and draft.title not in page
    partial = c.get("/noi-dung/?status=draft", HTTP_HX_REQUEST="true").content.decode()
    assert draft.title in partial and "<html" not in partial


def test_a_photo_can_be_taken_off_a_draft(cast, client_of):
    c = client_of(cast.officer_a)
    photo = SimpleUploadedFile("anh.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    c.post("/noi-dung/moi/", _form(unit=cast.unit_a.pk, photos=photo))
    media = Product.objects.get().media.get()
    edit = c.get(f"/noi-dung/{media.product_id}/sua/").content.decode()
    assert f"/noi-dung/{media.product_id}/tep/{media.pk}/bo/" in edit
    assert (
        client_of(cast.officer_b)
        .post(f"/noi-dung/{media.product_id}/tep/{media.pk}/bo/")
        .status_code
        == 404
    )
    c.post(f"/noi-dung/{media.product_id}/tep/{media.pk}/bo/")
    assert not Product.objects.get().media.exists()


def test_a_bad_filter_value_drops_that_filter_only(cast, client_of):
    source = _published(cast, title="Chăm lo Tết cho đoàn viên", sharing=Sharing.UNION)
    c = client_of(cast.officer_b)
    answer = c.get("/noi-dung/thu-vien/?q=tet&since=khong-phai-ngay&page=x")
    assert answer.status_code == 200 and source.title in answer.content.decode()
    assert c.get("/noi-dung/thu-vien/?q=tet&kind=poster").content.decode().count(source.title) == 0
    assert c.get("/noi-dung/?status=khong-co&page=0").status_code == 200


def test_a_public_product_links_to_its_public_page(cast, client_of):
    product = _published(cast, sharing=Sharing.PUBLIC)
    page = client_of(cast.officer_a).get(f"/noi-dung/{product.pk}/").content.decode()
    assert f"/tin/{cast.unit_a.code}/{product.slug}/" in page


def test_a_product_is_planned_against_a_highlight_of_the_calendar(cast, client_of):
    soon = timezone.localdate() + timedelta(days=20)
    highlight = Highlight.objects.create(name="Ngày hội công nhân", month=soon.month, day=soon.day)
    calendar.highlights_load(soon.year)
    c = client_of(cast.officer_a)
    page = c.get(f"/noi-dung/moi/?highlight={highlight.pk}&kind=event").content.decode()
    assert f'<option value="{highlight.pk}" selected>Ngày hội công nhân</option>' in page
    starts = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    c.post(
        "/noi-dung/moi/",
        _form(
            unit=cast.unit_a.pk,
            kind=ProductKind.EVENT,
            highlight=highlight.pk,
            event_starts_at=starts,
            event_place="Nhà văn hóa công nhân",
        ),
    )
    product = Product.objects.get()
    assert product.highlight == highlight and product.event_place == "Nhà văn hóa công nhân"


def test_the_studio_is_on_the_officers_dashboard(cast, client_of):
    page = client_of(cast.officer_a).get("/bang-dieu-khien/").content.decode()
    assert 'href="/noi-dung/"' in page and "Sản phẩm truyền thông" in page
