"""The one read path of whole events (with mentions, analyst overrides applied), for the CLI,
exports and library users, in an explicit order.

``order="oldest"``: (event date, id) ascending, undated events first (``eventlens events``);
``order="newest"``: the reverse, the order of the API's pages and of exports. Events stream in
pages of :data:`PAGE_SIZE`, one short transaction each; a filter is bound once. A cursor is
the opaque string ``"<date key>:<id>"`` of the last event seen (:func:`cursor_of`) and works in
either order. Filters are ``store.filters.EventFilter``, the one filter of CLI, API and exports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from eventlens.errors import StoreError
from eventlens.model import Event, EventMention
from eventlens.store.codec import coding_from_row, date_key, mention_from_row
from eventlens.store.filters import EventFilter, bind_filter, where_clause
from eventlens.store.queries import (
    apply_overrides,
    decode_cursor,
    encode_cursor,
    list_events,
    overrides_for,
)
from eventlens.store.schema import events, mentions

__all__ = ["PAGE_SIZE", "Order", "count_events", "cursor_of", "iter_events", "load_events"]

PAGE_SIZE = 500
Order = Literal["oldest", "newest"]


def cursor_of(event: Event) -> str:
    """The pagination cursor just after ``event``."""
    return f"{date_key(event.coding.event_date)}:{event.id}"


def _key_of(cursor: str) -> tuple[int, str]:
    key, sep, event_id = cursor.partition(":")
    if not sep or not key.isdigit():
        raise StoreError(f"invalid cursor {cursor!r}; pass the value returned with the previous page")
    return int(key), event_id


def load_events(conn: Connection, event_ids: Sequence[str], with_mentions: bool = True) -> list[Event]:
    """Events ``event_ids`` in that order (unknown ids left out), with their mentions (by document,
    article and position) and analyst overrides applied; one query each for rows, mentions and
    overrides."""
    if not event_ids:
        return []
    ids = list(event_ids)
    rows = {r["id"]: r for r in conn.execute(sa.select(events).where(events.c.id.in_(ids))).mappings()}
    by_event: dict[str, list[EventMention]] = defaultdict(list)
    if with_mentions and rows:
        q = sa.select(mentions).where(mentions.c.event_id.in_(list(rows)))
        for m in conn.execute(
            q.order_by(mentions.c.doc_id, mentions.c.article_id, mentions.c.evidence_start)
        ):
            by_event[m.event_id].append(mention_from_row(m._mapping))
    over = overrides_for(conn, list(rows))
    return [
        apply_overrides(Event(i, coding_from_row(rows[i]), tuple(by_event[i])), over.get(i, {}))
        for i in ids
        if i in rows
    ]


def _oldest_page(
    conn: Connection, conds: Sequence[sa.ColumnElement[bool]], after: tuple[int, str] | None, size: int
) -> tuple[list[str], tuple[int, str] | None]:
    """The ids of the next ``size`` events in (date, id) order, and the key to continue from
    (None at the end)."""
    key = sa.tuple_(events.c.date_key, events.c.id)
    q = sa.select(events.c.date_key, events.c.id).where(*conds)
    if after is not None:
        q = q.where(key > sa.tuple_(sa.literal(after[0]), sa.literal(after[1])))
    rows = conn.execute(q.order_by(events.c.date_key, events.c.id).limit(size)).all()
    more = (int(rows[-1].date_key), str(rows[-1].id)) if len(rows) == size else None
    return [str(r.id) for r in rows], more


def iter_events(
    engine: Engine, f: EventFilter, *, order: Order = "oldest", with_mentions: bool = True,
    limit: int | None = None, after: str | None = None,
) -> Iterator[Event]:
    """Stream the events matching ``f`` in ``order``, one page (and one short transaction) at a
    time: at most ``limit`` of them, starting after the cursor ``after`` (from :func:`cursor_of`)."""
    if order not in ("oldest", "newest"):
        raise StoreError(f"unknown order {order!r}; use 'oldest' or 'newest'")
    start = _key_of(after) if after else None
    with engine.connect() as conn:
        bound = bind_filter(conn, f)  # values and the text probe bound once, not once per page
        conds = where_clause(conn, f, bound) if order == "oldest" else []
    left = limit
    while left is None or left > 0:
        size = PAGE_SIZE if left is None else min(PAGE_SIZE, left)
        with engine.connect() as conn:
            if order == "oldest":
                ids, start = _oldest_page(conn, conds, start, size)
            else:  # the API's page plan (keyset on the date index; rare texts from the text index)
                page = list_events(conn, f, size, encode_cursor(*start) if start else None, bound)
                ids = [s.id for s in page.items]
                start = decode_cursor(page.next_cursor) if page.next_cursor else None
            found = load_events(conn, ids, with_mentions)
        yield from found
        if start is None:
            return
        left = None if left is None else left - len(ids)


def count_events(conn: Connection, f: EventFilter) -> int:
    """How many events match ``f``."""
    q = sa.select(sa.func.count()).select_from(events).where(*where_clause(conn, f, ordered=False))
    return int(conn.execute(q).scalar_one())
