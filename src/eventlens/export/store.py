"""Exports of a store's events: newest first, analyst overrides applied, sources filled in from
its documents."""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, BinaryIO

from eventlens.export.evidence import EvidenceLocator
from eventlens.export.fields import SourceRef
from eventlens.export.stream import check_format, iter_export
from eventlens.model import EventMention, Span

if TYPE_CHECKING:
    from eventlens.store import EventFilter, Store


class StoreSources:
    """A store's documents as export sources: a cached document id -> SourceRef lookup, and each
    mention's evidence found in its document's text (documents and articles read once each, the
    most recent few hundred kept)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cached = lru_cache(maxsize=4096)(self._source)
        self._locator = lru_cache(maxsize=256)(self._make_locator)

    def __call__(self, doc_id: str) -> SourceRef | None:
        return self._cached(doc_id)

    def _source(self, doc_id: str) -> SourceRef | None:
        found = self._store.document_refs([doc_id])
        if not found:
            return None
        return SourceRef(doc_id, found[0].source, found[0].url, found[0].title, evidence=self.evidence)

    def _make_locator(self, doc_id: str) -> EvidenceLocator | None:
        doc = self._store.get_document(doc_id)
        if doc is None:
            return None

        def article_text(article_id: str) -> str | None:
            art = self._store.get_article(article_id)
            return art.text if art else None

        return EvidenceLocator(doc.text, article_text)

    def evidence(self, mention: EventMention) -> Span | None:
        """``mention``'s evidence in its document as supplied (None: not found there)."""
        locator = self._locator(mention.doc_id)
        return locator(mention) if locator is not None else None


def store_source_lookup(store: Store) -> StoreSources:
    """A cached document id -> SourceRef lookup over a store's documents (``.evidence`` finds a
    mention's evidence in its document)."""
    return StoreSources(store)


def iter_store_export(store: Store, fmt: str, query: EventFilter | None = None, *,
                      row_group_size: int = 10_000, timestamp: int | None = None) -> Iterator[bytes]:
    """The export of a store's events (analyst overrides applied, sources filled in) as byte chunks.
    ``timestamp`` (ACLED's column: when the rows were exported) defaults to now, in Unix seconds."""
    check_format(fmt)
    events = store.iter_events(query, order="newest")
    stamp = int(time.time()) if timestamp is None else timestamp
    yield from iter_export(fmt, events, source_of=store_source_lookup(store), row_group_size=row_group_size,
                           timestamp=stamp)


def export_from_store(store: Store, fmt: str, out: BinaryIO, query: EventFilter | None = None, *,
                      row_group_size: int = 10_000) -> int:
    """Write a store's events to ``out`` (what `eventlens export` calls); returns bytes written.

    ``query`` (``EventFilter``, the filter of the CLI and the API) selects the events (default:
    every event).
    """
    written = 0
    for chunk in iter_store_export(store, fmt, query, row_group_size=row_group_size):
        out.write(chunk)
        written += len(chunk)
    return written
