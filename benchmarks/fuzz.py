"""Coverage-guided fuzzing (atheris / libFuzzer) of everything that reads untrusted input.

    python benchmarks/fuzz.py [--seconds 600] [--corpus DIR] [-o benchmarks/results/fuzz.json]

Targets, chosen by the first byte of each input:

* ingest: the bytes written to a temporary .txt / .html / .jsonl file, read by ``read_inputs``;
* stdin: the bytes as a text stream through ``read_inputs(["-"])`` (JSONL or plain text);
* segment: the bytes decoded as a .txt or .html Document, cut by ``clean.segment`` and dated by
  ``dates.infer_published`` (as the pipeline does before parsing);
* jsonl: the bytes as lines for ``ingest.documents_from_jsonl``;
* relevance: ``relevance.rough_sentences`` / ``masked_text`` on the decoded text.

Allowed outcomes are Documents, Rejections, Articles and typed errors (``EventlensError``
subclasses). Anything else — another exception, or a broken invariant (an offset that does not
point at its text, a masked text of another length) — is a crash: the input is printed (repr)
on stderr, libFuzzer saves it as ``crash-<sha1>`` and the process exits non-zero. The run's
figures (executions, coverage, features, crashes) are written as JSON.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "fuzz.json"
SUFFIXES = (".txt", ".html", ".jsonl")
SEEDS = (
    b"\x00Rebels attacked the town of Kidal on Monday, killing 3 soldiers.\n",
    b"\x01<html><head><title>Riot</title></head><body><p>Police fired tear gas.</p></body></html>",
    b'\x02{"id": 1, "text": "Protesters marched in Lagos.", "published": "2024-03-01"}\n',
    b'\x03{"text": "A bomb exploded."}\n\n{"text": 5}\n[1]\n',
    b"\x04HEADLINE\n\nTroops clashed with militants. 2 died.\n\nHEADLINE\n\nMore text here.",
    b"\x00\xff\xfeU\x00n\x00r\x00e\x00s\x00t\x00",
)


def _check_articles(doc: object) -> None:
    from eventlens import clean, dates
    from eventlens.config import Settings
    from eventlens.model import Article, Document

    assert isinstance(doc, Document)
    settings = Settings(max_article_chars=5_000)
    for i, art in enumerate(clean.segment(doc, settings)):
        assert isinstance(art, Article) and art.index == i and art.doc_id == doc.id
        assert len(art.text) <= settings.max_article_chars
        dated = dates.infer_published(art, doc)  # the next stage, also fed raw text
        assert dated.text == art.text and (dated.published is None) == (dated.published_how is None)


def _check_items(items: Sequence[object]) -> None:
    from eventlens.model import Document, Rejection

    for item in items:
        assert isinstance(item, Document | Rejection), type(item)
        if isinstance(item, Rejection):
            assert item.reason and "\n" not in item.reason, item
        else:
            assert "\r" not in item.text and item.text.replace("\ufeff", "").strip(), f"blank {item}"


def _ingest(data: bytes, suffix: str) -> None:
    from eventlens.config import Settings
    from eventlens.ingest import read_inputs

    with tempfile.TemporaryDirectory(prefix="evl-fuzz-") as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        _check_items(list(read_inputs([str(path)], Settings(max_input_bytes=100_000))))


def _stdin(data: bytes) -> None:
    from eventlens.config import Settings
    from eventlens.ingest import read_inputs

    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=None)
    _check_items(list(read_inputs(["-"], Settings(max_input_bytes=100_000), stdin=stream)))


def _segment(text: str, fmt: str) -> None:
    from eventlens.ingest import document_from_text

    _check_articles(document_from_text(text, source="fuzz", fmt="html" if fmt == "html" else "txt"))


def _jsonl(text: str) -> None:
    from eventlens.ingest import documents_from_jsonl

    items = list(documents_from_jsonl(io.StringIO(text), "fuzz.jsonl"))
    _check_items(items)
    for item in items[:3]:
        if not hasattr(item, "reason"):
            _check_articles(item)


def _relevance(text: str) -> None:
    from eventlens.nlp.prefilter import masked_text, rough_sentences

    for span in rough_sentences(text):
        assert text[span.start : span.end] == span.text, span
    masked = masked_text(text)
    assert len(masked) == len(text)
    assert all(m == c or m == " " for m, c in zip(masked, text, strict=True))


def one_input(data: bytes) -> None:
    """The fuzz target: route the input to one reader; typed errors are fine, others crash."""
    from eventlens.errors import EventlensError

    if not data:
        return
    target, body = data[0] % 5, data[1:]
    text = body.decode("utf-8", errors="replace")
    try:
        if target == 0:
            _ingest(body, SUFFIXES[len(body) % 3])
        elif target == 1:
            _segment(text, "html" if len(body) % 2 else "txt")
        elif target == 2:
            _jsonl(text)
        elif target == 3:
            _stdin(body)
        else:
            _relevance(text)
    except EventlensError:
        return
    except BaseException:
        sys.stderr.write(f"CRASH on input (target {target}): {data!r}\n")
        raise


def _fuzz_child(args: argparse.Namespace) -> None:
    import atheris

    logging.disable(logging.WARNING)  # the readers' warnings about bad inputs are expected here

    with atheris.instrument_imports(include=["eventlens"]):
        modules = ("eventlens.clean.articles", "eventlens.dates.mentions", "eventlens.ingest",
                   "eventlens.nlp.prefilter")
        for module in modules:
            importlib.import_module(module)
    corpus = Path(args.corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(SEEDS):
        (corpus / f"seed-{i}").write_bytes(seed)
    argv = [sys.argv[0], str(corpus), f"-max_total_time={args.seconds}", "-print_final_stats=1",
            "-rss_limit_mb=3000", "-timeout=60", "-max_len=20000", f"-artifact_prefix={args.artifacts}/"]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


_STAT = re.compile(r"^stat::(\w+):\s*(\d+)", re.M)
_COV = re.compile(r"cov: (\d+) ft: (\d+)")


def _summarise(log: str, seconds: float, rc: int, artifacts: Path, since: float) -> dict[str, object]:
    stats = {k: int(v) for k, v in _STAT.findall(log)}
    cov = _COV.findall(log)
    crashes = sorted(p.name for p in artifacts.iterdir()
                     if p.name.startswith(("crash-", "timeout-", "oom-")) and p.stat().st_mtime >= since)
    return {
        "seconds": round(seconds, 1),
        "executions": stats.get("number_of_executed_units"),
        "exec_per_second": stats.get("average_exec_per_sec"),
        "coverage_edges": int(cov[-1][0]) if cov else None,
        "features": int(cov[-1][1]) if cov else None,
        "peak_rss_mb": stats.get("peak_rss_mb"),
        "crashes": crashes,
        "exit_code": rc,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=600, help="how long to fuzz (default 600)")
    ap.add_argument("--corpus", default=None, help="corpus folder (default: a temporary one)")
    ap.add_argument("--artifacts", default=str(REPO / "benchmarks" / "results" / "fuzz-artifacts"))
    ap.add_argument("-o", "--output", default=str(RESULTS), help="JSON figures file")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--replay", nargs="*", help="run saved inputs once each (no fuzzing)")
    args = ap.parse_args()
    if args.replay is not None:
        for name in args.replay:
            one_input(Path(name).read_bytes())
        print(f"{len(args.replay)} inputs ran without a crash")
        return 0
    if args.child:
        _fuzz_child(args)
        return 0
    artifacts = Path(args.artifacts)
    artifacts.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="evl-corpus-") as tmp:
        cmd = [sys.executable, __file__, "--child", "--seconds", str(args.seconds),
               "--corpus", args.corpus or tmp, "--artifacts", str(artifacts)]
        t0, since = time.monotonic(), time.time() - 1
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              errors="replace", env={**os.environ, "PYTHONHASHSEED": "0"}, check=False)
        elapsed = time.monotonic() - t0
    sys.stderr.write(proc.stdout[-6000:])
    figures = _summarise(proc.stdout, elapsed, proc.returncode, artifacts, since)
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    return 0 if proc.returncode == 0 and not figures["crashes"] else 1


if __name__ == "__main__":
    sys.exit(main())
