"""The one EventFilter: the CLI read path (``Store.iter_events``/``count_events``), the API list
(``list_events`` pages and ``count_capped``) and exports (``Store.iter_events(order="newest")``)
return exactly
what a brute-force Python reference of the documented semantics returns, on SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from eventlens.api.synthetic import generate_reports
from eventlens.store import BBox, EventFilter, Store
from eventlens.store.filters import RARE, bind_filter
from eventlens.store.queries import count_capped, list_events
from eventlens.store.schema import documents, events, mentions
from tests.store_backends import store  # noqa: F401 - the fixture

FILTERS = [
    EventFilter(),
    EventFilter(country="iraq"),
    EventFilter(country="IRQ"),
    EventFilter(country="SYRIA", event_type="battles"),
    EventFilter(admin1="borno"),
    EventFilter(location="a"),
    EventFilter(location="BASRA"),
    EventFilter(location="Atlantis"),  # no stored name: bound to none (migration 0010)
    EventFilter(location="%", country="Iraq"),
    EventFilter(inter=4),
    EventFilter(event_type="PROTESTS", sub_event_type="peaceful protest"),
    EventFilter(actor="police"),
    EventFilter(actor="FORCES", country="Iraq", min_fatalities=1),
    EventFilter(actor="o", inter=1),
    EventFilter(date_from=date(2020, 3, 1), date_to=date(2020, 5, 31), max_fatalities=3),
    EventFilter(bbox=BBox(30.0, 0.0, 50.0, 40.0), geo_precision=1),
    EventFilter(text="TEAR GAS"),
    EventFilter(text="tear gas", country="Mali"),
    EventFilter(country="Nowhere"),
    EventFilter(actor="%_"),
    EventFilter(text='"'),
]


Mentions = dict[str, list[tuple[str, str, str]]]


def _rows(s: Store) -> tuple[list[dict[str, Any]], Mentions]:
    with s.engine.connect() as conn:
        evs = [dict(r._mapping) for r in conn.execute(sa.select(events))]
        source = dict(conn.execute(sa.select(documents.c.id, documents.c.source)).all())
        by_event: Mentions = {}
        for m in conn.execute(sa.select(mentions.c.event_id, mentions.c.doc_id, mentions.c.evidence_text)):
            by_event.setdefault(m.event_id, []).append((m.doc_id, source[m.doc_id], m.evidence_text))
    return evs, by_event


def _low(value: Any) -> str:
    return str(value).lower() if value is not None else "\0"


def _expected(f: EventFilter, evs: list[dict[str, Any]], ms: Mentions) -> set[str]:
    """The documented semantics, in Python."""
    iso3 = {e["country"]: e["iso3"] for e in evs if e["iso3"] is not None}
    out = set()
    for e in evs:
        d, lat, lon = e["event_date"], e["latitude"], e["longitude"]
        checks = [
            f.date_from is None or (d is not None and d >= f.date_from),
            f.date_to is None or (d is not None and d <= f.date_to),
            f.country is None or f.country.lower() in (_low(e["country"]), _low(iso3.get(e["country"]))),
            f.admin1 is None or f.admin1.lower() == _low(e["admin1"]),
            f.event_type is None or f.event_type.lower() == _low(e["event_type"]),
            f.sub_event_type is None or f.sub_event_type.lower() == _low(e["sub_event_type"]),
            f.location is None or f.location.lower() in _low(e["location"]),
            f.actor is None or any(f.actor.lower() in _low(e[a]) for a in ("actor1", "actor2")),
            f.bbox is None or (lat is not None and lon is not None and f.bbox.min_lat <= lat <= f.bbox.max_lat
                               and f.bbox.min_lon <= lon <= f.bbox.max_lon),
            f.inter is None or f.inter in (e["inter1"], e["inter2"]),
            f.min_fatalities is None or (e["fatalities"] is not None and e["fatalities"] >= f.min_fatalities),
            f.max_fatalities is None or (e["fatalities"] is not None and e["fatalities"] <= f.max_fatalities),
            f.geo_precision is None or e["geo_precision"] == f.geo_precision,
            f.source is None or any(f.source in (doc, src) for doc, src, _ in ms.get(e["id"], [])),
            f.text is None or any(f.text.lower() in t.lower() for _, _, t in ms.get(e["id"], [])),
        ]
        if all(checks):
            out.add(e["id"])
    return out


@pytest.mark.slow  # exhaustive: runs in make test, kept out of make test-fast
def test_every_read_path_matches_the_reference(store: Store) -> None:  # noqa: F811
    for r in generate_reports(120, seed=41, days=200):
        store.write_document(r.document, [r.article], list(r.events))
    evs, ms = _rows(store)
    some_doc, some_source = next(iter(ms.values()))[0][:2]
    cases = [*FILTERS, EventFilter(source=some_source), EventFilter(source=some_doc)]
    for f in cases:
        want = _expected(f, evs, ms)
        assert {e.id for e in store.iter_events(f, with_mentions=False)} == want, f
        assert store.count_events(f) == len(want), f
        with store.engine.connect() as conn:
            bound = bind_filter(conn, f)
            got: list[str] = []
            cursor = None
            while True:
                page = list_events(conn, f, limit=7, cursor=cursor, bound=bound)
                got += [s.id for s in page.items]
                if (cursor := page.next_cursor) is None:
                    break
            assert len(got) == len(set(got)) and set(got) == want, f
            assert count_capped(conn, f, bound=bound) in ((len(want), True), (None, False)), f
        assert [e.id for e in store.iter_events(f, order="newest")] == got, f
    assert sum(bool(_expected(f, evs, ms)) for f in cases) >= 12  # most filters match something


@pytest.mark.parametrize("rare", [RARE, 0])
def test_source_and_inter_either_plan(
    store: Store, monkeypatch: pytest.MonkeyPatch, rare: int  # noqa: F811
) -> None:
    """A source with few documents, or an inter code few events have, is bound to its events'
    ids; a common one is tested per event: both give the reference's events in every read path."""
    monkeypatch.setattr("eventlens.store.filters.RARE", rare)
    for r in generate_reports(40, seed=43, days=60):
        store.write_document(r.document, [r.article], list(r.events))
    evs, ms = _rows(store)
    some_doc, some_source = next(iter(ms.values()))[0][:2]
    for f in (EventFilter(source=some_source), EventFilter(source=some_doc), EventFilter(source="Nowhere"),
              EventFilter(source=some_source, country="Iraq", text="police"), EventFilter(inter=7),
              EventFilter(inter=4), EventFilter(inter=1, source=some_doc)):
        want = _expected(f, evs, ms)
        assert {e.id for e in store.iter_events(f, with_mentions=False)} == want, f
        page = store.event_page(f, limit=500)
        assert {s.id for s in page.items} == want and page.count == len(want), f
        periods = store.aggregate_by_period(f, "month")
        assert sum(p.events for p in periods) == len([e for e in evs if e["id"] in want and e["date_key"]]), f
    assert _expected(EventFilter(source=some_doc), evs, ms)


def test_filters_and_cli_cover_the_same_fields() -> None:
    names = {f.name for f in fields(EventFilter)}
    assert names == {"date_from", "date_to", "country", "admin1", "location", "bbox", "event_type",
                     "sub_event_type", "actor", "inter", "min_fatalities", "max_fatalities",
                     "geo_precision", "source", "text", "new_since",
                     # the dashboard's derived filters (API and web only so far)
                     "interaction", "civilian_targeting", "disorder_type", "undated", "background"}


@pytest.mark.parametrize("value", ["Iraq", "iraq", "IRQ", "irq"])
def test_country_name_or_iso3_in_any_case(store: Store, value: str) -> None:  # noqa: F811
    for r in generate_reports(40, seed=5, days=60):
        store.write_document(r.document, [r.article], list(r.events))
    got = list(store.iter_events(EventFilter(country=value), with_mentions=False))
    assert got and all(e.coding.place is not None and e.coding.place.country == "Iraq" for e in got)
