"""API and dashboard latency over a large store (default 1,000,000 synthetic events in SQLite).

Run: ``nice .venv/bin/python benchmarks/bench_api.py [--events 1000000] [--requests 40]``.

1. Generates realistic events (``eventlens.api.synthetic``: real towns, ACLED actor names, our
   own wording) into a migrated SQLite store with executemany in big transactions (reused
   when the file already holds the requested number of events).
2. Starts uvicorn on a free loopback port and times filtered API requests with httpx
   (a bounded number per query kind), reporting p50/p95/max in milliseconds.
3. Times the dashboard's first view (navigation until the list, map and timeline have drawn)
   in headless Debian Chromium, when /usr/bin/chromium exists.

Writes JSON to benchmarks/results/bench_api.json (and prints it), with the load average around
the run (the machine is shared: compare runs only at similar load). List counts are exact up to
1,000 matches and capped above (the API says so with ``count_exact``). Aggregates whose filters
are rollup keys read the rollup tables; ``*_fallback`` kinds read the events table.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
CHROMIUM = Path("/usr/bin/chromium")
BATCH = 50_000


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
            return 0.0
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
    cur.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - start


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
}


def _time(client: Any, url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
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


def measure_api(base: str, requests: int) -> dict[str, Any]:
    import httpx

    out: dict[str, Any] = {}
    with httpx.Client(timeout=120) as client:
        for url in QUERIES.values():  # warm the page cache once
            client.get(base + url)
        for name, url in QUERIES.items():
            out[name] = _stats(_time(client, base + url, requests))
        out["deep_paging_40_pages"] = _stats(_paging(client, base, 40))
        eid = client.get(base + "/api/events?limit=1&country=Iraq").json()["items"][0]["id"]
        out["event_detail"] = _stats(_time(client, f"{base}/api/events/{eid}", requests))
        out["event_page_html"] = _stats(_time(client, f"{base}/events/{eid}", requests))
        out["review_queue"] = _stats(_time(client, base + "/api/review/queue", 5))
    lists = [k for k, u in QUERIES.items() if u.startswith("/api/events")]
    timed = (*lists, "deep_paging_40_pages", "event_detail")
    out["event_queries_worst_p95_ms"] = max(v["p95_ms"] for k, v in out.items() if k in timed)
    aggs = [k for k in out if k.startswith("aggregates") and not k.endswith("_fallback")]
    out["aggregates_worst_p95_ms"] = max(out[k]["p95_ms"] for k in aggs)
    return out


def measure_dashboard(base: str, runs: int = 5) -> dict[str, Any]:
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
            t0 = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            if i:  # the first run warms the server and the OS cache
                times.append((time.perf_counter() - t0) * 1000)
            page.context.close()
        browser.close()
    what = "navigation until the basemap, the list, the map (up to 1000 markers) and the timeline are drawn"
    return {"first_view_ms": _stats(times), "what": what}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per query kind")
    parser.add_argument("--db", type=Path, default=RESULTS / "bench_api.db")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS / "bench_api.json")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    build_s = build_db(args.db, args.events)
    server, base = _start_server(args.db)
    try:
        load_before = os.getloadavg()
        result = {
            "events": args.events, "backend": "sqlite", "db_bytes": args.db.stat().st_size,
            "generate_and_insert_s": round(build_s, 1), "api": measure_api(base, args.requests),
            "dashboard": measure_dashboard(base),
            "load_average_1_5_15": {"before": [round(x, 2) for x in load_before],
                                    "after": [round(x, 2) for x in os.getloadavg()]},
            "cpus": os.cpu_count(),
        }
    finally:
        server.should_exit = True
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
