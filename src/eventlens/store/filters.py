"""The one event filter, shared by the CLI (``eventlens events``, ``export``), the API, the
dashboard and exports, and the one SQL builder behind it.

Semantics of :class:`EventFilter` (unset fields do not filter; set fields all apply):

* ``date_from`` / ``date_to``: the event date lies in the range, bounds included; undated
  events are left out as soon as either bound is set.
* ``country``: the country's name or its ISO3 code (``Iraq``, ``iraq``, ``IRQ``).
* ``admin1``, ``event_type``, ``sub_event_type``: the stored value.
* ``location``: a substring of the location name.
* ``actor``: a substring of ``actor1`` or ``actor2``.
* ``bbox``: longitude and latitude inside the box; ``inter``: ``inter1`` or ``inter2``;
  ``min_fatalities`` / ``max_fatalities``: bounds on known fatalities; ``geo_precision``: equal.
* ``source``: some mention comes from a document of that source name, or with that document id.
* ``text``: some mention's evidence contains the text (``store.text``; the API's ``q``).
* ``background``: also events only told as background to other reports' incidents ("a bombing
  last month" that matched no stored incident); left out of lists and exports by default. The
  counts of maps and timelines (``store.aggregates``) always include them, as their rollups do.

Text comparisons ignore case (SQL ``lower()``: ASCII letters on SQLite, Unicode on
PostgreSQL); ``%``, ``_``, quotes and FTS operators are ordinary characters. Every value is a
bound parameter. Case-insensitive equality and actor substrings are first bound to the
stored spellings (:func:`bind_filter`: the distinct values are few and read by skip scans over
indexes), then matched exactly, so the events indexes and the rollups still serve them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ConfigError
from eventlens.store.codec import date_key
from eventlens.store.schema import BACKGROUND, documents, events, mentions
from eventlens.store.text import TextHits, probe_text, text_condition

__all__ = ["BBox", "BoundFilter", "EventFilter", "bind_filter", "where_clause"]


@dataclass(frozen=True, slots=True)
class BBox:
    """A longitude/latitude box (west, south, east, north) in degrees."""

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
class EventFilter:
    """Which events to read (semantics in the module docstring)."""

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
    text: str | None = None
    background: bool = False


@dataclass(frozen=True, slots=True)
class BoundFilter:
    """A filter's user values bound against the database: stored spellings per field
    (``country``, ``admin1``, ``event_type``, ``sub_event_type``, ``actor``) and the text probe."""

    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    text: TextHits | None = None
    #: results shared by the queries of one request (``queries``: a rare text's matching keys)
    memo: dict[str, Any] = field(default_factory=dict, compare=False)


def _distinct(column: str, table: str = "events", cte: str = "v") -> str:
    """A skip scan: the distinct non-NULL values of an indexed column, one index probe each."""
    return (f"{cte}(x) AS (SELECT min({column}) FROM {table} UNION ALL SELECT (SELECT min({column}) "
            f"FROM {table} WHERE {column} > {cte}.x) FROM {cte} WHERE {cte}.x IS NOT NULL)")


_EQUAL = "lower(x) = lower(:value)"
_CONTAINS = "lower(x) LIKE lower(:value) ESCAPE '\\'"
_ISO3 = "lower((SELECT iso3 FROM events WHERE country = v.x AND iso3 IS NOT NULL LIMIT 1)) = lower(:value)"
#: field -> SQL giving its stored spellings (admin1 leads no events index: its rollup's does)
_STORED_SPELLINGS = {
    "country": f"WITH RECURSIVE {_distinct('country')} SELECT x FROM v WHERE {_EQUAL} OR {_ISO3}",
    "admin1": f"WITH RECURSIVE {_distinct('admin1', 'rollup_day')} SELECT x FROM v WHERE {_EQUAL}",
    "event_type": f"WITH RECURSIVE {_distinct('event_type')} SELECT x FROM v WHERE {_EQUAL}",
    "sub_event_type": f"WITH RECURSIVE {_distinct('sub_event_type')} SELECT x FROM v WHERE {_EQUAL}",
    "actor": (f"WITH RECURSIVE {_distinct('actor1', cte='v')}, {_distinct('actor2', cte='w')} "
              f"SELECT x FROM v WHERE {_CONTAINS} UNION SELECT x FROM w WHERE {_CONTAINS}"),
}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def bind_filter(conn: Connection, f: EventFilter) -> BoundFilter:
    """Bind ``f`` to the database once per request: stored spellings of its values and the free-text probe."""
    names: dict[str, tuple[str, ...]] = {}
    for name, sql in _STORED_SPELLINGS.items():
        value = getattr(f, name)
        if value is None:
            continue
        bound = f"%{_escape(value)}%" if name == "actor" else value
        found = conn.execute(sa.text(sql), {"value": bound}).scalars()
        names[name] = tuple(sorted({str(x) for x in found}))
    return BoundFilter(names, probe_text(conn, f.text, names))


def in_names(column: sa.ColumnElement[str], names: tuple[str, ...]) -> sa.ColumnElement[bool]:
    """``column`` equals one of ``names`` (false for none)."""
    if not names:
        return sa.false()
    return column == names[0] if len(names) == 1 else column.in_(names)


def actor_condition(names: tuple[str, ...], table: sa.Table = events) -> sa.ColumnElement[bool]:
    """Rows of ``table`` (events or an actor rollup) whose actor1 or actor2 is one of ``names``."""
    if not names:
        return sa.false()
    return sa.or_(in_names(table.c.actor1, names), in_names(table.c.actor2, names))


def where_clause(
    conn: Connection, f: EventFilter, bound: BoundFilter | None = None, ordered: bool = True
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions on ``events`` of ``f`` (``bound``: from :func:`bind_filter`, made here
    otherwise; ``ordered``: the rows are read in date order)."""
    r = bound if bound is not None else bind_filter(conn, f)
    c = events.c
    conds: list[sa.ColumnElement[bool]] = []
    if f.date_from:
        conds.append(c.date_key >= date_key(f.date_from))
    if f.date_to:
        conds.append(c.date_key <= date_key(f.date_to))
    if f.date_from or f.date_to:
        conds.append(c.date_key > 0)
    for name in ("country", "admin1", "event_type", "sub_event_type"):
        if getattr(f, name) is not None:
            conds.append(in_names(c[name], r.names[name]))
    if f.actor is not None:
        conds.append(actor_condition(r.names["actor"]))
    if f.location is not None:
        conds.append(c.location.icontains(f.location, autoescape=True))
    if f.bbox:
        b = f.bbox
        # for date-ordered pages "+ 0" keeps the planner on the date indexes (a latitude band is
        # rarely selective); a count has no order and reads the lat/lon index directly
        lat, lon = (c.latitude + 0, c.longitude + 0) if ordered else (c.latitude, c.longitude)
        conds += [lat.between(b.min_lat, b.max_lat), lon.between(b.min_lon, b.max_lon)]
    if f.inter is not None:
        conds.append(sa.or_(c.inter1 == f.inter, c.inter2 == f.inter))
    if f.min_fatalities is not None:
        conds.append(c.fatalities >= f.min_fatalities)
    if f.max_fatalities is not None:
        conds.append(c.fatalities <= f.max_fatalities)
    if f.geo_precision is not None:
        conds.append(c.geo_precision == f.geo_precision)
    if f.source:
        d = documents.c
        docs = sa.select(d.id).where(sa.or_(d.source == f.source, d.id == f.source))
        conds.append(sa.exists().where(mentions.c.event_id == c.id, mentions.c.doc_id.in_(docs)))
    if f.text and r.text is not None:
        conds.append(text_condition(r.text, conn.dialect.name))
    if not f.background:
        conds.append(c.review_status != BACKGROUND)
    return conds
