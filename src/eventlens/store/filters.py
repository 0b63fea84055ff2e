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
* ``new_since``: the event was first stored at or after this time (the dashboard's "new since").
* ``interaction``: ACLED interaction codes (``model.interaction_code``: 17 = state forces and
  civilians, 60 = protesters alone); ``civilian_targeting``: ``model.is_civilian_targeting`` is
  (True) or is not (False); ``disorder_type``: ACLED disorder types (a function of the
  sub-event type, ``model.disorder_type_of``); ``undated``: only undated (True) or only dated
  (False) events.

``country``, ``admin1``, ``event_type``, ``sub_event_type`` and ``inter`` also take a tuple of
values (the dashboard's multi-select pick-lists): an event matches when it matches any of them.
* ``background``: also events only told as background to other reports' incidents ("a bombing
  last month" that matched no stored incident); left out of lists and exports by default. The
  counts of maps and timelines (``store.aggregates``) always include them, as their rollups do.

Text comparisons ignore case (SQL ``lower()``: ASCII letters on SQLite, Unicode on
PostgreSQL); ``%``, ``_``, quotes and FTS operators are ordinary characters. Every value is a
bound parameter. Case-insensitive equality and actor and location substrings are first bound to the
stored spellings (:func:`bind_filter`: the distinct values are few and read by skip scans over
indexes), then matched exactly, so the events indexes and the rollups still serve them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ConfigError
from eventlens.model import CIVILIANS_INTER, sub_event_types_of_disorder
from eventlens.store.codec import date_key
from eventlens.store.schema import BACKGROUND, documents, events, mentions
from eventlens.store.text import TextHits, event_id_in, probe_text, text_condition

__all__ = ["BBox", "BoundFilter", "EventFilter", "bind_filter", "extra_conditions", "where_clause"]


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
    country: str | tuple[str, ...] | None = None
    admin1: str | tuple[str, ...] | None = None
    location: str | None = None
    bbox: BBox | None = None
    event_type: str | tuple[str, ...] | None = None
    sub_event_type: str | tuple[str, ...] | None = None
    actor: str | None = None
    inter: int | tuple[int, ...] | None = None
    min_fatalities: int | None = None
    max_fatalities: int | None = None
    geo_precision: int | None = None
    source: str | None = None
    text: str | None = None
    new_since: datetime | None = None
    interaction: tuple[int, ...] | None = None
    civilian_targeting: bool | None = None
    disorder_type: tuple[str, ...] | None = None
    undated: bool | None = None
    background: bool = False


@dataclass(frozen=True, slots=True)
class BoundFilter:
    """A filter's user values bound against the database: stored spellings per field
    (``country``, ``admin1``, ``event_type``, ``sub_event_type``, ``actor``) and the text probe."""

    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    text: TextHits | None = None
    #: the events of a ``source`` with at most RARE documents (None: more, or no source)
    source_events: tuple[str, ...] | None = None
    #: the events of an ``inter`` code at most RARE events have (None: more, or no inter)
    inter_events: tuple[str, ...] | None = None
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
    # ix_events_location_date (migration 0010)
    "location": f"WITH RECURSIVE {_distinct('location')} SELECT x FROM v WHERE {_CONTAINS}",
}
#: fields whose value is a substring of the stored spellings (the others: the whole value)
_SUBSTRING = ("actor", "location")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def bind_filter(conn: Connection, f: EventFilter) -> BoundFilter:
    """Bind ``f`` to the database once per request: stored spellings of its values and the free-text probe."""
    names: dict[str, tuple[str, ...]] = {}
    for name, sql in _STORED_SPELLINGS.items():
        value = getattr(f, name)
        if value is None:
            continue
        found: set[str] = set()
        for one in (value,) if isinstance(value, str) else value:
            bound = f"%{_escape(one)}%" if name in _SUBSTRING else one
            found.update(str(x) for x in conn.execute(sa.text(sql), {"value": bound}).scalars())
        names[name] = tuple(sorted(found))
    return BoundFilter(names, probe_text(conn, f.text, names), _source_events(conn, f.source),
                       _inter_events(conn, f.inter))


#: A source with at most this many documents, or an inter code with at most this many events,
#: is bound to its events' ids (read from indexes: a few ms); a commoner one is tested per event
#: while the events are read in date order (a page fills after a few thousand at most).
RARE = 10_000


def _at_most(conn: Connection, stmt: sa.Select[Any], cap: int) -> bool:
    """Whether ``stmt`` has at most ``cap`` rows (counted from an index alone, stopping at cap + 1)."""
    first = stmt.limit(cap + 1).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(first)).scalar_one()) <= cap


def _inter_events(conn: Connection, inter: int | tuple[int, ...] | None) -> tuple[str, ...] | None:
    """The ids of the events with ``inter`` as inter1 or inter2 if at most RARE have it on each
    side (None: more, or no inter): without them a code few events have walked every event in
    date order (200,000 events: 8.3 s -> 1.4 ms for a code none has, on a loaded machine). The
    sides are first counted from ix_events_inter and ix_events_inter2 (migration 0010) alone,
    so a common code costs two index reads of at most RARE entries before its usual walk."""
    if inter is None or not isinstance(inter, int):
        return None  # several codes (the dashboard's multi-select): tested per event
    c = events.c
    one = sa.literal(1)
    if not (_at_most(conn, sa.select(one).where(c.inter1 == inter), RARE)
            and _at_most(conn, sa.select(one).where(c.inter2 == inter), RARE)):
        return None
    found = sa.select(c.id).where(sa.or_(c.inter1 == inter, c.inter2 == inter))
    return tuple(sorted(conn.execute(found).scalars()))


def _source_events(conn: Connection, source: str | None) -> tuple[str, ...] | None:
    """The ids of the events of ``source`` if it has at most RARE documents (None: more, or no
    source): without them a rare source or a document id walked every event (200,000 events:
    42 s -> 13 ms for a source nothing has, on a loaded machine). The documents are first
    counted from ix_documents_source alone."""
    if not source:
        return None
    d = documents.c
    if not _at_most(conn, sa.select(sa.literal(1)).where(d.source == source), RARE):
        return None
    named = sa.select(d.id).where(sa.or_(d.source == source, d.id == source))
    doc_ids = list(conn.execute(named).scalars())
    if not doc_ids:
        return ()
    found = conn.execute(sa.select(mentions.c.event_id).where(mentions.c.doc_id.in_(doc_ids))).scalars()
    return tuple(sorted(set(found)))


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
        conds.append(in_names(c.location, r.names["location"]))
    if f.bbox:
        b = f.bbox
        # for date-ordered pages "+ 0" keeps the planner on the date indexes (a latitude band is
        # rarely selective); a count has no order and reads the lat/lon index directly
        lat, lon = (c.latitude + 0, c.longitude + 0) if ordered else (c.latitude, c.longitude)
        conds += [lat.between(b.min_lat, b.max_lat), lon.between(b.min_lon, b.max_lon)]
    if f.inter is not None and r.inter_events is not None:
        conds.append(event_id_in(r.inter_events, conn.dialect.name, "inter_event_ids"))
    elif f.inter is not None:
        inters = (f.inter,) if isinstance(f.inter, int) else f.inter
        conds.append(sa.or_(c.inter1.in_(inters), c.inter2.in_(inters)))
    conds += extra_conditions(f)
    if f.min_fatalities is not None:
        conds.append(c.fatalities >= f.min_fatalities)
    if f.max_fatalities is not None:
        conds.append(c.fatalities <= f.max_fatalities)
    if f.geo_precision is not None:
        conds.append(c.geo_precision == f.geo_precision)
    if f.source and r.source_events is not None:
        conds.append(event_id_in(r.source_events, conn.dialect.name, "source_event_ids"))
    elif f.source:
        d = documents.c
        docs = sa.select(d.id).where(sa.or_(d.source == f.source, d.id == f.source))
        conds.append(sa.exists().where(mentions.c.event_id == c.id, mentions.c.doc_id.in_(docs)))
    if f.text and r.text is not None:
        conds.append(text_condition(r.text, conn.dialect.name))
    if f.new_since is not None:
        conds.append(c.created_at >= f.new_since)
    if not f.background:
        conds.append(c.review_status != BACKGROUND)
    return conds


def extra_conditions(f: EventFilter, table: sa.Table = events) -> list[sa.ColumnElement[bool]]:
    """The conditions of the dashboard's derived filters (disorder type, undated, interaction,
    civilian targeting) on ``events`` or a rollup (``store.rollup`` reads a rollup only when it
    has the columns these need: a sub-event type for disorder types, and never for inter codes)."""
    c = table.c
    key = c.date_key if "date_key" in c else c.month_key
    conds: list[sa.ColumnElement[bool]] = []
    if f.disorder_type is not None:
        subs = sorted({s for d in f.disorder_type for s in sub_event_types_of_disorder(d)})
        conds.append(c.sub_event_type.in_(subs) if subs else sa.false())
    if f.undated is not None:
        conds.append(key == 0 if f.undated else key > 0)
    if f.interaction is not None:
        pairs: list[sa.ColumnElement[bool]] = []
        for code in f.interaction:
            low, high = divmod(code, 10)
            if high == 0:
                pairs.append(sa.and_(c.inter1 == low, c.inter2.is_(None)))
            else:
                pairs += [sa.and_(c.inter1 == low, c.inter2 == high),
                          sa.and_(c.inter1 == high, c.inter2 == low)]
        conds.append(sa.or_(*pairs) if pairs else sa.false())
    if f.civilian_targeting is not None:
        civ = sa.or_(c.inter2 == CIVILIANS_INTER, c.event_type == "Violence against civilians")
        conds.append(civ if f.civilian_targeting else sa.not_(sa.func.coalesce(civ, False)))
    return conds
