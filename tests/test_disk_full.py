"""A full disk and read-only storage, for real: the database lives on a small tmpfs that is
filled up (or remounted read-only), and `eventlens run` must stop with one clear line naming
the database and the fix, leave every stored document whole, and the database must open and
finish the job once space is back.

Mounting needs root (CAP_SYS_ADMIN); where it is not permitted the tests skip and say so.
"""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_crash_resume import dump

TEMPLATE = "Police arrested {j} men in Goma on Monday, officials said in statement {i}-{j}."


def write_corpus(folder: Path, first: int, n: int, sentences: int = 25) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + n):
        body = " ".join(TEMPLATE.format(i=i, j=j) for j in range(sentences))
        (folder / f"{i:03d}.txt").write_text(
            f"Report {i}\n\nGOMA, May {1 + i % 28}, 2023 - {body}\n", encoding="utf-8"
        )


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTLENS_")}
    return subprocess.run([sys.executable, "-m", "eventlens.cli", *args], capture_output=True, text=True,
                          env=env, timeout=600, check=False)


def _mount(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of our own (skips when this process may not mount)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = _mount(["-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)]) if os.geteuid() == 0 else None
    if done is None or done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() if done else 'not root'}); "
                    "a real full disk needs CAP_SYS_ADMIN")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` with one file, then give back ``leave`` bytes."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError as exc:
        assert exc.errno == 28, exc  # ENOSPC: the disk really is full
    for size in (4096, 512, 1):  # the last few blocks
        try:
            while True:
                os.write(fd, b"\0" * size)
        except OSError:
            pass
    if leave:
        os.ftruncate(fd, max(0, os.fstat(fd).st_size - leave))
    os.close(fd)
    return filler


def integrity(db: Path) -> tuple[str, int, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as con:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        orphans = con.execute(
            "SELECT count(*) FROM documents d "
            "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.doc_id = d.id)"
        ).fetchone()[0]
        return ok, int(orphans), fk


def one_clear_line(stderr: str, db: Path, *words: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr[-2000:]
    assert "Traceback" not in stderr
    assert str(db) in lines[0], lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.mark.slow
def test_a_full_disk_stops_the_run_clearly_and_nothing_is_half_written(tmpfs: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 0, 3)
    db = tmpfs / "events.db"
    assert cli("run", str(corpus), "--db", str(db)).returncode == 0
    before = dump(db)
    write_corpus(corpus, 3, 12)

    filler = fill(tmpfs)  # completely full: the run cannot even record itself
    run = cli("run", str(corpus), "--db", str(db))
    assert run.returncode == 1
    one_clear_line(run.stderr, db, "disk is full", "free space")
    filler.unlink()
    assert dump(db) == before

    filler = fill(tmpfs, leave=300_000)  # room for a little: the run stops part-way
    run = cli("run", str(corpus), "--db", str(db))
    if run.returncode != 0:
        assert run.returncode == 1
        one_clear_line(run.stderr, db, "disk is full")
    filler.unlink()
    ok, orphans, fk = integrity(db)
    assert (ok, orphans, fk) == ("ok", 0, [])
    partial = dump(db)
    assert set(before["documents"]) <= set(partial["documents"])

    # space is back: the same command finishes the job, exactly as if nothing had happened
    run = cli("run", str(corpus), "--db", str(db))
    assert run.returncode == 0, run.stderr[-2000:]
    reference = tmp_path / "reference.db"
    assert cli("run", str(corpus), "--db", str(reference)).returncode == 0
    assert dump(db) == dump(reference)
    assert cli("events", "--db", str(db), "--limit", "3").returncode == 0


@pytest.mark.slow
def test_a_read_only_file_system_is_refused_clearly_and_left_alone(tmpfs: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 0, 2, sentences=3)
    db = tmpfs / "events.db"
    assert cli("run", str(corpus), "--db", str(db)).returncode == 0
    before = dump(db)
    write_corpus(corpus, 2, 2, sentences=3)
    gc.collect()  # sqlite3 connections sit in reference cycles: close ours before remounting
    remount = _mount(["-o", "remount,ro", str(tmpfs)])
    assert remount.returncode == 0, remount.stderr
    try:
        run = cli("run", str(corpus), "--db", str(db))
        assert run.returncode == 1
        one_clear_line(run.stderr, db, "read-only")
        # readers can still open it from the read-only medium: SQLite's URI mode, and immutable=1
        # because a WAL database cannot create its -shm index there (plain mode=ro cannot open it)
        ro_url = f"sqlite:///file:{db}?mode=ro&immutable=1&uri=true"
        listed = cli("events", "--url", ro_url, "--json")
        assert listed.returncode == 0, listed.stderr
        assert len(listed.stdout.splitlines()) == len(before["events"])
    finally:
        _mount(["-o", "remount,rw", str(tmpfs)])
    assert dump(db) == before


@pytest.mark.slow
def test_a_read_only_url_reaches_the_driver_and_is_reported_as_read_only(tmp_path: Path) -> None:
    """``?mode=ro`` skips the up-front permission check, so SQLite's own refusal is translated."""
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 0, 2, sentences=3)
    db = tmp_path / "events.db"
    assert cli("run", str(corpus), "--db", str(db)).returncode == 0
    before = dump(db)
    write_corpus(corpus, 2, 1, sentences=3)
    run = cli("run", str(corpus), "--url", f"sqlite:///file:{db}?mode=ro&uri=true")
    assert run.returncode == 1
    assert [line for line in run.stderr.splitlines() if line.startswith("error:")] == [
        next(line for line in run.stderr.splitlines() if "read-only" in line)
    ]
    assert dump(db) == before


@pytest.mark.slow
def test_an_immutable_database_file_is_refused_even_for_root(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 0, 1, sentences=3)
    db = tmp_path / "events.db"
    assert cli("run", str(corpus), "--db", str(db)).returncode == 0
    before = dump(db)
    chattr = subprocess.run(["chattr", "+i", str(db)], capture_output=True, text=True, check=False)
    if chattr.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {chattr.stderr.strip()}")
    try:
        write_corpus(corpus, 1, 1, sentences=3)
        run = cli("run", str(corpus), "--db", str(db))
        assert run.returncode == 1
        one_clear_line(run.stderr, db, "read-only")
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=False)
    assert dump(db) == before
