"""The Store: open (and migrate) a database, write documents in one transaction, read events."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence, Set
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from eventlens.errors import ReviewError, StoreError
from eventlens.model import Article, Document, Event, Rejection
from eventlens.store import reads, review
from eventlens.store.codec import article_from_row, document_from_row
from eventlens.store.dedup_index import ArticleIndex
from eventlens.store.engine import RunLock, create_store_engine, translate_error
from eventlens.store.filters import EventFilter
from eventlens.store.linking import link_events
from eventlens.store.migrate import current_revision, head_revision, upgrade
from eventlens.store.records import (
    audit_records,
    link_records,
    rejection_rows,
    run_record,
    stats,
    upsert_rejection,
)
from eventlens.store.schema import articles, documents, events, rejections, runs
from eventlens.store.types import (
    AuditRecord,
    LinkRecord,
    RejectionRecord,
    RunCounts,
    RunRecord,
    StoreStats,
    WriteResult,
)

__all__ = ["Store", "open_store"]

log = logging.getLogger(__name__)
T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


def open_store(url: str, *, migrate: bool = True, lock_timeout: float = 0.0) -> Store:
    """Open the store at ``url`` (``sqlite:///path.db`` or ``postgresql+psycopg://...``).

    The schema is upgraded to the newest revision unless ``migrate`` is False, in which case a
    database behind the code raises StoreError. ``lock_timeout``: seconds ``begin_run`` waits
    for another run's lock before raising StoreLockedError.
    """
    engine = create_store_engine(url)
    where = engine.url.render_as_string(hide_password=True)
    try:
        with engine.connect() as conn:
            if migrate:
                upgrade(conn)
            elif current_revision(conn) != head_revision():
                raise StoreError(f"{where}: the schema is not at {head_revision()}; open it once for writing")
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise translate_error(exc, where) from exc
    return Store(engine, where, lock_timeout)


class Store:
    """A database of documents, articles, mentions and deduplicated events. Use ``open_store``."""

    def __init__(self, engine: Engine, where: str, lock_timeout: float = 0.0) -> None:
        self.engine = engine
        self.where = where
        self.lock_timeout = lock_timeout
        self._lock = RunLock(engine, where)
        self._index = ArticleIndex()

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        self._lock.release()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (serialised with other writers); driver errors become StoreErrors."""
        try:
            with self.engine.connect().execution_options(eventlens_write=True) as conn, conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x65766C74})
                yield conn
        except sa.exc.SQLAlchemyError as exc:
            self._index.reset()
            raise translate_error(exc, self.where) from exc
        except BaseException:
            self._index.reset()  # the transaction rolled back: the in-memory index must not keep its articles
            raise

    def _read(self, fn: Callable[[Connection], T]) -> T:
        try:
            with self.engine.connect() as conn:
                return fn(conn)
        except sa.exc.SQLAlchemyError as exc:
            raise translate_error(exc, self.where) from exc

    # -- runs ----------------------------------------------------------------------------------
    def begin_run(self) -> int:
        """Take the writer run lock (StoreLockedError if another run holds it) and record a run."""
        self._lock.acquire(self.lock_timeout)
        with self._write() as conn:
            res = conn.execute(sa.insert(runs).values(started=_now(), status="running").returning(runs.c.id))
            return int(res.scalar_one())

    def finish_run(self, run_id: int, counts: RunCounts, status: str = "finished") -> None:
        """Record a run's counts and release the run lock."""
        try:
            with self._write() as conn:
                values = {f: getattr(counts, f) for f in RunCounts.__dataclass_fields__}
                conn.execute(
                    sa.update(runs)
                    .where(runs.c.id == run_id)
                    .values(finished=_now(), status=status, **values)
                )
        finally:
            self._lock.release()

    def get_run(self, run_id: int) -> RunRecord | None:
        return self._read(lambda c: run_record(c, run_id))

    # -- write path ----------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        q = sa.select(documents.c.id).where(documents.c.id == doc_id)
        return self._read(lambda c: c.execute(q).first() is not None)

    def write_document(
        self,
        doc: Document,
        arts: Sequence[Article],
        evs: Sequence[Event],
        rejections: Sequence[Rejection] = (),
    ) -> WriteResult:
        """Store a document, its articles and its within-article events in one transaction.

        Articles are checked for near-duplicates, events clustered with stored events;
        ``rejections`` (e.g. parts of the input that could not be used) are recorded in the same
        transaction. Writing a document that is already stored changes nothing
        (``WriteResult.skipped``).
        """
        with self._write() as conn:
            if conn.execute(sa.select(documents.c.id).where(documents.c.id == doc.id)).first():
                return WriteResult(doc.id, skipped=True)
            now = _now()
            for rej in rejections:
                upsert_rejection(conn, rej, now)
            conn.execute(sa.insert(documents), [_document_row(doc, now)])
            reprints: dict[str, Set[str]] = {}
            if arts:
                reprints = self._index.insert_articles(conn, arts)
            outcome = link_events(conn, evs, reprints, now)
        log.debug("stored %s: %d articles, %d events", doc.id, len(arts), len(evs))
        return WriteResult(
            doc.id,
            False,
            len(arts),
            sum(1 for v in reprints.values() if v),
            sum(len(e.mentions) for e in evs),
            outcome.new_events,
            outcome.linked_events,
            outcome.event_ids,
        )

    # -- rejections ----------------------------------------------------------------------------
    def add_rejection(self, rej: Rejection) -> None:
        with self._write() as conn:
            upsert_rejection(conn, rej, _now())

    def rejections(self) -> list[RejectionRecord]:
        return self._read(rejection_rows)

    def clear_rejection(self, source: str) -> bool:
        """Forget a rejection (e.g. after the input was fixed); True if there was one."""
        with self._write() as conn:
            return bool(conn.execute(sa.delete(rejections).where(rejections.c.source == source)).rowcount)

    # -- read path -----------------------------------------------------------------------------
    def iter_events(
        self, f: EventFilter | None = None, *, with_mentions: bool = True, limit: int | None = None,
        after: str | None = None,
    ) -> Iterator[Event]:
        """Events matching ``f`` in (date, id) order: at most ``limit``, after the cursor ``after``."""
        try:
            yield from reads.iter_events(self.engine, f or EventFilter(), with_mentions,
                                         limit=limit, after=after)
        except sa.exc.SQLAlchemyError as exc:
            raise translate_error(exc, self.where) from exc

    def count_events(self, f: EventFilter | None = None) -> int:
        return self._read(lambda c: reads.count_events(c, f or EventFilter()))

    def get_event(self, event_id: str) -> Event | None:
        def get(conn: Connection) -> Event | None:
            row = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
            return None if row is None else reads.load_events(conn, [row])[0]

        return self._read(get)

    def get_article(self, article_id: str) -> Article | None:
        q = sa.select(articles).where(articles.c.id == article_id)
        row = self._read(lambda c: c.execute(q).mappings().first())
        return None if row is None else article_from_row(row)

    def canonical_article_id(self, article_id: str) -> str | None:
        """The canonical copy an article reprints (None if it is an original or unknown)."""
        q = sa.select(articles.c.canonical_article_id).where(articles.c.id == article_id)
        return self._read(lambda c: c.execute(q).scalar())

    def get_document(self, doc_id: str) -> Document | None:
        q = sa.select(documents).where(documents.c.id == doc_id)
        row = self._read(lambda c: c.execute(q).mappings().first())
        return None if row is None else document_from_row(row)

    def stats(self) -> StoreStats:
        return self._read(stats)

    def links(self, event_id: str) -> list[LinkRecord]:
        """Why each mention of an event is linked to it (scores, reason, who decided)."""
        return self._read(lambda c: link_records(c, event_id))

    def audit(self, event_id: str | None = None) -> list[AuditRecord]:
        """Analyst merges and splits, newest last (only those touching ``event_id`` if given)."""
        return self._read(lambda c: audit_records(c, event_id))

    # -- analyst overrides ---------------------------------------------------------------------
    def merge(self, event_ids: Sequence[str], user: str, note: str | None = None) -> Event:
        """Merge events into the first one; later runs never undo it."""
        with self._write() as conn:
            target = review.merge_events(conn, event_ids, user, note, _now())
        return self._must_get(target)

    def split(self, event_id: str, mention_ids: Sequence[str], user: str, note: str | None = None) -> Event:
        """Move some mentions of an event into a new event (returned); later runs never undo it."""
        with self._write() as conn:
            new_id = review.split_event(conn, event_id, mention_ids, user, note, _now())
        return self._must_get(new_id)

    def _must_get(self, event_id: str) -> Event:
        ev = self.get_event(event_id)
        if ev is None:
            raise ReviewError(f"event {event_id} vanished during review")
        return ev


def _document_row(doc: Document, now: datetime) -> dict[str, object]:
    return {
        "id": doc.id,
        "source": doc.source,
        "format": doc.format,
        "title": doc.title,
        "url": doc.url,
        "published": doc.published,
        "external_id": doc.external_id,
        "text": doc.text,
        "ingested_at": now,
    }
