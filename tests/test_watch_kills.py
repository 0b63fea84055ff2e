"""The done-when test of `eventlens watch` (issue 23), with the real coder: a local server publishes
500 items in 20 bursts while a watch (a CLI process) polls it and is killed (SIGKILL, whole
process group) 20 times at random moments, then started again. In the end each item is stored
once, with the feed's URL, title and publication time, and the articles, mentions and events are
exactly those `eventlens run` stores from the same pages saved as files."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.feed_server import FeedServer, item_time, page_html, rss

ITEMS = 500
BURSTS = 20
KILLS = 20
TIMESTAMPS = {"ingested_at", "created_at", "updated_at", "decided_at", "found_at"}
#: tables the watch and the run must fill alike (documents differ in source, url and title, and
#: articles in url: the watch keeps the item's URL and title, the run the file name)
SAME = ("articles", "mentions", "events", "event_links")
LEFT_OUT = {*TIMESTAMPS, "url"}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "eventlens.cli", *args]


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as con:
        try:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        out = {}
        for table in SAME:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in LEFT_OUT]
            out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        out["documents"] = sorted(con.execute("SELECT id, text FROM documents").fetchall())
        return out


def publish(srv: FeedServer, n: int) -> None:
    items = [(srv.url(f"/news/{i:04d}"), f"Report {i} from the region", item_time(i)) for i in range(n)]
    srv.route("/feed.xml", rss(items), content_type="application/rss+xml", etag=f'"{n}"')


@pytest.mark.slow
@pytest.mark.timeout(1800)  # 20 restarts each load the models: minutes on a busy machine
def test_watch_killed_20_times_stores_each_item_once_with_the_events_of_a_run(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    env = {**os.environ, "EVENTLENS_FETCH_DELAY": "0", "EVENTLENS_CONFIG": str(tmp_path / "none.toml")}
    with FeedServer() as srv:
        for i in range(ITEMS):
            html = page_html(i)
            srv.route(f"/news/{i:04d}", html)
            (pages / f"{i:04d}.html").write_text(html, encoding="utf-8")
        (tmp_path / "feeds.txt").write_text(srv.url("/feed.xml") + "\n")
        db = tmp_path / "watch.db"
        watch = cli("watch", "--feeds", str(tmp_path / "feeds.txt"), "--every", "0.5s", "--db", str(db),
                    "--workers", "0")
        rng = random.Random(23)
        published = 0
        for kill in range(KILLS):
            published = min(ITEMS, published + ITEMS // BURSTS)
            publish(srv, published)
            proc = subprocess.Popen(watch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True, env=env)
            if kill % 2:  # while it starts, polls the feed or fetches pages (the coder not loaded yet)
                time.sleep(rng.uniform(0.0, 6.0))
            else:  # while it codes and writes: after a random number of further documents
                target = stored(db) + rng.randint(1, 12)
                while proc.poll() is None and stored(db) < target:
                    time.sleep(0.05)
                time.sleep(rng.uniform(0.0, 0.5))
            assert proc.poll() is None, f"the watch exited on its own before kill {kill + 1}"
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            if db.exists():
                with sqlite3.connect(db) as con:
                    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert published == ITEMS
        assert stored(db) < ITEMS, "every item was stored before the last kill: the kills proved nothing"
        last = subprocess.run(cli("watch", "--once", "--db", str(db), "--workers", "0"), env=env,
                              capture_output=True, text=True, timeout=1800)
        assert last.returncode == 0, last.stderr
        hits = {i: srv.hits[f"/news/{i:04d}"] for i in range(ITEMS)}

    # each item once, with the feed's URL, title and publication time
    with sqlite3.connect(db) as con:
        items = con.execute(
            "SELECT f.url, f.title, i.url, i.title, i.published, i.status, d.published, d.title, d.url "
            "FROM feed_items i JOIN feeds f ON f.id = i.feed_id JOIN documents d ON d.id = i.doc_id "
            "ORDER BY i.id").fetchall()
    assert len(items) == ITEMS
    for i, row in enumerate(items):
        url = srv.url(f"/news/{i:04d}")
        assert row[:4] == (srv.url("/feed.xml"), "Test Wire", url, f"Report {i} from the region")
        assert row[4].startswith(item_time(i).strftime("%Y-%m-%d %H:%M:%S"))
        assert row[5:] == ("stored", item_time(i).date().isoformat(), f"Report {i} from the region", url)
    # a page is fetched again only when a kill fell between its download and its commit
    assert min(hits.values()) == 1 and sum(hits.values()) <= ITEMS + KILLS

    reference = tmp_path / "run.db"
    done = subprocess.run(cli("run", str(pages), "--db", str(reference), "--workers", "0"), env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    expected, got = dump(reference), dump(db)
    assert len(got["documents"]) == ITEMS and len(got["mentions"]) > ITEMS
    for table in ("documents", *SAME):
        assert got[table] == expected[table], table
