"""The eventlens store: SQLite by default, PostgreSQL for teams, migrated by Alembic from code.

store = open_store("sqlite:///eventlens.db")
store.write_document(doc, articles, events)      # one transaction, deduplicated, idempotent
for ev in store.iter_events(EventFilter(country="Iraq", min_fatalities=1)):
    ...
"""

from __future__ import annotations

from eventlens.store.filters import BBox, EventFilter
from eventlens.store.reads import cursor_of
from eventlens.store.store import Store, open_store
from eventlens.store.types import (
    AuditRecord,
    LinkRecord,
    RejectionRecord,
    RunCounts,
    RunRecord,
    StoreStats,
    WriteResult,
)

__all__ = [
    "AuditRecord",
    "BBox",
    "EventFilter",
    "LinkRecord",
    "RejectionRecord",
    "RunCounts",
    "RunRecord",
    "Store",
    "StoreStats",
    "WriteResult",
    "cursor_of",
    "open_store",
]
