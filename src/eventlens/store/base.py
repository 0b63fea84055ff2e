"""What every part of the Store shares: the engine, the writer lock, and its transactions."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from eventlens.store.dedup_index import ArticleIndex
from eventlens.store.engine import RunLock, translate_error
from eventlens.store.read_cache import ReadCache

__all__ = ["WRITE_LOCK_KEY", "StoreBase", "now"]

T = TypeVar("T")

#: PostgreSQL advisory-lock key every write transaction takes ("evlt"): writers queue, one at a time.
WRITE_LOCK_KEY = 0x65766C74


def now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    """The engine and transactions behind every Store method (the Store itself is in ``store``)."""

    def __init__(self, engine: Engine, where: str, lock_timeout: float = 0.0) -> None:
        self.engine = engine
        self.where = where
        self.lock_timeout = lock_timeout
        self._lock = RunLock(engine, where)
        self._index = ArticleIndex()
        self._answers = ReadCache(engine)

    def close(self) -> None:
        self._lock.release()
        self._answers.close()
        self.engine.dispose()

    @contextmanager
    def _write(self, serialised: bool = True) -> Iterator[Connection]:
        """One write transaction; driver errors become StoreErrors. ``serialised`` (the default)
        queues it behind other writers (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock);
        small bookkeeping writes (a token's last use) pass False and do not wait for a run."""
        try:
            conn = self.engine.connect()
            if serialised:
                conn = conn.execution_options(eventlens_write=True)
            with conn, conn.begin():
                if serialised and conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK_KEY})
                yield conn
        except sa.exc.SQLAlchemyError as exc:
            self._index.reset()
            raise translate_error(exc, self.where) from exc
        except BaseException:
            self._index.reset()  # the transaction rolled back: the in-memory index must not keep its articles
            raise

    def _read_kept(self, key: Hashable, fn: Callable[[Connection], T]) -> T:
        """``_read(fn)``, answered from the kept answers to ``key`` while the database is unchanged
        (``read_cache``): for aggregates the dashboard asks for again and again."""
        return self._answers.get(key, lambda: self._read(fn))

    def _read(self, fn: Callable[[Connection], T]) -> T:
        try:
            with self.engine.connect() as conn:
                return fn(conn)
        except sa.exc.SQLAlchemyError as exc:
            raise translate_error(exc, self.where) from exc
