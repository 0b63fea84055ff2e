"""Aggregates for the timeline and the region table: counts and fatalities per period or admin1.

Both read the same filters as the event list (``store.queries.where_clause``) and, for the
common filters (none, country, date range), only the covering indexes of migration 0002.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from eventlens.errors import ConfigError
from eventlens.store.queries import EventQuery, where_clause
from eventlens.store.schema import events

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


def aggregate_by_period(conn: Connection, q: EventQuery, by: str) -> list[PeriodCount]:
    """Event counts and fatalities per day, ISO week (its Monday) or month; undated events left out."""
    if by not in ("day", "week", "month"):
        raise ConfigError("by must be day, week, month or admin1")
    stmt = (
        sa.select(
            events.c.date_key,
            sa.func.count().label("n"),
            sa.func.coalesce(sa.func.sum(events.c.fatalities), 0).label("f"),
        )
        .where(*where_clause(conn, q), events.c.date_key > 0)
        .group_by(events.c.date_key)
        .order_by(events.c.date_key)
    )
    buckets: dict[str, list[int]] = {}
    for row in conn.execute(stmt):
        b = buckets.setdefault(_fold(row.date_key, by), [0, 0])
        b[0] += int(row.n)
        b[1] += int(row.f)
    return [PeriodCount(period=k, events=v[0], fatalities=v[1]) for k, v in buckets.items()]


def aggregate_by_admin1(conn: Connection, q: EventQuery, limit: int = 200) -> list[RegionCount]:
    """Counts and fatalities per (country, admin1), largest first, with a mean position."""
    c = events.c
    n = sa.func.count().label("n")
    stmt = (
        sa.select(
            c.country,
            c.admin1,
            n,
            sa.func.coalesce(sa.func.sum(c.fatalities), 0).label("f"),
            sa.func.avg(c.latitude).label("lat"),
            sa.func.avg(c.longitude).label("lon"),
        )
        .where(*where_clause(conn, q))
        .group_by(c.country, c.admin1)
        .order_by(n.desc())
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
