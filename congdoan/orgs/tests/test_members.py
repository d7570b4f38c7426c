"""Members: accent-free search, Vietnamese order, filters, the member page and its history, export."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from congdoan.audit.models import AuditEntry
from congdoan.feedback.services import concern_submit
from congdoan.orgs import services
from congdoan.orgs.collation import person_key, vn_key
from congdoan.orgs.forms import UnitChoiceField
from congdoan.orgs.models import Member, Membership, Unit
from congdoan.orgs.tests import factories

pytestmark = pytest.mark.django_db


def _names(body: str) -> list[str]:
    return re.findall(r'/doan-vien/\d+/">([^<]+)</a>', body)


@pytest.mark.parametrize("query", ["nguyen thi", "Nguyễn Thị", "NGUYEN THI HOA", "thi hoa", "hoa"])
def test_member_search_finds_names_typed_without_diacritics(cast, client_of, query):
    factories.member(cast.unit_a, full_name="Nguyễn Thị Hoa")
    factories.member(cast.unit_a, full_name="Lê Văn Dũng")
    body = client_of(cast.officer_a).get("/don-vi/PX-A/", {"q": query}).content.decode()
    assert "Nguyễn Thị Hoa" in _names(body)
    assert "Lê Văn Dũng" not in _names(body)


def test_member_search_finds_a_phone_typed_the_local_way(cast, client_of):
    factories.member(cast.unit_a, full_name="Phạm Văn Điện", phone="+84912345678")
    body = client_of(cast.officer_a).get("/don-vi/PX-A/", {"q": "0912 345 678"}).content.decode()
    assert _names(body) == ["Phạm Văn Điện"]


def test_members_are_listed_by_given_name_then_middle_name_then_surname(cast, client_of):
    for name in ("Trần Văn An", "Nguyễn Thị Ánh", "Lê Thị Bình", "Nguyễn Văn An", "Đỗ Anh"):
        factories.member(cast.unit_a, full_name=name)
    body = client_of(cast.officer_a).get("/don-vi/PX-A/").content.decode()
    assert _names(body) == [
        "Nguyễn Văn An",
        "Trần Văn An",
        "Đỗ Anh",
        "Nguyễn Thị Ánh",
        "Lê Thị Bình",
        "Nguyễn Thị Lan",
    ]


def test_vietnamese_collation_puts_dd_after_d_and_tones_after_letters():
    assert sorted(["Điện lực", "Yên Bái", "Dương", "Ân", "Anh", "An"], key=vn_key) == [
        "An",
        "Anh",
        "Ân",
        "Dương",
        "Điện lực",
        "Yên Bái",
    ]
    assert person_key("Nguyễn Văn An") < person_key("Trần Văn An") < person_key("Lê Thị Bình")


def test_union_drop_downs_sort_siblings_the_vietnamese_way(cast):
    factories.unit(cast.district, code="PX-DL", name="Công đoàn Điện lực Phú Xuyên")
    factories.unit(cast.district, code="PX-DG", name="Công đoàn Dương Thành")
    field = UnitChoiceField(queryset=Unit.objects.filter(parent=cast.district))
    labels = [str(label) for value, label in field.iterator(field) if str(value)]
    assert labels == [
        "— — Công đoàn Công ty Điện tử B (PX-B)",
        "— — Công đoàn Công ty May A (PX-A)",
        "— — Công đoàn Dương Thành (PX-DG)",
        "— — Công đoàn Điện lực Phú Xuyên (PX-DL)",
    ]
    assert list(
        Unit.objects.filter(code__in=["PX-DL", "PX-DG"])
        .order_by("sort_key")
        .values_list("code", flat=True)
    ) == ["PX-DG", "PX-DL"]


def test_feedback_and_library_union_lists_use_vietnamese_order(cast, client_of):
    factories.unit(cast.district, code="PX-DL", name="Công đoàn Điện lực Phú Xuyên")
    factories.unit(cast.district, code="PX-DG", name="Công đoàn Dương Thành")
    body = client_of(cast.district_officer).get("/tai-lieu/tai-len/").content.decode()
    assert body.index("Dương Thành") < body.index("Điện lực Phú Xuyên")
    body = client_of(cast.district_officer).get("/y-kien/ghi-nhan/").content.decode()
    assert body.index("Dương Thành") < body.index("Điện lực Phú Xuyên")


def test_feedback_assignee_drop_down_lists_officers_by_given_name(cast, client_of):
    for name in ("Trần Văn Yến", "Phạm Văn Đông", "Lê Thị Dung", "Ngô Thị Ánh"):
        factories.officer(cast.unit_a, name=name)
    concern = concern_submit(
        text="Công ty chậm trả lương tháng 10", unit=cast.unit_a, channel="web"
    )
    body = client_of(cast.officer_a).get(f"/y-kien/hop-thu/{concern.code}/").content.decode()
    select = body[body.index('name="assignee"') :]
    names = re.findall(
        r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select[: select.index("</select>")]
    )
    assert names == ["Chủ tịch CĐ A", "Ngô Thị Ánh", "Lê Thị Dung", "Phạm Văn Đông", "Trần Văn Yến"]


def test_admin_unit_list_is_in_vietnamese_order(cast, client_of):
    factories.unit(cast.district, code="PX-DL", name="Công đoàn Điện lực Phú Xuyên")
    factories.unit(cast.district, code="PX-DG", name="Công đoàn Dương Thành")
    body = client_of(cast.admin).get("/quan-tri/orgs/unit/").content.decode()
    assert body.index("Dương Thành") < body.index("Điện lực Phú Xuyên") < body.index("Thường Tín")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"gender": "M"}, ["Lê Văn Dũng"]),
        ({"age": "under-30"}, ["Nguyễn Thị Hoa"]),
        ({"age": "55-plus"}, ["Lê Văn Dũng"]),
        ({"card": "no"}, ["Nguyễn Thị Hoa"]),
        ({"status": "left"}, ["Phạm Thị Cũ"]),
        ({"status": "all", "gender": "F", "q": "pham"}, ["Phạm Thị Cũ"]),
        (
            {"gender": "khong-biet", "age": "???"},
            ["Lê Văn Dũng", "Nguyễn Thị Hoa", "Nguyễn Thị Lan"],
        ),
        # The Vietnamese names of before (bookmarked lists) still filter; the English one wins.
        ({"gioi_tinh": "M"}, ["Lê Văn Dũng"]),
        ({"tuoi": "under-30", "the": "no"}, ["Nguyễn Thị Hoa"]),
        ({"trang_thai": "all", "gioi_tinh": "F", "q": "pham"}, ["Phạm Thị Cũ"]),
        ({"trang_thai": "all", "status": "left"}, ["Phạm Thị Cũ"]),
    ],
)
def test_member_filters(cast, client_of, params, expected):
    today = date.today()
    hoa = factories.member(
        cast.unit_a,
        full_name="Nguyễn Thị Hoa",
        gender="F",
        date_of_birth=date(today.year - 25, 1, 1),
    )
    Member.objects.filter(pk=hoa.pk).update(card_number=None)
    factories.member(
        cast.unit_a, full_name="Lê Văn Dũng", gender="M", date_of_birth=date(today.year - 58, 1, 1)
    )
    factories.member(cast.unit_a, full_name="Phạm Thị Cũ", gender="F", left_on=date(2024, 1, 1))
    Member.objects.filter(pk=cast.member_a.pk).update(
        date_of_birth=date(today.year - 40, 1, 1), gender="F"
    )
    body = client_of(cast.officer_a).get("/don-vi/PX-A/", params).content.decode()
    assert sorted(_names(body)) == sorted(expected)


def test_officer_adds_edits_and_ends_a_membership_and_the_history_stays(cast, client_of):
    client = client_of(cast.officer_a)
    response = client.post(
        "/don-vi/PX-A/doan-vien/them/",
        {
            "full_name": "Vũ Thị Mai",
            "gender": "F",
            "joined_on": "2020-03-08",
            "card_number": "A-0099",
            "phone": "0912 000 999",
        },
    )
    assert response.status_code == 302
    mai = Member.objects.get(full_name="Vũ Thị Mai")
    assert mai.phone == "+84912000999" and mai.name_folded == "vu thi mai"
    url = f"/don-vi/PX-A/doan-vien/{mai.pk}/"
    assert client.get(url).status_code == 200

    response = client.post(
        url + "sua/",
        {
            "full_name": "Vũ Thị Mai Anh",
            "gender": "F",
            "joined_on": "2020-03-08",
            "card_number": "A-0099",
        },
    )
    assert response.status_code == 302
    mai.refresh_from_db()
    assert mai.full_name == "Vũ Thị Mai Anh" and mai.name_folded == "vu thi mai anh"

    response = client.post(
        url + "ket-thuc/", {"on_date": "2026-01-31", "reason": "Chuyển công tác"}
    )
    assert response.status_code == 302
    mai.refresh_from_db()
    assert mai.left_on == date(2026, 1, 31)
    assert (
        client.post(url + "ket-thuc/", {"on_date": "2026-02-01"}).status_code == 200
    )  # already ended: refused

    response = client.post(url + "tro-lai/", {"unit": cast.unit_a.pk, "on_date": "2026-06-01"})
    assert response.status_code == 302
    periods = list(
        Membership.objects.filter(member=mai)
        .order_by("id")
        .values_list("joined_on", "left_on", "end_reason")
    )
    assert periods == [
        (date(2020, 3, 8), date(2026, 1, 31), "Chuyển công tác"),
        (date(2026, 6, 1), None, ""),
    ]
    body = client.get(url).content.decode()
    assert "Chuyển công tác" in body and "31/01/2026" in body
    actions = list(
        AuditEntry.objects.filter(object_id=str(mai.pk), object_type="orgs.member").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["member.create", "member.end", "member.rejoin", "member.update"]


def test_ending_a_membership_of_a_member_stored_before_history_keeps_the_period(cast):
    services.member_end(
        actor=cast.officer_a, member=cast.member_a, on_date=date(2026, 2, 1), reason="Nghỉ hưu"
    )
    assert list(cast.member_a.memberships.values_list("unit__code", "left_on", "end_reason")) == [
        ("PX-A", date(2026, 2, 1), "Nghỉ hưu")
    ]


def test_officer_of_other_unit_cannot_open_or_end_a_member(cast, client_of):
    url = f"/don-vi/PX-B/doan-vien/{cast.member_b.pk}/"
    assert client_of(cast.officer_a).get(url).status_code == 404
    assert (
        client_of(cast.officer_a).post(url + "ket-thuc/", {"on_date": "2026-01-01"}).status_code
        == 404
    )
    assert (
        client_of(cast.officer_a).get(f"/don-vi/PX-A/doan-vien/{cast.member_b.pk}/").status_code
        == 404
    )
    cast.member_b.refresh_from_db()
    assert cast.member_b.left_on is None


def test_member_page_offers_a_password_reset_link_to_the_officer_of_the_members_union(
    cast, client_of
):
    reset_url = f"/tai-khoan/dat-lai-cho-doan-vien/{cast.member_a.pk}/"
    body = (
        client_of(cast.officer_a)
        .get(f"/don-vi/PX-A/doan-vien/{cast.member_a.pk}/")
        .content.decode()
    )
    assert f'action="{reset_url}"' in body
    assert "Tạo liên kết đặt lại mật khẩu" in body


def test_member_page_has_no_reset_button_for_others_nor_for_a_member_without_login(cast, client_of):
    # Another union's officer cannot even open the page; a member without a login has no button.
    assert (
        client_of(cast.officer_b).get(f"/don-vi/PX-A/doan-vien/{cast.member_a.pk}/").status_code
        == 404
    )
    assert cast.member_b.user is None
    body = (
        client_of(cast.officer_b)
        .get(f"/don-vi/PX-B/doan-vien/{cast.member_b.pk}/")
        .content.decode()
    )
    assert "dat-lai-cho-doan-vien" not in body
    assert "Tạo liên kết đặt lại mật khẩu" not in body


def _sheet_names(response) -> list[str]:
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_export_gives_the_district_its_whole_subtree_filtered_and_audited(cast, client_of):
    factories.member(cast.unit_a, full_name="Nguyễn Thị Hoa", gender="F")
    factories.member(cast.unit_b, full_name="Nguyễn Văn Hùng", gender="M")
    response = client_of(cast.district_officer).get(
        "/don-vi/PX/doan-vien/xuat.xlsx", {"q": "nguyen"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _sheet_names(response) == ["Nguyễn Thị Hoa", "Nguyễn Văn Hùng", "Nguyễn Thị Lan"]
    entry = AuditEntry.objects.get(action="member.export")
    assert entry.changes["rows"] == 3


def test_export_stays_within_the_grassroots_officers_unit(cast, client_of):
    assert client_of(cast.officer_a).get("/don-vi/PX/doan-vien/xuat.xlsx").status_code == 404
    response = client_of(cast.officer_a).get("/don-vi/PX-A/doan-vien/xuat.xlsx")
    assert _sheet_names(response) == ["Nguyễn Thị Lan"]
    assert client_of(cast.member_user).get("/don-vi/PX-A/doan-vien/xuat.xlsx").status_code == 403


def test_members_written_in_bulk_are_searchable_and_sorted(cast):
    Member.objects.bulk_create([Member(unit=cast.unit_a, full_name="Hoàng Thị Đào")])
    row = Member.objects.get(full_name="Hoàng Thị Đào")
    assert row.name_folded == "hoang thi dao" and row.sort_key == person_key("Hoàng Thị Đào")


def test_committee_of_a_unit_is_listed_by_rank_then_given_name(cast, client_of):
    position = factories.position("uy-vien", leader=False)
    position.rank = 200
    position.save()
    for name in ("Nguyễn Văn Bình", "Trần Thị An"):
        services.appointment_create(
            actor=None, unit=cast.unit_a, position=position, full_name=name, manages=False
        )
    body = client_of(cast.officer_a).get("/don-vi/PX-A/").content.decode()
    assert body.index("Chủ tịch CĐ A") < body.index("Trần Thị An") < body.index("Nguyễn Văn Bình")
