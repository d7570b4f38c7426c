"""One archive with the database and the media files, and its way back.

`backup_create(path)` writes a `.tar.gz` holding:
- `manifest.json`: format, date, database vendor, the migrations applied, and the size and
  SHA-256 of every other member;
- `database.sqlite3` (SQLite, copied with its online backup API: consistent while the site
  runs) or `database.pgdump` (PostgreSQL, `pg_dump --format=custom`);
- `media/…`: every file under MEDIA_ROOT.

`backup_restore(path)` checks the manifest (format, vendor, every checksum) before it touches
anything, then:
1. closes this process's database connections;
2. SQLite: copies the archived database into the live file with the backup API (other
   processes must be stopped: the web server and the worker); PostgreSQL: `pg_restore --clean
   --if-exists --no-owner` into the configured database;
3. media: unpacks into a new folder beside MEDIA_ROOT, then swaps it in (the old files are
   removed only once the new ones are in place).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.processes import run_child

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


@dataclass
class BackupSummary:
    path: Path
    vendor: str
    media_files: int
    media_bytes: int
    database_bytes: int


def _vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(
            _("Chưa hỗ trợ sao lưu cơ sở dữ liệu loại %(vendor)s.") % {"vendor": vendor}
        )
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, [
        *args,
        "--no-password",
        "--dbname",
        str(connections["default"].settings_dict["NAME"]),
    ]


def _dump_database(vendor: str, target: Path) -> None:
    if vendor == "sqlite":
        source = sqlite3.connect(str(connections["default"].settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return
    env, args = _pg_env_and_args()
    done = run_child(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=settings.BACKUP_TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        raise BackupError(
            _("pg_dump không chạy được: %(error)s") % {"error": done.stderr.strip()[-500:]}
        )


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections["default"]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _media_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _add(archive: tarfile.TarFile, path: Path, name: str) -> None:
    info = archive.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as handle:
        archive.addfile(info, handle)


def backup_create(*, path: Path) -> BackupSummary:
    """Write the archive at `path` (through a temporary name: no half-written archive)."""
    vendor = _vendor()
    media_root = Path(settings.MEDIA_ROOT)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="congdoan-backup-") as work:
        database = Path(work) / DATABASE_FILES[vendor]
        _dump_database(vendor, database)
        files: dict[str, dict[str, Any]] = {
            DATABASE_FILES[vendor]: {"bytes": database.stat().st_size, "sha256": _sha256(database)}
        }
        media = list(_media_files(media_root))
        for item in media:
            name = f"{MEDIA}/{item.relative_to(media_root).as_posix()}"
            files[name] = {"bytes": item.stat().st_size, "sha256": _sha256(item)}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": vendor,
                "file": DATABASE_FILES[vendor],
                "migrations": _migrations(),
            },
            "files": files,
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add(archive, manifest_path, MANIFEST)
            _add(archive, database, DATABASE_FILES[vendor])
            for item in media:
                _add(archive, item, f"{MEDIA}/{item.relative_to(media_root).as_posix()}")
        partial.replace(path)
    return BackupSummary(
        path=path,
        vendor=vendor,
        media_files=len(media),
        media_bytes=sum(files[n]["bytes"] for n in files if n.startswith(f"{MEDIA}/")),
        database_bytes=files[DATABASE_FILES[vendor]]["bytes"],
    )


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError(
            _("Tệp này không phải bản sao lưu của Công Đoàn Số (thiếu manifest.json).")
        )
    manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Bản sao lưu có định dạng %(format)s, phiên bản này đọc định dạng %(ours)s.")
            % {"format": manifest.get("format"), "ours": FORMAT}
        )
    return manifest


def _unpack_checked(archive: tarfile.TarFile, manifest: dict[str, Any], into: Path) -> None:
    """Unpack every member the manifest lists, and only those, checking sizes and checksums."""
    expected: dict[str, dict[str, Any]] = manifest["files"]
    seen = set()
    for member in archive:
        if member.name == MANIFEST:
            continue
        strange = BackupError(_("Bản sao lưu chứa tệp lạ: %(name)s.") % {"name": member.name})
        if member.name not in expected or not member.isfile():
            raise strange
        # Written by us, not by tarfile.extract: its filter= argument (which refuses links and
        # paths outside the folder) is missing from some Python 3.11 builds, such as Debian 12's.
        target = (into / member.name).resolve()
        if (
            member.name.startswith("/")
            or ".." in Path(member.name).parts
            or not target.is_relative_to(into.resolve())
        ):
            raise strange
        source = archive.extractfile(member)
        if source is None:
            raise strange
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0  # checked as it is written, not read back afterwards
        with source, target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        facts = expected[member.name]
        if size != facts["bytes"] or digest.hexdigest() != facts["sha256"]:
            raise BackupError(
                _("Tệp %(name)s trong bản sao lưu bị hỏng (sai mã kiểm tra).")
                % {"name": member.name}
            )
        seen.add(member.name)
    missing = set(expected) - seen
    if missing:
        raise BackupError(
            _("Bản sao lưu thiếu %(count)s tệp, ví dụ %(name)s.")
            % {"count": len(missing), "name": sorted(missing)[0]}
        )


def _restore_database(vendor: str, dump: Path) -> None:
    connections.close_all()
    if vendor == "sqlite":
        source = sqlite3.connect(str(dump))
        live = sqlite3.connect(str(connections["default"].settings_dict["NAME"]), timeout=30)
        try:
            source.backup(live)
        finally:
            live.close()
            source.close()
        return
    env, args = _pg_env_and_args()
    done = run_child(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=settings.BACKUP_TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        raise BackupError(
            _("pg_restore không chạy được: %(error)s") % {"error": done.stderr.strip()[-500:]}
        )


def _swap_media(new: Path, media_root: Path) -> None:
    media_root.parent.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    staged = media_root.with_name(f"{media_root.name}.restoring-{stamp}")
    old = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
    if not new.is_dir():
        staged.mkdir()
    else:
        try:
            new.rename(staged)
        except OSError:  # another file system
            shutil.copytree(new, staged)
    if media_root.exists():
        media_root.rename(old)
    staged.rename(media_root)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(*, path: Path) -> dict[str, Any]:
    """Put the archive's database and media back (steps in the module docstring)."""
    vendor = _vendor()
    try:
        archive_handle: IO[bytes] = path.open("rb")
    except OSError as exc:
        raise BackupError(
            _("Không mở được %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    with archive_handle, tarfile.open(fileobj=archive_handle, mode="r:gz") as archive:
        manifest = _read_manifest(archive)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                _("Bản sao lưu là của %(theirs)s, cơ sở dữ liệu đang dùng là %(ours)s.")
                % {"theirs": manifest["database"]["vendor"], "ours": vendor}
            )
        media_root = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory(
            prefix="congdoan-restore-",
            dir=media_root.parent if media_root.parent.exists() else None,
        ) as work:
            _unpack_checked(archive, manifest, Path(work))
            _restore_database(vendor, Path(work) / manifest["database"]["file"])
            _swap_media(Path(work) / MEDIA, media_root)
    return manifest
