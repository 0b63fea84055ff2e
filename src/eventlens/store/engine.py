"""Engines, connection settings, error translation and the writer run lock.

SQLite: one file, WAL (readers keep reading while one writer writes), foreign keys on,
busy_timeout, synchronous=NORMAL, and write transactions opened with ``BEGIN IMMEDIATE`` so
two writers queue instead of failing half-way. A whole run additionally holds an OS file lock
on ``<db>.lock``. PostgreSQL: a session advisory lock plays the same role.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from eventlens.errors import ReadOnlyStoreError, StoreError, StoreLockedError

__all__ = ["RunLock", "create_store_engine", "sqlite_path", "translate_error"]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000
#: PostgreSQL advisory-lock key of the writer run lock ("evls").
PG_RUN_LOCK_KEY = 0x65766C73


def sqlite_path(url: sa.URL) -> Path | None:
    """The database file of a SQLite URL (None for in-memory databases and other backends)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    db = url.database
    if db.startswith("file:"):
        db = db[5:].split("?", 1)[0]
    return Path(db)


def _check_sqlite_location(path: Path) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(f"{path}: folder {folder} does not exist; create it or choose another --db path")
    if path.exists() and not os.access(path, os.W_OK):
        raise ReadOnlyStoreError(f"{path}: the database file is read-only; make it writable or use a copy")
    if not os.access(folder, os.W_OK):
        raise ReadOnlyStoreError(
            f"{path}: folder {folder} is read-only (SQLite needs to write its journal there); "
            "choose a writable folder with --db"
        )


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_on_begin)
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _sqlite_on_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("eventlens_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_store_engine(url: str) -> Engine:
    """An Engine for ``url`` with eventlens' connection settings (raises StoreError when unusable)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(
            f"{url!r} is not a database URL; use sqlite:///path/to.db or postgresql+psycopg://..."
        ) from exc
    path = sqlite_path(parsed)
    if path is not None and "mode=ro" not in url:
        _check_sqlite_location(path)
    try:
        engine = sa.create_engine(parsed, pool_pre_ping=parsed.get_backend_name() != "sqlite")
    except ImportError as exc:
        hint = ("install PostgreSQL support with: pip install 'eventlens[postgres]'"
                if parsed.get_backend_name() == "postgresql" else f"a driver is missing ({exc})")
        raise StoreError(f"{parsed.render_as_string()}: cannot open the database: {hint}") from exc
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"{parsed.render_as_string()}: cannot create a database engine ({exc})") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def translate_error(exc: BaseException, where: str) -> StoreError:
    """A typed StoreError for a driver error: read-only, disk full, locked, or generic."""
    msg = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in msg or "read-only" in msg or "read only" in msg:
        return ReadOnlyStoreError(
            f"{where}: the database is read-only; make the file and its folder writable"
        )
    if "disk is full" in msg or "no space" in msg or "disk full" in msg or (
        "disk i/o error" in msg and _disk_nearly_full(where)
    ):
        return ReadOnlyStoreError(f"{where}: the disk is full; nothing was written, free space and re-run")
    if "database is locked" in msg or "lock timeout" in msg:
        return StoreLockedError(f"{where}: another process is writing; wait for it to finish and retry")
    if "could not connect" in msg or "connection refused" in msg or "authentication failed" in msg:
        return StoreError(
            f"{where}: cannot connect to the database server ({getattr(exc, 'orig', exc)}); "
            "check that it is running and that the URL's host, port, user and password are right"
        )
    if "unable to open" in msg:
        return StoreError(f"{where}: cannot open the database file; check the path and its permissions")
    return StoreError(f"{where}: database error: {getattr(exc, 'orig', exc)}")


def _disk_nearly_full(where: str) -> bool:
    """Is the file system of the SQLite database named by ``where`` (a URL) out of space?

    SQLite reports a full disk as a generic "disk I/O error" when it cannot grow the WAL index
    (``-shm``) file, so the free space is checked to say what really happened.
    """
    try:
        path = sqlite_path(sa.make_url(where))
        if path is None:
            return False
        st = os.statvfs(path.resolve().parent)
    except (sa.exc.ArgumentError, OSError, ValueError):
        return False
    return st.f_bavail * st.f_frsize < 1024 * 1024


class RunLock:
    """At most one writer run per database: a file lock (SQLite) or an advisory lock (PostgreSQL).

    ``acquire`` waits up to ``timeout`` seconds, then raises StoreLockedError naming the holder.
    """

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self._where = where
        self._fd: int | None = None
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None or self._conn is not None

    def acquire(self, timeout: float = 0.0) -> None:
        if self.held:
            return
        deadline = time.monotonic() + timeout
        while not self._try_acquire():
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"{self._where}: another eventlens run is writing to this database; "
                    "wait for it to finish (or stop it) and retry"
                )
            time.sleep(0.2)

    def _try_acquire(self) -> bool:
        path = sqlite_path(self._engine.url)
        if path is not None:
            return self._try_file_lock(Path(f"{path}.lock"))
        if self._engine.dialect.name == "postgresql":
            conn = self._engine.connect()
            got = bool(
                conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": PG_RUN_LOCK_KEY}).scalar()
            )
            conn.commit()
            if got:
                self._conn = conn
            else:
                conn.close()
            return got
        self._fd = -1  # in-memory SQLite: a single process by construction
        return True

    def _try_file_lock(self, lock_path: Path) -> bool:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None and self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
        self._fd = None
        if self._conn is not None:
            self._conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": PG_RUN_LOCK_KEY})
            self._conn.commit()
            self._conn.close()
            self._conn = None
