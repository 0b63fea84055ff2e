"""A run's lifecycle, whatever the engine: inputs -> new documents -> engine -> store.

:func:`run_job` records the run (the store's writer lock: a second run on the same database
refuses), skips documents already stored (so a killed run resumes with the same command),
quarantines rejected inputs and documents in the store with their reasons, and forgets the
rejections of retried inputs that went through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from eventlens.config import Settings
from eventlens.ingest import missing_paths, read_inputs
from eventlens.model import Document, Rejection
from eventlens.store import RunCounts

if TYPE_CHECKING:
    from eventlens.engines import Engine
    from eventlens.pipeline import DocumentResult
    from eventlens.store import Store

__all__ = [
    "clear_recovered", "new_documents", "rejected_inputs", "run", "run_job", "store_result",
]

log = logging.getLogger(__name__)


def new_documents(
    inputs: Iterable[Document | Rejection],
    store: Store,
    summary: RunCounts,
    on_item: Callable[[str], None] | None = None,
) -> Iterator[Document]:
    """Documents not stored yet; rejections are recorded in the store and the summary.
    ``on_item`` hears of each input done with here (rejected or already stored)."""
    seen: set[str] = set()
    for item in inputs:
        if isinstance(item, Rejection):
            log.info("rejected %s: %s", item.source, item.reason)
            store.add_rejection(item)
            summary.reject(item)
        else:
            summary.read += 1
            if item.id not in seen and not store.has_document(item.id):
                seen.add(item.id)
                yield item
                continue
            summary.skipped += 1
        if on_item is not None:
            on_item(item.source)


def store_result(result: DocumentResult, store: Store, summary: RunCounts) -> None:
    """Write one processed document (one transaction) and count it."""
    store.write_document(result.document, result.articles, result.events)
    summary.documents += 1
    summary.articles += len(result.articles)
    summary.events += len(result.events)
    summary.mentions += sum(len(e.mentions) for e in result.events)


def run(
    inputs: Iterable[Document | Rejection],
    store: Store,
    engine: Engine,
    *,
    on_item: Callable[[str], None] | None = None,
) -> RunCounts:
    """Ingested inputs -> the engine -> the store. Documents already stored are skipped;
    documents the engine quarantines are recorded with their reason. ``on_item(source)`` is
    called once per input item when it is done with (stored, skipped or rejected)."""
    summary = RunCounts()
    for result in engine.code(new_documents(inputs, store, summary, on_item)):
        if isinstance(result, Rejection):
            store.add_rejection(result)
            summary.reject(result)
            source = result.source
        else:
            store_result(result, store, summary)
            source = result.document.source
        if on_item is not None:
            on_item(source)
    return summary


def run_job(
    paths: list[str],
    settings: Settings,
    store: Store,
    engine: Engine,
    *,
    retry_rejected: bool = False,
    stdin: TextIO | None = None,
    on_item: Callable[[str], None] | None = None,
) -> RunCounts:
    """A whole run: the run record around :func:`run`, and the retry of rejected inputs.

    A path that names nothing (a typo) is reported in the summary's rejections but not stored
    as a rejected input: there is nothing to retry, and the list of rejections stays the inputs'.
    """
    retried: set[str] = set()
    if retry_rejected:
        retried, again = rejected_inputs(store)
        paths = [*paths, *again]
    missing = missing_paths(paths)
    paths = [p for p in paths if p not in missing]
    run_id = store.begin_run()  # the writer lock: a second run on this database refuses
    summary: RunCounts | None = None
    try:
        summary = run(read_inputs(paths, settings, stdin=stdin), store, engine, on_item=on_item)
        for path in missing:
            summary.reject(Rejection(path, "no such file or folder; check the path"))
    finally:
        store.finish_run(run_id, summary if summary else RunCounts(),
                         "finished" if summary else "failed")
    clear_recovered(store, retried, summary)
    return summary


def _input_path(source: str) -> str:
    """The file a rejection's source names ("file.jsonl:12" -> "file.jsonl")."""
    if Path(source).exists():
        return source
    head, sep, tail = source.rpartition(":")
    return head if sep and tail.isdigit() else source


def rejected_inputs(store: Store) -> tuple[set[str], list[str]]:
    """Previously rejected sources, and the existing input files to read again for them."""
    sources = {r.source for r in store.rejections()}
    return sources, sorted({p for p in map(_input_path, sources) if Path(p).exists()})


def clear_recovered(store: Store, retried: set[str], summary: RunCounts) -> int:
    """Forget the rejections of retried sources that went through this time."""
    still = {r.source for r in summary.rejected}
    recovered = [s for s in retried - still if Path(_input_path(s)).exists()]
    for source in recovered:
        store.clear_rejection(source)
    return len(recovered)
