"""Databases of their own for the benchmarks (`congdoan bench …`), on the configured server."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url


def postgres_url_for(name: str, server_url: str = "") -> str:
    """A database called `name` on the server of `server_url` or else of DATABASE_URL (same
    user, password, host and port), or on the local server when neither is PostgreSQL.
    The database name of those URLs is never used, so a benchmark that drops and re-creates
    its database can never touch the one the application uses."""
    source = server_url or os.environ.get("DATABASE_URL", "")
    if not source.startswith(("postgres://", "postgresql://")):
        source = "postgres://postgres@127.0.0.1:5432/postgres"
    cfg = dj_database_url.parse(source)
    auth = cfg.get("USER") or "postgres"
    if cfg.get("PASSWORD"):
        auth += f":{cfg['PASSWORD']}"
    port = f":{cfg['PORT']}" if cfg.get("PORT") else ""
    return f"postgres://{auth}@{cfg.get('HOST') or '127.0.0.1'}{port}/{name}"


def postgres_create(url: str, *, fresh: bool) -> bool:
    """Create the database of `url` if it is missing (dropping it first when `fresh`).
    Returns True when a database was created."""
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    name = sql.Identifier(cfg["NAME"])
    with psycopg.connect(
        host=cfg.get("HOST") or "127.0.0.1",
        port=int(cfg.get("PORT") or 5432),
        user=cfg.get("USER") or "postgres",
        password=cfg.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        elif conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
        return True


def sqlite_fresh(path: Path) -> str:
    """An empty SQLite file at `path` (the old one, its WAL and shared memory removed): its URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def fresh_database_url(db: str, *, name: str, sqlite_path: Path, server_url: str = "") -> str:
    """A fresh database for a benchmark: PostgreSQL `name` re-created on the configured server
    when `db` is "postgres", else an empty SQLite file at `sqlite_path`."""
    if db == "postgres":
        url = postgres_url_for(name, server_url)
        postgres_create(url, fresh=True)
        return url
    return sqlite_fresh(sqlite_path)
