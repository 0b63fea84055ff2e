"""The rollup tables of migrations 0003-0007 and which aggregate queries they can answer.

Triggers keep ``rollup_date``, ``rollup_day``, ``rollup_month``, ``rollup_actor_month`` and
``rollup_actor_day`` and ``rollup_fatal_day`` equal to GROUP BYs over ``events`` (see the
migrations); this module only reads them. A query can use a rollup when every filter it sets is
one of the rollup's key columns (and, for the month rollups, its dates cover whole months); a
fatality range alone (with dates) reads ``rollup_fatal_day``, whose key is the death toll. The
actor filter is bound to stored names first (``store.filters.bind_filter``) and reads the actor rollups
(``rollup_actor_day`` through :func:`actor_day_rows` and the covering indexes of 0006).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import timedelta

import sqlalchemy as sa

from eventlens.store.codec import date_key
from eventlens.store.filters import BoundFilter, EventFilter, actor_condition, extra_conditions, in_names
from eventlens.store.schema import (
    rollup_actor_day,
    rollup_actor_month,
    rollup_date,
    rollup_day,
    rollup_fatal_day,
    rollup_month,
)

__all__ = ["actor_day_rows", "rollup_actor_day", "rollup_actor_month", "rollup_date", "rollup_day",
           "rollup_fatal_day", "rollup_for", "rollup_month", "rollup_where", "rollup_with"]

#: EventFilter fields that are rollup keys; any other filter needs the events table.
#: (``disorder_type`` is a set of sub-event types; ``undated`` a condition on the date key.)
_KEY_FILTERS = ("country", "admin1", "event_type", "sub_event_type", "geo_precision", "disorder_type")
_FATALITY_FILTERS = ("min_fatalities", "max_fatalities")
#: (``background`` is no filter of counts: they always include events told only as background)
_OTHER_FILTERS = tuple(f for f in EventFilter.__dataclass_fields__
                       if f not in (*_KEY_FILTERS, "date_from", "date_to", "actor", "undated", "background"))
#: filters rollup_fatal_day cannot take beside a fatality range (it is keyed by day and toll only)
_NOT_WITH_FATALITIES = tuple(f for f in EventFilter.__dataclass_fields__
                             if f not in ("date_from", "date_to", "background", *_FATALITY_FILTERS))


def _whole_months(q: EventFilter) -> bool:
    starts = q.date_from is None or q.date_from.day == 1
    ends = q.date_to is None or (q.date_to + timedelta(days=1)).day == 1
    return starts and ends


def rollup_for(q: EventFilter, by: str) -> sa.Table | None:
    """The smallest rollup that answers ``q`` grouped ``by`` day/week/month/admin1 exactly (or None)."""
    if any(getattr(q, name) is not None for name in _FATALITY_FILTERS):
        alone = all(getattr(q, name) is None for name in _NOT_WITH_FATALITIES)
        return rollup_fatal_day if alone and by != "admin1" else None
    if any(getattr(q, name) is not None for name in _OTHER_FILTERS):
        return None
    month_ok = _whole_months(q)
    day_ok = q.sub_event_type is None and q.geo_precision is None and q.disorder_type is None
    if q.actor is not None:
        if not day_ok:
            return None
        if by in ("month", "admin1") and month_ok:
            return rollup_actor_month
        by_date = by != "admin1" and q.admin1 is None and q.event_type is None
        return rollup_actor_day if by_date else None
    if by != "admin1" and all(getattr(q, name) is None for name in _KEY_FILTERS):
        return rollup_date
    if by in ("month", "admin1") and month_ok:
        return rollup_month
    if by in ("day", "week", "month") and day_ok:
        return rollup_day
    return None


#: rollups smallest first, for :func:`rollup_with`
_BY_SIZE = (rollup_date, rollup_month, rollup_day, rollup_actor_month, rollup_actor_day)
_MONTHLY = (rollup_month, rollup_actor_month)


def rollup_with(q: EventFilter, need: Collection[str]) -> sa.Table | None:
    """The smallest rollup that answers ``q`` exactly and has the columns ``need`` (what a query
    groups by: ``date_key`` for days or weeks, ``event_type``, ``actor1``...), or None. Months
    need no column: every rollup has a day or month key."""
    if any(getattr(q, name) is not None for name in (*_OTHER_FILTERS, *_FATALITY_FILTERS)):
        return None
    wanted = set(need)
    for name in _KEY_FILTERS:
        if getattr(q, name) is not None:
            wanted.add("sub_event_type" if name == "disorder_type" else name)
    if q.actor is not None:
        wanted |= {"actor1", "actor2"}
    for table in _BY_SIZE:
        if (table not in _MONTHLY or _whole_months(q)) and wanted <= set(table.c.keys()):
            return table
    return None


def rollup_where(table: sa.Table, q: EventFilter, bound: BoundFilter) -> list[sa.ColumnElement[bool]]:
    """The conditions of ``q`` on ``table`` (as ``filters.where_clause`` on events: stored
    spellings from ``bound``; undated rows left out as soon as a date bound is set)."""
    c = table.c
    key = c.date_key if "date_key" in c else c.month_key
    conds: list[sa.ColumnElement[bool]] = []
    for name in _KEY_FILTERS:
        value = getattr(q, name)
        if value is not None and name in c:
            stored = bound.names.get(name)  # bound spellings (geo_precision is a number)
            conds.append(c[name] == value if stored is None else in_names(c[name], stored))
    if q.actor is not None:
        conds.append(actor_condition(bound.names["actor"], table))
    conds += extra_conditions(q, table)
    if table is rollup_fatal_day:
        if q.min_fatalities is not None:
            conds.append(c.fatalities >= q.min_fatalities)
        if q.max_fatalities is not None:
            conds.append(c.fatalities <= q.max_fatalities)
    if q.date_from:
        conds.append(key >= date_key(q.date_from))
    if q.date_to:
        conds.append(key <= date_key(q.date_to))
    if q.date_from or q.date_to:
        conds.append(key > 0)
    return conds


def actor_day_rows(q: EventFilter, bound: BoundFilter) -> sa.Subquery:
    """The ``rollup_actor_day`` rows (date_key, n, fatalities) of ``q``, an actor filter: rows
    whose actor1 is one of the names, then rows whose actor2 is and actor1 is not (each row
    once). Two index ranges that the covering indexes of migration 0006 answer alone, where
    ``actor1 IN .. OR actor2 IN ..`` looks every row up in the table (Police by week at 1M
    events: ~32,000 rows, 40 -> 20 ms)."""
    t = rollup_actor_day
    c = t.c
    names = bound.names["actor"]
    rest = rollup_where(t, replace(q, actor=None), bound)
    first = sa.select(c.date_key, c.n, c.fatalities).where(in_names(c.actor1, names), *rest)
    not_first = sa.or_(c.actor1.is_(None), sa.not_(in_names(c.actor1, names))) if names else sa.true()
    second = sa.select(c.date_key, c.n, c.fatalities).where(in_names(c.actor2, names), not_first, *rest)
    return sa.union_all(first, second).subquery("actor_rows")
