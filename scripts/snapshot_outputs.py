"""Snapshot what eventlens produces, so a refactor can prove it changed nothing (or list what it changed).

    python scripts/snapshot_outputs.py OUT_DIR                 # write a snapshot
    python scripts/snapshot_outputs.py OUT_DIR --compare OLD   # write one and diff it against OLD

Inputs: the project's `examples/`, the first 200 MUC-4 dev articles and the 89 VOA stories
(both from ../shared; skipped with a note when absent). For each corpus it records

* `eventlens extract` JSONL (one line per event), and
* the database `eventlens run` writes: every row of `events`, `mentions` and the link tables, with
  columns that record wall-clock time or run ids left out, sorted.

It drives the installed `eventlens` command only, so it does not depend on the package layout.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
VOLATILE = ("created_at", "updated_at", "run_id", "started_at", "finished_at", "ingested_at", "seen_at",
            "decided_at", "at", "timestamp", "pid")
SKIP_TABLES = ("runs", "run_inputs", "alembic_version", "sqlite_sequence", "users", "tokens", "sessions")


def corpora(tmp: Path) -> dict[str, Path]:
    out: dict[str, Path] = {"examples": REPO / "examples"}
    muc = SHARED / "dev-data" / "muc4" / "dev.json"
    if muc.is_file():
        path = tmp / "muc4-dev-200.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for key, rec in list(json.loads(muc.read_text(encoding="utf-8")).items())[:200]:
                fh.write(json.dumps({"id": f"muc4:{key}", "text": rec["doc"]}) + "\n")
        out["muc4-dev-200"] = path
    else:
        print(f"note: {muc} absent, MUC-4 skipped")
    voa = SHARED / "real-news" / "voa_stories.jsonl"
    if voa.is_file():
        path = tmp / "voa.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for line in voa.open(encoding="utf-8"):
                rec = json.loads(line)
                fh.write(json.dumps({"id": f"voa:{rec['id']}", "text": rec["text"], "title": rec["title"],
                                     "url": rec["url"], "published": rec["published"]}) + "\n")
        out["voa"] = path
    else:
        print(f"note: {voa} absent, VOA skipped")
    return out


def eventlens(*args: str) -> None:
    exe = Path(sys.executable).with_name("eventlens")
    done = subprocess.run([str(exe), *args], stdout=subprocess.DEVNULL, check=False)
    if done.returncode not in (0, 3):  # 3: some inputs were rejected (and recorded), the run went on
        raise SystemExit(f"eventlens {' '.join(args)} failed with exit code {done.returncode}")


def dump_db(db: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    out: dict[str, list[str]] = {}
    for table in tables:
        if table in SKIP_TABLES or "fts" in table or table.startswith("rollup") or "audit" in table:
            continue
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in VOLATILE]
        if not cols:
            continue
        rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
        out[table] = sorted(json.dumps(dict(zip(cols, r, strict=True)), sort_keys=True, default=str)
                            for r in rows)
    return out


def snapshot(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.gettempdir()) / "eventlens-snapshot"  # a fixed path: sources are stored with it
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name, path in corpora(tmp).items():
            extract_in = path
            if path.is_dir():  # extract takes files: code each example file in turn
                lines: list[str] = []
                for f in sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".html", ".jsonl")):
                    part = tmp / f"{name}-{f.name}.out"
                    eventlens("extract", str(f), "-o", str(part), "--workers", "0")
                    lines += part.read_text(encoding="utf-8").splitlines()
                (out_dir / f"{name}.extract.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            else:
                eventlens("extract", str(extract_in), "-o", str(out_dir / f"{name}.extract.jsonl"),
                          "--workers", "0")
            db = tmp / f"{name}.db"
            eventlens("run", str(path), "--db", str(db), "--workers", "0")
            (out_dir / f"{name}.db.json").write_text(json.dumps(dump_db(db), indent=0) + "\n", encoding="utf-8")
            print(f"{name}: snapshot written")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def compare(new: Path, old: Path) -> int:
    differ = 0
    for f in sorted(old.glob("*")):
        other = new / f.name
        if not other.exists():
            print(f"{f.name}: missing in the new snapshot")
            differ += 1
            continue
        if f.name.endswith(".db.json"):
            a, b = json.loads(f.read_text()), json.loads(other.read_text())
            for table in sorted(set(a) | set(b)):
                ra, rb = set(a.get(table, [])), set(b.get(table, []))
                if ra != rb:
                    differ += 1
                    print(f"{f.name} {table}: {len(ra - rb)} rows only before, {len(rb - ra)} only after")
        elif f.read_text() != other.read_text():
            differ += 1
            la, lb = f.read_text().splitlines(), other.read_text().splitlines()
            print(f"{f.name}: {len(set(la) - set(lb))} lines only before, {len(set(lb) - set(la))} only after")
    print("identical" if not differ else f"{differ} differences")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--compare", type=Path, help="an earlier snapshot to diff against")
    args = ap.parse_args()
    snapshot(args.out)
    return compare(args.out, args.compare) if args.compare else 0


if __name__ == "__main__":
    sys.exit(main())
