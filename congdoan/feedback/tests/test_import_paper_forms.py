"""Paper forms import: reading XLSX/CSV, row-by-row preview, all-or-nothing, scoping, audit."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from congdoan.audit.models import AuditEntry
from congdoan.core.importer import SheetError
from congdoan.core.models import ImportPreview
from congdoan.feedback import importers
from congdoan.feedback.models import Channel, Concern

HEADER = ["Ngày", "Mã đơn vị", "Nội dung", "Ẩn danh", "Họ tên", "Số điện thoại"]
GOOD: list[list[Any]] = [
    [date(2026, 11, 20), "PX-A", "Công ty chậm trả lương tháng 10", "có", "", ""],
    ["21/11/2026", "px-b", "Phòng nghỉ trưa quá nóng", "không", "Nguyễn Thị Lan", "0912 345 678"],
    ["", "", "Xin tổ chức khám sức khỏe định kỳ", "", "", ""],
]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER, title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list[Any]], sep: str = ",") -> bytes:
    lines = [sep.join(HEADER)] + [sep.join(str(c) for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def preview_of(
    data: bytes, name: str, default: Any, may_use: Any = lambda u: True
) -> importers.Preview:
    return importers.preview_sheet(
        importers.read_sheet(name, data), default_unit=default, may_use=may_use
    )


# --- reading and checking ---------------------------------------------------------------------


@pytest.mark.django_db
def test_xlsx_with_a_title_row_is_read_and_every_good_row_is_valid(cast: Any) -> None:
    preview = preview_of(xlsx(GOOD, title="PHIẾU TÂM TƯ NGUYỆN VỌNG"), "phieu.xlsx", cast.unit_a)
    assert [r.line for r in preview.rows] == [3, 4, 5]
    assert not preview.has_errors
    first, second, third = (r.values for r in preview.rows)
    assert (first["unit"], first["when"], first["is_anonymous"]) == (
        cast.unit_a,
        date(2026, 11, 20),
        True,
    )
    assert (second["unit"], second["is_anonymous"], second["name"], second["phone"]) == (
        cast.unit_b,
        False,
        "Nguyễn Thị Lan",
        "+84912345678",
    )
    assert third["unit"] == cast.unit_a and third["when"] is None and third["is_anonymous"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_csv_with_any_usual_separator_is_read(cast: Any, sep: str) -> None:
    rows = [["21/11/2026", "PX-B", "Phòng nghỉ trưa quá nóng", "không", "Lan", "0912345678"]]
    preview = preview_of(csv_bytes(rows, sep), "phieu.csv", cast.unit_a)
    assert not preview.has_errors
    assert preview.rows[0].values["unit"] == cast.unit_b


@pytest.mark.django_db
def test_headings_without_diacritics_are_understood(cast: Any) -> None:
    data = xlsx([["PX-A", "Thiếu nước uống"]], header=["MA DON VI", "noi dung"])
    assert preview_of(data, "a.xlsx", None).rows[0].values["unit"] == cast.unit_a


@pytest.mark.django_db
def test_each_wrong_row_shows_its_own_errors(cast: Any) -> None:
    future = (date.today() + timedelta(days=30)).strftime("%d/%m/%Y")
    rows = [
        ["32/13/2026", "PX-A", "Ngày sai", "", "", ""],
        [future, "PX-A", "Ngày tương lai", "", "", ""],
        ["", "KHONG-CO", "Mã đơn vị sai", "", "", ""],
        ["", "PX-A", "   ", "", "", ""],
        ["", "PX-A", "Số điện thoại sai", "không", "An", "12345"],
        ["", "PX-A", "Ẩn danh sai", "có lẽ", "", ""],
        ["", "PX-A", "Dòng đúng", "", "", ""],
    ]
    preview = preview_of(xlsx(rows), "loi.xlsx", cast.unit_a)
    errors = {r.values["text"] or r.line: r.errors for r in preview.rows}
    assert "không đúng dạng" in errors["Ngày sai"][0]
    assert "tương lai" in errors["Ngày tương lai"][0]
    assert "KHONG-CO" in errors["Mã đơn vị sai"][0]
    assert "nội dung" in preview.rows[3].errors[0]
    assert "không hợp lệ" in errors["Số điện thoại sai"][0]
    assert "Ẩn danh" in errors["Ẩn danh sai"][0]
    assert errors["Dòng đúng"] == []
    assert len(preview.error_rows) == 6 and len(preview.valid_rows) == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.xlsx", b"", "trống"),
        ("a.pdf", b"%PDF-1.4", "Chỉ nhận"),
        ("a.xlsx", b"PK\x03\x04 not really a zip", "Không đọc được tệp Excel"),
        ("a.csv", "Họ tên,Số điện thoại\nAn,0912345678\n".encode(), "Nội dung"),
        ("a.csv", "Nội dung\n\n\n".encode(), "không có dòng"),
    ],
)
def test_unreadable_files_get_a_clear_reason(name: str, data: bytes, message: str) -> None:
    with pytest.raises(SheetError, match=message):
        importers.read_sheet(name, data)


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "MAX_ROWS", 3)
    data = ("Nội dung\n" + "ý kiến\n" * 4).encode()
    with pytest.raises(SheetError, match="tối đa 3 dòng"):
        importers.read_sheet("a.csv", data)


# --- writing ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_writes_every_row_as_an_import_concern_keeping_the_form_date(cast: Any) -> None:
    preview = preview_of(xlsx(GOOD), "phieu.xlsx", cast.unit_a)
    result = importers.import_sheet(preview=preview, actor=cast.district_officer)
    assert result.created == 3
    concerns = {c.text: c for c in Concern.objects.all()}
    late = concerns["Công ty chậm trả lương tháng 10"]
    assert late.channel == Channel.IMPORT and late.unit == cast.unit_a
    assert timezone.localtime(late.created_at).date() == date(2026, 11, 20)
    named = concerns["Phòng nghỉ trưa quá nóng"]
    assert (named.is_anonymous, named.contact_name, named.contact_phone) == (
        False,
        "Nguyễn Thị Lan",
        "+84912345678",
    )
    entry = AuditEntry.objects.get(action="feedback.import")
    assert entry.actor == cast.district_officer
    assert entry.changes["created"] == 3 and entry.changes["file"] == "phieu.xlsx"


@pytest.mark.django_db
def test_sheet_with_errors_writes_nothing_unless_valid_rows_only_is_chosen(cast: Any) -> None:
    rows = [*GOOD, ["", "KHONG-CO", "Mã sai", "", "", ""]]
    preview = preview_of(xlsx(rows), "phieu.xlsx", cast.unit_a)
    with pytest.raises(ValidationError, match="1 dòng lỗi"):
        importers.import_sheet(preview=preview, actor=cast.district_officer)
    assert Concern.objects.count() == 0
    assert not AuditEntry.objects.filter(action="feedback.import").exists()
    result = importers.import_sheet(preview=preview, actor=cast.district_officer, valid_only=True)
    assert (result.created, result.skipped) == (3, 1)
    assert Concern.objects.count() == 3


@pytest.mark.django_db
def test_importing_the_same_file_twice_creates_no_duplicates(cast: Any) -> None:
    data = xlsx(GOOD)
    importers.import_sheet(
        preview=preview_of(data, "p.xlsx", cast.unit_a), actor=cast.district_officer
    )
    again = importers.import_sheet(
        preview=preview_of(data, "p.xlsx", cast.unit_a), actor=cast.district_officer
    )
    assert (again.created, again.already) == (0, 3)
    assert Concern.objects.count() == 3


@pytest.mark.django_db
def test_identical_forms_in_one_file_are_separate_concerns(cast: Any) -> None:
    rows = [["", "PX-A", "Đề nghị tăng lương", "", "", ""]] * 3
    result = importers.import_sheet(
        preview=preview_of(xlsx(rows), "p.xlsx", cast.unit_a), actor=cast.district_officer
    )
    assert result.created == 3


# --- the page ---------------------------------------------------------------------------------

URL = "/kenh/nhap-phieu/"
CONFIRM = "/kenh/nhap-phieu/xac-nhan/"


def upload(client: Client, data: bytes, unit: str, name: str = "phieu.xlsx") -> Any:
    return client.post(URL, {"unit": unit, "file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
def test_officer_previews_then_confirms_and_the_concerns_are_written(
    cast: Any, officer_a: Any, client_of: Any
) -> None:
    client = client_of(officer_a)
    rows = [
        ["", "", "Xin tổ chức khám sức khỏe định kỳ", "", "", ""],
        ["", "PX-A", "Thiếu nước uống", "", "", ""],
    ]
    response = upload(client, xlsx(rows), "PX-A")
    assert response.status_code == 200
    assert "Xin tổ chức khám sức khỏe định kỳ" in response.content.decode()
    assert Concern.objects.count() == 0  # preview writes nothing
    token = response.context["token"]
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert Concern.objects.filter(unit=cast.unit_a, channel=Channel.IMPORT).count() == 2
    assert (
        client.post(CONFIRM, {"token": token}).status_code == 302
    )  # an old tab cannot import twice
    assert Concern.objects.count() == 2


@pytest.mark.django_db
def test_page_refuses_a_sheet_with_errors_until_valid_rows_only_is_ticked(
    cast: Any, officer_a: Any, client_of: Any
) -> None:
    client = client_of(officer_a)
    rows = [["", "PX-A", "Dòng đúng", "", "", ""], ["99/99/2026", "PX-A", "Ngày sai", "", "", ""]]
    response = upload(client, xlsx(rows), "PX-A")
    assert "không đúng dạng" in response.content.decode()
    token = response.context["token"]
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 200
    assert Concern.objects.count() == 0
    client.post(CONFIRM, {"token": token, "valid_only": "1"})
    assert list(Concern.objects.values_list("text", flat=True)) == ["Dòng đúng"]


@pytest.mark.django_db
def test_officer_of_unit_b_cannot_import_into_unit_a(
    cast: Any, officer_b: Any, client_of: Any
) -> None:
    client = client_of(officer_b)
    # A as the default unit: not offered, refused.
    response = upload(client, xlsx([["", "", "Nội dung", "", "", ""]]), "PX-A")
    assert response.status_code == 200
    assert response.context["form"].errors.get("unit")
    # A named in a row: that row is an error, whatever the default unit.
    response = upload(client, xlsx([["", "PX-A", "Nội dung", "", "", ""]]), "PX-B")
    row = response.context["preview"].rows[0]
    assert row.errors and "PX-A" in row.errors[0]
    client.post(CONFIRM, {"token": response.context["token"], "valid_only": "1"})
    assert Concern.objects.count() == 0


@pytest.mark.django_db
def test_members_and_visitors_cannot_open_the_import_page(
    cast: Any, member: Any, client_of: Any, client: Client
) -> None:
    assert client_of(member).get(URL).status_code == 403
    assert client.get(URL).status_code == 302  # to the login page


@pytest.mark.django_db
def test_unreadable_upload_shows_the_reason_on_the_form(
    cast: Any, officer_a: Any, client_of: Any
) -> None:
    response = upload(client_of(officer_a), b"%PDF-1.4", "PX-A", name="scan.pdf")
    assert "Chỉ nhận tệp Excel" in response.content.decode()


# --- the command ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_imports_a_file_and_refuses_one_with_errors(cast: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(GOOD))
    out = io.StringIO()
    call_command("feedback", "import-forms", str(good), "--unit", "PX-A", stdout=out)
    assert "Đã nhập 3 ý kiến" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["", "KHONG-CO", "Mã sai", "", "", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="dòng lỗi"):
        call_command(
            "feedback",
            "import-forms",
            str(bad),
            "--unit",
            "PX-A",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "dòng 2:" in err.getvalue()
    assert Concern.objects.count() == 3


@pytest.mark.django_db
def test_command_as_an_officer_keeps_to_their_scope(cast: Any, tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(xlsx([["", "", "Nội dung", "", "", ""]]))
    with pytest.raises(CommandError, match="trong phạm vi"):
        call_command(
            "feedback",
            "import-forms",
            str(path),
            "--unit",
            "PX-A",
            "--user",
            cast.officer_b.username,
            stdout=io.StringIO(),
        )


@pytest.mark.django_db
def test_the_old_command_name_still_imports_and_names_the_new_one(
    cast: Any, tmp_path: Path
) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(xlsx([["", "", "Nội dung cũ", "", "", ""]]))
    err = io.StringIO()
    call_command("feedback_import", str(path), "--unit", "PX-A", stdout=io.StringIO(), stderr=err)
    assert "congdoan feedback import-forms" in err.getvalue()
    assert Concern.objects.get().text == "Nội dung cũ"


@pytest.mark.django_db
def test_the_preview_waits_on_the_server_for_its_owner_only(
    cast: Any, officer_a: Any, district_officer: Any, client_of: Any
) -> None:
    client = client_of(officer_a)
    response = upload(client, xlsx(GOOD[:1]), "PX-A")
    assert "Công ty chậm trả lương" not in str(dict(client.session.items()))
    token = response.context["token"]
    stored = ImportPreview.objects.get(token=token)
    assert (stored.owner, stored.kind, stored.unit_code) == (
        officer_a,
        "feedback.paper_forms",
        "PX-A",
    )
    client_of(district_officer).post(CONFIRM, {"token": token})
    assert Concern.objects.count() == 0  # another officer's confirmation does nothing
    client.post(CONFIRM, {"token": token})
    assert Concern.objects.count() == 1


@pytest.mark.django_db
def test_control_characters_in_a_cell_are_dropped(cast: Any) -> None:
    # (A NUL makes a CSV file binary, refused as a whole; core/tests/test_importer.py.)
    rows = [["", "PX-A", "Lương\x0b chậm\x01 trả tháng 10\x1f", "", "An\x7f", ""]]
    values = preview_of(csv_bytes(rows), "p.csv", None).rows[0].values
    assert (values["text"], values["name"]) == ("Lương chậm trả tháng 10", "An")


@pytest.mark.django_db
def test_upload_page_offers_only_the_units_the_officer_manages(
    cast: Any, officer_a: Any, client_of: Any
) -> None:
    response = client_of(officer_a).get(URL)
    assert response.status_code == 200
    offered = {u.code for u in response.context["form"].fields["unit"].queryset}
    assert offered == {"PX-A"}


@pytest.mark.django_db
def test_district_officer_imports_rows_for_several_unions_in_one_sheet(
    cast: Any, district_officer: Any, client_of: Any
) -> None:
    client = client_of(district_officer)
    response = upload(client, xlsx(GOOD), "PX")
    assert not response.context["preview"].has_errors
    client.post(CONFIRM, {"token": response.context["token"]})
    units = sorted(Concern.objects.values_list("unit__code", flat=True))
    assert units == ["PX", "PX-A", "PX-B"]


@pytest.mark.django_db
def test_phone_typed_as_a_number_in_excel_is_understood(cast: Any) -> None:
    preview = preview_of(xlsx([["", "PX-A", "Nội dung", "không", "An", 912345678]]), "p.xlsx", None)
    assert preview.rows[0].values["phone"] == "+84912345678"
