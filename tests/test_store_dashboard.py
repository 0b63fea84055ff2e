"""The dashboard's aggregates (``store.dashboard``): rollups and the events table give the same
timeline, breakdowns and pick-list counts; the timeline is zero-filled and counts undated events
apart; the derived filters (multi-values, interaction, civilian targeting, disorder type,
undated) select what their definitions say; and the dashboard's JSON endpoints serve them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from eventlens.api.synthetic import generate_reports
from eventlens.model import Event, disorder_type_of, interaction_code, is_civilian_targeting
from eventlens.store import EventFilter, Store, open_store
from eventlens.store.dashboard import (
    INTER_FACETS,
    ROLLUP_FACETS,
    breakdown,
    facets,
    previous_period,
    timeline,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path_factory.mktemp('dash') / 'dash.db'}")
    for r in generate_reports(300, seed=9):
        s.write_document(r.document, [r.article], list(r.events))
    first, second = [e.id for e in s.iter_events(limit=2, with_mentions=False)]
    s.edit(first, {"event_date": None}, "rui")  # an undated event
    s.edit(second, {"country": None, "admin1": None}, "rui")  # one with no region
    yield s
    s.close()


def _events(store: Store, q: EventFilter | None = None) -> list[Event]:
    return list(store.iter_events(q or EventFilter(), with_mentions=False))


FILTERS = [
    EventFilter(),
    EventFilter(country=("Iraq", "Syria")),
    EventFilter(event_type=("Battles", "Protests"), date_from=date(2021, 1, 1), date_to=date(2021, 12, 31)),
    EventFilter(date_from=date(2021, 2, 3), date_to=date(2021, 4, 17)),
    EventFilter(disorder_type=("Demonstrations",)),
    EventFilter(actor="Police", date_from=date(2021, 1, 1), date_to=date(2021, 6, 30)),
    EventFilter(sub_event_type="Attack", geo_precision=1),
    EventFilter(undated=True),
    EventFilter(civilian_targeting=True, country="Iraq"),
    EventFilter(interaction=(17, 60), min_fatalities=1),
    EventFilter(text="tear gas"),
]


@pytest.mark.parametrize("q", FILTERS, ids=lambda q: repr(q)[12:60])
def test_rollups_and_the_events_table_agree(store: Store, q: EventFilter) -> None:
    with store.engine.connect() as conn:
        for by in ("auto", "day", "week", "month", "year"):
            assert timeline(conn, q, by) == timeline(conn, q, by, rollups=False), by
        for dim in ("event_type", "country", "region", "actor"):
            assert breakdown(conn, q, dim) == breakdown(conn, q, dim, rollups=False), dim
        assert facets(conn, q) == facets(conn, q, rollups=False)


def test_timeline_is_zero_filled_stacked_and_counts_undated_apart(store: Store) -> None:
    t = store.timeline(EventFilter(), "month")
    dated = [e for e in _events(store) if e.coding.event_date is not None]
    assert t.undated_events == len(_events(store)) - len(dated) == 1
    assert sum(p.events for p in t.periods) == len(dated)
    months = [p.period for p in t.periods]
    assert months[0] == min(e.coding.event_date for e in dated).replace(day=1).isoformat()  # type: ignore[union-attr]
    assert len(months) == len(set(months)) == 48  # four years of months, none left out
    for p in t.periods:
        assert sum(p.by_type.values()) == p.events
    iraq = store.timeline(EventFilter(country="Iraq"), "month")
    assert [p.period for p in iraq.periods] == months  # the axis stays put whatever the filter
    assert any(p.events == 0 for p in iraq.periods) or sum(p.events for p in iraq.periods) > 0
    # auto: the finest grain with at most ~120 bars; a month's range is drawn by day
    assert store.timeline(EventFilter(), "auto").by == "month"
    one_month = store.timeline(EventFilter(date_from=date(2021, 3, 1), date_to=date(2021, 3, 31)), "auto")
    assert one_month.by == "day" and len(one_month.periods) == 31 and one_month.undated_events == 0


def test_previous_period_has_the_same_length() -> None:
    q = EventFilter(date_from=date(2021, 1, 1), date_to=date(2021, 3, 31))
    assert previous_period(q, (q.date_from, q.date_to)) == (date(2020, 10, 3), date(2020, 12, 31))  # type: ignore[arg-type]
    assert previous_period(EventFilter(), (date(2020, 1, 1), date(2020, 2, 1))) is None


def test_breakdowns_count_the_period_and_the_one_before(store: Store) -> None:
    q = EventFilter(date_from=date(2021, 1, 1), date_to=date(2021, 6, 30))
    b = store.breakdown(q, "event_type", limit=10)
    now = Counter(e.coding.event_type for e in _events(store, q))
    before = Counter(e.coding.event_type for e in
                     _events(store, EventFilter(date_from=b.prev_from, date_to=b.prev_to)))
    assert {r.key[0]: r.events for r in b.rows} == dict(now)
    assert {r.key[0]: r.prev_events for r in b.rows} == {k: before[k] for k in now}
    actors = store.breakdown(EventFilter(), "actor", limit=5)
    named = Counter(a.name for e in _events(store) for a in {e.coding.actor1, e.coding.actor2} if a)
    top = sorted(named.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert [(r.key[0], r.events) for r in actors.rows] == top
    assert actors.prev_from is None and all(r.prev_events is None for r in actors.rows)


def test_derived_and_multi_value_filters_select_what_they_say(store: Store) -> None:
    everything = _events(store)

    def ids(pred: object) -> set[str]:
        return {e.id for e in everything if pred(e.coding)}  # type: ignore[operator]

    def got(q: EventFilter) -> set[str]:
        return {e.id for e in _events(store, q)}

    def country(c: object) -> str | None:
        return c.place.country if c.place else None  # type: ignore[attr-defined]

    assert got(EventFilter(country=("Iraq", "syr"))) == ids(lambda c: country(c) in ("Iraq", "Syria"))
    crowd = ids(lambda c: {a.inter for a in (c.actor1, c.actor2) if a} & {5, 6})
    assert crowd and got(EventFilter(inter=(5, 6))) == crowd

    def inter(c: Any) -> int | None:
        return interaction_code(c.actor1.inter if c.actor1 else None, c.actor2.inter if c.actor2 else None)

    assert got(EventFilter(interaction=(17, 60))) == ids(lambda c: inter(c) in (17, 60))
    civ = ids(lambda c: is_civilian_targeting(c.event_type, c.actor2.inter if c.actor2 else None))
    assert civ and got(EventFilter(civilian_targeting=True)) == civ
    assert got(EventFilter(civilian_targeting=False)) == {e.id for e in everything} - civ
    demo = ids(lambda c: disorder_type_of(c.event_type, c.sub_event_type) == "Demonstrations")
    assert demo and got(EventFilter(disorder_type=("Demonstrations",))) == demo
    assert got(EventFilter(undated=True)) == ids(lambda c: c.event_date is None)
    counts = store.facets(EventFilter(country="Iraq"), [*ROLLUP_FACETS, *INTER_FACETS])
    iraq = [e for e in everything if country(e.coding) == "Iraq"]
    by_type = Counter(e.coding.event_type for e in iraq)
    assert {v.value: v.events for v in counts["event_type"]} == dict(by_type)
    # a pick-list counts without its own choice: every other country stays on offer
    assert len(counts["country"]) > 1 and {v.value for v in counts["civilian_targeting"]} <= {"yes", "no"}


def test_actor_options_carry_the_inter_code_of_their_events(store: Store) -> None:
    options = store.actor_options("protesters (iraq)")
    assert options[0].name == "Protesters (Iraq)" and options[0].inter == 6


def test_the_dashboard_endpoints(store: Store, tmp_path: Path) -> None:
    from eventlens.api import create_app
    from eventlens.api.web import _derive_inter
    from eventlens.config import Settings

    client = TestClient(create_app(Settings(db=store.engine.url.database)))  # type: ignore[arg-type]
    t = client.get("/api/dashboard/timeline?country=Iraq&country=Syria&by=month").json()
    assert t["by"] == "month" and len(t["periods"]) == 48
    b = client.get("/api/dashboard/breakdown?dimension=region&date_from=2021-01-01&date_to=2021-03-31").json()
    assert b["prev_from"] == "2020-10-03" and b["rows"] and b["rows"][0]["prev_events"] is not None
    f = client.get("/api/dashboard/facets?names=interaction&names=civilian_targeting").json()
    assert set(f) == {"interaction", "civilian_targeting"}
    assert client.get("/api/dashboard/facets?names=bogus").status_code == 400
    assert client.get("/api/events?inter=9").status_code == 422
    assert client.get("/api/dashboard/actors?q=Police").json()[0]["inter"] == 1
    found = 0
    for e in _events(store, EventFilter(country="Iraq", undated=False))[:10]:
        near = client.get(f"/api/dashboard/merge-candidates/{e.id}").json()
        day = e.coding.event_date
        for n in near:
            assert n["country"] == "Iraq" and n["id"] != e.id
            assert abs((date.fromisoformat(n["event_date"]) - day).days) <= 7  # type: ignore[operator]
        found += bool(near)
    assert found
    changes: dict[str, object] = {"actor1": "Protesters (Iraq)", "actor2": ""}
    _derive_inter(store, changes)
    assert changes == {"actor1": "Protesters (Iraq)", "inter1": "6", "actor2": "", "inter2": ""}
