"""The command line end to end, on a real SQLite file: bad inputs, idempotent re-runs, help."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventlens.cli import EXIT_REJECTED, app

REPO = Path(__file__).resolve().parents[1]
GOOD = (
    "Gunmen kill two police officers in Kirkuk\n\n"
    "KIRKUK, March 4, 2024 - Gunmen shot dead two police officers at a checkpoint in Kirkuk on Monday, "
    "a security source said. Police arrested three suspects later that day.\n"
)


def eventlens(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventlens.cli", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=600,
    )


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "articles", "mentions", "events")}


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """file name -> a word its rejection line must contain"""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x7fELF\x00\x00\x01" + bytes(range(256)) * 20)
    (folder / "latin1.txt").write_bytes("Manifestación en Bogotá: la policía dispersó".encode("latin-1"))
    with (folder / "huge.txt").open("wb") as fh:  # sparse 50 MB file, never read
        fh.truncate(50 * 1024 * 1024)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    return {"empty.txt": "empty", "binary.txt": "binary", "latin1.txt": "UTF-8",
            "huge.txt": "max_input_bytes", "notes.docx": "unsupported"}


@pytest.mark.slow
def test_run_rejects_bad_inputs_one_line_each_and_keeps_going(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    (inputs / "page.html").write_text(
        "<html><head><script>alert('x'); var killed = 99;</script><style>p{}</style></head>"
        "<body><nav>Home | World</nav><article><h1>Protest in Basra</h1><p>Hundreds of protesters "
        "rallied peacefully in Basra on Friday, demanding jobs and electricity. The march ended "
        "without incident, organisers said.</p></article></body></html>", encoding="utf-8")
    bad = make_bad_inputs(inputs)
    db = tmp_path / "ev.db"
    first = eventlens("run", str(inputs), "--db", str(db), cwd=tmp_path)
    assert first.returncode == EXIT_REJECTED, first.stderr
    lines = [ln for ln in first.stderr.splitlines() if ln.startswith("rejected:")]
    assert len(lines) == len(bad)
    for name, word in bad.items():
        assert [ln for ln in lines if name in ln and word.lower() in ln.lower()], (name, lines)
    stored = counts(db)
    assert stored["documents"] == 2 and stored["events"] >= 2
    # the same folder again: nothing duplicated, nothing lost
    again = eventlens("run", str(inputs), "--db", str(db), cwd=tmp_path)
    assert again.returncode == EXIT_REJECTED
    assert counts(db) == stored
    rejected = eventlens("rejected", "--db", str(db), cwd=tmp_path)
    assert rejected.returncode == 0 and "huge.txt" in rejected.stdout


@pytest.mark.slow
def test_extract_reads_stdin_jsonl_and_writes_one_line_per_event(tmp_path: Path) -> None:
    doc = json.dumps({"id": "k1", "text": GOOD, "published": "2024-03-05"})
    res = eventlens("extract", "-", cwd=tmp_path, stdin=doc + "\n")
    assert res.returncode == 0, res.stderr
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert events and all(e["doc_id"] == "k1" for e in events)
    fields = ("doc_id event_id event_date time_precision event_type sub_event_type plover_event actor1 "
              "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 country iso3 admin1 admin2 location latitude "
              "longitude geo_precision fatalities injuries modality confidence evidence").split()
    for e in events:
        assert list(e)[: len(fields)] == fields
        assert 0.0 <= e["confidence"] <= 1.0
        assert GOOD.find(e["evidence"]["text"]) >= 0
    assert not list(tmp_path.glob("*.db")), "extract must not touch a database"


COMMANDS = ["run", "extract", "events", "export", "eval", "serve", "rejected", "merge", "split", "config",
            "gazetteer", "user", "watch", "feeds"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_root_help_lists_commands() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
