"""The Ray engine on a real local Ray instance writes exactly what the local engine writes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TABLES = ("documents", "articles", "mentions", "events")
VOLATILE = {"ingested_at", "created_at", "updated_at"}


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as con:
        out = {}
        for table in TABLES:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in VOLATILE]
            out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out


def run(tmp: Path, db: str, *extra: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "eventlens.cli", "run", str(REPO / "examples"), "--db", db, *extra],
        check=True, cwd=tmp, capture_output=True, timeout=900,
    )


@pytest.mark.ray
@pytest.mark.slow
def test_ray_engine_output_equals_local_engine(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    run(tmp_path, "local.db")
    run(tmp_path, "ray.db", "--engine", "ray")
    local, ray = dump(tmp_path / "local.db"), dump(tmp_path / "ray.db")
    assert local["events"], "the example corpus yields events"
    assert ray == local
