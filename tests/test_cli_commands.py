"""The command line's friction points (issue 22), each run in process through the console-script
entry point (``eventlens.cli.main``) on real SQLite files: one clear line per mistake, nothing left
behind that the user did not ask for, tables that say how much they show."""

from __future__ import annotations

import errno
import io
import json
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from eventlens import __version__
from eventlens.api.synthetic import generate_reports
from eventlens.auth import authenticate_password, authenticate_token, create_token, create_user
from eventlens.cli import EXIT_REJECTED, main
from eventlens.cli.progress import LineProgress
from eventlens.config import redact_url
from eventlens.store import open_store

GEONAMES = Path(__file__).parent / "fixtures" / "geonames"


class Cli:
    """``eventlens ARGS`` in this process: (exit code, stdout, stderr)."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                 cwd: Path) -> None:
        self.capsys, self.monkeypatch = capsys, monkeypatch
        monkeypatch.chdir(cwd)

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        self.monkeypatch.setattr(sys, "argv", ["eventlens", *args])
        code: int | str | None = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        out = self.capsys.readouterr()
        return int(code or 0), out.out, out.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Cli:
    return Cli(capsys, monkeypatch, tmp_path)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with 30 reports' events (the API's synthetic generator: no model needed); the
    tests only read it."""
    path = tmp_path_factory.mktemp("cli") / "events.db"
    with open_store(f"sqlite:///{path}") as store:
        for r in generate_reports(30, seed=3):
            store.write_document(r.document, [r.article], list(r.events))
    return path


def _event_count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        n: int = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return n


def _error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_version(cli: Cli) -> None:
    code, out, _ = cli("--version")
    assert code == 0 and out.strip() == f"eventlens {__version__}"


@pytest.mark.parametrize("command", [["run"], ["events"], ["export"], ["user", "revoke"], []])
def test_help_shows_no_type_beside_flags(cli: Cli, command: list[str]) -> None:
    code, out, _ = cli(*command, "--help")
    assert code == 0 and "--help" in out
    assert "<bool>" not in out


def test_serve_rejects_a_port_out_of_range(cli: Cli) -> None:
    code, _, err = cli("serve", "--port", "99999")
    assert code == 1
    assert "port 99999" in _error_line(err) and "1 to 65535" in err


def test_serve_on_a_port_in_use_says_so_before_starting(cli: Cli, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = cli("serve", "--port", str(port), "--db", str(tmp_path / "s.db"))
    assert code == 1
    line = _error_line(err)
    assert f"port {port}" in line and "already in use" in line and "--port" in line
    # no raw errno ("[Errno 98]"); the port number itself may contain the digits
    assert "startup complete" not in err.lower() and f"errno {errno.EADDRINUSE}" not in line.lower()


def test_export_to_an_unknown_format_leaves_no_file(cli: Cli, db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    code, _, err = cli("export", "--format", "xlsx", "-o", str(out), "--db", str(db))
    assert code == 1 and "xlsx" in _error_line(err) and "csv" in err
    assert not out.exists()


@pytest.mark.parametrize("command", [["events"], ["export"], ["rejected"], ["export", "-o", "out.csv"]])
def test_reading_commands_do_not_create_a_database(cli: Cli, tmp_path: Path, command: list[str]) -> None:
    code, _, err = cli(*command, "--db", "missing.db")
    assert code == 1
    assert "no database at" in _error_line(err) and "missing.db" in err
    assert not (tmp_path / "missing.db").exists() and not (tmp_path / "out.csv").exists()
    code, _, err = cli(*command)  # the default eventlens.db
    assert code == 1 and not (tmp_path / "eventlens.db").exists()


def test_events_table_says_how_many_it_shows_of_how_many(cli: Cli, db: Path) -> None:
    total = _event_count(db)
    assert total > 5
    code, out, err = cli("events", "--db", str(db), "--limit", "5")
    assert code == 0
    assert f"5 of {total} events" in out
    assert f"first 5 of {total}" in err and "--limit 0" in err
    assert "(p1) day known" in out  # the precision code is explained where it is shown


def test_limit_zero_lists_every_event(cli: Cli, db: Path) -> None:
    code, out, _ = cli("events", "--db", str(db), "--limit", "0", "--json")
    assert code == 0
    assert len(out.splitlines()) == _event_count(db)
    code, out, _ = cli("events", "--db", str(db), "--limit", "0")
    assert f"{_event_count(db)} events" in out and " of " not in out.splitlines()[0]


@pytest.mark.parametrize(("flag", "value"), [("--event-type", "Bogus"), ("--sub-event-type", "Skirmish")])
def test_event_types_are_checked_against_the_codebook(cli: Cli, db: Path, flag: str, value: str) -> None:
    code, _, err = cli("events", "--db", str(db), flag, value)
    assert code == 1
    line = _error_line(err)
    assert value in line and "codebook" in line
    code, _, _ = cli("events", "--db", str(db), "--event-type", "battles")  # any case still works
    assert code == 0


def test_a_bad_date_flag_is_one_line(cli: Cli, db: Path) -> None:
    code, _, err = cli("events", "--db", str(db), "--date-from", "2024-13-01")
    assert code == 1 and "YYYY-MM-DD" in _error_line(err)


def test_run_on_an_empty_folder_says_there_is_nothing(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "README.md").write_text("docs, not news")
    code, _, err = cli("run", "empty", "--db", "e.db")
    assert code == 1
    line = _error_line(err)
    assert "no input files in empty" in line and ".txt" in line
    assert not (tmp_path / "e.db").exists()


def test_run_on_a_mistyped_path_reports_it_and_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("run", "storeis.txt", "--db", "e.db")
    assert code == EXIT_REJECTED
    assert "storeis.txt" in _error_line(err) and "no such file" in err
    assert not (tmp_path / "e.db").exists()


def test_gazetteer_build_report_is_readable(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("gazetteer", "build", str(GEONAMES), "-o", "g.sqlite")
    assert code == 0
    assert "BuildReport(" not in out
    first = out.splitlines()[0]
    assert first.startswith("wrote ") and " places to " in first and "g.sqlite" in first
    assert "EVENTLENS_GAZETTEER=" in out


@pytest.mark.slow  # five argon2 hashes and checks: about 10 s on the loaded reference machine
def test_user_list_password_change_and_token_revoke(cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    create_user(url, "rui", "reviewer", "old-pass-1")
    create_user(url, "ada", "admin", "admin-pass-1")
    first, second = create_token(url, "rui", "laptop"), create_token(url, "rui", "ci")

    code, out, _ = cli("user", "list", "--db", "u.db")
    assert code == 0
    assert out.index("ada\tadmin") < out.index("rui\treviewer")
    assert "2 live token(s)" in out and "laptop" in out and "never used" in out
    assert first not in out and second not in out  # secrets are never shown again

    code, out, _ = cli("user", "password", "rui", "--password", "new-pass-2", "--db", "u.db")
    assert code == 0 and "rui" in out
    with open_store(url) as store:
        assert authenticate_password(store, "rui", "old-pass-1") is None
        assert authenticate_password(store, "rui", "new-pass-2") is not None
        ids = {t.label: t.id for a in store.accounts() if a.user.name == "rui" for t in a.tokens}

    code, _, err = cli("user", "revoke", "rui", "--db", "u.db")
    assert code == 2 and "--id" in err and "--all" in err
    code, _, err = cli("user", "revoke", "rui", "--id", "999", "--db", "u.db")
    assert code == 1 and "no token 999" in _error_line(err)
    code, out, _ = cli("user", "revoke", "rui", "--id", str(ids["laptop"]), "--db", "u.db")
    assert code == 0 and "revoked 1 token(s)" in out
    with open_store(url) as store:
        assert authenticate_token(store, first) is None
        assert authenticate_token(store, second) is not None
    code, out, _ = cli("user", "list", "--db", "u.db")
    assert "1 live token(s)" in out and "revoked" in out
    code, out, _ = cli("user", "revoke", "rui", "--all", "--db", "u.db")
    assert "revoked 1 token(s)" in out
    with open_store(url) as store:
        assert authenticate_token(store, second) is None
    code, _, err = cli("user", "password", "nobody", "--password", "x-1", "--db", "u.db")
    assert code == 1 and "nobody" in _error_line(err)


def test_progress_lines_when_not_on_a_terminal() -> None:
    now = [0.0]
    out = io.StringIO()
    lines = LineProgress(40, out, every=10.0, clock=lambda: now[0])
    assert out.getvalue().splitlines() == ["eventlens run: 0/40 inputs; loading models"]
    for i in range(20):
        now[0] = 30.0 + i  # models loaded after 30 s, then one input a second
        lines.tick(f"doc{i}.txt")
    now[0] = 50.0
    lines.tick("doc20.txt")
    lines.close()
    said = out.getvalue().splitlines()
    assert said[1] == "eventlens run: 1/40 inputs, 2%, 0.0 inputs/s, elapsed 30s, ETA 19m30s"
    assert said[-2] == "eventlens run: 21/40 inputs, 52%, 0.4 inputs/s, elapsed 50s, ETA 45s"
    assert said[-1] == "eventlens run done: 21/40 inputs, 52%, 0.4 inputs/s, elapsed 50s, ETA 45s"
    assert len(said) == 2 + 2 + 1  # the start line, one line per 10 s, the last line


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql+psycopg://ana:s3cret@db.example:5432/events",
     "postgresql+psycopg://ana:***@db.example:5432/events"),
    ("postgresql+psycopg://ana:p%40ss@db/events?sslmode=require",
     "postgresql+psycopg://ana:***@db/events?sslmode=require"),
    ("postgresql+psycopg://db/events?user=ana&password=s3cret", "postgresql+psycopg://db/events?user=ana&password=***"),
    ("postgresql+psycopg://ana@db/events", "postgresql+psycopg://ana@db/events"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_urls_are_shown_without_their_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_postgres_without_its_driver_names_the_extra(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if `eventlens[postgres]` were not installed
    code, _, err = cli("events", "--url", "postgresql+psycopg://ana:s3cretPW@127.0.0.1:1/events")
    assert code == 1
    line = _error_line(err)
    assert "pip install 'eventlens[postgres]'" in line
    assert "s3cretPW" not in err


def test_json_lines_of_events_are_json(cli: Cli, db: Path) -> None:
    code, out, _ = cli("events", "--db", str(db), "--json", "--limit", "3")
    assert code == 0 and all(json.loads(line)["event_id"] for line in out.splitlines())
