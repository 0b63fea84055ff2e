"""Supervised worker processes: parallel parsing with a time and memory cap per document.

Each worker process loads the pipeline once and codes one document at a time. The supervisor
(the calling process) feeds documents, collects results and yields them in input order. A
document that runs past ``settings.doc_timeout`` seconds, or drives its worker past
``settings.doc_memory_mb`` of resident memory, or crashes its worker, is quarantined: the worker
is killed and replaced, and a ``Rejection`` naming the document and the cap is yielded in its
place — one poisonous input never stops or hangs the run.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from eventlens.config import Settings
from eventlens.errors import ModelError
from eventlens.model import Document, Rejection
from eventlens.pipeline import DocumentResult, Pipeline

__all__ = ["supervised"]

log = logging.getLogger(__name__)

_POLL_S = 0.05


def _worker_main(settings: Settings, conn: Connection) -> None:
    """Child process: load the pipeline once, then answer one document per message."""
    logging.basicConfig(level=logging.WARNING)
    try:
        pipeline = Pipeline(settings)
    except Exception as exc:  # reported to the supervisor, which fails the run clearly
        conn.send(("fatal", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            doc = conn.recv()
        except EOFError:
            return
        if doc is None:
            return
        try:
            result = next(iter(pipeline.process([doc])))
            conn.send(("ok", result))
        except Exception as exc:  # a bug or pathological input: quarantine this document only
            log.exception("failed on %s", doc.source)
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


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
    seq: int | None = None
    doc: Document | None = None
    started: float = 0.0
    ready: bool = False


@dataclass
class _State:
    settings: Settings
    ctx: Any  # a multiprocessing context (typeshed's BaseContext lacks Process/Pipe)
    workers: list[_Worker] = field(default_factory=list)
    done: dict[int, DocumentResult | Rejection] = field(default_factory=dict)


def _spawn(state: _State) -> _Worker:
    parent, child = state.ctx.Pipe()
    proc = state.ctx.Process(target=_worker_main, args=(state.settings, child), daemon=True)
    proc.start()
    child.close()
    return _Worker(proc, parent)


def _replace(state: _State, w: _Worker, reason: str) -> None:
    """Kill a worker, quarantine the document it held, start a fresh one."""
    if w.doc is not None and w.seq is not None:
        log.warning("quarantined %s: %s", w.doc.source, reason)
        state.done[w.seq] = Rejection(w.doc.source, reason)
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
        if w.seq is not None and w.doc is not None:
            failed = Rejection(w.doc.source, f"coding failed: {payload}")
            state.done[w.seq] = payload if kind == "ok" else failed
        w.seq, w.doc = None, None
        return
    if w.doc is None:
        if not w.proc.is_alive():
            _replace(state, w, "worker exited")
        return
    if not w.proc.is_alive():
        _replace(state, w, f"worker process died (exit code {w.proc.exitcode}) on this document")
    elif time.monotonic() - w.started > s.doc_timeout:
        _replace(state, w, f"took longer than the {s.doc_timeout:g} s cap per document (doc_timeout)")
    elif _rss_mb(w.proc.pid or 0) > s.doc_memory_mb:
        _replace(state, w, f"used more than the {s.doc_memory_mb} MB cap per document (doc_memory_mb)")


def supervised(documents: Iterable[Document], settings: Settings) -> Iterator[DocumentResult | Rejection]:
    """Code documents in ``settings.workers`` capped worker processes; results in input order."""
    ctx = mp.get_context("spawn" if os.name != "posix" else "forkserver")
    state = _State(settings, ctx)
    state.workers = [_spawn(state) for _ in range(max(1, settings.workers))]
    pending = enumerate(documents)
    next_out, fed_all, n_fed = 0, False, 0
    max_buffered = 64 * len(state.workers)
    try:
        while not fed_all or next_out < n_fed:
            for w in list(state.workers):
                _check(state, w)
            for w in state.workers:
                if w.ready and w.doc is None and not fed_all and len(state.done) < max_buffered:
                    item = next(pending, None)
                    if item is None:
                        fed_all = True
                        break
                    w.seq, w.doc = item
                    w.started = time.monotonic()
                    w.conn.send(w.doc)
                    n_fed += 1
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
