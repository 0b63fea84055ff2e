"""Supervised worker processes: parallel coding with a time and memory cap per document.

Each worker process loads the pipeline once and codes documents in small batches (one
``nlp.pipe`` call each; a fresh worker starts with single documents and doubles its batch up to
``_BATCH``). The supervisor (the calling process) feeds batches, collects results and yields them
in input order. Each worker holds its next batch in its pipe while it codes the current one, so it
never idles while the supervisor's caller stores a result.

A batch may take ``settings.doc_timeout`` seconds, the sum of its documents' CPU caps in its
worker's CPU seconds, and drive its worker up to ``settings.doc_memory_mb`` of resident memory. A
document's CPU cap is proportionate to the text it will code (:func:`time_cap`: a floor plus a
second per 20,000 characters, at most ``doc_timeout``), so a huge document is stopped early, and,
counted in CPU seconds, an ordinary one is not stopped because the machine is busy. A batch
that breaks a cap, or crashes its worker, is not held against its documents: the worker is killed
and replaced, and the batch's unfinished documents are coded again one at a time, each under its
own caps (so finding the poisonous one costs its batch-mates' small caps, not the batch's). A
single document that breaks a cap is quarantined: a ``Rejection`` naming it and the cap is yielded
in its place — one poisonous input never stops or hangs the run, and never takes its batch-mates
with it.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from typing import Any

from eventlens.config import Settings
from eventlens.engines.quarantine import code_each
from eventlens.errors import ModelError
from eventlens.model import Document, Rejection
from eventlens.pipeline import DocumentResult, Pipeline

__all__ = ["ProcessEngine", "supervised", "time_cap"]

log = logging.getLogger(__name__)

_POLL_S = 0.05
#: most documents in one batch: batching inside a worker saves ~7% of its coding time on MUC-4
#: (nlp.pipe over 8 articles against 8 calls of one); larger batches gain nothing more
_BATCH = 8
#: batches a worker holds: the one it codes and the next, waiting in its pipe
_DEPTH = 2
#: a batch is queued behind another only if it fits in the pipe's buffer (else send blocks)
_QUEUE_BYTES = 32_000
#: a document's time cap: this floor, plus a second per _CAP_CHARS_PER_S characters of its text.
#: A worker codes ~14,000 characters of news per CPU second (VOA, MUC-4), so the floor leaves an
#: ordinary article (2,000-10,000 characters) ten times its time on a machine loaded 5-fold
_CAP_FLOOR_S = 10.0
_CAP_CHARS_PER_S = 20_000


#: modules every worker imports, imported once by the fork server (pure imports: no threads,
#: no open files or sockets are started by importing them)
_PRELOAD = ("eventlens.pipeline", "spacy", "thinc.api", "onnxruntime", "tokenizers")


def time_cap(doc: Document, settings: Settings) -> float:
    """CPU seconds a worker may spend on ``doc``: proportionate to the text it codes (articles are
    cut to max_article_chars), at most doc_timeout."""
    chars = min(len(doc.text), settings.max_article_chars)
    return min(settings.doc_timeout, _CAP_FLOOR_S + chars / _CAP_CHARS_PER_S)


def _worker_main(settings: Settings, conn: Connection) -> None:
    """Child process: load the pipeline once, then answer each document of each batch it is sent."""
    logging.basicConfig(level=logging.WARNING)
    try:
        pipeline = Pipeline(settings, coders=settings.workers)
    except Exception as exc:  # reported to the supervisor, which fails the run clearly
        conn.send(("fatal", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            docs = conn.recv()
        except EOFError:
            return
        if docs is None:
            return
        _answer(pipeline, docs, conn)


def _answer(pipeline: Pipeline, docs: list[Document], conn: Connection) -> None:
    """Send one answer per document, in order (a Rejection for one whose coding raised)."""
    for answer in code_each(pipeline, docs):
        conn.send(("ok", answer))


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (0 where /proc is missing)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class _Worker:
    proc: BaseProcess
    conn: Connection
    #: (input position, document) in the order sent; the first is the one being coded
    held: deque[tuple[int, Document]] = field(default_factory=deque)
    #: [documents sent, documents not answered yet] of each batch it holds, the one being coded first
    batches: deque[list[int]] = field(default_factory=deque)
    #: the time cap of each batch it holds (the sum of its documents' caps), in the same order
    caps: deque[float] = field(default_factory=deque)
    #: when the batch being coded started (when its predecessor's last answer came), and the
    #: worker's CPU seconds then
    started: float = 0.0
    cpu_started: float = 0.0
    ready: bool = False
    #: documents in its next batch: 1 for a fresh worker, doubling up to _BATCH
    batch_cap: int = 1


@dataclass
class _State:
    settings: Settings
    ctx: Any  # a multiprocessing context (typeshed's BaseContext lacks Process/Pipe)
    workers: list[_Worker] = field(default_factory=list)
    done: dict[int, DocumentResult | Rejection] = field(default_factory=dict)
    #: documents a replaced worker held, to send again (before any new input)
    resend: deque[tuple[int, Document]] = field(default_factory=deque)
    #: input positions to be coded alone: the unanswered documents of a batch that broke a cap
    alone: set[int] = field(default_factory=set)


def _spawn(state: _State) -> _Worker:
    parent, child = state.ctx.Pipe()
    proc = state.ctx.Process(target=_worker_main, args=(state.settings, child), daemon=True)
    proc.start()
    child.close()
    return _Worker(proc, parent)


def _replace(state: _State, w: _Worker, reason: str) -> None:
    """Kill a worker and start a fresh one. A document it was sent alone is quarantined; the
    unanswered documents of a batch it was coding are sent again, each to be coded alone (the cap
    was the batch's, and any of them may have broken it); documents it held behind those are sent
    again as they were."""
    if w.batches:
        sent, unanswered = w.batches[0]
        if sent == 1:
            seq, doc = w.held.popleft()
            log.warning("quarantined %s: %s", doc.source, reason)
            state.done[seq] = Rejection(doc.source, reason)
        else:
            log.info("a batch of %d was stopped (%s); coding each of its documents alone", sent, reason)
            state.alone.update(seq for seq, _ in list(w.held)[:unanswered])
        state.resend.extendleft(reversed(w.held))
    w.proc.kill()
    w.proc.join(5)
    w.conn.close()
    state.workers[state.workers.index(w)] = _spawn(state)


def _check(state: _State, w: _Worker) -> None:
    """Collect a finished answer from a worker, or enforce its caps."""
    s = state.settings
    if w.conn.poll():
        try:
            kind, payload = w.conn.recv()
        except (EOFError, OSError):
            _replace(state, w, "worker process died while coding this document; quarantined")
            return
        if kind == "fatal":
            raise ModelError(f"a worker process could not load the pipeline: {payload}")
        if kind == "ready":
            w.ready = True
            return
        if w.held:
            seq, _doc = w.held.popleft()
            state.done[seq] = payload  # a DocumentResult, or the Rejection of a document that raised
            w.batches[0][1] -= 1
            if not w.batches[0][1]:
                w.batches.popleft()
                w.caps.popleft()
                _start(w)
                w.batch_cap = min(_BATCH, 2 * w.batch_cap)
        return
    if not w.held:
        if not w.proc.is_alive():
            _replace(state, w, "worker exited")
        return
    if not w.proc.is_alive():
        _replace(state, w, f"worker process died (exit code {w.proc.exitcode}) on this document")
    elif time.monotonic() - w.started > s.doc_timeout:
        _replace(state, w, f"took longer than the {s.doc_timeout:g} s cap per document (doc_timeout)")
    elif _cpu_s(w.proc.pid or 0) - w.cpu_started > w.caps[0]:
        _replace(state, w, f"used more than its {w.caps[0]:.3g} CPU-second cap ({_CAP_FLOOR_S:g} s + 1 s per "
                           f"{_CAP_CHARS_PER_S:,} characters, at most doc_timeout={s.doc_timeout:g})")
    elif _rss_mb(w.proc.pid or 0) > s.doc_memory_mb:
        _replace(state, w, f"used more than the {s.doc_memory_mb} MB cap per document (doc_memory_mb)")


def _start(w: _Worker) -> None:
    """The worker starts coding its next batch now."""
    w.started = time.monotonic()
    w.cpu_started = _cpu_s(w.proc.pid or 0)


class _Feed:
    """The documents still to send: those sent again first, then the input."""

    def __init__(self, state: _State, documents: Iterable[Document]) -> None:
        self.state = state
        self.pending = enumerate(documents)
        self.head: tuple[int, Document] | None = None
        self.n_seen = 0  # input positions taken from the input so far

    def peek(self) -> tuple[int, Document] | None:
        """The next document to send, or None when every document has been sent."""
        if self.head is None:
            if self.state.resend:
                self.head = self.state.resend.popleft()
            elif (item := next(self.pending, None)) is not None:
                self.head = item
                self.n_seen = item[0] + 1
        return self.head

    def take(self) -> tuple[int, Document]:
        item = self.peek()
        assert item is not None
        self.head = None
        return item

    def batch(self, cap: int, max_bytes: int | None) -> tuple[list[tuple[int, Document]], Any]:
        """Up to ``cap`` documents (one alone if it must be coded alone), pickled within
        ``max_bytes`` if given; empty if even the first does not fit."""
        items: list[tuple[int, Document]] = []
        size = 0
        while len(items) < cap and (item := self.peek()) is not None:
            alone = item[0] in self.state.alone
            if items and alone:
                break
            if max_bytes is not None:
                size += len(ForkingPickler.dumps(item[1]))
                if size > max_bytes:
                    break
            items.append(self.take())
            if alone:
                self.state.alone.discard(item[0])
                break
        return items, ForkingPickler.dumps([doc for _, doc in items]) if items else b""


def _context() -> Any:
    """The multiprocessing context of the workers: a fork server where there is one. The fork
    server imports the heavy libraries once and every worker (a replacement too) starts from its
    copy instead of importing them again (~2 CPU s each); it is started here, so it imports them
    while the caller goes on with its own start (opening the store, reading inputs)."""
    if os.name != "posix":
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(list(_PRELOAD))
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return ctx


def supervised(documents: Iterable[Document], settings: Settings) -> Iterator[DocumentResult | Rejection]:
    """Code documents in ``settings.workers`` capped worker processes; results in input order."""
    state = _State(settings, _context())
    state.workers = [_spawn(state) for _ in range(max(1, settings.workers))]
    feed = _Feed(state, documents)
    next_out = 0
    max_buffered = 64 * len(state.workers)
    try:
        while feed.peek() is not None or next_out < feed.n_seen:
            for w in list(state.workers):
                _check(state, w)
            for depth in range(1, _DEPTH + 1):  # every worker gets a batch before any gets two
                for w in state.workers:
                    if not w.ready or len(w.batches) >= depth or len(state.done) >= max_buffered:
                        continue
                    # a batch queued behind a busy worker's must fit in its pipe (else send blocks)
                    items, payload = feed.batch(w.batch_cap, _QUEUE_BYTES if w.batches else None)
                    if not items:
                        continue
                    if not w.batches:
                        _start(w)
                    w.held.extend(items)
                    w.batches.append([len(items), len(items)])
                    w.caps.append(sum(time_cap(doc, state.settings) for _, doc in items))
                    w.conn.send_bytes(payload)
            if next_out in state.done:
                while next_out in state.done:
                    yield state.done.pop(next_out)
                    next_out += 1
            else:
                _wait(state)
    finally:
        for w in state.workers:
            w.proc.kill()
            w.proc.join(5)
            w.conn.close()


def _wait(state: _State) -> None:
    """Sleep until some worker has something to say (or a short poll interval passes)."""
    conns = [w.conn for w in state.workers]
    try:
        mp.connection.wait(conns, timeout=_POLL_S)
    except (OSError, queue.Empty):
        time.sleep(_POLL_S)


class ProcessEngine:
    """The ``process`` engine: :func:`supervised` worker processes (``settings.workers`` of them)."""

    name = "process"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        _context()  # the fork server starts importing now, while the caller opens its store

    def code(self, documents: Iterable[Document]) -> Iterator[DocumentResult | Rejection]:
        return supervised(documents, self.settings)
