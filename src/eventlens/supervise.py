"""Supervised worker processes: parallel parsing with a time and memory cap per document.

Each worker process loads the pipeline once and codes one document at a time. The supervisor
(the calling process) feeds documents, collects results and yields them in input order. Each
worker holds its next document in its pipe while it codes the current one, so it never idles while
the supervisor's caller stores a result (the time cap of a queued document counts from when the
supervisor saw its predecessor finish). A
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
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
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


#: documents a worker holds: the one it codes and the next, waiting in its pipe
_DEPTH = 2
#: a document is queued behind another only if it fits in the pipe's buffer (else send blocks)
_QUEUE_BYTES = 32_000


@dataclass
class _Worker:
    proc: BaseProcess
    conn: Connection
    #: (input position, document) in the order sent; the first is the one being coded
    held: deque[tuple[int, Document]] = field(default_factory=deque)
    started: float = 0.0
    ready: bool = False

    @property
    def doc(self) -> Document | None:
        return self.held[0][1] if self.held else None


@dataclass
class _State:
    settings: Settings
    ctx: Any  # a multiprocessing context (typeshed's BaseContext lacks Process/Pipe)
    workers: list[_Worker] = field(default_factory=list)
    done: dict[int, DocumentResult | Rejection] = field(default_factory=dict)
    #: documents a replaced worker held behind the one it was quarantined for, to send again
    resend: deque[tuple[int, Document]] = field(default_factory=deque)


def _spawn(state: _State) -> _Worker:
    parent, child = state.ctx.Pipe()
    proc = state.ctx.Process(target=_worker_main, args=(state.settings, child), daemon=True)
    proc.start()
    child.close()
    return _Worker(proc, parent)


def _replace(state: _State, w: _Worker, reason: str) -> None:
    """Kill a worker, quarantine the document it was coding, start a fresh one (documents it held
    behind that one are sent again)."""
    if w.held:
        seq, doc = w.held.popleft()
        log.warning("quarantined %s: %s", doc.source, reason)
        state.done[seq] = Rejection(doc.source, reason)
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
            seq, doc = w.held.popleft()
            state.done[seq] = payload if kind == "ok" else Rejection(doc.source, f"coding failed: {payload}")
            w.started = time.monotonic()
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
            for depth in range(1, _DEPTH + 1):  # every worker gets a document before any gets two
                for w in state.workers:
                    if not w.ready or len(w.held) >= depth or len(state.done) >= max_buffered:
                        continue
                    item = state.resend.popleft() if state.resend else next(pending, None)
                    if item is None:
                        fed_all = True
                        break
                    n_fed = max(n_fed, item[0] + 1)
                    payload = ForkingPickler.dumps(item[1])
                    if w.held and len(payload) > _QUEUE_BYTES:  # would block in a busy worker's pipe
                        state.resend.appendleft(item)
                        continue
                    if not w.held:
                        w.started = time.monotonic()
                    w.held.append(item)
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
