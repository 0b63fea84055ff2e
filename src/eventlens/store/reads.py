"""Read path for the CLI and API: EventFilter, streaming keyset pagination, lookups.

Every value reaches SQL as a bound parameter; LIKE patterns escape ``%``, ``_`` and ``\\``.
Events stream in pages ordered by (event date, id) (undated events first); a cursor is the
opaque string ``"<date key>:<id>"`` of the last event seen (see :func:`cursor_of`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from eventlens.errors import StoreError
from eventlens.model import Event, EventMention
from eventlens.store.codec import coding_from_row, date_key, mention_from_row
from eventlens.store.schema import documents, events, mentions

__all__ = ["BBox", "EventFilter", "count_events", "cursor_of", "iter_events", "load_events"]

PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class BBox:
    """A longitude/latitude box (west, south, east, north) in degrees."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to read. Unset fields do not filter; strings match case-insensitively.

    ``country`` matches the country name or ISO3 code; ``location`` and ``actor`` are
    substrings (actor over actor1, actor2 and both assoc actors); ``inter`` matches inter1 or
    inter2; ``source`` matches a document's source name or id; ``text`` is a substring of any
    mention's evidence. ``after`` is a cursor from :func:`cursor_of`; ``limit`` caps the count.
    """

    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    bbox: BBox | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    inter: int | None = None
    min_fatalities: int | None = None
    max_fatalities: int | None = None
    geo_precision: int | None = None
    source: str | None = None
    doc_id: str | None = None
    text: str | None = None
    limit: int | None = None
    after: str | None = None


def cursor_of(event: Event) -> str:
    """The pagination cursor just after ``event``."""
    return f"{date_key(event.coding.event_date)}:{event.id}"


def _like(value: str) -> str:
    esc = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def _contains(col: sa.ColumnElement[str], value: str) -> sa.ColumnElement[bool]:
    return sa.func.lower(col).like(_like(value), escape="\\")


def _mention_exists(cond: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    return sa.exists(sa.select(mentions.c.id).where(mentions.c.event_id == events.c.id, cond))


def _conditions(f: EventFilter) -> list[sa.ColumnElement[bool]]:
    c = events.c
    conds: list[sa.ColumnElement[bool]] = []
    if f.date_from is not None:
        conds.append(c.event_date >= f.date_from)
    if f.date_to is not None:
        conds.append(c.event_date <= f.date_to)
    if f.country:
        v = f.country.lower()
        conds.append(sa.or_(sa.func.lower(c.country) == v, sa.func.lower(c.iso3) == v))
    if f.admin1:
        conds.append(sa.func.lower(c.admin1) == f.admin1.lower())
    if f.location:
        conds.append(_contains(c.location, f.location))
    if f.bbox is not None:
        b = f.bbox
        conds += [c.longitude.between(b.min_lon, b.max_lon), c.latitude.between(b.min_lat, b.max_lat)]
    if f.event_type:
        conds.append(c.event_type == f.event_type)
    if f.sub_event_type:
        conds.append(c.sub_event_type == f.sub_event_type)
    if f.actor:
        cols = (c.actor1, c.actor2, c.assoc_actor_1, c.assoc_actor_2)
        conds.append(sa.or_(*(_contains(col, f.actor) for col in cols)))
    if f.inter is not None:
        conds.append(sa.or_(c.inter1 == f.inter, c.inter2 == f.inter))
    if f.min_fatalities is not None:
        conds.append(c.fatalities >= f.min_fatalities)
    if f.max_fatalities is not None:
        conds.append(c.fatalities <= f.max_fatalities)
    if f.geo_precision is not None:
        conds.append(c.geo_precision == f.geo_precision)
    if f.doc_id:
        conds.append(_mention_exists(mentions.c.doc_id == f.doc_id))
    if f.source:
        docs = sa.select(documents.c.id).where(
            sa.or_(documents.c.source == f.source, documents.c.id == f.source)
        )
        conds.append(_mention_exists(mentions.c.doc_id.in_(docs)))
    if f.text:
        conds.append(_mention_exists(_contains(mentions.c.evidence_text, f.text)))
    return conds


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


def iter_events(engine: Engine, f: EventFilter, with_mentions: bool = True) -> Iterator[Event]:
    """Stream matching events in (date, id) order, one page (and one short transaction) at a time."""
    conds = _conditions(f)
    after = _after(f.after) if f.after else None
    left = f.limit
    while left is None or left > 0:
        size = PAGE_SIZE if left is None else min(PAGE_SIZE, left)
        q = sa.select(events).where(*conds)
        if after is not None:
            q = q.where(after)
        q = q.order_by(events.c.date_key, events.c.id).limit(size)
        with engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
            page = load_events(conn, rows, with_mentions)
        yield from page
        if len(rows) < size:
            return
        left = None if left is None else left - len(rows)
        after = _after(f"{rows[-1]['date_key']}:{rows[-1]['id']}")


def count_events(conn: Connection, f: EventFilter) -> int:
    """How many events match ``f`` (ignoring ``limit`` and ``after``)."""
    q = sa.select(sa.func.count()).select_from(events).where(*_conditions(f))
    return int(conn.execute(q).scalar_one())
