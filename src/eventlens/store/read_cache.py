"""Aggregate answers kept while the database is unchanged.

The dashboard asks for the same aggregates (timeline, breakdowns, pick-list counts) on every
view; at a million events each costs 20-150 ms. The answers are kept, keyed by what was asked,
beside the database's *change signal* read just before they were computed, and reused only while
the signal is unchanged. Any committed write, by this process or another (`eventlens run` beside
`eventlens serve`), changes the signal, so a kept answer is never older than the last commit:

- SQLite: ``PRAGMA data_version`` on a connection of its own, which changes whenever another
  connection (any process) commits to the file;
- PostgreSQL: ``pg_current_wal_lsn()``, which moves on every logged write (also writes to other
  databases of the server: those only cost a recomputation);
- anything else (an in-memory database, a server that refuses the call): nothing is kept.

The signal is read *before* computing, so an answer that raced a commit is kept under the older
signal and recomputed at the next ask.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from eventlens.store.engine import sqlite_path

__all__ = ["ReadCache"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: answers kept (each a few kB: a timeline, a breakdown, pick-list counts)
MAX_ENTRIES = 256


class _SqliteSignal:
    def __init__(self, path: Path) -> None:
        # read-only, by a URI (percent-encoded: a path may hold "?" or "#")
        self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False,
                                     isolation_level=None)
        self._lock = threading.Lock()

    def __call__(self) -> Hashable:
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class _PostgresSignal:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self) -> Hashable:
        with self._engine.connect() as conn:
            return str(conn.execute(sa.text("SELECT pg_current_wal_lsn()")).scalar_one())

    def close(self) -> None:
        pass


def _signal_for(engine: Engine) -> _SqliteSignal | _PostgresSignal | None:
    backend = engine.url.get_backend_name()
    try:
        if backend == "sqlite":
            path = sqlite_path(engine.url)
            return _SqliteSignal(path) if path is not None and path.exists() else None
        if backend == "postgresql":
            signal = _PostgresSignal(engine)
            signal()  # refused (a standby in recovery, no permission): keep nothing
            return signal
    except (sqlite3.Error, sa.exc.SQLAlchemyError) as exc:
        log.info("%s: aggregate answers are not kept (no change signal: %s)",
                 engine.url.render_as_string(), exc)
    return None


class ReadCache:
    """Answers keyed by what was asked, valid while the store's change signal is unchanged."""

    def __init__(self, engine: Engine) -> None:
        self._signal = _signal_for(engine)
        self._kept: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept answer to ``key`` if the database has not changed since, else ``compute()``."""
        if self._signal is None:
            return compute()
        try:
            version = self._signal()
        except (sqlite3.Error, sa.exc.SQLAlchemyError):
            return compute()  # the signal failed this once: answer from the database
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] == version:
                self._kept.move_to_end(key)
                self.hits += 1
                return kept[1]  # type: ignore[no-any-return]
            self.misses += 1
        value = compute()
        with self._lock:
            self._kept[key] = (version, value)
            self._kept.move_to_end(key)
            while len(self._kept) > MAX_ENTRIES:
                self._kept.popitem(last=False)
        return value

    def close(self) -> None:
        with self._lock:
            self._kept.clear()
        if self._signal is not None:
            self._signal.close()
