"""Read path for the CLI and library users: streaming keyset pagination and lookups.

Filters are ``store.filters.EventFilter`` (the same type and SQL as the API's). Events stream
in pages ordered by (event date, id) (undated events first); a cursor is the opaque string
``"<date key>:<id>"`` of the last event seen (see :func:`cursor_of`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from eventlens.errors import StoreError
from eventlens.model import Event, EventMention
from eventlens.store.codec import coding_from_row, date_key, mention_from_row
from eventlens.store.filters import EventFilter, resolve, where_clause
from eventlens.store.schema import events, mentions

__all__ = ["count_events", "cursor_of", "iter_events", "load_events"]

PAGE_SIZE = 500


def cursor_of(event: Event) -> str:
    """The pagination cursor just after ``event``."""
    return f"{date_key(event.coding.event_date)}:{event.id}"


def _after(cursor: str) -> sa.ColumnElement[bool]:
    key, sep, event_id = cursor.partition(":")
    if not sep or not key.isdigit():
        raise StoreError(f"invalid cursor {cursor!r}; pass the value returned with the previous page")
    k = int(key)
    return sa.or_(events.c.date_key > k, sa.and_(events.c.date_key == k, events.c.id > event_id))


def load_events(conn: Connection, rows: Sequence[sa.RowMapping], with_mentions: bool = True) -> list[Event]:
    """Events for some ``events`` rows, with their mentions (one query for all)."""
    by_event: dict[str, list[EventMention]] = defaultdict(list)
    if with_mentions and rows:
        q = sa.select(mentions).where(mentions.c.event_id.in_([r["id"] for r in rows]))
        for m in conn.execute(
            q.order_by(mentions.c.doc_id, mentions.c.article_id, mentions.c.evidence_start)
        ):
            by_event[m.event_id].append(mention_from_row(m._mapping))
    return [Event(r["id"], coding_from_row(r), tuple(by_event[r["id"]])) for r in rows]


def iter_events(
    engine: Engine, f: EventFilter, with_mentions: bool = True, *, limit: int | None = None,
    after: str | None = None,
) -> Iterator[Event]:
    """Stream matching events in (date, id) order, one page (and one short transaction) at a time:
    at most ``limit`` of them, starting after the cursor ``after`` (from :func:`cursor_of`)."""
    start = _after(after) if after else None
    with engine.connect() as conn:
        conds = where_clause(conn, f, resolve(conn, f))
    left = limit
    while left is None or left > 0:
        size = PAGE_SIZE if left is None else min(PAGE_SIZE, left)
        q = sa.select(events).where(*conds)
        if start is not None:
            q = q.where(start)
        q = q.order_by(events.c.date_key, events.c.id).limit(size)
        with engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
            page = load_events(conn, rows, with_mentions)
        yield from page
        if len(rows) < size:
            return
        left = None if left is None else left - len(rows)
        start = _after(f"{rows[-1]['date_key']}:{rows[-1]['id']}")


def count_events(conn: Connection, f: EventFilter) -> int:
    """How many events match ``f``."""
    q = sa.select(sa.func.count()).select_from(events).where(*where_clause(conn, f, ordered=False))
    return int(conn.execute(q).scalar_one())
