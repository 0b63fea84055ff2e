"""One poll of everything followed, coded into the store like a run: :class:`Watcher`.

A poll is a run (the store's run record and writer lock): each feed is fetched (conditionally) and
its unknown items recorded; each watched folder is listed for files not seen in that size and
version; then the items' pages are fetched, one at a time and politely, kept in the store, and
handed with the new files to the same runner, engine, caps and quarantine as `eventlens run`.
Every step is its own transaction (``store.feeds``): a watch killed at any moment and started
again loses nothing and stores nothing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from eventlens.config import Settings
from eventlens.engines.runner import run
from eventlens.errors import InputError
from eventlens.ingest import document_from_text, folder_files, read_inputs
from eventlens.ingest.files import decode
from eventlens.model import Document, Rejection
from eventlens.store import FeedItem, FeedStatus, NewItem, RunCounts
from eventlens.watch.feeds import MalformedFeed, parse_feed
from eventlens.watch.http import Fetcher, FetchError, Response

if TYPE_CHECKING:
    from eventlens.engines import Engine
    from eventlens.store import Store

__all__ = ["Watcher", "page_document"]

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass
class _Tally:
    """What one poll did for one feed or folder: the makings of its status line."""

    new: int = 0
    not_modified: bool = False
    error: str | None = None
    coded: set[str] = field(default_factory=set)  # sources handed to the coder
    duplicates: int = 0
    failed: int = 0
    retry: int = 0
    failure: str | None = None  # the first one, for the status line

    def fail(self, source: str, reason: str, *, final: bool = True) -> None:
        if final:
            self.failed += 1
        else:
            self.retry += 1
        self.failure = self.failure or f"{source}: {reason}"


class Watcher:
    """Polls the followed feeds and folders (``only``: those URLs and paths; None: all)."""

    def __init__(self, settings: Settings, store: Store, engine: Engine, *, fetcher: Fetcher | None = None,
                 only: Sequence[str] | None = None) -> None:
        self.settings = settings
        self.store = store
        self.engine = engine
        self.fetcher = fetcher or Fetcher(settings)
        self.only = set(only) if only is not None else None
        self._docs: dict[str, str] = {}  # source -> document id of the items handed to the coder
        #: feeds and folders that failed, and items given up, in the last poll
        self.failures = 0

    def close(self) -> None:
        self.fetcher.close()

    def poll(self) -> list[str]:
        """One poll; returns one status line per feed and folder."""
        run_id = self.store.begin_run()  # the writer lock: one run or watch at a time
        summary: RunCounts | None = None
        try:
            sources = [s for s in self.store.feeds() if self.only is None or s.url in self.only]
            tallies = {s.id: _Tally() for s in sources}
            summary, folder_files_seen = self._poll(sources, tallies)
        finally:
            self.store.finish_run(run_id, summary or RunCounts(), "finished" if summary else "failed")
        for folder_id, files in folder_files_seen.items():
            self._record_files(folder_id, files, summary)
        after = {s.id: s for s in self.store.feeds(include_removed=True)}
        self.failures = sum(t.failed + (t.error is not None) for t in tallies.values())
        return [_status_line(after[s.id], tallies[s.id]) for s in sources]

    def _poll(self, sources: list[FeedStatus], tallies: dict[int, _Tally],
              ) -> tuple[RunCounts, dict[int, list[NewItem]]]:
        self.store.settle_items()  # items a killed poll stored but did not mark
        new_files: dict[int, list[NewItem]] = {}
        for source in sources:
            if source.kind == "feed":
                self._poll_feed(source, tallies[source.id])
            else:
                new_files[source.id] = self._scan_folder(source, tallies[source.id])
        wanted = {s.id for s in sources if s.kind == "feed"}
        inputs = chain(self._item_inputs(wanted, tallies), self._file_inputs(new_files, tallies))
        summary = _code(inputs, self.store, self.engine)
        coded = {src: t for t in tallies.values() for src in t.coded}
        quarantined: dict[str, str] = {}
        for rej in summary.rejected:
            if (tally := coded.get(rej.source)) is not None:
                tally.coded.discard(rej.source)
                tally.fail(rej.source, rej.reason)
                quarantined[rej.source] = rej.reason
        self.store.settle_items(self._doc_ids(quarantined))
        return summary, new_files

    # -- feeds -----------------------------------------------------------------------------------
    def _poll_feed(self, feed: FeedStatus, tally: _Tally) -> None:
        try:
            resp = self.fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if resp.not_modified:
                tally.not_modified = True
                self.store.record_poll(feed.id, [])
                return
            parsed = parse_feed(resp.body, resp.url, resp.content_type)
        except (FetchError, MalformedFeed) as exc:
            tally.error = exc.reason if isinstance(exc, FetchError) else str(exc)
            self.store.record_poll_error(feed.id, tally.error)
            return
        tally.new = self.store.record_poll(feed.id, parsed.items, title=parsed.title, etag=resp.etag,
                                           last_modified=resp.last_modified)

    def _item_inputs(self, wanted: set[int], tallies: dict[int, _Tally]) -> Iterator[Document | Rejection]:
        """The pending items of the polled feeds as Documents (fetching those not fetched yet), and a
        Rejection for each item given up; oldest first."""
        self._docs = {}
        after = 0
        while batch := self.store.pending_items(limit=64, after=after):
            for item in batch:
                after = item.id
                if item.feed_id in wanted:
                    yield from self._item_input(item, tallies[item.feed_id])

    def _item_input(self, item: FeedItem, tally: _Tally) -> Iterator[Document | Rejection]:
        if item.status == "fetched" and item.body is not None:
            doc = _item_document(item, item.body)
        else:
            try:
                # a feed on the user's own network may link there; a public one may not
                text = page_text(self.fetcher.get(item.url, local_ok=self.fetcher.is_local(item.feed_url)))
            except (FetchError, InputError) as exc:
                reason = exc.reason
                final = not (isinstance(exc, FetchError) and exc.transient)
                status = self.store.item_failed(item.id, reason, final=final,
                                                attempts=self.settings.fetch_attempts)
                tally.fail(item.url, reason, final=status == "failed")
                if status == "failed":
                    yield Rejection(item.url, f"cannot fetch: {reason}")
                return
            doc = _item_document(item, text)
            if self.store.item_fetched(item.id, doc.id, text) == "duplicate":
                tally.duplicates += 1
                return
        tally.coded.add(doc.source)
        self._docs[doc.source] = doc.id
        yield doc

    def _doc_ids(self, by_source: dict[str, str]) -> dict[str, str]:
        return {self._docs[s]: reason for s, reason in by_source.items() if s in self._docs}

    # -- folders ---------------------------------------------------------------------------------
    def _scan_folder(self, folder: FeedStatus, tally: _Tally) -> list[NewItem]:
        """Files in the folder not seen in this size and version, settled for ``watch_settle`` s."""
        path = Path(folder.url)
        if not path.is_dir():
            tally.error = "no such folder (or not a folder)"
            self.store.record_poll_error(folder.id, tally.error)
            return []
        errors: list[OSError] = []
        files = []
        settled = time.time() - self.settings.watch_settle
        for f in folder_files(path, errors):
            try:
                st = f.stat()
            except OSError:
                continue  # gone since it was listed
            if st.st_mtime <= settled:
                files.append(NewItem(key=f"file:{f}\x1f{st.st_size}\x1f{st.st_mtime_ns}", url=str(f)))
        if errors:
            tally.error = f"cannot list {errors[0].filename}: {errors[0].strerror}"
            self.store.record_poll_error(folder.id, tally.error)
        known = self.store.known_keys(i.key for i in files)
        new = [i for i in files if i.key not in known]
        tally.new = len(new)
        return new

    def _file_inputs(self, new_files: dict[int, list[NewItem]],
                     tallies: dict[int, _Tally]) -> Iterator[Document | Rejection]:
        for folder_id, files in new_files.items():
            for item in files:
                tallies[folder_id].coded.add(item.url)
                yield from read_inputs([item.url], self.settings)

    def _record_files(self, folder_id: int, files: list[NewItem], summary: RunCounts | None) -> None:
        """Remember the files a finished poll read (a rejected one as such), so that they are read
        again only when they change."""
        if summary is None:
            return
        rejected = {r.source for r in summary.rejected}  # counted in the tally by _poll
        bad = [f for f in files if f.url in rejected]
        self.store.record_poll(folder_id, [f for f in files if f.url not in rejected], status="stored")
        if bad:
            self.store.record_poll(folder_id, bad, status="rejected")


def page_text(resp: Response) -> str:
    """The text of a fetched HTML page: its declared charset, else UTF-8 as `run` reads files
    (InputError when it is not an HTML page or not text)."""
    if resp.content_type not in _HTML_TYPES:
        raise InputError(resp.url, f"not an HTML page ({resp.content_type})")
    charset = (resp.charset or "").lower().replace("_", "-")
    if charset and charset not in ("utf-8", "utf8"):
        try:
            return resp.body.decode(charset, errors="replace")
        except LookupError:
            pass
    return decode(resp.url, resp.body)


def page_document(text: str, *, url: str, title: str | None, published: date | None = None) -> Document:
    """The Document of a fetched page: HTML, its id the content hash, its source the item's URL."""
    return document_from_text(text, source=url, fmt="html", title=title, url=url, published=published)


def _item_document(item: FeedItem, text: str) -> Document:
    return page_document(text, url=item.url, title=item.title, published=item.published_day)


def _code(inputs: Iterable[Document | Rejection], store: Store, engine: Engine) -> RunCounts:
    """The runner over ``inputs``; no engine is started when there is nothing to code."""
    it = iter(inputs)
    first = next(it, None)
    if first is None:
        return RunCounts()
    return run(chain([first], it), store, engine)


def _status_line(s: FeedStatus, t: _Tally) -> str:
    """One line per feed or folder and poll: what happened, and its totals."""
    where = f"{s.kind} {s.url}"
    if t.error is not None and not t.new:
        return f"{where}: error: {t.error}; {s.items_seen} items seen in all"
    unit = "files" if s.kind == "folder" else "items"
    parts = ["not modified" if t.not_modified else f"{t.new} new {unit}"]
    parts += [f"{n} {what}" for n, what in ((len(t.coded), "stored"), (t.duplicates, "already stored"),
                                             (t.failed, "failed"), (t.retry, "to retry")) if n]
    line = f"{where}: {', '.join(parts)}; {s.items_seen} {unit} seen in all"
    return f"{line} (last failure {t.failure})" if t.failure else line
