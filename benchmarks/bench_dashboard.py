"""The dashboard's first view over a large store (default 1,000,000 events in SQLite).

Run: ``nice .venv/bin/python benchmarks/bench_dashboard.py [--events 1000000] [--base 100000]``.

1. The store: ``--base`` synthetic events from ``bench_api.build_db`` (``eventlens.api.synthetic``:
   real towns, ACLED actor names), then copied until it holds ``--events``: copy k gets new event
   and mention ids and its dates moved k * 3 days later (undated events stay undated), inserted
   with ``INSERT ... SELECT`` so the rollup triggers see every row. Generating 1 M events
   directly takes ~2 h on this shared 2-core machine (50,000 per 6 min under load); copies keep
   the places, actors and wording of the base but spread over more (day, key) rollup rows than
   the base alone. ``--mention-copies N``: copies after the N-th get no mentions (the text-index
   triggers are most of a copy's time; the first view reads no mention). Reused when the file
   already holds ``--events`` events; an interrupted build resumes at its last whole copy.
2. Starts uvicorn and times every JSON request of the first view (the dashboard's own calls:
   timeline, three breakdowns, rollup facets, the list and the map's 1,000 markers) with httpx,
   then the inter-code facets (read after the first view, from the events table). Twice: as
   they come (``requests``: the aggregates answered from the server's kept answers,
   ``store.read_cache``) and with a write committed before each (``requests_after_a_write``:
   computed from the database, as after every run or edit).
3. Times the first view in headless Debian Chromium: navigation until ``body[data-ready]``, i.e.
   the basemap, the list, the map markers, the timeline, the breakdowns and the pick-list counts
   are drawn (when /usr/bin/chromium exists); again with a write before each view
   (``dashboard_after_a_write``).

Writes JSON to benchmarks/results/bench_dashboard.json with the load average around the run.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_api

RESULTS = bench_api.RESULTS
SHIFT_DAYS = 3

#: the first view's requests, as dashboard.js sends them with no filter in the URL
FIRST_VIEW: dict[str, str] = {
    "timeline": "/api/dashboard/timeline?by=auto",
    "breakdown_event_type": "/api/dashboard/breakdown?dimension=event_type",
    "breakdown_region": "/api/dashboard/breakdown?dimension=region",
    "breakdown_actor": "/api/dashboard/breakdown?dimension=actor",
    "facets_rollup": "/api/dashboard/facets",
    "list_page": "/api/events?limit=100",
    "map_page": "/api/events?limit=1000",
}
LATER: dict[str, str] = {
    "facets_inter_codes": "/api/dashboard/facets?names=inter&names=interaction&names=civilian_targeting",
    "timeline_country": "/api/dashboard/timeline?by=auto&country=Iraq&country=Syria",
    "breakdown_brushed_range": "/api/dashboard/breakdown?dimension=region&date_from=2021-03-04"
                               "&date_to=2021-05-19",
    "timeline_text_fallback": "/api/dashboard/timeline?by=auto&q=tear%20gas",
}


def _copy_sql(conn: sqlite3.Connection, table: str, k: int, ids: dict[str, str]) -> str:
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    exprs = []
    for c in cols:
        if c in ids:
            exprs.append(f"{c} || '{ids[c]}'")
        elif c == "date_key":
            exprs.append(f"CASE WHEN date_key > 0 THEN date_key + {k * SHIFT_DAYS} ELSE 0 END")
        elif c == "event_date":
            exprs.append(f"CASE WHEN event_date IS NULL THEN NULL "
                         f"ELSE date(event_date, '+{k * SHIFT_DAYS} days') END")
        else:
            exprs.append(c)
    return (f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {table} "
            f"WHERE {cols[0]} NOT LIKE '%~%'")


def build(path: Path, n_events: int, base: int, mention_copies: int | None = None) -> float:
    """A store at ``path`` with ``n_events`` events (``base`` generated, the rest copies; copies
    after the first ``mention_copies`` get no mentions: the FTS triggers on mention text are most
    of a copy's time, and the dashboard's first view reads no mention). Resumes an interrupted
    build: copies already in the file are kept."""
    if path.exists():
        with sqlite3.connect(path) as conn:
            have = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        if have == n_events:
            return 0.0
    start = time.perf_counter()
    if n_events % base:
        raise SystemExit("--events must be a multiple of --base")
    if not path.exists() or have % base or have < base:
        bench_api.build_db(path, base)
        have = base
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    for k in range(have // base, n_events // base):
        suffix = f"~{k}"
        conn.execute("BEGIN")
        conn.execute(_copy_sql(conn, "events", k, {"id": suffix}))
        if mention_copies is None or k <= mention_copies:
            ids = {"id": suffix, "event_id": suffix, "local_event_id": suffix}
            conn.execute(_copy_sql(conn, "mentions", k, ids))
        conn.execute("COMMIT")
        print(f"  copy {k}: {(k + 1) * base:,} events ({time.perf_counter() - start:.0f} s)", file=sys.stderr,
              flush=True)
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - start


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def toucher(db: Path) -> Callable[[], None]:
    """A write committed to ``db`` from another connection: the server's kept aggregate answers
    (``store.read_cache``) are void after it, as after any run or edit."""
    def touch() -> None:
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS bench_touch (at REAL)")
            conn.execute("INSERT INTO bench_touch VALUES (?)", (time.time(),))
    return touch


def measure_requests(base_url: str, requests: int, touch: Callable[[], None] | None = None) -> dict[str, Any]:
    """Each JSON request of the views, ``requests`` times; with ``touch``, a write lands before
    each (the answers are computed, not kept)."""
    import httpx

    out: dict[str, Any] = {}
    with httpx.Client(timeout=120) as client:
        for url in (*FIRST_VIEW.values(), *LATER.values()):  # warm the page cache once
            client.get(base_url + url).raise_for_status()
        for name, url in {**FIRST_VIEW, **LATER}.items():
            out[name] = bench_api._stats(bench_api._time(client, base_url + url, requests, touch))
    out["first_view_requests_sum_p50_ms"] = round(sum(out[k]["p50_ms"] for k in FIRST_VIEW), 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--base", type=int, default=100_000, help="events generated; the rest are copies")
    parser.add_argument("--mention-copies", type=int, default=None,
                        help="copies that also copy mentions (default all)")
    parser.add_argument("--requests", type=int, default=10, help="timed requests per kind")
    parser.add_argument("--runs", type=int, default=5, help="timed first views in Chromium")
    parser.add_argument("--db", type=Path, default=RESULTS / "bench_dashboard.db")
    parser.add_argument("-o", "--output", type=Path, default=RESULTS / "bench_dashboard.json")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    build_s = build(args.db, args.events, args.base, args.mention_copies)
    server, base_url = bench_api._start_server(args.db)
    try:
        load_before = os.getloadavg()
        result = {
            "events": args.events, "generated": args.base, "backend": "sqlite",
            "mentions": _count(args.db, "mentions"),
            "db_bytes": args.db.stat().st_size, "build_s": round(build_s, 1),
            "requests": measure_requests(base_url, args.requests),
            "requests_after_a_write": measure_requests(base_url, args.requests, toucher(args.db)),
            "dashboard": bench_api.measure_dashboard(base_url, args.runs),
            "dashboard_after_a_write": bench_api.measure_dashboard(base_url, args.runs, toucher(args.db)),
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
