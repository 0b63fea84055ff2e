"""Fault injection: `eventlens run` killed (SIGKILL, whole process group) at random moments,
then re-run with the same command, ends with exactly the database an uninterrupted run makes:
0 lost, 0 duplicated, 0 corrupt."""

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

KILLS = 20
PLACES = ["Kirkuk", "Mosul", "Basra", "Gao", "Maiduguri", "Aden", "Kismayo", "Goma", "Lashio", "Kharkiv"]
TEMPLATES = [
    "Gunmen shot dead {n} farmers near {p} on Monday, local officials said.",
    "Police fired tear gas to disperse hundreds of protesters in {p} on Tuesday.",
    "A roadside bomb killed {n} soldiers on the road outside {p} on Wednesday.",
    "Security forces arrested {n} suspected militants in a raid in {p} on Thursday.",
    "Fighters clashed with army troops for hours in {p} on Friday, leaving {n} dead.",
    "The central bank said inflation in {p} slowed for a third month.",
]
TIMESTAMP_COLUMNS = {"ingested_at", "created_at", "updated_at", "started", "finished", "first_seen",
                     "last_seen", "decided_at", "at"}
TABLES = ("documents", "articles", "mentions", "events")


def write_corpus(folder: Path, n: int) -> None:
    rng = random.Random(7)
    folder.mkdir()
    for i in range(n):
        body = " ".join(
            rng.choice(TEMPLATES).format(n=rng.randint(2, 9), p=rng.choice(PLACES)) for _ in range(3)
        )
        (folder / f"{i:04d}.txt").write_text(
            f"Report {i} from the region\n\nDATELINE, May {1 + i % 28}, 2023 - {body} (story {i})\n",
            encoding="utf-8",
        )


def start(corpus: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "eventlens.cli", "run", str(corpus), "--db", str(db)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        out = {}
        for table in TABLES:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in TIMESTAMP_COLUMNS]
            out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out


@pytest.mark.slow
def test_killed_runs_resume_to_the_uninterrupted_result(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 400)
    reference = tmp_path / "reference.db"
    assert start(corpus, reference).wait(600) == 0
    expected = dump(reference)
    assert len(expected["documents"]) == 400

    rng = random.Random(11)
    kills = rounds = 0
    db = tmp_path / "killed-0.db"
    while kills < KILLS:
        proc = start(corpus, db)
        # a random moment: after a random number of further documents, plus a random slice of time
        target = stored(db) + rng.randint(0, 12)
        while proc.poll() is None and stored(db) < target:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 0.4))
        if proc.poll() is not None:
            # finished before the kill: check this database, then interrupt a fresh one (how many
            # documents one try gets through depends on the machine's speed, not on the code)
            assert proc.returncode == 0
            assert dump(db) == expected
            rounds += 1
            db = tmp_path / f"killed-{rounds}.db"
            continue
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        if db.exists():
            dump(db)  # opens, passes integrity_check, every table readable
    assert start(corpus, db).wait(600) == 0
    assert dump(db) == expected


@pytest.mark.slow
def test_a_second_concurrent_run_refuses_clearly(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 150)
    db = tmp_path / "shared.db"
    first = start(corpus, db)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (db.exists() and dump_counts(db) > 0):
            time.sleep(0.2)
        second = subprocess.run(
            [sys.executable, "-m", "eventlens.cli", "run", str(corpus), "--db", str(db)],
            capture_output=True, text=True, timeout=300,
        )
        if first.poll() is None:
            assert second.returncode == 1
            assert "another eventlens run is writing" in second.stderr
            # one error line (the progress line "eventlens run: 0/150 inputs; loading models" is no error)
            errors = [ln for ln in second.stderr.strip().splitlines() if not ln.startswith("eventlens run:")]
            assert len(errors) == 1, second.stderr
    finally:
        assert first.wait(600) == 0
    assert dump_counts(db) == 150


def stored(db: Path) -> int:
    return dump_counts(db) if db.exists() else 0


def dump_counts(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as con:
        try:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        except sqlite3.OperationalError:
            return 0
