"""Read queries for the API and dashboard: filtered keyset pages, aggregates, event detail.

Built on the store's tables (``store.schema``) plus the analyst tables of migration
``0002_auth_review``: ``event_overrides`` (field edits that win over whatever the pipeline
writes, applied on read here) and ``review_audit``. Every filter is a bound parameter; free
text goes through LIKE with escaping (``store.text``), so no input is ever spliced into SQL.

Pages are keyset-paginated on ``(date_key, id)`` descending: the cursor is the last row's
key, so pages stay stable while new events arrive and never use OFFSET.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ConfigError
from eventlens.model import Event
from eventlens.store.actors import actor_condition, resolve_actor
from eventlens.store.codec import coding_from_row, date_key, mention_from_row
from eventlens.store.schema import documents, events, mentions
from eventlens.store.text import TextHits, resolve_text, text_condition

__all__ = [
    "OVERRIDABLE",
    "BBox",
    "EventPage",
    "EventQuery",
    "EventSummary",
    "apply_overrides",
    "count_capped",
    "decode_cursor",
    "encode_cursor",
    "event_overrides",
    "iter_full_events",
    "list_events",
    "load_events",
    "overrides_for",
    "review_audit",
    "review_metadata",
    "summaries_of",
    "where_clause",
]

review_metadata = sa.MetaData()

event_overrides = sa.Table(
    "event_overrides",
    review_metadata,
    sa.Column("event_id", sa.String(40), primary_key=True),
    sa.Column("field", sa.String(32), primary_key=True),
    sa.Column("value", sa.JSON),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

review_audit = sa.Table(
    "review_audit",
    review_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("event_id", sa.String(40), nullable=False),
    sa.Column("before", sa.JSON, nullable=False),
    sa.Column("after", sa.JSON, nullable=False),
    sa.Column("note", sa.Text),
    sa.Index("ix_review_audit_event_id", "event_id"),
    sa.Index("ix_review_audit_at", "at"),
)

#: Event columns an analyst may edit (stored as overrides), with their Python types.
OVERRIDABLE: dict[str, type] = {
    "event_type": str,
    "sub_event_type": str,
    "plover_event": str,
    "actor1": str,
    "inter1": int,
    "assoc_actor_1": str,
    "actor2": str,
    "inter2": int,
    "assoc_actor_2": str,
    "fatalities": int,
    "injuries": int,
    "event_date": date,
    "time_precision": int,
    "location": str,
    "country": str,
    "iso3": str,
    "admin1": str,
    "admin2": str,
    "latitude": float,
    "longitude": float,
    "geo_precision": int,
    "review_status": str,
}

MAX_LIMIT = 500
#: List counts are exact up to this many matches and capped above (``count_exact`` false).
COUNT_CAP = 1_000


@dataclass(frozen=True, slots=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """``minlon,minlat,maxlon,maxlat`` (ConfigError when malformed)."""
        try:
            a, b, c, d = (float(x) for x in text.split(","))
        except ValueError as exc:
            raise ConfigError("bbox must be minlon,minlat,maxlon,maxlat (four numbers)") from exc
        if not (-180 <= a <= c <= 180 and -90 <= b <= d <= 90):
            raise ConfigError("bbox must satisfy -180<=minlon<=maxlon<=180 and -90<=minlat<=maxlat<=90")
        return cls(a, b, c, d)


@dataclass(frozen=True, slots=True)
class EventQuery:
    """The filters the API, the dashboard and exports share (same names as the query string)."""

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
    q: str | None = None


@dataclass(frozen=True, slots=True)
class EventSummary:
    """One row of an event list or map (overrides applied)."""

    id: str
    event_date: date | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    fatalities: int | None
    location: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    confidence: float
    n_mentions: int
    n_sources: int
    review_status: str
    overridden: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EventPage:
    items: list[EventSummary]
    next_cursor: str | None


def encode_cursor(key_date: int, event_id: str) -> str:
    raw = json.dumps([key_date, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    """The (date_key, id) behind an opaque cursor (ConfigError when it was tampered with)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, event_id = json.loads(raw)
    except (ValueError, binascii.Error, TypeError) as exc:
        raise ConfigError("invalid cursor; start again without one") from exc
    if not isinstance(key, int) or not isinstance(event_id, str):
        raise ConfigError("invalid cursor; start again without one")
    return key, event_id


def where_clause(
    conn: Connection, q: EventQuery, ordered: bool = True, text: TextHits | None = None
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of ``q`` for this database (``ordered``: the rows are read in date order).

    ``text``: ``q.q`` already resolved with ``store.text.resolve_text`` (probed here otherwise).
    """
    hits = text if text is not None else resolve_text(conn, q.q)
    actors = resolve_actor(conn, q.actor) if q.actor else ()
    return _conditions(q, conn.dialect.name, hits, actors, ordered)


def _conditions(
    q: EventQuery, dialect: str, text: TextHits | None, actors: tuple[str, ...], ordered: bool = True
) -> list[sa.ColumnElement[bool]]:
    c = events.c
    conds: list[sa.ColumnElement[bool]] = []
    if q.date_from:
        conds.append(c.date_key >= date_key(q.date_from))
    if q.date_to:
        conds.append(c.date_key <= date_key(q.date_to))
    if q.date_from or q.date_to:
        conds.append(c.date_key > 0)
    for name in ("country", "admin1", "location", "event_type", "sub_event_type", "geo_precision"):
        value = getattr(q, name)
        if value is not None:
            conds.append(c[name] == value)
    if q.bbox:
        b = q.bbox
        # for date-ordered pages "+ 0" keeps the planner on the date indexes (a latitude band is
        # rarely selective); a count has no order and reads the lat/lon index directly
        lat, lon = (c.latitude + 0, c.longitude + 0) if ordered else (c.latitude, c.longitude)
        conds += [lat.between(b.min_lat, b.max_lat), lon.between(b.min_lon, b.max_lon)]
    if q.actor:
        conds.append(actor_condition(actors))
    if q.inter is not None:
        conds.append(sa.or_(c.inter1 == q.inter, c.inter2 == q.inter))
    if q.min_fatalities is not None:
        conds.append(c.fatalities >= q.min_fatalities)
    if q.max_fatalities is not None:
        conds.append(c.fatalities <= q.max_fatalities)
    if q.source:
        conds.append(
            sa.exists().where(
                mentions.c.event_id == c.id,
                documents.c.id == mentions.c.doc_id,
                documents.c.source == q.source,
            )
        )
    if q.q and text is not None:
        conds.append(text_condition(text, dialect))
    return conds


def overrides_for(conn: Connection, event_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """event id -> {field: value} of analyst overrides (values already typed)."""
    found: dict[str, dict[str, Any]] = {}
    if not event_ids:
        return found
    eo = event_overrides.c
    rows = conn.execute(sa.select(eo.event_id, eo.field, eo.value).where(eo.event_id.in_(list(event_ids))))
    for row in rows:
        found.setdefault(row.event_id, {})[row.field] = _typed(row.field, row.value)
    return found


def _typed(name: str, value: Any) -> Any:
    if value is None:
        return None
    if OVERRIDABLE.get(name) is date:
        return date.fromisoformat(value) if isinstance(value, str) else value
    return value


def _summary(row: Any, over: dict[str, Any]) -> EventSummary:
    values = dict(zip(_SUMMARY_NAMES, row, strict=False))
    if over:
        values.update({k: v for k, v in over.items() if k in values})
    return EventSummary(**values, overridden=tuple(sorted(over)))


_SUMMARY_COLS = [events.c[name] for name in EventSummary.__slots__ if name in events.c]
_SUMMARY_NAMES = tuple(col.name for col in _SUMMARY_COLS)


def list_events(
    conn: Connection, q: EventQuery, limit: int = 50, cursor: str | None = None, text: TextHits | None = None
) -> EventPage:
    """One page of events, newest first, with the cursor of the next page (None at the end)."""
    limit = max(1, min(limit, MAX_LIMIT))
    stmt = sa.select(*_SUMMARY_COLS, events.c.date_key).where(*where_clause(conn, q, text=text))
    if cursor:
        key, eid = decode_cursor(cursor)
        after = sa.tuple_(sa.literal(key), sa.literal(eid))
        stmt = stmt.where(sa.tuple_(events.c.date_key, events.c.id) < after)
    stmt = stmt.order_by(events.c.date_key.desc(), events.c.id.desc()).limit(limit + 1)
    rows = conn.execute(stmt).all()
    over = overrides_for(conn, [r.id for r in rows[:limit]])
    items = [_summary(r, over.get(r.id, {})) for r in rows[:limit]]
    next_cursor = encode_cursor(rows[limit - 1].date_key, rows[limit - 1].id) if len(rows) > limit else None
    return EventPage(items=items, next_cursor=next_cursor)


def summaries_of(conn: Connection, event_ids: Sequence[str]) -> list[EventSummary]:
    """Summaries (overrides applied) of the given events, in no particular order."""
    if not event_ids:
        return []
    rows = conn.execute(sa.select(*_SUMMARY_COLS).where(events.c.id.in_(list(event_ids)))).all()
    over = overrides_for(conn, [r.id for r in rows])
    return [_summary(r, over.get(r.id, {})) for r in rows]


def count_capped(
    conn: Connection, q: EventQuery, cap: int = COUNT_CAP, text: TextHits | None = None
) -> tuple[int | None, bool]:
    """(count, exact): counts at most ``cap`` matches so a count never scans a million rows.

    The count is None (unknown) when ``q`` holds a common word: only walking every event's
    evidence could count those, and the page itself does not need it.
    """
    hits = text if text is not None else resolve_text(conn, q.q)
    if hits is not None and hits.event_ids is None:
        return None, False
    actors = resolve_actor(conn, q.actor) if q.actor else ()
    conds = _conditions(q, conn.dialect.name, hits, actors, ordered=False)
    inner = sa.select(sa.literal(1).label("one")).select_from(events).where(*conds).limit(cap + 1)
    n = int(conn.execute(sa.select(sa.func.count()).select_from(inner.subquery())).scalar_one())
    return min(n, cap), n <= cap


def apply_overrides(event: Event, over: dict[str, Any]) -> Event:
    """``event`` with analyst overrides applied to its coding (coding fields only)."""
    if not over:
        return event
    from eventlens.store.codec import coding_row

    row = coding_row(event.coding)
    row.update({k: v for k, v in over.items() if k in row})
    if "location" in over and over["location"] is None:
        row["location"] = event.coding.place.location if event.coding.place else None
    return replace(event, coding=coding_from_row(row))


def load_events(conn: Connection, event_ids: Sequence[str]) -> list[Event]:
    """Full Events (with mentions) for ``event_ids``, in that order, overrides applied."""
    if not event_ids:
        return []
    ev_rows = {r.id: r for r in conn.execute(sa.select(events).where(events.c.id.in_(list(event_ids))))}
    by_event: dict[str, list[Any]] = {}
    for m in conn.execute(
        sa.select(mentions)
        .where(mentions.c.event_id.in_(list(event_ids)))
        .order_by(mentions.c.event_id, mentions.c.doc_id, mentions.c.evidence_start)
    ):
        by_event.setdefault(m.event_id, []).append(m)
    over = overrides_for(conn, list(ev_rows))
    out = []
    for eid in event_ids:
        row = ev_rows.get(eid)
        if row is None:
            continue
        ms = tuple(mention_from_row(m._mapping) for m in by_event.get(eid, []))
        event = Event(id=eid, coding=coding_from_row(dict(row._mapping)), mentions=ms)
        out.append(apply_overrides(event, over.get(eid, {})))
    return out


def iter_full_events(conn: Connection, q: EventQuery, batch: int = 500) -> Iterator[Event]:
    """Every matching Event, newest first, fetched page by page (constant memory, for exports)."""
    cursor: str | None = None
    text = resolve_text(conn, q.q)  # probed once, not once per page
    while True:
        page = list_events(conn, q, limit=batch, cursor=cursor, text=text)
        yield from load_events(conn, [s.id for s in page.items])
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
