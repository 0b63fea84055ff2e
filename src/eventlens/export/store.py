"""Exports of a store's events: analyst overrides applied, sources filled in from its documents."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, BinaryIO

from eventlens.export.fields import SourceLookup, SourceRef
from eventlens.export.stream import check_format, iter_export

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from eventlens.store.filters import EventFilter


def store_source_lookup(engine: Engine) -> SourceLookup:
    """A cached document id -> SourceRef lookup over a store's ``documents`` table."""
    import sqlalchemy as sa

    from eventlens.store.schema import documents

    @lru_cache(maxsize=4096)
    def source_of(doc_id: str) -> SourceRef | None:
        with engine.connect() as c:
            r = c.execute(sa.select(documents.c.source, documents.c.url, documents.c.title)
                          .where(documents.c.id == doc_id)).first()
        return SourceRef(doc_id, r.source, r.url, r.title) if r is not None else None

    return source_of


def iter_store_export(engine: Engine, fmt: str, query: EventFilter | None = None, *,
                      row_group_size: int = 10_000) -> Iterator[bytes]:
    """The export of a store's events (analyst overrides applied, sources filled in) as byte chunks."""
    from eventlens.store.filters import EventFilter
    from eventlens.store.queries import iter_full_events

    check_format(fmt)
    with engine.connect() as conn:
        events = iter_full_events(conn, query or EventFilter())
        lookup = store_source_lookup(engine)
        yield from iter_export(fmt, events, source_of=lookup, row_group_size=row_group_size)


def export_from_store(engine: Engine, fmt: str, out: BinaryIO, query: EventFilter | None = None, *,
                      row_group_size: int = 10_000) -> int:
    """Write a store's events to ``out`` (what `eventlens export` calls); returns bytes written.

    ``engine`` is ``Store.engine``; ``query`` (``store.filters.EventFilter``, the filter of the CLI
    and the API) selects the events (default: every event).
    """
    written = 0
    for chunk in iter_store_export(engine, fmt, query, row_group_size=row_group_size):
        out.write(chunk)
        written += len(chunk)
    return written
