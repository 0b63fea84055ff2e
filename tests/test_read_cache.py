"""Kept aggregate answers (``store.read_cache``): the dashboard's timeline, breakdowns and pick-list
counts are answered again without a query while the database is unchanged, and never outlive a
commit: not the Store's own writes, not another Store's (another process's), not an analyst's edit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eventlens.api.synthetic import generate_reports
from eventlens.store import EventFilter, Store, open_store
from tests.store_backends import BACKENDS, store_url


def _answers(store: Store) -> tuple[object, ...]:
    f = EventFilter()
    return (store.timeline(f, "auto"), store.breakdown(f, "event_type"), store.breakdown(f, "actor"),
            store.facets(f, ["event_type", "country"]))


def _events_in_timeline(store: Store) -> int:
    t = store.timeline(EventFilter(), "month")
    return sum(p.events for p in t.periods) + t.undated_events


@pytest.mark.parametrize("backend", BACKENDS)
def test_kept_answers_follow_every_commit(backend: str, tmp_path: Path) -> None:
    url = store_url(backend, tmp_path)
    reports = list(generate_reports(40, seed=5))
    first, other = open_store(url), open_store(url)
    try:
        for r in reports[:20]:
            first.write_document(r.document, [r.article], list(r.events))
        before = _answers(first)
        kept = first._answers.hits
        assert _answers(first) == before
        assert first._answers.hits == kept + 4  # unchanged database: all four answered from memory

        n = _events_in_timeline(first)
        assert n == first.count_events()
        for r in reports[20:30]:  # another Store (another process's connection) writes
            other.write_document(r.document, [r.article], list(r.events))
        assert _events_in_timeline(first) == first.count_events() > n

        for r in reports[30:]:  # the Store's own writes
            first.write_document(r.document, [r.article], list(r.events))
        assert _events_in_timeline(first) == first.count_events()

        event = next(iter(first.iter_events(limit=1, with_mentions=False)))
        top = first.breakdown(EventFilter(), "event_type").rows
        other.edit(event.id, {"event_type": "Riots", "sub_event_type": "Mob violence"}, "rui")
        after = first.breakdown(EventFilter(), "event_type").rows
        assert after != top
        riots = {tuple(r.key): r.events for r in after}.get(("Riots",), 0)
        assert riots == first.count_events(EventFilter(event_type="Riots"))
    finally:
        first.close()
        other.close()


def test_a_write_from_another_process_is_seen(tmp_path: Path) -> None:
    (tmp_path / "my stores").mkdir()
    db = tmp_path / "my stores" / "store.db"  # the change signal opens the file by a (percent-encoded) URI
    store = open_store(f"sqlite:///{db}")
    try:
        for r in generate_reports(10, seed=6):
            store.write_document(r.document, [r.article], list(r.events))
        n = _events_in_timeline(store)
        assert _events_in_timeline(store) == n  # kept
        delete = "DELETE FROM events WHERE id IN (SELECT id FROM events LIMIT 3)"
        subprocess.run([sys.executable, "-c", f"import sqlite3; c = sqlite3.connect({str(db)!r}); "
                        f"c.execute({delete!r}); c.commit()"], check=True)
        assert _events_in_timeline(store) == store.count_events() == n - 3
    finally:
        store.close()


def test_an_in_memory_store_keeps_nothing() -> None:
    store = open_store("sqlite:///:memory:")
    try:
        _answers(store)
        _answers(store)
        assert store._answers.hits == 0
    finally:
        store.close()
