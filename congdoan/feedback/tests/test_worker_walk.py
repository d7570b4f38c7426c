"""What a factory worker met walking the public pages on a phone (qa-worker's walk)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from congdoan.feedback.models import Concern, Status
from congdoan.feedback.services import concern_answer
from congdoan.orgs import services as org_services
from congdoan.orgs.tests import factories


def test_a_reopened_concern_still_shows_the_earlier_answer(
    cast: Any, client: Any, submit: Any
) -> None:
    concern = submit("Xin hỏi nghỉ Tết mấy ngày", unit=cast.unit_a)
    concern_answer(
        actor=cast.officer_a,
        concern=concern,
        text="Nghỉ 5 ngày theo Điều 112.",
        citation="Điều 112 BLLĐ 2019",
    )
    track = reverse("feedback:track", args=[concern.code])
    client.post(
        reverse("feedback:track_reopen", args=[concern.code]), {"reason": "cong ty noi chi 3 ngay"}
    )
    assert Concern.objects.get(pk=concern.pk).status == Status.REOPENED

    html = client.get(track).content.decode()
    assert "Nghỉ 5 ngày theo Điều 112." in html and "Điều 112 BLLĐ 2019" in html
    assert 'id="da-mo-lai"' in html and "Trả lời trước của Công đoàn" in html
    assert "Đã mở lại, chờ trả lời" in html and ">Mở lại<" not in html


def test_worker_reads_waiting_not_the_officers_word_classified(
    cast: Any, client: Any, submit: Any
) -> None:
    concern = submit("Công ty chậm trả lương tháng 10", unit=cast.unit_a)
    assert Concern.objects.get(pk=concern.pk).status == Status.TRIAGED
    html = client.get(reverse("feedback:track", args=[concern.code])).content.decode()
    assert "Đã tiếp nhận, chờ xử lý" in html and "Đã phân loại" not in html
    api = client.get(f"/api/v1/feedback/{concern.code}").json()
    assert api["status"] == "triaged" and api["status_label"] == "Đã tiếp nhận, chờ xử lý"


def test_members_list_of_their_concerns_uses_the_workers_words(
    cast: Any, client_of: Any, submit: Any
) -> None:
    submit("Đề nghị lắp thêm máy lọc nước", unit=cast.unit_a, actor=cast.member_user)
    html = client_of(cast.member_user).get(reverse("feedback:mine")).content.decode()
    assert "Đã tiếp nhận, chờ xử lý" in html and "Đã phân loại" not in html


def test_tracking_page_says_where_a_concern_without_a_union_went_on_later_visits(
    cast: Any, client: Any
) -> None:
    response = client.post(
        reverse("feedback:submit"), {"text": "cong ty cham luong thang 10", "unit_pick": ""}
    )
    concern = Concern.objects.get()
    html = client.get(reverse("feedback:track", args=[concern.code])).content.decode()  # not ?moi=1
    assert response.status_code == 302 and concern.assigned_unit is not None
    assert 'id="noi-tiep-nhan"' in html and concern.assigned_unit.name in html


def test_tracking_page_says_the_photo_arrived(cast: Any, client: Any) -> None:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 100, 50)).save(buf, "JPEG")
    buf.seek(0)
    buf.name = "IMG_20261206.jpg"
    client.post(
        reverse("feedback:submit"),
        {"text": "quat hong ca thang", "unit_pick": "PX-A", "photo": buf},
    )
    concern = Concern.objects.get()
    assert concern.photo
    html = client.get(reverse("feedback:track", args=[concern.code]) + "?moi=1").content.decode()
    assert 'id="anh"' in html and "Đã nhận ảnh kèm theo." in html


def test_a_merged_unions_qr_page_says_why_it_goes_to_the_successor(cast: Any, client: Any) -> None:
    old = factories.unit(parent=cast.district, code="PX-OLD", name="Công đoàn Trường Tiểu học Cũ")
    org_services.unit_merge(actor=None, source=old, target=cast.unit_a)
    old.refresh_from_db()
    html = client.get(reverse("feedback:submit_qr", args=[old.qr_token])).content.decode()
    assert cast.unit_a.name in html
    assert (
        'id="da-sap-nhap"' in html
        and "Công đoàn Trường Tiểu học Cũ đã sáp nhập vào công đoàn này" in html
    )
    plain = client.get(reverse("feedback:submit_qr", args=[cast.unit_a.qr_token])).content.decode()
    assert 'id="da-sap-nhap"' not in plain


def test_the_unknown_union_option_fits_a_phones_select(cast: Any, client: Any) -> None:
    html = client.get(reverse("feedback:submit")).content.decode()
    assert '<option value="">— Chưa rõ —</option>' in html


def test_a_worker_whose_photo_is_too_large_is_told_to_take_it_again_not_that_it_is_malicious(
    cast: Any, client: Any
) -> None:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buf, "PNG")  # 64 million pixels in a few kilobytes
    buf.seek(0)
    buf.name = "bang-luong.png"
    response = client.post(
        reverse("feedback:submit"), {"text": "anh chup bang luong", "photo": buf}
    )
    html = response.content.decode()
    assert response.status_code == 422 and not Concern.objects.exists()
    assert "Hãy chụp lại bằng điện thoại hoặc chọn ảnh nhỏ hơn" in html
    assert "độc hại" not in html and "dpi" not in html


def test_a_search_match_names_the_employer_once_beside_the_union_not_in_a_column(
    cast: Any, client: Any
) -> None:
    cast.unit_a.employer_name = "Công ty May A"  # already in the union's name
    cast.unit_a.save()
    cast.unit_b.employer_name = "Samsung Display Việt Nam"
    cast.unit_b.save()
    html = client.get(reverse("feedback:submit") + "?q=cong ty").content.decode()
    assert "(Công ty May A)" not in html
    # The name and the employer are one flex item of the label, so they wrap as one text.
    assert (
        f'<span>{cast.unit_b.name} <span class="muted small">(Samsung Display Việt Nam)</span></span>'
        in html
    )


def test_words_pasted_from_word_with_invisible_control_characters_are_kept_not_refused(
    cast: Any, client: Any
) -> None:
    response = client.post(
        reverse("feedback:submit"),
        {
            "text": "Dòng 1 chép từ Word\x0bDòng 2\x0ctrang sau\x00",
            "unit_pick": "PX-A\x00",
            "contact_name": "Lan\x07",
            "is_anonymous": "on",
        },
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.text == "Dòng 1 chép từ Word\nDòng 2\ntrang sau" and concern.unit == cast.unit_a
    assert concern.contact_name == "Lan"


def test_a_reopen_reason_pasted_with_a_control_character_reopens(
    cast: Any, client: Any, submit: Any
) -> None:
    concern = submit("Xin hỏi nghỉ Tết mấy ngày", unit=cast.unit_a)
    concern_answer(actor=cast.officer_a, concern=concern, text="Nghỉ 5 ngày.", citation="")
    response = client.post(
        reverse("feedback:track_reopen", args=[concern.code]),
        {"reason": "chua dung\x0bcong ty noi 3 ngay"},
    )
    assert response.status_code == 302
    assert Concern.objects.get(pk=concern.pk).status == Status.REOPENED
    response = client.post(
        reverse("feedback:track_rate", args=[concern.code]), {"rating": "2", "comment": "x\x00y"}
    )
    assert response.status_code == 302


def test_officer_forms_still_refuse_control_characters_at_the_edge(
    cast: Any, client_of: Any, submit: Any
) -> None:
    concern = submit("Xin hỏi", unit=cast.unit_a)
    response = client_of(cast.officer_a).post(
        reverse("feedback:note", args=[concern.code]), {"text": "a\x00b"}
    )
    assert response.status_code == 400


def test_an_ordinary_phone_photo_of_several_megabytes_is_taken_and_shrunk(
    cast: Any, client: Any, settings: Any, tmp_path: Any
) -> None:
    import io
    import os

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    noisy = Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3))
    buf = io.BytesIO()
    noisy.save(buf, "JPEG", quality=85)
    assert 6 * 1024 * 1024 < buf.tell() < 15 * 1024 * 1024  # a 12 MP photo with much detail
    buf.seek(0)
    buf.name = "IMG_20261206_093012.jpg"
    response = client.post(
        reverse("feedback:submit"), {"text": "nuoc ngap xuong", "unit_pick": "PX-A", "photo": buf}
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    with Image.open(concern.photo.path) as stored:
        assert max(stored.size) <= settings.IMAGE_PHOTO_MAX_SIDE


def test_a_logged_in_member_who_is_not_anonymous_can_be_answered_by_name_and_phone(
    cast: Any, client_of: Any
) -> None:
    user = cast.member_user
    user.phone = "+84912345678"
    user.save(update_fields=["phone"])
    member = client_of(user)
    member.post(
        reverse("feedback:submit"), {"text": "Xin hỏi lương làm thêm ngày lễ", "unit_pick": "PX-A"}
    )
    named = Concern.objects.get()
    assert not named.is_anonymous and named.submitted_by == user
    assert named.contact_name == user.get_full_name() and named.contact_phone == "+84912345678"
    html = (
        client_of(cast.officer_a)
        .get(reverse("feedback:detail", args=[named.code]))
        .content.decode()
    )
    assert "Người gửi không để lại liên hệ" not in html and user.get_full_name() in html


def test_a_logged_in_member_who_is_anonymous_leaves_no_contact_unasked(
    cast: Any, client_of: Any
) -> None:
    user = cast.member_user
    user.phone = "+84912345678"
    user.save(update_fields=["phone"])
    client_of(user).post(
        reverse("feedback:submit"),
        {"text": "Xin hỏi lương làm thêm ngày lễ", "unit_pick": "PX-A", "is_anonymous": "on"},
    )
    concern = Concern.objects.get()
    assert concern.is_anonymous and concern.contact_name == "" and concern.contact_phone == ""


def test_the_form_tells_a_logged_in_member_whose_contact_is_used(
    cast: Any, client: Any, client_of: Any
) -> None:
    assert (
        'id="lien-he-tai-khoan"'
        in client_of(cast.member_user).get(reverse("feedback:submit")).content.decode()
    )
    assert 'id="lien-he-tai-khoan"' not in client.get(reverse("feedback:submit")).content.decode()
