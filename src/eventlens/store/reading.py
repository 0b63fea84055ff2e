"""The Store's reads: events in either order, one event with everything about it, the API's
pages and counts, aggregates, documents and articles. Analyst overrides are applied to every
event read here."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.model import Article, Document, Event
from eventlens.store import dashboard
from eventlens.store import events as event_reads
from eventlens.store.aggregates import PeriodCount, RegionCount, aggregate_by_admin1, aggregate_by_period
from eventlens.store.audit import audit_records
from eventlens.store.base import StoreBase
from eventlens.store.codec import article_from_row, document_from_row
from eventlens.store.engine import translate_error
from eventlens.store.filters import EventFilter, bind_filter
from eventlens.store.queries import EventPage, count_capped, list_events, overrides_for
from eventlens.store.schema import articles, documents, events
from eventlens.store.types import DocumentRef, StoredEvent

__all__ = ["EventReads"]


class EventReads(StoreBase):
    def iter_events(
        self, f: EventFilter | None = None, *, order: event_reads.Order = "oldest",
        with_mentions: bool = True, limit: int | None = None, after: str | None = None,
    ) -> Iterator[Event]:
        """Events matching ``f``, oldest first (by event date, then id; undated first) or newest
        first: at most ``limit``, after the cursor ``after`` (``cursor_of``); overrides applied."""
        try:
            yield from event_reads.iter_events(self.engine, f or EventFilter(), order=order,
                                               with_mentions=with_mentions, limit=limit, after=after)
        except sa.exc.SQLAlchemyError as exc:
            raise translate_error(exc, self.where) from exc

    def count_events(self, f: EventFilter | None = None) -> int:
        return self._read(lambda c: event_reads.count_events(c, f or EventFilter()))

    def get_event(self, event_id: str) -> Event | None:
        """One event with its mentions, overrides applied (None if there is none)."""
        found = self._read(lambda c: event_reads.load_events(c, [event_id]))
        return found[0] if found else None

    def event_page(
        self, f: EventFilter | None = None, *, limit: int = 50, cursor: str | None = None, count: bool = True
    ) -> EventPage:
        """One page of event summaries, newest first, with the opaque cursor of the next page and,
        when ``count``, how many events match (exact up to ``queries.COUNT_CAP``)."""
        flt = f or EventFilter()

        def page(conn: Connection) -> EventPage:
            bound = bind_filter(conn, flt)  # bound once for the page and its count
            found = list_events(conn, flt, limit=limit, cursor=cursor, bound=bound)
            if not count:
                return found
            n, exact = count_capped(conn, flt, bound=bound)
            return EventPage(found.items, found.next_cursor, n, exact)

        return self._read(page)

    def aggregate_by_period(self, f: EventFilter, by: str, *, rollups: bool = True) -> list[PeriodCount]:
        """Event counts and fatalities per day, ISO week or month (undated events left out)."""
        return self._read(lambda c: aggregate_by_period(c, f, by, rollups))

    def aggregate_by_admin1(
        self, f: EventFilter, limit: int = 200, *, rollups: bool = True
    ) -> list[RegionCount]:
        """Counts, fatalities and mean position per (country, admin1), largest first."""
        return self._read(lambda c: aggregate_by_admin1(c, f, limit, rollups))

    def timeline(self, f: EventFilter, by: str = "auto") -> dashboard.Timeline:
        """Events and fatalities per period, by event type, zero-filled, undated counted apart."""
        return self._read_kept(("timeline", f, by), lambda c: dashboard.timeline(c, f, by))

    def breakdown(self, f: EventFilter, dimension: str, limit: int = 10) -> dashboard.Breakdown:
        """The largest groups by event type, country, region or actor, beside the previous period."""
        return self._read_kept(("breakdown", f, dimension, limit),
                               lambda c: dashboard.breakdown(c, f, dimension, limit))

    def facets(self, f: EventFilter, names: Sequence[str]) -> dict[str, list[dashboard.FacetValue]]:
        """Pick-list values with counts (each without its own selection)."""
        return self._read_kept(("facets", f, tuple(names)), lambda c: dashboard.facets(c, f, names))

    def actor_options(self, text: str, limit: int = 20) -> list[dashboard.ActorOption]:
        """Stored actor names containing ``text`` with the inter code their events give them."""
        return self._read(lambda c: dashboard.actor_options(c, text, limit))

    def get_document(self, doc_id: str) -> Document | None:
        q = sa.select(documents).where(documents.c.id == doc_id)
        row = self._read(lambda c: c.execute(q).mappings().first())
        return None if row is None else document_from_row(row)

    def document_refs(self, doc_ids: Sequence[str]) -> list[DocumentRef]:
        """Source, URL, title and date of the documents ``doc_ids`` (in that order; unknown left out)."""
        return self._read(lambda c: _document_refs(c, doc_ids))

    def get_article(self, article_id: str) -> Article | None:
        q = sa.select(articles).where(articles.c.id == article_id)
        row = self._read(lambda c: c.execute(q).mappings().first())
        return None if row is None else article_from_row(row)

    def event_detail(self, event_id: str, history: int = 50) -> StoredEvent | None:
        """Everything about one event (None if there is none), read in one transaction."""
        return self._read(lambda c: _stored_event(c, event_id, history))


def _document_refs(conn: Connection, doc_ids: Sequence[str]) -> list[DocumentRef]:
    if not doc_ids:
        return []
    d = documents.c
    rows = {r.id: r for r in conn.execute(sa.select(d.id, d.source, d.url, d.title, d.published)
                                          .where(d.id.in_(list(doc_ids))))}
    return [DocumentRef(r.id, r.source, r.url, r.title, r.published)
            for i in doc_ids if (r := rows.get(i)) is not None]


def _articles(conn: Connection, event: Event) -> tuple[Article, ...]:
    ids = list(dict.fromkeys(m.article_id for m in event.mentions))
    if not ids:
        return ()
    rows = {r["id"]: r for r in conn.execute(sa.select(articles).where(articles.c.id.in_(ids))).mappings()}
    return tuple(article_from_row(rows[i]) for i in ids if i in rows)


def _stored_event(conn: Connection, event_id: str, history: int) -> StoredEvent | None:
    found = event_reads.load_events(conn, [event_id])
    if not found:
        return None
    event = found[0]
    row = conn.execute(sa.select(events.c.review_status, events.c.n_sources)
                       .where(events.c.id == event_id)).one()
    over = overrides_for(conn, [event_id]).get(event_id, {})
    return StoredEvent(
        event=event,
        review_status=over.get("review_status", row.review_status),
        n_sources=row.n_sources,
        overridden=tuple(sorted(over)),
        documents=tuple(_document_refs(conn, event.doc_ids)),
        articles=_articles(conn, event),
        history=tuple(audit_records(conn, event_id, newest_first=True, limit=history)),
    )
