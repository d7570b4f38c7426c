from __future__ import annotations

import io

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_report_build_writes_the_file(cast, tmp_path, fmt):
    out = tmp_path / f"px.{fmt}"
    stdout = io.StringIO()
    call_command(
        "report",
        "build",
        "--unit",
        "PX",
        "--period",
        "2026H1",
        "--format",
        fmt,
        "--out",
        str(out),
        stdout=stdout,
    )
    data = out.read_bytes()
    assert "PX, 2026H1" in stdout.getvalue()
    if fmt == "docx":
        d = docx.Document(io.BytesIO(data))
        assert "BÁO CÁO" in [p.text for p in d.paragraphs]
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert load_workbook(io.BytesIO(data)).sheetnames == ["Báo cáo", "Số liệu"]


def test_an_unknown_unit_is_refused_and_nothing_written(cast, tmp_path):
    out = tmp_path / "x.docx"
    with pytest.raises(CommandError, match="Không có đơn vị mã KHONGCO"):
        call_command(
            "report",
            "build",
            "--unit",
            "KHONGCO",
            "--period",
            "2026",
            "--format",
            "docx",
            "--out",
            str(out),
        )
    assert not out.exists()


@pytest.mark.parametrize("period", ["2026H3", "26", "2026-1", ""])
def test_a_period_that_does_not_exist_is_refused(cast, tmp_path, period):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command(
            "report",
            "build",
            "--unit",
            "PX",
            "--period",
            period,
            "--format",
            "pdf",
            "--out",
            str(out),
        )
    assert not out.exists()


def test_an_unknown_format_is_refused(cast, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "report",
            "build",
            "--unit",
            "PX",
            "--period",
            "2026",
            "--format",
            "odt",
            "--out",
            str(tmp_path / "x"),
        )


def test_a_period_to_come_is_refused(cast, tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="năm 2099 chưa bắt đầu"):
        call_command(
            "report",
            "build",
            "--unit",
            "PX",
            "--period",
            "2099",
            "--format",
            "pdf",
            "--out",
            str(out),
        )
    assert not out.exists()
