"""The Store: open (and migrate) a database, runs, and the write path (one transaction per document)."""

from __future__ import annotations

import logging
from collections.abc import Sequence, Set
from datetime import datetime

import sqlalchemy as sa

from eventlens.errors import StoreError
from eventlens.model import Article, Document, Event, Rejection
from eventlens.store.accounts import Accounts
from eventlens.store.base import now
from eventlens.store.engine import create_store_engine, translate_error
from eventlens.store.feeds import Feeds
from eventlens.store.linking import link_events
from eventlens.store.migrate import current_revision, head_revision, upgrade
from eventlens.store.reading import EventReads
from eventlens.store.records import (
    link_records,
    rejection_rows,
    run_record,
    stats,
    upsert_rejection,
)
from eventlens.store.reviewing import Reviews
from eventlens.store.schema import articles, documents, rejections, runs
from eventlens.store.types import (
    STORED_RUN_COUNTS,
    LinkRecord,
    RejectionRecord,
    RunCounts,
    RunRecord,
    StoreStats,
    WriteResult,
)

__all__ = ["Store", "open_store"]

log = logging.getLogger(__name__)


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


class Store(EventReads, Reviews, Accounts, Feeds):
    """The one door to the database: documents, articles, mentions, deduplicated events, analyst
    review, users and runs. Every table and transaction is the Store's. Use ``open_store``.

    Reads: ``store.reading``; review: ``store.reviewing``; users: ``store.accounts``; what
    `eventlens watch` follows: ``store.feeds``.
    """

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs ----------------------------------------------------------------------------------
    def begin_run(self) -> int:
        """Take the writer run lock (StoreLockedError if another run holds it) and record a run."""
        self._lock.acquire(self.lock_timeout)
        with self._write() as conn:
            res = conn.execute(sa.insert(runs).values(started=now(), status="running").returning(runs.c.id))
            return int(res.scalar_one())

    def finish_run(self, run_id: int, counts: RunCounts, status: str = "finished") -> None:
        """Record a run's counts and release the run lock."""
        try:
            with self._write() as conn:
                values = {f: getattr(counts, f) for f in STORED_RUN_COUNTS}
                conn.execute(
                    sa.update(runs)
                    .where(runs.c.id == run_id)
                    .values(finished=now(), status=status, **values)
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
            at = now()
            for rej in rejections:
                upsert_rejection(conn, rej, at)
            conn.execute(sa.insert(documents), [_document_row(doc, at)])
            reprints: dict[str, Set[str]] = {}
            if arts:
                reprints = self._index.insert_articles(conn, arts)
            outcome = link_events(conn, evs, reprints, at)
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
            upsert_rejection(conn, rej, now())

    def rejections(self) -> list[RejectionRecord]:
        return self._read(rejection_rows)

    def clear_rejection(self, source: str) -> bool:
        """Forget a rejection (e.g. after the input was fixed); True if there was one."""
        with self._write() as conn:
            return bool(conn.execute(sa.delete(rejections).where(rejections.c.source == source)).rowcount)

    def canonical_article_id(self, article_id: str) -> str | None:
        """The canonical copy an article reprints (None if it is an original or unknown)."""
        q = sa.select(articles.c.canonical_article_id).where(articles.c.id == article_id)
        return self._read(lambda c: c.execute(q).scalar())

    def stats(self) -> StoreStats:
        return self._read(stats)

    def links(self, event_id: str) -> list[LinkRecord]:
        """Why each mention of an event is linked to it (scores, reason, who decided)."""
        return self._read(lambda c: link_records(c, event_id))


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
