"""Store: migrations, write path (one transaction, idempotent), read path and filters, errors, locks."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from eventlens.errors import ReadOnlyStoreError, StoreError, StoreLockedError
from eventlens.model import Actor, Place, Rejection
from eventlens.store import BBox, EventFilter, RunCounts, Store, cursor_of, open_store
from eventlens.store.engine import translate_error
from eventlens.store.migrate import current_revision, head_revision, upgrade
from eventlens.store.schema import metadata
from tests.store_backends import store  # noqa: F401 - the fixture
from tests.store_testkit import make_coding, make_doc, make_event

BAGHDAD = Place("Baghdad", "Iraq", "IRQ", "Baghdad", None, 33.31, 44.36, 1)
BASRA = Place("Basra", "Iraq", "IRQ", "Basra", None, 30.51, 47.78, 1)
GUNMEN = Actor("Unidentified Armed Group (Iraq)", 3)


def _write(
    s: Store,
    text: str,
    place: Place = BAGHDAD,
    day: date = date(2024, 5, 7),
    sub: str = "Attack",
    fatalities: int | None = 1,
    actor: Actor | None = GUNMEN,
) -> str:
    doc, art = make_doc(text, source=f"{text[:10]}.txt", published=day)
    ev = make_event(
        art, [text], make_coding(sub, day, place, fatalities=fatalities, actor1=actor, time_precision=1)
    )
    res = s.write_document(doc, [art], [ev])
    return res.event_ids[0]


def test_open_migrates_to_head(store: Store) -> None:  # noqa: F811
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()


def test_revision_0001_creates_exactly_the_schema(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.connect() as conn:
        upgrade(conn, "0001_initial")
        assert current_revision(conn) == "0001_initial"
        opts = {"compare_type": True, "include_object": _ours}
        diffs = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    engine.dispose()
    assert diffs == []


#: the tables of 0001 still in the schema (its merge_audit was folded into review_audit by 0008)
TABLES_0001 = ("documents", "articles", "mentions", "events", "event_links", "rejections", "runs")


#: columns later revisions add to the 0001 tables (0010: mentions and events)
LATER_COLUMNS = frozenset({"geo_reason"})


def _ours(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    """Compare only the tables and columns 0001 defines (later revisions add their own)."""
    if type_ == "column":
        return name not in LATER_COLUMNS
    return type_ != "table" or name in TABLES_0001


def _declared(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    """The schema's tables and indexes, leaving out rollups (read-only shapes kept by triggers),
    the text index's tables and the performance indexes later revisions add."""
    if type_ == "table":
        return name in metadata.tables and not str(name).startswith("rollup_")
    if type_ == "index":
        return any(name == ix.name for t in metadata.tables.values() for ix in t.indexes)
    return True


def test_head_creates_exactly_the_declared_tables(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'h.db'}")
    with engine.connect() as conn:
        upgrade(conn)
        opts = {"compare_type": True, "include_object": _declared}
        diffs = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
        assert "merge_audit" not in sa.inspect(conn).get_table_names()
    engine.dispose()
    assert diffs == []


def test_sqlite_settings(tmp_path: Path) -> None:
    s = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 1000
    s.close()


def test_write_is_idempotent_and_readable(store: Store) -> None:  # noqa: F811
    text = "Gunmen shot dead a shopkeeper in Baghdad on Tuesday, police said."
    doc, art = make_doc(text, published=date(2024, 5, 8))
    ev = make_event(art, [text], make_coding(event_date=date(2024, 5, 7), place=BAGHDAD, fatalities=1))
    first = store.write_document(doc, [art], [ev])
    assert (first.skipped, first.new_events, first.mentions) == (False, 1, 1)
    stats = store.stats()
    assert store.write_document(doc, [art], [ev]).skipped
    assert store.stats() == stats
    assert store.has_document(doc.id) and not store.has_document("dnope")
    assert store.get_document(doc.id) == doc
    assert store.get_article(art.id) == art
    got = store.get_event(ev.id)
    assert got is not None and got.mentions == ev.mentions and got.coding == ev.coding
    assert store.get_event("nope") is None and store.get_article("nope") is None


def test_filters(store: Store) -> None:  # noqa: F811
    a = _write(store, "Gunmen killed two men at a Baghdad checkpoint.", fatalities=2)
    b = _write(
        store,
        "Protesters gathered in Basra over power cuts.",
        BASRA,
        sub="Peaceful protest",
        fatalities=None,
        actor=Actor("Protesters (Iraq)", 6),
    )
    c = _write(
        store,
        "A roadside bomb in Basra killed five soldiers.",
        BASRA,
        date(2024, 6, 1),
        "Remote explosive/landmine/IED",
        5,
    )

    def ids(**kw: object) -> set[str]:
        return {e.id for e in store.iter_events(EventFilter(**kw))}  # type: ignore[arg-type]

    assert ids() == {a, b, c}
    assert ids(country="irq") == {a, b, c} and ids(country="Syria") == set()
    assert ids(admin1="basra") == {b, c}
    assert ids(location="bag") == {a}
    assert ids(date_from=date(2024, 5, 8)) == {c}
    assert ids(date_to=date(2024, 5, 7)) == {a, b}
    assert ids(event_type="Protests") == {b}
    assert ids(sub_event_type="Attack") == {a}
    assert ids(min_fatalities=2) == {a, c} and ids(max_fatalities=2) == {a}
    assert ids(actor="protesters") == {b} and ids(inter=3) == {a, c}
    assert ids(bbox=BBox(47.0, 30.0, 48.0, 31.0)) == {b, c}
    assert ids(text="roadside") == {c} and ids(geo_precision=1) == {a, b, c}
    assert ids(source="A roadside.txt") == {c}
    assert store.count_events(EventFilter(admin1="Basra")) == 2


@pytest.mark.parametrize("evil", ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE events; --", '" OR ""="'])
def test_sql_metacharacters_are_harmless(store: Store, evil: str) -> None:  # noqa: F811
    _write(store, "Gunmen killed two men at a Baghdad checkpoint.")
    for kw in ("country", "admin1", "location", "actor", "text", "source", "event_type", "sub_event_type"):
        assert list(store.iter_events(EventFilter(**{kw: evil}))) == []  # type: ignore[arg-type]
    assert store.get_event(evil) is None and not store.has_document(evil)
    assert store.stats().events == 1


def test_keyset_pagination(store: Store) -> None:  # noqa: F811
    for i in range(7):  # distinct countries: seven separate events, some on the same day
        place = Place(f"Village {i}", f"Country {i}", None, None, None, 10.0 + i, 20.0, 1)
        _write(store, f"Clash number {i} near a village.", place, date(2024, 1, 1 + i % 3), "Armed clash")
    everything = [e.id for e in store.iter_events()]
    assert len(everything) == 7
    page1 = list(store.iter_events(limit=3))
    page2 = list(store.iter_events(limit=3, after=cursor_of(page1[-1])))
    rest = list(store.iter_events(after=cursor_of(page2[-1])))
    assert [e.id for e in page1 + page2 + rest] == everything
    dates = [e.coding.event_date for e in store.iter_events()]
    assert dates == sorted(d for d in dates if d is not None)
    with pytest.raises(StoreError, match="cursor"):
        list(store.iter_events(after="garbage"))


def test_rejections(store: Store) -> None:  # noqa: F811
    store.add_rejection(Rejection("bad.pdf", "not text"))
    store.add_rejection(Rejection("bad.pdf", "still not text"))
    [rec] = store.rejections()
    assert (rec.source, rec.reason, rec.attempts) == ("bad.pdf", "still not text", 2)
    assert rec.first_seen <= rec.last_seen and rec.first_seen.tzinfo is not None
    assert store.clear_rejection("bad.pdf") and not store.clear_rejection("bad.pdf")
    assert store.rejections() == []


def test_runs_and_the_run_lock(store: Store) -> None:  # noqa: F811
    run = store.begin_run()
    other = open_store(store.engine.url.render_as_string(hide_password=False))
    try:
        with pytest.raises(StoreLockedError, match="another eventlens run"):
            other.begin_run()
        assert other.stats().runs == 1  # readers keep reading
        store.finish_run(run, RunCounts(documents=3, events=2))
        second = other.begin_run()
        other.finish_run(second, RunCounts())
    finally:
        other.close()
    rec = store.get_run(run)
    assert rec is not None and rec.status == "finished" and rec.counts.documents == 3 and rec.finished


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path / 'nope' / 'x.db'}")


def test_read_only_database_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    open_store(f"sqlite:///{db}").close()
    ro = open_store(f"sqlite:///file:{db}?mode=ro&uri=true", migrate=False)
    doc, art = make_doc("A text long enough to be stored in the database.")
    with pytest.raises(ReadOnlyStoreError, match="read-only"):
        ro.write_document(doc, [art], [])
    assert ro.stats().documents == 0
    ro.close()


def test_driver_errors_are_translated() -> None:
    full = translate_error(sqlite3.OperationalError("database or disk is full"), "x.db")
    assert isinstance(full, ReadOnlyStoreError) and "disk is full" in str(full)
    locked = translate_error(sqlite3.OperationalError("database is locked"), "x.db")
    assert isinstance(locked, StoreLockedError)
    assert "x.db" in str(translate_error(sa.exc.OperationalError("s", {}, Exception("boom")), "x.db"))


def test_unknown_url_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        open_store("nosuchdb://x")


def test_concurrent_writers_wait_and_readers_keep_reading(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    stores = [open_store(url), open_store(url)]
    errors: list[BaseException] = []

    def work(s: Store, k: int) -> None:
        try:
            for i in range(15):
                place = Place(f"Town {k}-{i}", f"Country {k}-{i}", None, None, None, 1.0, 2.0, 1)
                _write(s, f"Writer {k} report {i}: fighting near a town.", place)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s, k)) for k, s in enumerate(stores)]
    for t in threads:
        t.start()
    reader = open_store(url)
    while any(t.is_alive() for t in threads):
        assert reader.stats().documents <= 30
    for t in threads:
        t.join()
    assert errors == []
    assert reader.stats().documents == 30 and reader.stats().events == 30
    for s in [*stores, reader]:
        s.close()


def test_reader_reads_while_a_writer_holds_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    writer, reader = open_store(url), open_store(url)
    _write(writer, "Gunmen killed two men at a Baghdad checkpoint.")
    with writer.engine.connect().execution_options(eventlens_write=True) as conn, conn.begin():
        conn.exec_driver_sql("DELETE FROM rejections")  # holds the write lock
        assert reader.count_events() == 1
    writer.close()
    reader.close()


def test_a_failed_write_leaves_nothing_behind(store: Store) -> None:  # noqa: F811
    doc, art = make_doc("A text long enough to be stored, with an event that cannot be stored.")
    bad = make_event(art, [art.text], make_coding(place=BAGHDAD))
    wrong = replace(bad, mentions=(replace(bad.mentions[0], article_id="not-an-article"),))
    with pytest.raises(StoreError):
        store.write_document(doc, [art], [wrong])
    assert store.stats().documents == 0 and store.stats().articles == 0
    assert store.write_document(doc, [art], [bad]).new_events == 1


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot connect") as info:
        open_store("postgresql+psycopg://someone:secret@127.0.0.1:1/nowhere")
    assert "secret" not in str(info.value)
