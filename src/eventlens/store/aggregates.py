"""Aggregates for the timeline and the region table: counts and fatalities per period or admin1.

Both take the same filters as the event list. When every filter set is a rollup key (date
range, country, admin1, event type, sub-event type, precision; actor with country by day or
week, or with admin1 and event type by month or admin1) they read the trigger-maintained
rollups of migrations 0003-0005 (``store.rollup``), thousands of rows instead of up to
millions; actor timelines by day or week read two covering index ranges of
``rollup_actor_day`` (``store.rollup.actor_day_rows``, migration 0006), and timelines with only
a fatality range (and dates) read ``rollup_fatal_day`` (migration 0007). Any other filter
(text, bbox, fatalities with another filter, ...) reads ``events`` through
``store.filters.where_clause``. Both paths give the same numbers (tests compare them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ConfigError
from eventlens.store.filters import EventFilter, bind_filter, where_clause
from eventlens.store.rollup import actor_day_rows, rollup_for, rollup_where
from eventlens.store.schema import events, rollup_actor_day, rollup_fatal_day

__all__ = ["PeriodCount", "RegionCount", "aggregate_by_admin1", "aggregate_by_period"]


@dataclass(frozen=True, slots=True)
class PeriodCount:
    period: str
    events: int
    fatalities: int


@dataclass(frozen=True, slots=True)
class RegionCount:
    country: str | None
    admin1: str | None
    events: int
    fatalities: int
    latitude: float | None = None
    longitude: float | None = None


def _fold(day_key: int, by: str) -> str:
    d = date.fromordinal(day_key)
    if by == "day":
        return d.isoformat()
    if by == "week":
        return (d - timedelta(days=d.weekday())).isoformat()
    return d.strftime("%Y-%m")


def _counted(q: EventFilter) -> EventFilter:
    """Counts read the rollups when they can, and the rollups hold every event: so that a count does
    not depend on which path answers it, counts always include events told only as background."""
    return replace(q, background=True)


def aggregate_by_period(conn: Connection, q: EventFilter, by: str, rollups: bool = True) -> list[PeriodCount]:
    """Event counts and fatalities per day, ISO week (its Monday) or month; undated events left out.

    ``rollups=False`` always reads the events table (tests compare the two).
    """
    if by not in ("day", "week", "month"):
        raise ConfigError("by must be day, week, month or admin1")
    rollup = rollup_for(q, by) if rollups else None
    bound = bind_filter(conn, q)
    n: sa.ColumnElement[int]
    f: sa.ColumnElement[int]
    if rollup is rollup_actor_day:  # two covering index ranges (migration 0006)
        rows = actor_day_rows(q, bound)
        key, n, f = rows.c.date_key, sa.func.sum(rows.c.n), sa.func.sum(rows.c.fatalities)
        conds = [key > 0]
    elif rollup is rollup_fatal_day:  # the death toll is its key (migration 0007)
        key, n = rollup.c.date_key, sa.func.sum(rollup.c.n)
        f = sa.func.coalesce(sa.func.sum(rollup.c.n * rollup.c.fatalities), 0)
        conds = [*rollup_where(rollup, q, bound), key > 0]
    elif rollup is not None:
        key = rollup.c.date_key if "date_key" in rollup.c else rollup.c.month_key
        n, f = sa.func.sum(rollup.c.n), sa.func.sum(rollup.c.fatalities)
        conds = [*rollup_where(rollup, q, bound), key > 0]
    else:
        key, n, f = events.c.date_key, sa.func.count(), sa.func.coalesce(sa.func.sum(events.c.fatalities), 0)
        conds = [*where_clause(conn, _counted(q), bound), key > 0]
    group: sa.ColumnElement[int] = key
    if by == "week" and rollup is not None:  # weeks in SQL: a seventh of the rows to fold here
        group = key - (key - 1) % 7  # its Monday: date_key 1 is Monday 0001-01-01
    stmt = sa.select(group.label("k"), n.label("n"), f.label("f")).where(*conds)
    stmt = stmt.group_by(group).order_by(group)
    buckets: dict[str, list[int]] = {}
    for row in conn.execute(stmt):
        b = buckets.setdefault(_fold(row.k, by), [0, 0])
        b[0] += int(row.n)
        b[1] += int(row.f)
    return [PeriodCount(period=k, events=v[0], fatalities=v[1]) for k, v in buckets.items()]


def aggregate_by_admin1(
    conn: Connection, q: EventFilter, limit: int = 200, rollups: bool = True
) -> list[RegionCount]:
    """Counts and fatalities per (country, admin1), largest first (ties by name), with a mean position."""
    rollup = rollup_for(q, "admin1") if rollups else None
    bound = bind_filter(conn, q)
    if rollup is not None:
        r = rollup.c
        country, admin1 = r.country, r.admin1
        n: sa.ColumnElement[int] = sa.func.sum(r.n)
        f: sa.ColumnElement[int] = sa.func.sum(r.fatalities)
        # mean of micro-degrees: within 5e-7 degrees of AVG(latitude) over the events
        lat = sa.func.sum(r.lat_e6) / (sa.func.nullif(sa.func.sum(r.lat_n), 0) * 1_000_000.0)
        lon = sa.func.sum(r.lon_e6) / (sa.func.nullif(sa.func.sum(r.lon_n), 0) * 1_000_000.0)
        conds = rollup_where(rollup, q, bound)
    else:
        c = events.c
        country, admin1 = c.country, c.admin1
        n, f = sa.func.count(), sa.func.coalesce(sa.func.sum(c.fatalities), 0)
        lat, lon = sa.func.avg(c.latitude), sa.func.avg(c.longitude)
        conds = where_clause(conn, _counted(q), bound)
    stmt = (
        sa.select(country.label("country"), admin1.label("admin1"), n.label("n"), f.label("f"),
                  lat.label("lat"), lon.label("lon"))
        .where(*conds)
        .group_by(country, admin1)
        .order_by(n.desc(), country, admin1)
        .limit(limit)
    )
    return [
        RegionCount(
            country=r.country,
            admin1=r.admin1,
            events=int(r.n),
            fatalities=int(r.f),
            latitude=float(r.lat) if r.lat is not None else None,
            longitude=float(r.lon) if r.lon is not None else None,
        )
        for r in conn.execute(stmt)
    ]
