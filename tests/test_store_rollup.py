"""The rollup tables (migrations 0003-0005) equal a GROUP BY over events after every kind of write —
pipeline inserts and re-runs, analyst merges, splits, edits and confirmations, deletes — on SQLite
and PostgreSQL; and aggregates read from them equal aggregates read from the events table."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from eventlens.api.synthetic import generate_reports
from eventlens.store import Store
from eventlens.store.aggregates import aggregate_by_admin1, aggregate_by_period
from eventlens.store.filters import EventFilter
from eventlens.store.rollup import (
    rollup_actor_day,
    rollup_actor_month,
    rollup_date,
    rollup_day,
    rollup_fatal_day,
    rollup_for,
    rollup_month,
)
from eventlens.store.schema import events, mentions
from tests.store_backends import store  # noqa: F401 - the fixture

Key = tuple[Any, ...]


def _month(day_key: int) -> int:
    return date.fromordinal(day_key).replace(day=1).toordinal() if day_key > 0 else 0


def _expected(conn: sa.Connection) -> tuple[dict[Key, list[float]], ...]:
    """What the rollups must hold, computed in Python from the events table."""
    per_date: dict[Key, list[float]] = defaultdict(lambda: [0, 0])
    day: dict[Key, list[float]] = defaultdict(lambda: [0, 0])
    month: dict[Key, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0, 0, 0.0])
    actor: dict[Key, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0, 0, 0.0])
    actor_day: dict[Key, list[float]] = defaultdict(lambda: [0, 0])
    c = events.c
    cols = (c.date_key, c.country, c.admin1, c.event_type, c.sub_event_type, c.geo_precision, c.fatalities,
            c.latitude, c.longitude, c.actor1, c.actor2)
    for r in conn.execute(sa.select(*cols)):
        f = r.fatalities or 0
        per_date[(r.date_key,)][0] += 1
        per_date[(r.date_key,)][1] += f
        for d in (day[(r.date_key, r.country, r.admin1, r.event_type)],
                  actor_day[(r.date_key, r.actor1, r.actor2, r.country)]):
            d[0] += 1
            d[1] += f
        for m in (month[(_month(r.date_key), r.country, r.admin1, r.event_type, r.sub_event_type,
                         r.geo_precision)],
                  actor[(_month(r.date_key), r.actor1, r.actor2, r.country, r.admin1, r.event_type)]):
            m[0] += 1
            m[1] += f
            if r.latitude is not None:
                m[2] += 1
                m[3] += r.latitude
            if r.longitude is not None:
                m[4] += 1
                m[5] += r.longitude
    return dict(per_date), dict(day), dict(month), dict(actor), dict(actor_day)


def _expected_fatal(conn: sa.Connection) -> dict[Key, int]:
    """rollup_fatal_day from the events table: events per (day, death toll)."""
    out: dict[Key, int] = defaultdict(int)
    for r in conn.execute(sa.select(events.c.date_key, events.c.fatalities)):
        out[(r.date_key, r.fatalities)] += 1
    return dict(out)


def assert_rollups_match(s: Store) -> None:
    with s.engine.connect() as conn:
        got_fatal = {(r.date_key, r.fatalities): r.n for r in conn.execute(sa.select(rollup_fatal_day))}
        assert got_fatal == _expected_fatal(conn)
        want_date, want_day, want_month, want_actor, want_actor_day = _expected(conn)
        got_date = {tuple(r[:1]): [r.n, r.fatalities] for r in conn.execute(sa.select(rollup_date))}
        got_day = {tuple(r[:4]): [r.n, r.fatalities] for r in conn.execute(sa.select(rollup_day))}
        got_month = {tuple(r[:6]): [r.n, r.fatalities, r.lat_n, r.lat_e6 / 1e6, r.lon_n, r.lon_e6 / 1e6]
                     for r in conn.execute(sa.select(rollup_month))}
        got_actor_day = {tuple(r[:4]): [r.n, r.fatalities] for r in conn.execute(sa.select(rollup_actor_day))}
        got_actor = {tuple(r[:6]): [r.n, r.fatalities, r.lat_n, r.lat_e6 / 1e6, r.lon_n, r.lon_e6 / 1e6]
                     for r in conn.execute(sa.select(rollup_actor_month))}
    assert got_date == want_date
    assert got_day == want_day
    assert got_actor_day == want_actor_day
    for got_table, want_table in ((got_month, want_month), (got_actor, want_actor)):
        assert set(got_table) == set(want_table)
        for key, want in want_table.items():
            got = got_table[key]
            assert got[:3] == want[:3] and got[4] == want[4], key
            assert got[3] == pytest.approx(want[3], abs=1e-6 * (want[2] + 1)), key
            assert got[5] == pytest.approx(want[5], abs=1e-6 * (want[4] + 1)), key


def _write(s: Store, count: int, seed: int) -> None:
    for r in generate_reports(count, seed=seed, days=60):
        s.write_document(r.document, [r.article], list(r.events))


def _ids(s: Store, n: int, **where: Any) -> list[str]:
    q = sa.select(events.c.id).where(*(events.c[k] == v for k, v in where.items()))
    with s.engine.connect() as conn:
        return list(conn.execute(q.order_by(events.c.id).limit(n)).scalars())


@pytest.mark.slow  # exhaustive: runs in make test, kept out of make test-fast
def test_rollups_follow_every_write_path(store: Store) -> None:  # noqa: F811
    _write(store, 60, seed=11)
    assert_rollups_match(store)
    # a re-run: the same documents (skipped) and new ones, some linked into stored events
    _write(store, 60, seed=11)
    _write(store, 40, seed=12)
    assert_rollups_match(store)
    # merge events from different places and dates into one
    a, b, c = _ids(store, 3)
    store.merge([a, b, c], "ana")
    assert_rollups_match(store)
    # split an event with several mentions
    with store.engine.connect() as conn:
        multi = conn.execute(
            sa.select(mentions.c.event_id).group_by(mentions.c.event_id).having(sa.func.count() > 1).limit(1)
        ).scalar_one()
        ms = list(conn.execute(sa.select(mentions.c.id).where(mentions.c.event_id == multi)).scalars())
    store.split(multi, ms[:1], "ben")
    assert_rollups_match(store)
    # analyst edits (written through to the events row) and a confirmation
    e1, e2, e3 = _ids(store, 3)
    store.edit(e1, {"country": "Chad", "admin1": None, "fatalities": 40}, "rui")
    store.edit(e2, {"event_date": "2019-12-31", "sub_event_type": "Peaceful protest",
                    "latitude": None, "geo_precision": 3}, "rui")
    store.edit(e3, {"event_date": None, "longitude": 12.5}, "rui")
    store.confirm(e1, "rui")
    assert_rollups_match(store)
    # a later run never undoes the edits, and the rollups still match
    _write(store, 30, seed=13)
    assert_rollups_match(store)
    # raw SQL writes are covered too: the triggers live in the database
    with store.engine.begin() as conn:
        conn.execute(sa.update(events).where(events.c.id == e2).values(fatalities=None, country=None))
        gone = _ids(store, 1, country="Iraq")
        conn.execute(sa.delete(mentions).where(mentions.c.event_id.in_(gone)))
        conn.execute(sa.text("DELETE FROM event_links WHERE event_id = :e"), {"e": gone[0]})
        conn.execute(sa.delete(events).where(events.c.id.in_(gone)))
    assert_rollups_match(store)


QUERIES = [
    EventFilter(),
    EventFilter(country="Iraq"),
    EventFilter(country="Syria", event_type="Battles"),
    EventFilter(admin1="Borno"),
    EventFilter(date_from=date(2020, 1, 10), date_to=date(2020, 2, 3)),
    EventFilter(date_from=date(2020, 1, 1), date_to=date(2020, 1, 31), sub_event_type="Attack"),
    EventFilter(geo_precision=3),
    EventFilter(country="Nowhere"),
    EventFilter(date_to=date(2020, 2, 29), country="Mali"),
    # actor substrings, resolved to stored names (an event whose two actors match counts once)
    EventFilter(actor="police"),
    EventFilter(actor="FORCES", country="Iraq"),
    EventFilter(actor="o", date_from=date(2020, 1, 1), date_to=date(2020, 1, 31)),
    EventFilter(actor="%_"),
    EventFilter(actor="Nobody at all"),
    # a fatality range alone (with dates) reads rollup_fatal_day (migration 0007)
    EventFilter(min_fatalities=1),
    EventFilter(min_fatalities=3, max_fatalities=10),
    EventFilter(max_fatalities=0, date_from=date(2020, 1, 5), date_to=date(2020, 2, 11)),
    EventFilter(min_fatalities=1000),
    EventFilter(min_fatalities=2, country="Iraq"),
]


@pytest.mark.slow
@pytest.mark.parametrize("by", ["day", "week", "month", "admin1"])
def test_aggregates_from_rollups_equal_aggregates_from_events(store: Store, by: str) -> None:  # noqa: F811
    _write(store, 80, seed=21)
    e1, e2 = _ids(store, 2)
    store.edit(e1, {"event_date": None}, "rui")
    store.edit(e2, {"country": None, "admin1": None, "latitude": None}, "rui")
    used = 0
    with store.engine.connect() as conn:
        for q in QUERIES:
            used += rollup_for(q, by) is not None
            if by == "admin1":
                fast, slow = aggregate_by_admin1(conn, q), aggregate_by_admin1(conn, q, rollups=False)
                assert [(r.country, r.admin1, r.events, r.fatalities) for r in fast] == \
                    [(r.country, r.admin1, r.events, r.fatalities) for r in slow], q
                for f, s in zip(fast, slow, strict=True):
                    for a, b in ((f.latitude, s.latitude), (f.longitude, s.longitude)):
                        assert (a is None) == (b is None) and (a is None or abs(a - b) < 1e-6)
            else:
                assert aggregate_by_period(conn, q, by) == aggregate_by_period(conn, q, by, rollups=False), q
    assert used >= 5  # most of these filters are answered by a rollup


def test_filters_the_rollups_cannot_answer_read_events() -> None:
    assert rollup_for(EventFilter(actor="Police"), "month") is rollup_actor_month
    assert rollup_for(EventFilter(actor="Police", country="Iraq"), "admin1") is rollup_actor_month
    assert rollup_for(EventFilter(actor="Police", country="Iraq"), "week") is rollup_actor_day
    assert rollup_for(EventFilter(actor="Police", admin1="Borno"), "day") is None  # not a day key
    assert rollup_for(EventFilter(actor="Police", sub_event_type="Attack"), "month") is None
    assert rollup_for(EventFilter(text="tear gas"), "day") is None
    assert rollup_for(EventFilter(min_fatalities=1), "admin1") is None
    assert rollup_for(EventFilter(min_fatalities=1, date_from=date(2020, 1, 2)), "week") is rollup_fatal_day
    assert rollup_for(EventFilter(max_fatalities=0), "month") is rollup_fatal_day
    assert rollup_for(EventFilter(min_fatalities=1, country="Iraq"), "day") is None
    assert rollup_for(EventFilter(min_fatalities=1, actor="Police"), "day") is None
    assert rollup_for(EventFilter(min_fatalities=1, text="tear gas"), "day") is None
    assert rollup_for(EventFilter(sub_event_type="Attack"), "week") is None  # not a day-rollup key
    assert rollup_for(EventFilter(date_from=date(2020, 1, 2)), "admin1") is None  # not whole months
    assert rollup_for(EventFilter(date_from=date(2020, 1, 2)), "month") is rollup_date
    assert rollup_for(EventFilter(country="Iraq", date_from=date(2020, 1, 2)), "month") is rollup_day
    assert rollup_for(EventFilter(country="Iraq"), "month") is rollup_month
    assert rollup_for(EventFilter(), "week") is rollup_date


def test_rollup_migrations_downgrade_and_upgrade_again(store: Store) -> None:  # noqa: F811
    from alembic import command

    from eventlens.store.migrate import alembic_config, upgrade

    _write(store, 30, seed=31)
    with store.engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0002_auth_review")
        conn.commit()
        rollups = {"rollup_date", "rollup_day", "rollup_month", "rollup_actor_month", "rollup_actor_day",
                   "rollup_fatal_day"}
        assert not rollups & set(sa.inspect(conn).get_table_names())
        upgrade(conn)
    _write(store, 10, seed=32)  # the triggers are back
    assert_rollups_match(store)
