"""Crash-safety benchmark: `eventlens run` SIGKILLed (whole process group) many times over a few
hundred documents, then resumed with the same command; the result is compared with one
uninterrupted run of the same corpus.

    python benchmarks/bench_crash.py [--kills 100] [--docs 400] [-o benchmarks/results/crash.json]

Kills come at two kinds of moments: at a random time after start (start-up, migration, the run
lock, model loading) and right after the store has taken k more documents (mid-write). After
every kill the database must open and pass ``PRAGMA integrity_check``. Reported (JSON):

* lost — rows of the uninterrupted run missing from the resumed database,
* duplicated — rows present more often than in the uninterrupted run (and repeated ids),
* corrupt — rows whose values differ, plus integrity-check failures seen after a kill,
* kills — how many kills actually happened (and how many landed while documents were written).

Timestamps are left out of the comparison; everything else is compared row by row. Every run
imports one frozen copy of the package (taken at start), so edits to the working tree during
the benchmark cannot change the coding between the reference run and the resumed runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "crash.json"
TABLES = ("documents", "articles", "mentions", "events", "event_links", "rejections")
TIMESTAMPS = {"ingested_at", "created_at", "updated_at", "started", "finished", "first_seen", "last_seen",
              "decided_at", "at", "linked_at"}
PLACES = ["Kirkuk", "Mosul", "Basra", "Gao", "Maiduguri", "Aden", "Kismayo", "Goma", "Lashio", "Kharkiv",
          "Timbuktu", "Marawi", "Beni", "Idlib"]
TEMPLATES = [
    "Gunmen shot dead {n} farmers near {p} on Monday, local officials said.",
    "Police fired tear gas to disperse hundreds of protesters in {p} on Tuesday.",
    "A roadside bomb killed {n} soldiers on the road outside {p} on Wednesday.",
    "Security forces arrested {n} suspected militants in a raid in {p} on Thursday.",
    "Fighters clashed with army troops for hours in {p} on Friday, leaving {n} dead.",
    "Traders in {p} said the price of bread rose again this week.",
]


def write_corpus(folder: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        body = " ".join(
            rng.choice(TEMPLATES).format(n=rng.randint(2, 9), p=rng.choice(PLACES)) for _ in range(4)
        )
        (folder / f"{i:04d}.txt").write_text(
            f"Bulletin {i}\n\nDATELINE, June {1 + i % 28}, 2023 - {body} (item {i})\n", encoding="utf-8"
        )


def freeze_code(folder: Path) -> Path:
    """A copy of the eventlens package that every run of this benchmark imports.

    Other people edit the working tree while the benchmark runs for many minutes; a run
    restarted after a kill must code with the same rules as the reference run, or the
    comparison measures code changes instead of crash safety.
    """
    target = folder / "code"
    shutil.copytree(REPO / "src" / "eventlens", target / "eventlens",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def start(corpus: Path, db: Path, code: Path | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTLENS_")}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(code), env.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "eventlens.cli", "run", str(corpus), "--db", str(db)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=env,
    )


def stored(db: Path) -> int:
    """Documents stored so far (0 while the database does not exist or is being created)."""
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def dump(db: Path) -> tuple[bool, dict[str, list[tuple[object, ...]]]]:
    """integrity_check ok?, and every row of every table (timestamps left out)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = {}
        for table in TABLES:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in TIMESTAMPS]
            rows[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
        return ok, rows
    finally:
        con.close()


def compare(expected: dict[str, list[tuple[object, ...]]], got: dict[str, list[tuple[object, ...]]]
            ) -> dict[str, dict[str, int]]:
    """Per table: rows lost, duplicated, and differing (same id, other values)."""
    out: dict[str, dict[str, int]] = {}
    for table in TABLES:
        want, have = Counter(expected[table]), Counter(got[table])
        missing, extra = want - have, have - want
        want_ids = {row[0] for row in want}
        have_ids = Counter(row[0] for row in got[table])
        changed = {row[0] for row in extra if row not in want} & want_ids  # same id, other values
        out[table] = {
            "lost": sum(n for row, n in missing.items() if row[0] not in have_ids),
            "duplicated": sum(n - 1 for n in have_ids.values() if n > 1)
            + sum(n for row, n in extra.items() if row[0] not in want_ids),
            "corrupt": len(changed),
        }
    return out


def kill_cycle(corpus: Path, db: Path, rng: random.Random, code: Path) -> tuple[bool, bool]:
    """One start + SIGKILL. Returns (killed, killed_while_writing)."""
    before = stored(db)
    proc = start(corpus, db, code)
    mid_write = rng.random() < 0.7
    if mid_write:
        target = before + rng.randint(1, 4)
        deadline = time.monotonic() + 120
        while proc.poll() is None and stored(db) < target and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.3))  # anywhere inside the next document's write
    else:
        time.sleep(rng.uniform(0.05, 4.0))
    if proc.poll() is not None:
        return False, False
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return True, mid_write


def _imports_from(code: Path) -> bool:
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, "-c", "import eventlens; print(eventlens.__file__)"],
                         capture_output=True, text=True, env=env, check=False)
    return out.stdout.strip().startswith(str(code))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("-o", "--output", default=str(RESULTS))
    ap.add_argument("--keep", default=None, help="work in this (new) folder and keep the databases")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="evl-crash-") as scratch:
        tmp = args.keep or scratch
        corpus, reference, db = Path(tmp) / "corpus", Path(tmp) / "reference.db", Path(tmp) / "killed.db"
        write_corpus(corpus, args.docs, args.seed)
        code = freeze_code(Path(tmp))
        if not _imports_from(code):
            raise SystemExit(f"runs would not import the frozen copy in {code}")
        if start(corpus, reference, code).wait() != 0:
            raise SystemExit("the uninterrupted reference run failed")
        ref_ok, expected = dump(reference)
        kills = mid_write = bad_integrity = unreadable = 0
        while kills < args.kills:
            killed, during_write = kill_cycle(corpus, db, rng, code)
            if not killed:
                break  # the corpus is finished: nothing left to interrupt
            kills += 1
            mid_write += during_write
            if db.exists():
                try:
                    ok, _ = dump(db)
                    bad_integrity += not ok
                except sqlite3.Error:
                    unreadable += 1
            print(f"kill {kills}: {stored(db)} documents stored", file=sys.stderr)
        stored_before_resume = stored(db)
        resume_rc = start(corpus, db, code).wait()
        final_ok, got = dump(db)
    per_table = compare(expected, got)
    figures = {
        "documents": args.docs,
        "kills": kills,
        "kills_while_writing": mid_write,
        "stored_before_final_resume": stored_before_resume,
        "final_resume_exit_code": resume_rc,
        "lost": sum(t["lost"] for t in per_table.values()),
        "duplicated": sum(t["duplicated"] for t in per_table.values()),
        "corrupt": sum(t["corrupt"] for t in per_table.values()) + bad_integrity + unreadable
        + (not final_ok),
        "integrity_failures_after_kills": bad_integrity,
        "unreadable_after_kills": unreadable,
        "reference_integrity_ok": ref_ok,
        "rows_compared": {t: len(expected[t]) for t in TABLES},
        "per_table": per_table,
        "seconds": round(time.monotonic() - t0, 1),
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0 if figures["lost"] == figures["duplicated"] == figures["corrupt"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
