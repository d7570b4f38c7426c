"""`congdoan backup` and `congdoan restore`: a round trip puts back the database and the media
files as they were; a damaged or foreign archive is refused before anything is touched."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from congdoan.orgs.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "var" / "media"
    (root / "library" / "2026").mkdir(parents=True)
    (root / "library" / "2026" / "cong-van.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 40)
    (root / "feedback").mkdir()
    (root / "feedback" / "anh.jpg").write_bytes(b"\xff\xd8\xff" + b"x" * 1000)
    settings.MEDIA_ROOT = root
    settings.BACKUP_DIR = tmp_path / "backups"
    return root


def _backup(tmp_path: Path) -> Path:
    call_command("backup", str(tmp_path / "sao-luu.tar.gz"), stdout=io.StringIO())
    return tmp_path / "sao-luu.tar.gz"


def test_backup_then_restore_puts_back_database_and_media(cast, media, tmp_path):
    archive = _backup(tmp_path)
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))  # type: ignore[arg-type]
    vendor = connection.vendor
    assert names[0] == "manifest.json"
    assert {"media/library/2026/cong-van.pdf", "media/feedback/anh.jpg"} <= set(names)
    assert ("database.sqlite3" if vendor == "sqlite" else "database.pgdump") in names
    assert manifest["database"]["vendor"] == vendor and manifest["database"]["migrations"]["core"]
    before = sorted(Unit.objects.values_list("code", "name"))

    # Life goes on after the backup: a unit renamed, one added, a file lost, a file added.
    Unit.objects.filter(pk=cast.unit_a.pk).update(name="Tên đã đổi")
    Unit.objects.create(
        code="MOI", name="Đơn vị sau sao lưu", level=cast.unit_a.level, parent=cast.district
    )
    (media / "library" / "2026" / "cong-van.pdf").unlink()
    (media / "library" / "moi.pdf").write_bytes(b"new")

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)

    assert "Đã khôi phục" in out.getvalue()
    assert sorted(Unit.objects.values_list("code", "name")) == before
    assert (media / "library" / "2026" / "cong-van.pdf").read_bytes().startswith(b"%PDF-1.4 ")
    assert (media / "feedback" / "anh.jpg").stat().st_size == 1003
    assert not (media / "library" / "moi.pdf").exists()
    assert sorted(p.name for p in media.parent.iterdir()) == ["media"]  # nothing left beside it


def test_backup_without_a_path_goes_to_the_backup_folder(cast, media, settings):
    out = io.StringIO()
    call_command("backup", stdout=out)
    written = list(Path(settings.BACKUP_DIR).glob("congdoan-*.tar.gz"))
    assert len(written) == 1 and str(written[0]) in out.getvalue()
    assert "2 tệp" in out.getvalue()


def _rewrite(archive: Path, target: Path, change: Any) -> Path:
    """Copy `archive` to `target`, passing each member's (info, bytes) through `change`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for info in source.getmembers():
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            info, data = change(info, data)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


def test_a_damaged_archive_is_refused_and_nothing_changes(cast, media, tmp_path):
    archive = _backup(tmp_path)
    damaged = _rewrite(
        archive,
        tmp_path / "hong.tar.gz",
        lambda info, data: (info, data[:-1] + b"!" if info.name.endswith("anh.jpg") else data),
    )
    Unit.objects.filter(pk=cast.unit_a.pk).update(name="Sau sao lưu")
    (media / "feedback" / "anh.jpg").unlink()

    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore", str(damaged), "--yes")

    assert Unit.objects.get(pk=cast.unit_a.pk).name == "Sau sao lưu"
    assert not (media / "feedback" / "anh.jpg").exists()
    assert sorted(p.name for p in media.parent.iterdir()) == ["media"]


def test_an_archive_with_a_path_outside_media_is_refused(cast, media, tmp_path):
    archive = _backup(tmp_path)

    def escape(info: tarfile.TarInfo, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
        if info.name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"]["media/../../evil.txt"] = manifest["files"].pop(
                "media/feedback/anh.jpg"
            )
            return info, json.dumps(manifest).encode()
        if info.name == "media/feedback/anh.jpg":
            info.name = "media/../../evil.txt"
        return info, data

    with pytest.raises(CommandError, match="tệp lạ"):
        call_command("restore", str(_rewrite(archive, tmp_path / "x.tar.gz", escape)), "--yes")
    assert not (tmp_path / "evil.txt").exists() and not (media.parent.parent / "evil.txt").exists()


def test_a_file_that_is_not_a_backup_is_refused(cast, media, tmp_path):
    other = tmp_path / "khac.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        archive.add(shutil.which("sh") or "/bin/sh", arcname="sh")
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(other), "--yes")
