"""Member import: reading sheets, checking rows, the pages and the command."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from congdoan.audit.models import AuditEntry
from congdoan.core.models import ImportPreview
from congdoan.orgs import imports
from congdoan.orgs.models import Gender, Member

pytestmark = pytest.mark.django_db

HEADERS = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Ngày vào công đoàn",
    "Số thẻ đoàn viên",
    "Số điện thoại",
    "Email",
]


def xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.encode(encoding)


GOOD_CSV = (
    "Họ và tên,Giới tính,Ngày sinh,Ngày vào công đoàn,Số thẻ đoàn viên,Số điện thoại,Email\n"
    "Phạm Thị Hoa,Nữ,05/03/1990,01/06/2015,PX-0001,0912 345 678,hoa@example.vn\n"
    "Lê Văn Nam,Nam,1985-12-31,,PX-0002,,\n"
)


def check(cast, data: bytes, name: str = "ds.csv", viewer=None, unit=None) -> imports.Preview:
    sheet = imports.read_sheet(data, name)
    return imports.check_sheet(sheet, unit=unit or cast.unit_a, viewer=viewer or cast.officer_a)


# --- reading and checking ------------------------------------------------------------------


def test_good_csv_rows_are_parsed_into_member_fields(cast):
    preview = check(cast, csv_bytes(GOOD_CSV))
    assert not preview.has_errors
    first = preview.rows[0].values
    assert first == {
        "full_name": "Phạm Thị Hoa",
        "gender": Gender.FEMALE,
        "date_of_birth": date(1990, 3, 5),
        "joined_on": date(2015, 6, 1),
        "card_number": "PX-0001",
        "phone": "+84912345678",
        "email": "hoa@example.vn",
        "unit": cast.unit_a,
    }
    assert preview.rows[1].values["date_of_birth"] == date(1985, 12, 31)


def test_headers_are_matched_without_diacritics_and_case(cast):
    text = "HO VA TEN;gioi tinh;NGAY SINH;so the doan vien\nĐỗ Minh;nam;1/2/1999;X-1\n"
    preview = check(cast, csv_bytes(text))
    assert preview.columns == ["full_name", "gender", "date_of_birth", "card_number"]
    assert preview.rows[0].values["date_of_birth"] == date(1999, 2, 1)
    assert not preview.has_errors


def test_xlsx_with_real_excel_dates_and_numeric_cards(cast):
    data = xlsx(
        [[1, "Ngô Thị Mai", "Nữ", datetime(1992, 7, 14), date(2019, 1, 2), 123456, 912345678, ""]]
    )
    preview = check(cast, data, "ds.xlsx")
    values = preview.rows[0].values
    assert values["date_of_birth"] == date(1992, 7, 14)
    assert values["joined_on"] == date(2019, 1, 2)
    assert values["card_number"] == "123456"
    assert values["phone"] == "+84912345678"
    assert not preview.has_errors


def test_each_kind_of_row_error_is_reported_in_vietnamese(cast):
    text = (
        "Họ và tên,Giới tính,Ngày sinh,Số thẻ đoàn viên,Số điện thoại,Email\n"
        ",Nam,01/01/1990,A1,,\n"  # no name
        "Người Hai,Trai,01/01/1990,A2,,\n"  # unknown gender
        "Người Ba,Nữ,31/02/1990,A3,,\n"  # invalid date
        "Người Bốn,Nữ,01/01/1990,A4,12345,\n"  # invalid phone
        "Người Năm,Nữ,01/01/1990,A4,,\n"  # card repeated in the sheet
        "Người Sáu,Nữ,01/01/1990,A6,,khong-phai-email\n"  # invalid e-mail
        f"Người Bảy,Nữ,01/01/1990,{cast.member_b.card_number},,\n"  # card already in the database
    )
    rows = check(cast, csv_bytes(text)).rows
    messages = [" ".join(r.errors) for r in rows]
    assert "Thiếu họ và tên" in messages[0]
    assert "Giới tính không rõ" in messages[1]
    assert "Ngày sinh không hợp lệ" in messages[2]
    assert "Số điện thoại không hợp lệ" in messages[3]
    assert "trùng với dòng 5" in messages[4]
    assert "E-mail không hợp lệ" in messages[5]
    assert "đã có trong cơ sở dữ liệu" in messages[6]
    assert all(r.errors for r in rows)


def test_unit_code_column_must_be_in_scope_and_under_the_chosen_unit(cast):
    text = "Họ và tên,Mã đơn vị\nNgười A,PX-A\nNgười B,PX-B\nNgười C,KHONG-CO\n"
    rows = check(cast, csv_bytes(text), viewer=cast.district_officer, unit=cast.district).rows
    assert rows[0].ok and rows[0].values["unit"] == cast.unit_a
    assert rows[1].ok and rows[1].values["unit"] == cast.unit_b
    assert not rows[2].ok
    rows = check(cast, csv_bytes(text), viewer=cast.officer_a, unit=cast.unit_a).rows
    assert rows[0].ok
    assert not rows[1].ok and "PX-B" in rows[1].errors[0]


def test_formulas_are_refused(cast):
    data = xlsx([[1, "Hà Văn C", "Nam", "=TODAY()", None, "Z1", None, None]])
    row = check(cast, data, "ds.xlsx").rows[0]
    assert any("công thức" in e for e in row.errors)


def test_empty_and_header_only_files_are_refused(cast):
    with pytest.raises(imports.SheetError, match="trống"):
        imports.read_sheet(b"", "ds.csv")
    with pytest.raises(imports.SheetError, match="trống"):
        imports.read_sheet(b"\n\n ,,\n", "ds.csv")
    with pytest.raises(imports.SheetError, match="chỉ có dòng tiêu đề"):
        imports.read_sheet(csv_bytes("Họ và tên,Giới tính\n"), "ds.csv")


def test_sheet_without_name_column_is_refused(cast):
    with pytest.raises(imports.SheetError, match="Họ và tên"):
        imports.read_sheet(csv_bytes("Tên gì đó,Giới tính\nA,Nam\n"), "ds.csv")


def test_too_many_rows_is_refused_with_the_limit(cast, settings):
    settings.ORGS_IMPORT_MAX_ROWS = 100
    text = "Họ và tên\n" + "".join(f"Người {i}\n" for i in range(100_000))
    with pytest.raises(imports.SheetError, match="tối đa 100 dòng"):
        imports.read_sheet(csv_bytes(text), "ds.csv")
    with pytest.raises(imports.SheetError, match="tối đa 100 dòng"):
        imports.read_sheet(xlsx([[i, f"Người {i}"] for i in range(150)]), "ds.xlsx")


# --- writing ---------------------------------------------------------------------------------


def test_import_creates_members_and_one_audit_entry(cast):
    sheet = imports.read_sheet(csv_bytes(GOOD_CSV), "ds.csv")
    before = AuditEntry.objects.count()
    result = imports.import_members(
        actor=cast.officer_a, sheet=sheet, unit=cast.unit_a, viewer=cast.officer_a
    )
    assert result.created == 2
    hoa = Member.objects.get(card_number="PX-0001")
    assert hoa.unit == cast.unit_a and hoa.phone == "+84912345678"
    entries = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
    assert [e.action for e in entries] == ["member.import"]
    assert entries[0].changes["created"] == 2 and entries[0].changes["skipped"] == 0


def test_sheet_with_errors_writes_nothing_unless_valid_only(cast):
    text = GOOD_CSV + "Người Lỗi,Trai,,,,,\n"
    sheet = imports.read_sheet(csv_bytes(text), "ds.csv")
    count = Member.objects.count()
    with pytest.raises(Exception, match="dòng lỗi"):
        imports.import_members(
            actor=cast.officer_a, sheet=sheet, unit=cast.unit_a, viewer=cast.officer_a
        )
    assert Member.objects.count() == count
    result = imports.import_members(
        actor=cast.officer_a, sheet=sheet, unit=cast.unit_a, viewer=cast.officer_a, valid_only=True
    )
    assert (result.created, result.skipped) == (2, 1)
    assert Member.objects.count() == count + 2
    entry = AuditEntry.objects.filter(action="member.import").get()
    assert entry.changes["skipped_lines"] == [4]


def test_import_is_atomic_when_a_write_fails_midway(cast, monkeypatch):
    sheet = imports.read_sheet(csv_bytes(GOOD_CSV), "ds.csv")
    calls = {"n": 0}
    real = imports.member_create

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(imports, "member_create", failing)
    count = Member.objects.count()
    with pytest.raises(RuntimeError):
        imports.import_members(
            actor=cast.officer_a, sheet=sheet, unit=cast.unit_a, viewer=cast.officer_a
        )
    assert Member.objects.count() == count
    assert not AuditEntry.objects.filter(action="member.import").exists()


# --- the pages --------------------------------------------------------------------------------


def upload(client, code: str, data: bytes, name: str = "ds.csv"):
    return client.post(f"/don-vi/{code}/nhap-doan-vien/", {"file": SimpleUploadedFile(name, data)})


def test_officer_uploads_previews_and_confirms(cast, client_of):
    client = client_of(cast.officer_a)
    assert "Nhập đoàn viên từ tệp" in client.get("/don-vi/PX-A/").content.decode()
    response = upload(client, "PX-A", csv_bytes(GOOD_CSV))
    assert response.status_code == 302 and response["Location"].endswith(
        "/don-vi/PX-A/nhap-doan-vien/xem-truoc/"
    )
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Phạm Thị Hoa" in body and "Lê Văn Nam" in body
    assert not Member.objects.filter(card_number="PX-0001").exists()  # nothing written yet
    token = page.context["token"]
    response = client.post("/don-vi/PX-A/nhap-doan-vien/xac-nhan/", {"token": token})
    assert response.status_code == 302
    assert (
        Member.objects.filter(unit=cast.unit_a, card_number__in=["PX-0001", "PX-0002"]).count() == 2
    )
    # The preview is gone: confirming twice does not import twice.
    client.post("/don-vi/PX-A/nhap-doan-vien/xac-nhan/", {"token": token})
    assert Member.objects.filter(card_number="PX-0001").count() == 1


def test_preview_shows_errors_and_confirm_needs_valid_only(cast, client_of):
    client = client_of(cast.officer_a)
    upload(client, "PX-A", csv_bytes(GOOD_CSV + "Người Lỗi,Nam,99/99/1990,,,,\n"))
    page = client.get("/don-vi/PX-A/nhap-doan-vien/xem-truoc/")
    body = page.content.decode()
    assert "Ngày sinh không hợp lệ" in body and 'name="valid_only"' in body
    token = page.context["token"]
    count = Member.objects.count()
    response = client.post("/don-vi/PX-A/nhap-doan-vien/xac-nhan/", {"token": token})
    assert response.status_code == 302 and Member.objects.count() == count
    client.post("/don-vi/PX-A/nhap-doan-vien/xac-nhan/", {"token": token, "valid_only": "1"})
    assert Member.objects.count() == count + 2


def test_the_preview_waits_on_the_server_not_in_the_session(cast, client_of):
    client = client_of(cast.officer_a)
    upload(client, "PX-A", csv_bytes(GOOD_CSV))
    assert "Phạm Thị Hoa" not in str(dict(client.session.items()))
    stored = ImportPreview.objects.get(owner=cast.officer_a)
    assert (stored.kind, stored.unit_code) == ("orgs.members", "PX-A")
    token = client.get("/don-vi/PX-A/nhap-doan-vien/xem-truoc/").context["token"]
    assert token == stored.token
    client.post("/don-vi/PX-A/nhap-doan-vien/xac-nhan/", {"token": token})
    stored.refresh_from_db()
    assert stored.applied_at is not None and stored.sheet == {}  # no rows kept once applied


def test_another_officer_cannot_confirm_someone_elses_preview(cast, client_of):
    upload(client_of(cast.officer_a), "PX-A", csv_bytes(GOOD_CSV))
    token = ImportPreview.objects.get(owner=cast.officer_a).token
    other = client_of(cast.district_officer)  # manages PX-A too
    assert other.get("/don-vi/PX-A/nhap-doan-vien/xem-truoc/").status_code == 302
    other.post("/don-vi/PX-A/nhap-doan-vien/xac-nhan/", {"token": token})
    assert not Member.objects.filter(card_number="PX-0001").exists()


def test_bad_file_shows_a_clear_error_on_the_page(cast, client_of):
    response = upload(client_of(cast.officer_a), "PX-A", b"", "rong.csv")
    assert response.status_code == 200
    response = upload(client_of(cast.officer_a), "PX-A", b"\x00\x01binary", "anh.csv")
    assert "không phải bảng tính" in response.content.decode()


def test_wrong_token_does_not_import(cast, client_of):
    client = client_of(cast.officer_a)
    upload(client, "PX-A", csv_bytes(GOOD_CSV))
    count = Member.objects.count()
    client.post("/don-vi/PX-A/nhap-doan-vien/xac-nhan/", {"token": "doan-bua"})
    assert Member.objects.count() == count


def test_officer_cannot_import_into_a_unit_outside_their_scope(cast, client_of):
    client = client_of(cast.officer_a)
    assert client.get("/don-vi/PX-B/nhap-doan-vien/").status_code == 404
    assert upload(client, "PX-B", csv_bytes(GOOD_CSV)).status_code == 404
    assert client.post("/don-vi/PX-B/nhap-doan-vien/xac-nhan/", {"token": "x"}).status_code == 404
    assert not Member.objects.filter(card_number="PX-0001").exists()


def test_preview_of_one_unit_cannot_be_confirmed_on_another(cast, client_of):
    client = client_of(cast.district_officer)
    upload(client, "PX-A", csv_bytes(GOOD_CSV))
    token = client.get("/don-vi/PX-A/nhap-doan-vien/xem-truoc/").context["token"]
    client.post("/don-vi/PX-B/nhap-doan-vien/xac-nhan/", {"token": token})
    assert not Member.objects.filter(card_number="PX-0001").exists()


def test_members_and_anonymous_cannot_open_the_import_page(cast, client_of, client):
    assert client_of(cast.member_user).get("/don-vi/PX-A/nhap-doan-vien/").status_code == 403
    response = client.get("/don-vi/PX-A/nhap-doan-vien/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


# --- the command -------------------------------------------------------------------------------


def test_command_imports_a_file(cast, tmp_path: Path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx([[1, "Vũ Thị Thu", "Nữ", "02/02/1991", None, "CMD-1", None, None]]))
    out = io.StringIO()
    call_command(
        "orgs", "import-members", str(path), "--unit", "PX-A", stdout=out, stderr=io.StringIO()
    )
    assert Member.objects.get(card_number="CMD-1").unit == cast.unit_a
    assert "Đã nhập 1" in out.getvalue()


def test_command_refuses_a_sheet_with_errors_unless_valid_only(cast, tmp_path: Path):
    path = tmp_path / "ds.csv"
    path.write_bytes(
        csv_bytes(
            "Họ và tên,Giới tính,Số thẻ đoàn viên\nNgười Một,Nam,CMD-2\nNgười Hai,???,CMD-3\n"
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="--valid-only"):
        call_command(
            "orgs",
            "import-members",
            str(path),
            "--unit",
            "PX-A",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "dòng 3" in err.getvalue()
    assert not Member.objects.filter(card_number="CMD-2").exists()
    call_command(
        "orgs",
        "import-members",
        str(path),
        "--unit",
        "PX-A",
        "--valid-only",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert Member.objects.filter(card_number="CMD-2").exists()
    assert not Member.objects.filter(card_number="CMD-3").exists()


def test_command_refuses_an_unknown_unit(cast, tmp_path: Path):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes(GOOD_CSV))
    with pytest.raises(CommandError, match="KHONG"):
        call_command("orgs", "import-members", str(path), "--unit", "KHONG", stdout=io.StringIO())


def test_the_old_command_name_still_imports_and_names_the_new_one(cast, tmp_path: Path):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes("Họ và tên,Số thẻ đoàn viên\nNgười Cũ,CMD-OLD\n"))
    err = io.StringIO()
    call_command(
        "orgs-import-members", str(path), "--unit", "PX-A", stdout=io.StringIO(), stderr=err
    )
    assert "congdoan orgs import-members" in err.getvalue()
    assert Member.objects.get(card_number="CMD-OLD").unit == cast.unit_a


def test_blank_template_downloads_and_reads_back_without_errors(cast, client_of):
    response = client_of(cast.officer_a).get("/don-vi/PX-A/nhap-doan-vien/tep-mau.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    preview = check(cast, response.content, "mau.xlsx")
    assert preview.columns == imports.FIELDS
    assert not preview.has_errors and preview.rows[0].values["unit"] == cast.unit_a
    assert (
        client_of(cast.officer_a).get("/don-vi/PX-B/nhap-doan-vien/tep-mau.xlsx").status_code == 404
    )
