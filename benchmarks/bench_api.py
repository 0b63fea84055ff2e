"""API and dashboard latency over a large store (default 1,000,000 synthetic events in SQLite).

Run: ``nice .venv/bin/python benchmarks/bench_api.py [--events 1000000] [--requests 40]``.

1. Generates realistic events (``eventlens.api.synthetic``: real towns, ACLED actor names, our
   own wording) into a migrated SQLite store with executemany in big transactions (reused
   when the file already holds the requested number of events); one event in RETOLD is told a
   second time by another report, a third of those with another death toll (the review
   queue's "mentions disagree" events).
2. Starts uvicorn on a free loopback port and times API requests with httpx (a bounded number
   per query kind; SLOW_REQUESTS for kinds slower than SLOW_MS), reporting p50/p95/max in
   milliseconds: every filter of the dashboard alone (a common value and one nothing has), the
   combinations analysts use, timelines and region tables, detail, document, article, review
   queue and audit. ``worst_p95`` and ``kinds_over_50ms_p95`` summarise them.
3. Times the dashboard's first view (navigation until the list, map and timeline have drawn)
   in headless Debian Chromium, when /usr/bin/chromium exists (``--no-dashboard``: skipped).
4. Compares write speed (``Store.write_document``, the real write path) between the current
   schema and WRITES_BEFORE, on two copies of the store, in the same run (``--write-docs``).

Writes JSON to benchmarks/results/bench_api.json (and prints it), with the load average around
the run (the machine is shared: compare runs only at similar load). List counts are exact up to
1,000 matches and capped above (the API says so with ``count_exact``). Aggregates whose filters
are rollup keys read the rollup tables; ``*_fallback`` kinds read the events table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
CHROMIUM = Path("/usr/bin/chromium")
BATCH = 50_000
#: write speed is compared against this schema (the one before migration 0010's query indexes)
WRITES_BEFORE = "0009_feeds"


def _rows(n_events: int) -> Iterator[tuple[list[dict[str, Any]], ...]]:
    """Batches of (documents, articles, events, mentions) rows, ~BATCH events each."""
    from eventlens.api.synthetic import generate_reports
    from eventlens.store.codec import article_row, coding_row, date_key, mention_row

    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    docs: list[dict[str, Any]] = []
    arts: list[dict[str, Any]] = []
    evs: list[dict[str, Any]] = []
    mens: list[dict[str, Any]] = []
    made = 0
    for seq, report in enumerate(generate_reports(n_events, seed=2026)):
        d = report.document
        docs.append({"id": d.id, "source": d.source, "format": d.format, "title": d.title, "url": d.url,
                     "published": str(d.published), "external_id": None, "text": d.text, "ingested_at": now})
        art = article_row(report.article)
        art.update(captions="[]", published=str(art["published"]), canonical_article_id=None,
                   dedup_score=None, minhash=None, seq=seq)
        arts.append(art)
        for ev in report.events[: n_events - made]:
            row = coding_row(ev.coding)
            row.update(id=ev.id, date_key=date_key(ev.coding.event_date), n_mentions=1, n_sources=1,
                       created_at=now, updated_at=now, reviewed=0, review_status="auto", locked_fields="[]",
                       event_date=str(ev.coding.event_date))
            evs.append(row)
            for m in ev.mentions:
                mrow = mention_row(m, ev.id, ev.id)
                mrow["event_date"] = str(mrow["event_date"])
                mens.append(mrow)
            made += 1
        if len(evs) >= BATCH or made >= n_events:
            yield docs, arts, evs, mens
            docs, arts, evs, mens = [], [], [], []
        if made >= n_events:
            return


def _insert(cur: sqlite3.Cursor, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"
    cur.executemany(sql, rows)


def build_db(path: Path, n_events: int) -> float:
    """Create (or reuse) a store at ``path`` holding ``n_events`` events; returns seconds spent."""
    from eventlens.store import open_store

    if path.exists():
        with sqlite3.connect(path) as conn:
            try:
                have = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            except sqlite3.Error:
                have = -1
        if have == n_events:
            return 0.0 if _retold(path) else _retell_file(path)
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = time.perf_counter()
    open_store(f"sqlite:///{path}").close()  # create and migrate the schema
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    cur = conn.cursor()
    done = 0
    for docs, arts, evs, mens in _rows(n_events):
        cur.execute("BEGIN")
        for table, rows in (("documents", docs), ("articles", arts), ("events", evs), ("mentions", mens)):
            _insert(cur, table, rows)
        cur.execute("COMMIT")
        done += len(evs)
        print(f"  {done:,} events written ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
    _retell(cur)
    cur.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - start


#: one event in RETOLD is told a second time by the next report (every mention's event has
#: one mention otherwise, so the review queue would never see events whose mentions disagree)
RETOLD = 5


def _retold(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT 1 FROM events WHERE n_mentions > 1 LIMIT 1").fetchone() is not None


def _retell_file(path: Path) -> float:
    start = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    _retell(conn.cursor())
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - start


def _retell(cur: sqlite3.Cursor) -> None:
    """Give every RETOLD-th event a second mention from the next report's article, a third of
    them with another death toll: the "mentions disagree" events of the review queue."""
    from eventlens.store.schema import mentions

    cols = [c.name for c in mentions.c]
    other_toll = "CASE WHEN m.rowid % 3 = 0 THEN coalesce(m.fatalities, 0) + 1 ELSE m.fatalities END"
    picked = {"id": "m.id || '-r'", "doc_id": "o.doc_id", "article_id": "o.article_id",
              "fatalities": other_toll}
    values = ", ".join(picked.get(c, f"m.{c}") for c in cols)
    cur.execute("BEGIN")
    cur.execute(f"INSERT INTO mentions ({', '.join(cols)}) SELECT {values} FROM mentions m "
                f"JOIN mentions o ON o.rowid = m.rowid + 1 WHERE m.rowid % {RETOLD} = 0")
    cur.execute("UPDATE events SET n_mentions = 2, n_sources = 2 WHERE id IN "
                "(SELECT event_id FROM mentions WHERE id LIKE '%-r')")
    cur.execute("COMMIT")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(db: Path) -> tuple[Any, str]:
    import uvicorn

    from eventlens.api import create_app
    from eventlens.config import Settings

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db=str(db))), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


QUERIES: dict[str, str] = {
    "list_unfiltered": "/api/events?limit=50",
    "country": "/api/events?country=Iraq&limit=50",
    "country_event_type": "/api/events?country=Syria&event_type=Battles&limit=50",
    "sub_event_type": "/api/events?sub_event_type=Air/drone%20strike&limit=50",
    "admin1": "/api/events?admin1=Borno&limit=50",
    "date_range_month": "/api/events?date_from=2022-03-01&date_to=2022-03-31&limit=50",
    "bbox": "/api/events?bbox=40,28,48,38&limit=50",
    "min_fatalities": "/api/events?min_fatalities=10&limit=50",
    "actor_substring": "/api/events?actor=Police&limit=50",
    "geo_precision_3": "/api/events?geo_precision=3&country=Somalia&limit=50",
    "combined": "/api/events?country=Nigeria&event_type=Violence%20against%20civilians&min_fatalities=3"
                "&date_from=2021-01-01&limit=50",
    "map_page_500": "/api/events?country=Yemen&limit=500",
    "free_text_q": "/api/events?q=tear%20gas&country=Mali&limit=50",
    "free_text_common": "/api/events?q=killing&limit=50",
    "free_text_no_match": "/api/events?q=Quxbridge%20convoy&limit=50",
    # 3,800 of 1.3M mentions: the text index path (the synthetic corpus has no rarer phrases)
    "free_text_3800_hits": "/api/events?q=ceasefire%20in%20Kano&limit=50",
    "free_text_3800_hits_other_country": "/api/events?q=ceasefire%20in%20Kano&country=Mali&limit=50",
    "free_text_fts_syntax": "/api/events?q=%22tear%22%20OR%20gas*&limit=50",
    # a common word with a filter it never matches: walks every Iraq event
    "free_text_common_other_country": "/api/events?q=Gao&country=Iraq&limit=50",
    "aggregates_month_country": "/api/aggregates?by=month&country=Iraq",
    "aggregates_week_filtered": "/api/aggregates?by=week&country=Sudan&event_type=Battles",
    "aggregates_month_all": "/api/aggregates?by=month",
    "aggregates_week_all": "/api/aggregates?by=week",
    "aggregates_day_all": "/api/aggregates?by=day",
    "aggregates_admin1_all": "/api/aggregates?by=admin1",
    "aggregates_admin1_date_range": "/api/aggregates?by=admin1&date_from=2022-01-01&date_to=2022-12-31",
    "aggregates_month_sub_event_type": "/api/aggregates?by=month&sub_event_type=Attack&geo_precision=1",
    # actor substrings resolve to the stored names and read the actor rollups (migration 0005)
    "aggregates_month_actor": "/api/aggregates?by=month&actor=Police",
    "aggregates_admin1_actor": "/api/aggregates?by=admin1&actor=Police",
    "aggregates_week_actor": "/api/aggregates?by=week&actor=Police",
    # a filter the rollups cannot answer: read from the events table
    # a fatality range alone reads rollup_fatal_day (migration 0007); with a country, events
    "aggregates_month_min_fatalities": "/api/aggregates?by=month&min_fatalities=50",
    "aggregates_month_fatalities_country_fallback": "/api/aggregates?by=month&min_fatalities=5&country=Iraq",
    # every other field of the dashboard's filter form, alone: a common value and one nothing
    # has (the dashboard asks for a 100-event page with its count, and the timeline by month)
    "location_substring": "/api/events?location=Gao&limit=100",
    "location_no_match": "/api/events?location=Atlantis&limit=100",
    "inter": "/api/events?inter=7&limit=100",
    "inter_no_match": "/api/events?inter=4&limit=100",
    "max_fatalities": "/api/events?max_fatalities=0&limit=100",
    "fatalities_no_match": "/api/events?min_fatalities=1000&limit=100",
    "source_name": "/api/events?source=Daily%20Monitor&limit=100",
    "source_no_match": "/api/events?source=Nowhere%20Times&limit=100",
    "country_no_match": "/api/events?country=Narnia&limit=100",
    "actor_no_match": "/api/events?actor=Martians&limit=100",
    "date_range_text": "/api/events?q=tear%20gas&date_from=2022-01-01&date_to=2022-06-30&limit=100",
    "aggregates_month_text_rare": "/api/aggregates?by=month&q=ceasefire%20in%20Kano",
    "aggregates_month_text_country": "/api/aggregates?by=month&q=Gao&country=Iraq",
    "aggregates_month_text_common": "/api/aggregates?by=month&q=killing",
    "aggregates_admin1_text": "/api/aggregates?by=admin1&q=tear%20gas",
    "aggregates_month_location": "/api/aggregates?by=month&location=Gao",
    "aggregates_month_inter": "/api/aggregates?by=month&inter=7",
    "aggregates_month_source": "/api/aggregates?by=month&source=Daily%20Monitor",
    "aggregates_month_bbox": "/api/aggregates?by=month&bbox=40,28,48,38",
    "aggregates_month_max_fatalities_country": "/api/aggregates?by=month&max_fatalities=0&country=Mali",
    "aggregates_day_country": "/api/aggregates?by=day&country=Iraq",
    "aggregates_admin1_country_type": "/api/aggregates?by=admin1&country=Nigeria&event_type=Protests",
}


def _time(client: Any, url: str, n: int, before: Callable[[], None] | None = None) -> list[float]:
    """``n`` timings of ``url``; ``before`` (untimed) runs before each."""
    times = []
    for _ in range(n):
        if before is not None:
            before()
        t0 = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        resp.raise_for_status()
    return times


def _stats(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"n": len(times), "p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2),
            "max_ms": round(ordered[-1], 2)}


def _paging(client: Any, base: str, pages: int) -> list[float]:
    times, cursor = [], None
    for _ in range(pages):
        url = f"{base}/api/events?limit=50&country=Iraq" + (f"&cursor={cursor}" if cursor else "")
        t0 = time.perf_counter()
        page = client.get(url).json()
        times.append((time.perf_counter() - t0) * 1000)
        cursor = page["next_cursor"]
    return times


#: kinds slower than this on their warm-up request are timed SLOW_REQUESTS times only
SLOW_MS = 500
SLOW_REQUESTS = 5


def measure_api(base: str, requests: int) -> dict[str, Any]:
    import httpx

    out: dict[str, Any] = {}
    with httpx.Client(timeout=300) as client:
        first = client.get(base + "/api/events?limit=1&country=Iraq").json()["items"][0]
        detail = client.get(f"{base}/api/events/{first['id']}").json()
        mention = detail["event"]["mentions"][0]
        eid, doc = first["id"], mention["doc_id"]
        kinds = {
            **QUERIES,
            "event_detail": f"/api/events/{eid}",
            "event_page_html": f"/events/{eid}",
            "document": f"/api/documents/{doc}",
            "article": f"/api/articles/{mention['article_id']}",
            "source_document_id": f"/api/events?source={doc}&limit=100",
            "review_queue": "/api/review/queue",
            "review_queue_500": "/api/review/queue?limit=500",
            "review_audit": "/api/review/audit",
        }
        warm = {}
        for name, url in kinds.items():  # warm the page cache once
            t0 = time.perf_counter()
            client.get(base + url).raise_for_status()
            warm[name] = (time.perf_counter() - t0) * 1000
        for name, url in kinds.items():
            out[name] = _stats(_time(client, base + url, requests if warm[name] < SLOW_MS else SLOW_REQUESTS))
        out["deep_paging_40_pages"] = _stats(_paging(client, base, 40))
    worst = max(((v["p95_ms"], k) for k, v in out.items()), key=lambda x: x[0])
    out["worst_p95"] = {"kind": worst[1], "p95_ms": worst[0]}
    out["kinds_over_50ms_p95"] = sorted(k for k, v in out.items() if v.get("p95_ms", 0) >= 50)
    return out


def measure_dashboard(base: str, runs: int = 5, before: Callable[[], None] | None = None) -> dict[str, Any]:
    """Timed first views in headless Chromium, each in a new browser context (nothing cached),
    after one untimed view that warms the server and the OS cache; ``before`` (untimed) runs
    before each timed view."""
    if not CHROMIUM.exists():
        return {"skipped": "no /usr/bin/chromium"}
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        for i in range(runs + 1):
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            if i and before is not None:
                before()
            t0 = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            if i:  # the first run warms the server and the OS cache
                times.append((time.perf_counter() - t0) * 1000)
            page.context.close()
        browser.close()
    what = "navigation until the basemap, the list, the map (up to 1000 markers) and the timeline are drawn"
    return {"first_view_ms": _stats(times), "what": what}


def _store_copy(db: Path, name: str, revision: str | None) -> Any:
    """A Store on a copy of ``db`` (at ``revision``, downgraded there when given; else as it is)."""
    from eventlens.store import Store
    from eventlens.store.engine import create_store_engine
    from eventlens.store.migrate import alembic_config

    copy = db.with_name(f"{db.stem}-{name}.db")
    for suffix in ("-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, copy)
    engine = create_store_engine(f"sqlite:///{copy}")
    if revision is not None:
        from alembic import command

        with engine.connect() as conn:
            command.downgrade(alembic_config(conn), revision)
            conn.commit()
    return Store(engine, str(copy)), copy


def measure_writes(db: Path, before: str, docs: int) -> dict[str, Any]:
    """Documents written through ``Store.write_document`` (clustering, triggers, the text index)
    into two copies of the benchmark store, one downgraded to schema ``before``: the same new
    reports (dated in the same four years, so they meet stored events), alternately one to each
    store, each timed; the first write to each (which loads the article index) is not timed."""
    from eventlens.api.synthetic import generate_reports
    from eventlens.store.migrate import head_revision

    stores = {"before": _store_copy(db, "writes-before", before),
              "after": _store_copy(db, "writes-after", None)}
    spent = dict.fromkeys(stores, 0.0)
    try:
        for i, report in enumerate(generate_reports(docs + 1, seed=99)):
            for name, (store, _) in stores.items():
                t0 = time.perf_counter()
                store.write_document(report.document, [report.article], list(report.events))
                if i:
                    spent[name] += time.perf_counter() - t0
    finally:
        for store, copy in stores.values():
            store.close()
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
    what = " ".join((measure_writes.__doc__ or "").split())
    out: dict[str, Any] = {"documents": docs, "what": what}
    for name, rev in (("before", before), ("after", head_revision())):
        out[name] = {"schema": rev, "seconds": round(spent[name], 2),
                     "ms_per_document": round(1000 * spent[name] / docs, 2)}
    out["after_over_before"] = round(spent["after"] / spent["before"], 3)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per query kind")
    parser.add_argument("--db", type=Path, default=RESULTS / "bench_api.db")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS / "bench_api.json")
    parser.add_argument("--dashboard", action=argparse.BooleanOptionalAction, default=True,
                        help="time the dashboard's first view in Chromium")
    parser.add_argument("--write-docs", type=int, default=400,
                        help="documents written to compare write speed (0: skip)")
    parser.add_argument("--writes-before", default=WRITES_BEFORE,
                        help="the schema revision whose write speed the current one is compared with")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    build_s = build_db(args.db, args.events)
    server, base = _start_server(args.db)
    try:
        load_before = os.getloadavg()
        result = {
            "events": args.events, "backend": "sqlite", "db_bytes": args.db.stat().st_size,
            "generate_and_insert_s": round(build_s, 1), "api": measure_api(base, args.requests),
            "dashboard": measure_dashboard(base) if args.dashboard else {"skipped": "--no-dashboard"},
            "load_average_1_5_15": {"before": [round(x, 2) for x in load_before],
                                    "after": [round(x, 2) for x in os.getloadavg()]},
            "cpus": os.cpu_count(),
        }
    finally:
        server.should_exit = True
    if args.write_docs:
        load_before = os.getloadavg()
        result["writes"] = measure_writes(args.db, args.writes_before, args.write_docs)
        result["writes"]["load_average_1_5_15"] = {"before": [round(x, 2) for x in load_before],
                                                   "after": [round(x, 2) for x in os.getloadavg()]}
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
