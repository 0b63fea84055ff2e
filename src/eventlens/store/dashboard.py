"""The dashboard's read-only aggregates: a zero-filled timeline stacked by event type (with the
undated events counted apart), breakdowns by event type, region and actor beside the previous
period, and pick-list facets with counts.

Every query takes the event filter and reads the smallest trigger-maintained rollup that answers
it exactly (``store.rollup.rollup_with``); filters no rollup holds (text, bounding box, inter
codes, ...) read ``events`` through ``store.filters.where_clause``. Both give the same numbers
(``tests/test_store_dashboard.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ConfigError
from eventlens.model import (
    ACLED_TYPES,
    disorder_type_of,
    event_type_of,
    interaction_code,
    is_civilian_targeting,
)
from eventlens.store.filters import EventFilter, bind_filter, where_clause
from eventlens.store.rollup import rollup_date, rollup_where, rollup_with
from eventlens.store.schema import events

__all__ = ["BREAKDOWNS", "FACETS", "ActorOption", "Breakdown", "BreakdownRow", "FacetValue", "Timeline",
           "TimelineBucket", "actor_options", "breakdown", "facets", "previous_period", "timeline"]

#: most buckets a timeline draws: a finer grain that would need more is coarsened
MAX_BUCKETS = 1500
_GRAINS = ("day", "week", "month", "year")
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "event_type": ("event_type",), "country": ("country",), "region": ("country", "admin1"),
    "actor": ("actor1", "actor2"),
}
#: facets a rollup can count, and those only the events table can (it alone holds inter codes)
ROLLUP_FACETS = ("event_type", "sub_event_type", "disorder_type", "country", "admin1", "geo_precision")
INTER_FACETS = ("inter", "interaction", "civilian_targeting")
FACETS = (*ROLLUP_FACETS, *INTER_FACETS)
_FACET_LIMIT = 300


@dataclass(frozen=True, slots=True)
class TimelineBucket:
    period: str  # its first day
    end: str  # its last day
    events: int
    fatalities: int
    by_type: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Timeline:
    by: str
    periods: list[TimelineBucket]
    undated_events: int
    undated_fatalities: int
    event_types: list[str]


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    key: list[str | None]
    events: int
    fatalities: int
    prev_events: int | None = None
    prev_fatalities: int | None = None


@dataclass(frozen=True, slots=True)
class Breakdown:
    dimension: str
    rows: list[BreakdownRow]
    date_from: date | None
    date_to: date | None
    prev_from: date | None
    prev_to: date | None


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    events: int


# ---------------------------------------------------------------- where the rows come from


@dataclass(frozen=True, slots=True)
class _Source:
    """One table (a rollup or events) with its count, fatality and date-key expressions."""

    table: sa.Table
    n: sa.ColumnElement[Any]
    f: sa.ColumnElement[Any]
    key: sa.ColumnElement[int]
    conds: list[sa.ColumnElement[bool]]


def _source(conn: Connection, q: EventFilter, need: Iterable[str], rollups: bool = True) -> _Source:
    """``rollups=False`` always reads the events table (tests compare the two)."""
    bound = bind_filter(conn, q)
    table = rollup_with(q, tuple(need)) if rollups else None
    if table is None:
        c = events.c
        return _Source(events, sa.literal(1), sa.func.coalesce(c.fatalities, 0), c.date_key,
                       where_clause(conn, q, bound, ordered=False))
    c = table.c
    key = c.date_key if "date_key" in c else c.month_key
    return _Source(table, c.n, c.fatalities, key, rollup_where(table, q, bound))


# ---------------------------------------------------------------- timeline


def _start(d: date, by: str) -> date:
    if by == "day":
        return d
    if by == "week":
        return d - timedelta(days=d.weekday())
    if by == "month":
        return d.replace(day=1)
    return d.replace(month=1, day=1)


def _next(d: date, by: str) -> date:
    if by == "day":
        return d + timedelta(days=1)
    if by == "week":
        return d + timedelta(days=7)
    if by == "month":
        return (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return d.replace(year=d.year + 1, month=1, day=1)


def _span(conn: Connection, q: EventFilter) -> tuple[date, date] | None:
    """The dates a timeline covers: the filter's bounds, else the first and last dated event."""
    lo, hi = q.date_from, q.date_to
    if lo is None or hi is None:
        k = rollup_date.c.date_key
        row = conn.execute(sa.select(sa.func.min(k), sa.func.max(k)).where(k > 0)).one()
        if row[0] is None:
            return None if lo is None and hi is None else (lo or hi, hi or lo)  # type: ignore[return-value]
        lo = lo or date.fromordinal(row[0])
        hi = hi or date.fromordinal(row[1])
    return (lo, hi) if lo <= hi else None


def _grain(span: tuple[date, date] | None, by: str) -> str:
    """``by``, or for ``auto`` the finest grain drawing at most ~120 bars; never over MAX_BUCKETS."""
    if span is None:
        return "month" if by == "auto" else by
    days = (span[1] - span[0]).days + 1
    per = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}
    if by == "auto":
        by = next((g for g in _GRAINS if days / per[g] <= 120), "year")
    while days / per[by] > MAX_BUCKETS and by != "year":
        by = _GRAINS[_GRAINS.index(by) + 1]
    return by


def timeline(conn: Connection, q: EventFilter, by: str = "auto", rollups: bool = True) -> Timeline:
    """Events and fatalities per period (``day``, ``week``, ``month``, ``year`` or ``auto``), each
    split by event type, every period between the first and the last present (zero-filled), and
    the undated events apart (left out as soon as a date bound is set)."""
    if by not in (*_GRAINS, "auto"):
        raise ConfigError("by must be auto, day, week, month or year")
    span = _span(conn, q)
    by = _grain(span, by)
    need = ("event_type",) if by in ("month", "year") else ("date_key", "event_type")
    src = _source(conn, q, need, rollups)
    et = src.table.c.event_type
    key = src.key if src.table is events else src.key + 0  # a rollup: scan it, not its unique index
    stmt = (sa.select(key.label("k"), et.label("etype"), sa.func.sum(src.n).label("n"),
                      sa.func.sum(src.f).label("f"))
            .where(*src.conds).group_by(key, et))
    buckets: dict[date, list[Any]] = {}
    undated = [0, 0]
    for row in conn.execute(stmt):
        n, f = int(row.n), int(row.f or 0)
        if row.k <= 0:
            undated[0] += n
            undated[1] += f
            continue
        b = buckets.setdefault(_start(date.fromordinal(row.k), by), [0, 0, {}])
        b[0] += n
        b[1] += f
        b[2][row.etype] = b[2].get(row.etype, 0) + n
    periods: list[TimelineBucket] = []
    if span is not None:  # the whole span, whatever the other filters: the axis stays put
        d, last = _start(span[0], by), _start(span[1], by)
        while d <= last:
            n, f, types = buckets.get(d, (0, 0, {}))
            periods.append(TimelineBucket(d.isoformat(), (_next(d, by) - timedelta(days=1)).isoformat(),
                                          n, f, dict(types)))
            d = _next(d, by)
    present = {t for b in buckets.values() for t in b[2]}
    order = [t for t in ACLED_TYPES if t in present] + sorted(present - set(ACLED_TYPES))
    return Timeline(by, periods, undated[0], undated[1], order)


# ---------------------------------------------------------------- breakdowns


def previous_period(q: EventFilter, span: tuple[date, date] | None) -> tuple[date, date] | None:
    """The period of the same length just before the filter's date range (None without one)."""
    if span is None or (q.date_from is None and q.date_to is None):
        return None
    lo, hi = span
    length = hi - lo
    return lo - length - timedelta(days=1), lo - timedelta(days=1)


def _grouped(conn: Connection, q: EventFilter, dimension: str, limit: int | None, rollups: bool
             ) -> list[tuple[tuple[str | None, ...], int, int]]:
    cols = BREAKDOWNS[dimension]
    src = _source(conn, q, cols, rollups)
    c = src.table.c
    if dimension == "actor":  # an event counts once for each actor it names (once if both are one)
        first = sa.select(c.actor1.label("k"), src.n.label("n"), src.f.label("f")).where(
            *src.conds, c.actor1.is_not(None))
        second = sa.select(c.actor2.label("k"), src.n.label("n"), src.f.label("f")).where(
            *src.conds, c.actor2.is_not(None), sa.or_(c.actor1.is_(None), c.actor1 != c.actor2))
        rows = sa.union_all(first, second).subquery("actor_rows")
        keys: list[sa.ColumnElement[Any]] = [rows.c.k]
        n, f = sa.func.sum(rows.c.n), sa.func.sum(rows.c.f)
        stmt = sa.select(*keys, n.label("n"), f.label("f")).group_by(*keys)
    else:
        keys = [c[name] for name in cols]
        n, f = sa.func.sum(src.n), sa.func.sum(src.f)
        stmt = sa.select(*keys, n.label("n"), f.label("f")).where(*src.conds).group_by(*keys)
    stmt = stmt.order_by(n.desc(), *keys)
    if limit is not None:
        stmt = stmt.limit(limit)
    width = len(keys)
    return [(tuple(row[:width]), int(row.n), int(row.f or 0)) for row in conn.execute(stmt)]


def breakdown(conn: Connection, q: EventFilter, dimension: str, limit: int = 10, rollups: bool = True
              ) -> Breakdown:
    """The ``limit`` largest groups of ``dimension`` (event_type, country, region, actor) by
    events, with fatalities, and the same groups' numbers in the previous period of equal length
    (when the filter has a date range)."""
    if dimension not in BREAKDOWNS:
        raise ConfigError(f"breakdown must be one of {', '.join(BREAKDOWNS)}")
    span = _span(conn, q)
    current = _grouped(conn, q, dimension, limit, rollups)
    prev = previous_period(q, span)
    before: dict[tuple[str | None, ...], tuple[int, int]] = {}
    if prev is not None:
        earlier = replace(q, date_from=prev[0], date_to=prev[1], undated=None)
        before = {k: (n, f) for k, n, f in _grouped(conn, earlier, dimension, None, rollups)}
    rows = [BreakdownRow(list(k), n, f, *(before.get(k, (0, 0)) if prev else (None, None)))
            for k, n, f in current]
    lo, hi = (q.date_from, q.date_to) if prev is None else (span[0], span[1])  # type: ignore[index]
    return Breakdown(dimension, rows, lo, hi, prev[0] if prev else None, prev[1] if prev else None)


# ---------------------------------------------------------------- facets


def _without(q: EventFilter, name: str) -> EventFilter:
    changes: dict[str, object] = {name: None}
    return replace(q, **changes)  # type: ignore[arg-type]  # a pick-list's own field, all optional


def _rollup_facet(conn: Connection, q: EventFilter, name: str, rollups: bool) -> list[FacetValue]:
    column = "sub_event_type" if name == "disorder_type" else name
    src = _source(conn, q, (column,), rollups)
    col = src.table.c[column]
    stmt = (sa.select(col.label("v"), sa.func.sum(src.n).label("n")).where(*src.conds, col.is_not(None))
            .group_by(col).order_by(sa.func.sum(src.n).desc(), col))
    if name not in ("disorder_type", "sub_event_type", "event_type", "geo_precision"):
        stmt = stmt.limit(_FACET_LIMIT)
    counts: dict[str, int] = {}
    for row in conn.execute(stmt):
        value = disorder_type_of(_type_of(row.v), row.v) if name == "disorder_type" else str(row.v)
        if value is not None:
            counts[value] = counts.get(value, 0) + int(row.n)
    return [FacetValue(v, n) for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _type_of(sub: str) -> str | None:
    try:
        return event_type_of(sub)
    except KeyError:
        return None


def _inter_rows(conn: Connection, q: EventFilter) -> list[tuple[int | None, int | None, bool, int]]:
    c = events.c
    vac = sa.case((c.event_type == "Violence against civilians", 1), else_=0)
    stmt = (sa.select(c.inter1, c.inter2, vac.label("vac"), sa.func.count().label("n"))
            .where(*where_clause(conn, q, ordered=False)).group_by(c.inter1, c.inter2, vac))
    return [(r.inter1, r.inter2, bool(r.vac), int(r.n)) for r in conn.execute(stmt)]


def _inter_facet(rows: list[tuple[int | None, int | None, bool, int]], name: str) -> list[FacetValue]:
    counts: dict[str, int] = {}
    for i1, i2, vac, n in rows:
        if name == "inter":
            values = {str(i) for i in (i1, i2) if i is not None}
        elif name == "interaction":
            code = interaction_code(i1, i2)
            values = {str(code)} if code is not None else set()
        else:
            civ = is_civilian_targeting("Violence against civilians" if vac else None, i2)
            values = {"yes" if civ else "no"}
        for v in values:
            counts[v] = counts.get(v, 0) + n
    return [FacetValue(v, n) for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def facets(
    conn: Connection, q: EventFilter, names: Iterable[str] = ROLLUP_FACETS, rollups: bool = True
) -> dict[str, list[FacetValue]]:
    """For each pick-list ``names``, its values with the number of events matching the filter
    without that pick-list's own selection (so every other value can still be added), largest first."""
    out: dict[str, list[FacetValue]] = {}
    inter_rows: dict[EventFilter, list[tuple[int | None, int | None, bool, int]]] = {}
    for name in names:
        if name not in FACETS:
            raise ConfigError(f"facet must be one of {', '.join(FACETS)}")
        reduced = _without(q, name)
        if name in INTER_FACETS:
            if reduced not in inter_rows:
                inter_rows[reduced] = _inter_rows(conn, reduced)
            out[name] = _inter_facet(inter_rows[reduced], name)
        else:
            out[name] = _rollup_facet(conn, reduced, name, rollups)
    return out


# ---------------------------------------------------------------- actors for the edit form


@dataclass(frozen=True, slots=True)
class ActorOption:
    name: str
    inter: int | None


def actor_options(conn: Connection, text: str, limit: int = 20) -> list[ActorOption]:
    """Stored actor names containing ``text`` (any case), each with the inter code its events
    give it (the commonest), so an edit form can fill inter1/inter2 from the actor chosen."""
    names = bind_filter(conn, EventFilter(actor=text)).names["actor"]
    low = text.lower()
    exact = sorted(names, key=lambda n: (n.lower() != low, not n.lower().startswith(low), n))
    out = []
    c = events.c
    for name in exact[:limit]:
        counts: dict[int, int] = {}
        for actor, inter in ((c.actor1, c.inter1), (c.actor2, c.inter2)):
            stmt = (sa.select(inter, sa.func.count()).where(actor == name, inter.is_not(None))
                    .group_by(inter))
            for code, n in conn.execute(stmt):
                counts[int(code)] = counts.get(int(code), 0) + int(n)
        best = max(counts, key=lambda k: (counts[k], -k)) if counts else None
        out.append(ActorOption(name, best))
    return out
