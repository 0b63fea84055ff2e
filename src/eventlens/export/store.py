"""Exports of a store's events: newest first, analyst overrides applied, sources filled in from
its documents."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, BinaryIO

from eventlens.export.fields import SourceLookup, SourceRef
from eventlens.export.stream import check_format, iter_export

if TYPE_CHECKING:
    from eventlens.store import EventFilter, Store


def store_source_lookup(store: Store) -> SourceLookup:
    """A cached document id -> SourceRef lookup over a store's documents."""

    @lru_cache(maxsize=4096)
    def source_of(doc_id: str) -> SourceRef | None:
        found = store.document_refs([doc_id])
        return SourceRef(doc_id, found[0].source, found[0].url, found[0].title) if found else None

    return source_of


def iter_store_export(store: Store, fmt: str, query: EventFilter | None = None, *,
                      row_group_size: int = 10_000) -> Iterator[bytes]:
    """The export of a store's events (analyst overrides applied, sources filled in) as byte chunks."""
    check_format(fmt)
    events = store.iter_events(query, order="newest")
    yield from iter_export(fmt, events, source_of=store_source_lookup(store), row_group_size=row_group_size)


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
