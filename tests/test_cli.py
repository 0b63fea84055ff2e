"""The command line end to end, on a real SQLite file: bad inputs, idempotent re-runs, help."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
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
        ev = e["evidence"]
        assert ev["in"] == "document" and GOOD[ev["start"]:ev["end"]] == ev["text"]
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


def _pg_role_database(secret: str) -> Iterator[str]:
    """A fresh PostgreSQL role with password ``secret`` and a database it owns: the URL."""
    import uuid

    import sqlalchemy as sa

    base = os.environ.get("EVENTLENS_TEST_PG_URL")
    if not base:
        pytest.skip("EVENTLENS_TEST_PG_URL is not set")
    name = f"eventlens_cred_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE ROLE {name} LOGIN PASSWORD '{secret}'"))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" OWNER {name}'))
    try:
        yield sa.make_url(base).set(username=name, password=secret, database=name).render_as_string(
            hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f"DROP ROLE IF EXISTS {name}"))
        admin.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_no_output_ever_shows_the_database_password(tmp_path: Path) -> None:
    """stdout, stderr (with -v logging), the server log, `config` and every stored row: the known
    password appears nowhere, whichever command runs and whether it succeeds or fails."""
    import sqlalchemy as sa

    secret = "Kn0wn-Pa55word-x7"
    urls = _pg_role_database(secret)
    url = next(urls)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    first = eventlens("-v", "run", str(inputs), "--url", url, cwd=tmp_path)
    assert first.returncode == EXIT_REJECTED, first.stderr
    assert "***" in first.stderr  # the summary names the store, its password masked
    outputs = [first.stdout, first.stderr]
    wrong = url.replace(secret, secret[::-1])
    for args in (["events"], ["export"], ["rejected"], ["events", "--url", wrong],
                 ["run", str(inputs), "--url", wrong]):
        res = eventlens("-v", *args, *(["--url", url] if "--url" not in args else []), cwd=tmp_path)
        outputs += [res.stdout, res.stderr]
    env = {**os.environ, "EVENTLENS_DATABASE_URL": url}
    shown = subprocess.run([sys.executable, "-m", "eventlens.cli", "config"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
    outputs += [shown.stdout, shown.stderr]
    assert "database_url = " in shown.stdout and "***" in shown.stdout
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    served = subprocess.Popen([sys.executable, "-m", "eventlens.cli", "-v", "serve", "--url", url,
                               "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    assert served.stdout is not None
    log = []
    for line in served.stdout:  # until the server is up (or has died)
        log.append(line)
        if "startup complete" in line:
            break
    served.terminate()
    log.append(served.communicate(timeout=30)[0])
    assert any(f"http://127.0.0.1:{port}" in line for line in log), log
    outputs += log
    for text in outputs:
        assert secret not in text
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                assert secret not in repr(tuple(row)), table
        runs = conn.execute(sa.text("SELECT count(*) FROM runs")).scalar()
        assert runs and runs >= 1
    engine.dispose()
    for _ in urls:
        pass


@pytest.mark.slow
def test_run_progress_lines_and_a_mistyped_path_beside_good_input(tmp_path: Path) -> None:
    """Not on a terminal, progress is plain lines on stderr (models loading first, then the total
    done); a path that names nothing is reported but never stored as a rejected input."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "ev.db"
    res = eventlens("run", "good.txt", "goood.txt", "--db", str(db), cwd=tmp_path)
    assert res.returncode == EXIT_REJECTED, res.stderr
    lines = res.stderr.splitlines()
    assert lines[0] == "eventlens run: 0/1 inputs; loading models"
    assert any(ln.startswith("eventlens run done: 1/1 inputs, 100%") for ln in lines), lines
    assert "rejected: goood.txt: no such file or folder; check the path" in lines
    assert "before merging the reports of one event" in " ".join(res.stderr.split())  # the summary explains
    assert counts(db)["events"] >= 1
    listed = eventlens("rejected", "--db", str(db), cwd=tmp_path)
    assert listed.returncode == 0 and "goood" not in listed.stdout
