"""Free text with other filters (``store.text``): every plan — walk, rare text, the facet-narrowed
index probe of migration 0006 — returns what plain ``lower() LIKE`` semantics return, on SQLite
and PostgreSQL; and on SQLite the facets in the text index follow every write (new events,
review edits, merges, splits, deletions, a downgrade and upgrade)."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from eventlens.api.synthetic import generate_reports
from eventlens.store import EventFilter, Store
from eventlens.store.filters import bind_filter
from eventlens.store.migrate import alembic_config, upgrade
from eventlens.store.queries import count_capped, list_events
from eventlens.store.schema import events, mentions
from eventlens.store.text import _fts_query
from tests.store_backends import store  # noqa: F401 - the fixture
from tests.test_store_filters import _expected, _rows

FILTERS = [
    EventFilter(text="Gao", country="Iraq"),  # a common word and a country it never occurs in
    EventFilter(text="gao", country="IRQ", actor="police"),
    EventFilter(text="Gao", country="Mali"),  # dense there
    EventFilter(text="tear gas", country="Mali"),
    EventFilter(text="ceasefire in Kano", country="Mali"),
    EventFilter(text="ceasefire", admin1="kano"),
    EventFilter(text="Police", event_type="protests"),
    EventFilter(text="KILLING", sub_event_type="Air/drone strike"),
    EventFilter(text="Kano", actor="Police"),
    EventFilter(text="drone", actor="o", date_from=date(2020, 2, 1)),
    EventFilter(text="Basra", country="Iraq", admin1="Basra", event_type="Battles"),
    EventFilter(text="Basra", country="Syria", min_fatalities=1),
    EventFilter(text="gas", country="Nowhere"),
    EventFilter(text='"tear" OR gas*', country="Mali"),
    EventFilter(text="%", country="Mali"),
    EventFilter(text="ga", country="Mali"),  # too short for the trigram index
    EventFilter(text="Mogadishu", location="mog", country="Somalia"),
    EventFilter(text="Kano"),  # a text alone: the date index walk (store.queries)
    EventFilter(text="ceasefire in Kano"),
    EventFilter(text="POLICE"),
]

#: (RARE_TEXT, DENSE, SAMPLE, WALK, WALK_REACH): the default plan choice; everything walked;
#: small thresholds that mix the plans; never dense (always the facet probe), and a text alone
#: walks 40 index entries at a time, often stopping before a page fills; always dense, and a text
#: alone sorts every match
PLANS = [None, (0, 50, 1000, 30_000, 0.5), (5, 50, 3, 30_000, 0.5), (10_000, 10**9, 1000, 40, 10.0**9),
         (10_000, 1, 1000, 30_000, 0.0)]
_PLAN_NAMES = ("text.RARE_TEXT", "text.DENSE", "text.SAMPLE", "queries.WALK", "queries.WALK_REACH")


def _write(s: Store, count: int, seed: int) -> None:
    for r in generate_reports(count, seed=seed, days=90):
        s.write_document(r.document, [r.article], list(r.events))


def _newest_first(want: set[str], evs: list[dict[str, Any]]) -> list[str]:
    newest = sorted(evs, key=lambda e: (e["date_key"], e["id"]), reverse=True)
    return [e["id"] for e in newest if e["id"] in want]


def _pages(conn: Connection, f: EventFilter) -> tuple[list[str], tuple[int | None, bool]]:
    bound = bind_filter(conn, f)
    got: list[str] = []
    cursor = None
    while True:
        page = list_events(conn, f, limit=6, cursor=cursor, bound=bound)
        got += [s.id for s in page.items]
        if (cursor := page.next_cursor) is None:
            return got, count_capped(conn, f, bound=bound)


@pytest.mark.slow
@pytest.mark.parametrize("plan", PLANS)
def test_text_with_filters_matches_like_semantics_in_every_plan(
    store: Store, plan: tuple[float, ...] | None, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    if plan is not None:
        for name, value in zip(_PLAN_NAMES, plan, strict=True):
            monkeypatch.setattr(f"eventlens.store.{name}", value)
    _write(store, 150, seed=17)
    evs, ms = _rows(store)
    matched = 0
    for f in FILTERS:
        want = _expected(f, evs, ms)
        matched += bool(want)
        assert {e.id for e in store.iter_events(f, with_mentions=False)} == want, f
        with store.engine.connect() as conn:
            got, count = _pages(conn, f)
        assert got == _newest_first(want, evs), f
        assert count in ((len(want), True), (None, False)), f
    assert matched >= 8  # most filters match something


@pytest.mark.slow  # exhaustive: runs in make test, kept out of make test-fast
def test_a_word_and_a_country_it_never_meets_are_answered_by_the_index(store: Store) -> None:  # noqa: F811
    _write(store, 150, seed=17)
    f = EventFilter(text="Gao", country="Iraq")
    with store.engine.connect() as conn:
        assert list_events(conn, f).items == [] and count_capped(conn, f) == (0, True)
        if store.engine.dialect.name == "sqlite":  # the facets of the index: no candidates at all
            disjoint = bind_filter(conn, f).text
            assert disjoint is not None and disjoint.event_ids == ()


# --- SQLite: the facet columns of mentions_fts follow every write


def _facets_now(conn: Connection) -> dict[tuple[int, str], set[int]]:
    """(facet field, value) -> rowids of the mentions whose event has that value, from the tables."""
    fields = {"country": 0, "admin1": 1, "event_type": 2, "sub_event_type": 3, "actor1": 4, "actor2": 4}
    rows = conn.execute(sa.select(sa.literal_column("mentions.rowid"), *(events.c[c] for c in fields))
                        .select_from(mentions.join(events, events.c.id == mentions.c.event_id)))
    want: dict[tuple[int, str], set[int]] = {}
    for row in rows:
        for field, value in zip(fields.values(), row[1:], strict=True):
            if value is not None:
                want.setdefault((field, value), set()).add(row[0])
    return want


def assert_text_index_in_sync(s: Store) -> None:
    """Every facet token finds exactly the mentions whose event has that value now, and every
    mention's evidence is found by its own text."""
    with s.engine.connect() as conn:
        want = _facets_now(conn)
        tokens = conn.execute(sa.text("SELECT field, value, char(57344 + field, 57360 + id % 4096, "
                                      "57360 + id / 4096) FROM text_facets"))
        seen = set()
        for field, value, token in tokens:
            got = set(conn.execute(sa.text("SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH :q"),
                                   {"q": f'"{token}"'}).scalars())
            assert got == want.get((field, value), set()), (field, value)
            seen.add((field, value))
        assert set(want) <= seen
        for rowid, text in conn.execute(sa.text("SELECT rowid, evidence_text FROM mentions")):
            if len(text) >= 3:
                found = conn.execute(sa.text("SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH :q "
                                             "AND rowid = :r"), {"q": _fts_query(text[:40]), "r": rowid})
                assert found.scalar() == rowid
        conn.execute(sa.text("INSERT INTO mentions_fts(mentions_fts) VALUES ('integrity-check')"))


def _event_with(conn: Connection, text: str, **where: Any) -> str:
    q = (sa.select(events.c.id).join(mentions, mentions.c.event_id == events.c.id)
         .where(mentions.c.evidence_text.contains(text), *(events.c[k] == v for k, v in where.items()))
         .order_by(events.c.id))
    return str(conn.execute(q).scalars().first())


@pytest.fixture
def sqlite_store(tmp_path: Any) -> Any:
    from eventlens.store import open_store

    s = open_store(f"sqlite:///{tmp_path / 'text.db'}")
    yield s
    s.close()


@pytest.mark.slow  # exhaustive: runs in make test, kept out of make test-fast
def test_text_index_facets_follow_edits_merges_splits_and_new_writes(sqlite_store: Store) -> None:
    s = sqlite_store
    _write(s, 80, seed=23)
    assert_text_index_in_sync(s)
    with s.engine.connect() as conn:
        moved = _event_with(conn, "Gao", country="Mali")
    s.edit(moved, {"country": "Iraq", "admin1": "Basra"}, "rui")
    assert_text_index_in_sync(s)
    with s.engine.connect() as conn:  # the edited event is found by the index-side plan
        page = list_events(conn, EventFilter(text="Gao", country="Iraq"))
        assert [e.id for e in page.items] == [moved]
    with s.engine.connect() as conn:
        a = _event_with(conn, "Mogadishu")
        b = _event_with(conn, "Kharkiv")
    s.edit(a, {"sub_event_type": "Arrests", "actor1": "Police Forces of Mars (2020-)"}, "rui")
    kept = s.merge([b, a], "ana").id
    assert_text_index_in_sync(s)
    with s.engine.connect() as conn:  # found under the country the merge computed
        country = conn.execute(sa.select(events.c.country).where(events.c.id == kept)).scalar_one()
        page = list_events(conn, EventFilter(text="Mogadishu", country=country))
        assert kept in [e.id for e in page.items]
    with s.engine.connect() as conn:
        mention_ids = list(conn.execute(sa.select(mentions.c.id).where(mentions.c.event_id == kept)
                                        .order_by(mentions.c.id)).scalars())
    s.split(kept, mention_ids[:1], "ana")
    assert_text_index_in_sync(s)
    _write(s, 30, seed=24)  # new documents, some linked to the existing events
    assert_text_index_in_sync(s)
    with s.engine.begin() as conn:  # a mention deleted
        conn.execute(sa.text("DELETE FROM event_links WHERE mention_id = :m"), {"m": mention_ids[0]})
        conn.execute(sa.delete(mentions).where(mentions.c.id == mention_ids[0]))
    assert_text_index_in_sync(s)
    with s.engine.connect() as conn:
        gone = _event_with(conn, "Kano")
    raw = sqlite3.connect(str(s.engine.url.database))  # an event deleted under its mentions (no FKs)
    with raw:
        raw.execute("DELETE FROM events WHERE id = ?", (gone,))
    raw.close()
    assert_text_index_in_sync(s)


def test_downgrade_and_upgrade_rebuild_the_text_index(sqlite_store: Store) -> None:
    s = sqlite_store
    _write(s, 40, seed=29)
    with s.engine.connect() as conn:
        command.downgrade(alembic_config(conn), "0005_rollup_actor")
        conn.commit()
        assert "text_facets" not in sa.inspect(conn).get_table_names()
        upgrade(conn)
        conn.commit()
    assert_text_index_in_sync(s)
