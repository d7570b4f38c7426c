"""The one spreadsheet importer (core/importer.py): reading, the flow, and previews kept on
the server (their owner's, applied once, gone when expired)."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from congdoan.core import importer
from congdoan.core.importer import ImportResult, Kind, Row, Sheet, SheetError, StoredPreview
from congdoan.core.models import ImportPreview

AUDITED: list[dict[str, Any]] = []


def _audit(**kwargs: Any) -> None:
    AUDITED.append(kwargs)


NAMES = Kind(
    name="test.names",
    headings={"ho ten": "name", "ghi chu": "note", "stt": ""},
    fields=("name", "note"),
    required=("name",),
    max_rows=lambda: 5,
    max_bytes=lambda: 1024 * 1024,
    no_header=lambda headers: "no name column in " + ", ".join(headers),
    no_rows=lambda: "no rows",
    refused=lambda n: f"{n} wrong rows",
    audit_action="test.import",
    audit=_audit,
    header_rows=3,
)


def read(text: str) -> Sheet:
    return importer.read_sheet(text.encode(), "names.csv", kind=NAMES)


def check(sheet: Sheet) -> importer.Preview:
    rows = []
    for line, raw in sheet.records():
        row = Row(line=line, values={"name": raw["name"]})
        if not raw["name"]:
            row.errors.append("no name")
        rows.append(row)
    return importer.preview_of(sheet, rows, kind=NAMES)


def test_control_characters_are_stripped_except_tab_and_newline() -> None:
    assert importer.clean_text(" a\x00b\x0bc\x1fd\x7fe\x85f\tg\r\nh\ri ") == "abcdef\tg\nh\ni"
    assert importer.cell_text("Nguye\u0302\u0303n\x00") == "Nguyễn"  # NFC, NUL gone
    assert importer.cell_text(912345678.0) == "912345678"


def test_header_is_found_under_a_title_and_unknown_columns_are_warned() -> None:
    sheet = read("DANH SÁCH\nSTT,Họ tên:,Ghi chú,Khác\n1,An,x,y\n2,,z,\n")
    assert sheet.columns == {"name": 1, "note": 2}
    assert [line for line, _cells in sheet.rows] == [3, 4]
    preview = check(sheet)
    assert preview.columns == ["name", "note"]
    assert [r.line for r in preview.error_rows] == [4]
    assert any("Khác" in w for w in preview.warnings)


@pytest.mark.parametrize(
    ("text", "message"),
    [("Ghi chú\nx\n", "no name column"), ("Họ tên\n", "no rows"), ("Họ tên\n" + "a\n" * 6, "5")],
)
def test_unreadable_sheets_say_why(text: str, message: str) -> None:
    with pytest.raises(SheetError, match=message):
        read(text)


def test_sheet_survives_json() -> None:
    sheet = read("Họ tên,Ghi chú\nAn,x\n")
    assert Sheet.from_json(sheet.to_json()) == sheet


@pytest.mark.django_db
def test_apply_writes_valid_rows_only_when_asked_and_audits_the_counts() -> None:
    AUDITED.clear()
    preview = check(read("Họ tên,Ghi chú\nAn,\n,\nBình,\n,x\n"))  # a blank row is no row
    written: list[str] = []

    def write(row: Row) -> str:
        written.append(row.values["name"])
        return row.values["name"]

    with pytest.raises(ValidationError, match="1 wrong rows"):
        importer.apply(preview, kind=NAMES, actor=None, valid_only=False, write=write, target=None)
    assert written == [] and AUDITED == []
    result = importer.apply(
        preview, kind=NAMES, actor=None, valid_only=True, write=write, target=None
    )
    assert (result.created, result.skipped, written) == (2, 1, ["An", "Bình"])
    assert AUDITED[0]["action"] == "test.import"
    assert AUDITED[0]["changes"]["created"] == 2
    assert AUDITED[0]["changes"]["skipped_lines"] == [5]


@pytest.mark.django_db
def test_preview_is_kept_on_the_server_for_its_owner_only(cast: Any) -> None:
    sheet = read("Họ tên\nAn\n")
    stored = importer.preview_save(kind=NAMES, sheet=sheet, owner=cast.officer_a, unit_code="PX-A")
    row = ImportPreview.objects.get(token=stored.token)
    assert row.owner == cast.officer_a and row.kind == "test.names" and row.unit_code == "PX-A"
    assert row.expires_at > timezone.now()
    found = importer.preview_get(kind=NAMES, owner=cast.officer_a, unit_code="PX-A")
    assert found is not None and found.sheet == sheet
    assert importer.preview_get(kind=NAMES, owner=cast.officer_b, token=stored.token) is None
    assert importer.preview_get(kind=NAMES, owner=cast.officer_a, unit_code="PX-B") is None


@pytest.mark.django_db
def test_a_preview_is_applied_once_and_only_by_its_owner(cast: Any) -> None:
    stored = importer.preview_save(
        kind=NAMES, sheet=read("Họ tên\nAn\n"), owner=cast.officer_a, unit_code="PX-A"
    )
    runs: list[StoredPreview] = []

    def run(found: StoredPreview) -> ImportResult:
        runs.append(found)
        return ImportResult(created=1, skipped=0)

    assert (
        importer.preview_apply(kind=NAMES, owner=cast.officer_b, token=stored.token, run=run)
        is None
    )
    assert importer.preview_apply(kind=NAMES, owner=cast.officer_a, token="", run=run) is None
    assert runs == []
    assert importer.preview_apply(kind=NAMES, owner=cast.officer_a, token=stored.token, run=run)
    assert (
        importer.preview_apply(kind=NAMES, owner=cast.officer_a, token=stored.token, run=run)
        is None
    )
    assert len(runs) == 1
    row = ImportPreview.objects.get(token=stored.token)
    assert row.applied_at is not None and row.sheet == {}  # the rows are gone once applied


@pytest.mark.django_db
def test_a_failed_apply_leaves_the_preview_to_confirm_again(cast: Any) -> None:
    stored = importer.preview_save(
        kind=NAMES, sheet=read("Họ tên\nAn\n"), owner=cast.officer_a, unit_code="PX-A"
    )

    def refuse(found: StoredPreview) -> ImportResult:
        raise ValidationError("no")

    with pytest.raises(ValidationError):
        importer.preview_apply(kind=NAMES, owner=cast.officer_a, token=stored.token, run=refuse)
    assert importer.preview_get(kind=NAMES, owner=cast.officer_a, token=stored.token) is not None


@pytest.mark.django_db
def test_a_new_upload_replaces_the_owners_earlier_preview(cast: Any) -> None:
    first = importer.preview_save(
        kind=NAMES, sheet=read("Họ tên\nAn\n"), owner=cast.officer_a, unit_code="PX-A"
    )
    importer.preview_save(
        kind=NAMES, sheet=read("Họ tên\nBình\n"), owner=cast.officer_a, unit_code="PX-A"
    )
    assert importer.preview_get(kind=NAMES, owner=cast.officer_a, token=first.token) is None
    assert ImportPreview.objects.filter(owner=cast.officer_a).count() == 1


@pytest.mark.django_db
def test_expired_previews_cannot_be_applied_and_are_deleted(cast: Any) -> None:
    stored = importer.preview_save(
        kind=NAMES, sheet=read("Họ tên\nAn\n"), owner=cast.officer_a, unit_code="PX-A"
    )
    ImportPreview.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    def run(found: StoredPreview) -> ImportResult:
        raise AssertionError("an expired preview ran")

    assert (
        importer.preview_apply(kind=NAMES, owner=cast.officer_a, token=stored.token, run=run)
        is None
    )
    assert not ImportPreview.objects.exists()  # purged on access


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_import_once(cast: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: no race to show")
    stored = importer.preview_save(
        kind=NAMES, sheet=read("Họ tên\nAn\n"), owner=cast.officer_a, unit_code="PX-A"
    )
    runs: list[str] = []
    results: list[ImportResult | None] = []
    start = threading.Barrier(2)

    def run(found: StoredPreview) -> ImportResult:
        runs.append(found.token)
        time.sleep(1)  # the other confirmation reads the preview meanwhile, still waiting
        return ImportResult(created=1, skipped=0)

    def confirm() -> None:
        try:
            start.wait()
            results.append(
                importer.preview_apply(
                    kind=NAMES, owner=cast.officer_a, token=stored.token, run=run
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(runs) == 1
    assert sorted(r is None for r in results) == [False, True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27/11/2026", date(2026, 11, 27)),
        ("27-11-26", date(2026, 11, 27)),
        ("27.11.2026", date(2026, 11, 27)),
        (" 2026-11-27 ", date(2026, 11, 27)),
        ("46353", date(2026, 11, 27)),  # an Excel serial the sheet left unformatted
        ("31/02/2026", None),
        ("hôm qua", None),
        ("", None),
    ],
)
def test_one_date_reader_serves_every_import(text: str, expected: date | None) -> None:
    assert importer.parse_date(text) == expected
