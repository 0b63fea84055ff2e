"""A database made by the first release (schema 0001_initial, tests/fixtures/db_0001, built by
its make_db.py) migrates forward to the newest revision with every row intact — same counts,
same ids, same values — and the CLI and the store read and write it afterwards."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eventlens.api.synthetic import generate_reports
from eventlens.store import EventFilter, open_store
from eventlens.store.migrate import head_revision
from tests.test_store_rollup import assert_rollups_match

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "db_0001" / "events_0001.db"
REPO = Path(__file__).resolve().parents[1]
TABLES_0001 = (
    "documents", "articles", "mentions", "events", "event_links", "merge_audit", "rejections", "runs",
)
#: 0008 folded merge_audit into review_audit (tests/test_store_audit.py checks the rows move)
KEPT_0001 = tuple(t for t in TABLES_0001 if t != "merge_audit")


def snapshot(db: Path, tables: tuple[str, ...] = KEPT_0001) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the 0001 tables (all columns 0001 had), sorted (read-only: never touches ``db``)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = {t: con.execute(f"SELECT {', '.join(_columns_0001(t))} FROM {t}").fetchall() for t in tables}
        return {table: sorted(found, key=repr) for table, found in rows.items()}
    finally:
        con.close()


def _columns_0001(table: str) -> list[str]:
    """The table's columns in the 0001 fixture (later revisions add columns, e.g. 0010 geo_reason)."""
    con = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        return [f'"{row[1]}"' for row in con.execute(f"PRAGMA table_info({table})")]
    finally:
        con.close()


def revision(db: Path) -> str:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


@pytest.fixture()
def old_db(tmp_path: Path) -> Path:
    copy = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, copy)
    return copy


def test_the_fixture_is_a_first_release_database_with_data() -> None:
    assert revision(FIXTURE) == "0001_initial"
    assert FIXTURE.stat().st_size < 200_000
    rows = snapshot(FIXTURE, TABLES_0001)
    assert len(rows["documents"]) >= 3 and len(rows["events"]) >= 5 and len(rows["rejections"]) == 1


def test_migrating_to_head_keeps_every_row_and_id(old_db: Path) -> None:
    before = snapshot(old_db)
    with open_store(f"sqlite:///{old_db}") as store:
        events = list(store.iter_events())
        assert {e.id for e in events} == {row[0] for row in before["events"]}
        assert store.stats().events == len(before["events"])
        assert [r.source for r in store.rejections()] == [row[0] for row in before["rejections"]]
        doc_id = before["documents"][0][0]
        doc = store.get_document(str(doc_id))
        assert doc is not None and doc.text == before["documents"][0][7]
        # the free-text index 0002 added was filled from the mentions already there
        word = _a_word_of_some_evidence(old_db)
        assert any(word.lower() in m.evidence.text.lower()
                   for e in store.iter_events(EventFilter(text=word)) for m in e.mentions)
    assert revision(old_db) == head_revision()
    assert snapshot(old_db) == before
    with open_store(f"sqlite:///{old_db}") as store:  # opening again is a no-op
        assert store.stats().events == len(before["events"])
    assert snapshot(old_db) == before


def test_migration_fills_the_rollups_and_they_follow_new_writes(old_db: Path) -> None:
    with open_store(f"sqlite:///{old_db}") as store:
        assert store.stats().events > 0
        assert_rollups_match(store)
        report = next(iter(generate_reports(1, seed=77)))
        store.write_document(report.document, [report.article], list(report.events))
        assert_rollups_match(store)


def _a_word_of_some_evidence(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        text = str(con.execute("SELECT evidence_text FROM mentions ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        con.close()
    return max(text.split(), key=len).strip(".,;:'\"")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTLENS_")}
    return subprocess.run([sys.executable, "-m", "eventlens.cli", *args], capture_output=True, text=True,
                          env=env, timeout=600, check=False)


@pytest.mark.slow
def test_eventlens_events_works_on_an_old_database(old_db: Path) -> None:
    before = snapshot(old_db)
    out = cli("events", "--db", str(old_db), "--json", "--limit", "1000")
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert {r["event_id"] for r in records} == {row[0] for row in before["events"]}
    assert all(r["evidence"] and r["evidence"]["text"] for r in records)
    table = cli("events", "--db", str(old_db))
    assert table.returncode == 0 and f"{len(records)} events" in table.stdout


@pytest.mark.slow
def test_a_run_on_an_upgraded_database_adds_to_it(old_db: Path, tmp_path: Path) -> None:
    before = snapshot(old_db)
    new = tmp_path / "new.txt"
    new.write_text("ZAGREB, June 2, 2024 - Riot police detained twelve fans after clashes outside the "
                   "stadium in Split on Sunday, officials said.\n", encoding="utf-8")
    again = REPO / "examples" / "syria_idlib_shelling.txt"  # already stored under the old schema
    run = cli("run", str(new), str(again), "--db", str(old_db))
    assert run.returncode == 0, run.stderr[-2000:]
    after = snapshot(old_db)
    assert len(after["documents"]) == len(before["documents"]) + 1
    assert {r[0] for r in before["events"]} <= {r[0] for r in after["events"]}
    assert set(before["mentions"]) <= set(after["mentions"])
