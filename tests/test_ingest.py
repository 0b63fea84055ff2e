"""ingest: files, folders, stdin and JSONL to Documents; every bad input to one Rejection line."""

from __future__ import annotations

import builtins
import io
import json
import logging
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from eventlens.config import Settings
from eventlens.ingest import document_from_text, documents_from_jsonl, read_inputs
from eventlens.model import Document, Rejection, content_id

REPO = Path(__file__).resolve().parents[1]
SETTINGS = Settings()


def run(*paths: Path | str, stdin: io.StringIO | None = None, cfg: Settings = SETTINGS) -> list[Any]:
    return list(read_inputs([str(p) for p in paths], cfg, stdin=stdin))


def only_rejection(*paths: Path | str, cfg: Settings = SETTINGS) -> Rejection:
    out = run(*paths, cfg=cfg)
    assert len(out) == 1 and isinstance(out[0], Rejection), out
    assert "\n" not in out[0].reason
    return out[0]


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# -- good inputs --------------------------------------------------------------------------


def test_txt_file_is_one_document_with_a_content_id(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Protesters marched in Bamako on Friday.\n", encoding="utf-8")
    [doc] = run(path)
    assert isinstance(doc, Document)
    assert doc.format == "txt" and doc.source == str(path)
    assert doc.text == "Protesters marched in Bamako on Friday.\n"
    assert doc.id == content_id("d", doc.text)


@pytest.mark.parametrize("suffix", [".html", ".htm", ".HTML"])
def test_html_is_kept_raw(tmp_path: Path, suffix: str) -> None:
    html = "<html><script>var a = 1;</script><body><p>Gunmen attacked a bus.</p></body></html>"
    path = tmp_path / f"page{suffix}"
    path.write_text(html, encoding="utf-8")
    [doc] = run(path)
    assert isinstance(doc, Document) and doc.format == "html" and doc.text == html


def test_txt_holding_an_html_page_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text("<!DOCTYPE html><html><body><p>Text.</p></body></html>", encoding="utf-8")
    [doc] = run(path)
    assert doc.format == "html"


def test_jsonl_records_become_documents_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(
        jsonl(
            {
                "id": "a1",
                "text": "First story.",
                "title": "One",
                "url": "https://x.test/1",
                "published": "2024-03-05",
            },
            {"id": 7, "text": "Second story.", "published": "2024-03-06T23:10:00Z"},
        )
        + "\n",
        encoding="utf-8",
    )
    first, second = run(path)
    assert (first.external_id, first.title, first.url, first.published) == (
        "a1",
        "One",
        "https://x.test/1",
        date(2024, 3, 5),
    )
    assert (
        first.format == "jsonl"
        and first.source == f"{path}:1"
        and first.id == content_id("d", "First story.")
    )
    assert (second.external_id, second.title, second.published) == ("7", None, date(2024, 3, 6))
    assert second.source == f"{path}:2"


def test_unparseable_published_is_dropped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="eventlens.ingest"):
        [doc] = documents_from_jsonl(io.StringIO(jsonl({"text": "A story.", "published": "last week"})), "s")
    assert isinstance(doc, Document) and doc.published is None
    assert "last week" in caplog.text


def test_utf16_with_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("Police arrested five men.".encode("utf-16"))
    [doc] = run(path)
    assert isinstance(doc, Document) and doc.text == "Police arrested five men."


def test_line_endings_and_bom_do_not_change_the_id(tmp_path: Path) -> None:
    (tmp_path / "unix.txt").write_bytes(b"Line one.\nLine two.\n")
    (tmp_path / "dos.txt").write_bytes(b"\xef\xbb\xbfLine one.\r\nLine two.\r\n")
    a, b = run(tmp_path / "unix.txt", tmp_path / "dos.txt")
    assert a.id == b.id and a.text == b.text


def test_same_content_in_two_files_has_one_id(tmp_path: Path) -> None:
    for name in ("x.txt", "y.txt"):
        (tmp_path / name).write_text("Same story.", encoding="utf-8")
    a, b = run(tmp_path / "x.txt", tmp_path / "y.txt")
    assert a.id == b.id and a.source != b.source


# -- folders ------------------------------------------------------------------------------


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "2.txt").write_text("two", encoding="utf-8")
    (tmp_path / "a" / "deep" / "1.html").write_text("<p>one</p>", encoding="utf-8")
    (tmp_path / "a" / "0.jsonl").write_text(jsonl({"text": "zero"}), encoding="utf-8")
    (tmp_path / "README.md").write_text("docs, not news", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("hidden", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    out = run(tmp_path)
    docs = [o for o in out if isinstance(o, Document)]
    assert [d.text for d in docs] == ["zero", "<p>one</p>", "two"]
    [rejected] = [o for o in out if isinstance(o, Rejection)]
    assert rejected.source.endswith("scan.pdf") and "unsupported file type .pdf" in rejected.reason


def test_the_examples_folder_reads_cleanly() -> None:
    out = run(REPO / "examples")
    assert not [o for o in out if isinstance(o, Rejection)]
    formats = sorted(o.format for o in out)
    assert formats.count("jsonl") == 3 and formats.count("html") == 1 and formats.count("txt") >= 4


# -- bad inputs: one Rejection each, never an exception ----------------------------------


def test_missing_path(tmp_path: Path) -> None:
    rej = only_rejection(tmp_path / "nope.txt")
    assert rej.source == str(tmp_path / "nope.txt") and "no such file" in rej.reason


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n\t\n")
    assert "empty" in only_rejection(tmp_path / "empty.txt").reason
    assert "only whitespace" in only_rejection(tmp_path / "blank.txt").reason


def test_binary_files(tmp_path: Path) -> None:
    (tmp_path / "nul.txt").write_bytes(b"GIF89a\x00\x01\x02 some text")
    (tmp_path / "ctrl.txt").write_bytes(bytes(range(1, 9)) * 50 + b"text")
    for name in ("nul.txt", "ctrl.txt"):
        rej = only_rejection(tmp_path / name)
        assert rej.source.endswith(name) and rej.reason.startswith("binary file")


def test_invalid_utf8_names_the_byte_offset_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 bombing\n".encode("latin-1"))
    rej = only_rejection(path)
    assert "invalid UTF-8 at byte offset 3" in rej.reason and "re-encode" in rej.reason


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")
    rej = only_rejection(path)
    assert "unsupported file type .docx" in rej.reason and ".jsonl" in rej.reason


def test_a_folder_path_that_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    import os

    os.mkfifo(fifo)
    assert "not a regular file" in only_rejection(fifo).reason


def test_oversized_file_is_rejected_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: 50 MB of size, no data written
        fh.truncate(50 * 1024 * 1024)
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        assert Path(str(file)) != big, "an oversized file must not be opened"
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    rej = only_rejection(big)
    assert "52,428,800 bytes" in rej.reason and "max_input_bytes" in rej.reason


def test_size_limit_comes_from_settings(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x" * 100, encoding="utf-8")
    assert (
        "over the max_input_bytes limit of 10"
        in only_rejection(path, cfg=Settings(max_input_bytes=10)).reason
    )


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text", encoding="utf-8")
    real_open = builtins.open

    def denied(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(str(file)) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", denied)
    rej = only_rejection(path)
    assert rej.source == str(path) and "permission denied" in rej.reason


def test_bad_jsonl_lines_are_rejected_one_by_one(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        jsonl({"id": "ok", "text": "Good line."})
        + '{"id": "broken", "text": \n'
        + jsonl({"id": "no-text", "title": "T"}, ["a list"], {"text": "   "}, {"text": 5}),
        encoding="utf-8",
    )
    out = run(path)
    assert isinstance(out[0], Document) and out[0].external_id == "ok"
    reasons = [o.reason for o in out[1:]]
    assert all(isinstance(o, Rejection) and o.source == str(path) for o in out[1:])
    assert reasons[0].startswith("line 2: invalid JSON")
    assert reasons[1].startswith('line 3: no "text" field')
    assert reasons[2].startswith("line 4: expected a JSON object")
    assert reasons[3].startswith('line 5: "text" must be a non-empty string')
    assert reasons[4].startswith('line 6: "text" must be a non-empty string')


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".bin"]))
def test_read_inputs_never_raises_on_arbitrary_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{suffix}"
        path.write_bytes(data)
        out = list(read_inputs([str(path)], SETTINGS))
    assert all(isinstance(o, Document | Rejection) for o in out)
    assert all("\n" not in o.reason for o in out if isinstance(o, Rejection))


# -- stdin --------------------------------------------------------------------------------


def test_stdin_plain_text() -> None:
    [doc] = run("-", stdin=io.StringIO("Troops shelled the town.\nMore text.\n"))
    assert isinstance(doc, Document) and doc.format == "txt" and doc.source == "<stdin>"
    assert doc.text == "Troops shelled the town.\nMore text.\n"


def test_stdin_jsonl_after_blank_lines() -> None:
    stream = io.StringIO(
        "\n  \n" + jsonl({"id": "s1", "text": "One."}, {"id": "s2", "text": "Two."}) + "oops\n"
    )
    out = run("-", stdin=stream)
    assert [o.external_id for o in out[:2]] == ["s1", "s2"]
    assert isinstance(out[2], Rejection) and out[2].reason.startswith("line 5: invalid JSON")


def test_stdin_empty_and_oversized() -> None:
    [empty] = run("-", stdin=io.StringIO("\n\n"))
    assert isinstance(empty, Rejection) and "empty" in empty.reason
    [big] = run("-", stdin=io.StringIO("word " * 100), cfg=Settings(max_input_bytes=50))
    assert isinstance(big, Rejection) and "max_input_bytes" in big.reason


def test_dash_reads_sys_stdin_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("From the real stdin."))
    [doc] = list(read_inputs(["-"], SETTINGS))
    assert isinstance(doc, Document) and doc.text == "From the real stdin."


def test_stdin_with_undecodable_bytes_is_rejected() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"ok line\n\xff\xfe bad\n"), encoding="utf-8")
    [rej] = list(read_inputs(["-"], SETTINGS, stdin=stream))
    assert isinstance(rej, Rejection) and "invalid UTF-8" in rej.reason


# -- ids ----------------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@given(st.text(max_size=300))
def test_same_text_same_id(text: str) -> None:
    a = document_from_text(text, source="a", fmt="txt")
    b = document_from_text(text, source="b", fmt="jsonl", title="t")
    assert a.id == b.id == content_id("d", _normalised(text))


@given(st.text(max_size=200), st.text(max_size=200))
def test_different_text_different_id(a: str, b: str) -> None:
    assume(_normalised(a) != _normalised(b))
    assert document_from_text(a, source="s", fmt="txt").id != document_from_text(b, source="s", fmt="txt").id


def test_documents_from_jsonl_reads_any_text_stream() -> None:
    out = list(
        documents_from_jsonl(io.StringIO(jsonl({"text": "A."}) + "\n" + jsonl({"text": "B."})), "feed")
    )
    assert all(isinstance(o, Document) for o in out)
    assert [o.text for o in out if isinstance(o, Document)] == ["A.", "B."]
    assert [o.source for o in out] == ["feed:1", "feed:3"]


def test_unlistable_subfolder_is_rejected_and_the_rest_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.txt").write_text("Readable.", encoding="utf-8")
    import os

    real_walk = os.walk

    def walk(top: Any, onerror: Any = None, **kw: Any) -> Any:
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))
        yield from real_walk(top, onerror=onerror, **kw)

    monkeypatch.setattr(os, "walk", walk)
    out = run(tmp_path)
    assert isinstance(out[0], Document) and out[0].text == "Readable."
    assert isinstance(out[1], Rejection) and out[1].source == str(tmp_path / "locked")
    assert "cannot list folder: permission denied" in out[1].reason


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=300), st.sampled_from([".txt", ".html", ".jsonl"]))
def test_reading_a_file_twice_gives_the_same_result(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{suffix}"
        path.write_text(text, encoding="utf-8")
        assert run(path) == run(path)


def test_unusable_paths_are_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "NUL character" in only_rejection("bad\x00name.txt").reason
    assert only_rejection(tmp_path / ("x" * 300 + ".txt")).reason.startswith("cannot read")
    locked = tmp_path / "locked"

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "stat", denied)
    assert "permission denied" in only_rejection(locked).reason


def test_a_large_jsonl_corpus_is_streamed_and_capped_per_record(tmp_path: Path) -> None:
    """The size cap applies to each JSONL record, not to the corpus file."""
    import json

    from eventlens.config import Settings
    from eventlens.ingest import read_inputs
    from eventlens.model import Document, Rejection

    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(400):
            fh.write(json.dumps({"id": f"n{i}", "text": f"Story {i}: police arrested {i} men. " * 20}) + "\n")
        fh.write(json.dumps({"id": "big", "text": "x" * 5000}) + "\n")
        fh.write(json.dumps({"id": "last", "text": "The last story."}) + "\n")
    settings = Settings.load(tmp_path / "none.toml", max_input_bytes=4000)
    assert corpus.stat().st_size > 50 * settings.max_input_bytes
    out = list(read_inputs([str(corpus)], settings))
    docs = [o for o in out if isinstance(o, Document)]
    rejected = [o for o in out if isinstance(o, Rejection)]
    assert len(docs) == 401 and docs[-1].external_id == "last"
    assert len(rejected) == 1 and "line 401" in rejected[0].reason
    assert "max_input_bytes" in rejected[0].reason
