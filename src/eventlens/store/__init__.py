"""The eventlens store: SQLite by default, PostgreSQL for teams, migrated by Alembic from code.

The ``Store`` is the one door to the database; adapters (``api``, ``export``, ``cli``, ``auth``)
import only the names below, never ``eventlens.store.<module>`` (``tests/test_import_rules.py``).

store = open_store("sqlite:///eventlens.db")
store.write_document(doc, articles, events)      # one transaction, deduplicated, idempotent
for ev in store.iter_events(EventFilter(country="Iraq", min_fatalities=1)):   # oldest first
    ...
page = store.event_page(EventFilter(text="tear gas"), limit=50)                # newest first
store.edit(event_id, {"fatalities": 4}, "ana"); store.merge([a, b], "ana")      # audited
"""

from __future__ import annotations

from eventlens.store.aggregates import PeriodCount, RegionCount
from eventlens.store.dashboard import (
    BREAKDOWNS,
    FACETS,
    ActorOption,
    Breakdown,
    BreakdownRow,
    FacetValue,
    Timeline,
    TimelineBucket,
)
from eventlens.store.edits import country_names
from eventlens.store.events import Order, cursor_of
from eventlens.store.feeds import FeedItem, FeedStatus, NewItem
from eventlens.store.filters import BBox, EventFilter
from eventlens.store.queries import COUNT_CAP, MAX_LIMIT, OVERRIDABLE, EventPage, EventSummary
from eventlens.store.queue import QueueItem
from eventlens.store.store import Store, open_store
from eventlens.store.types import (
    Account,
    AuditRecord,
    DocumentRef,
    LinkRecord,
    RejectionRecord,
    RunCounts,
    RunRecord,
    Session,
    StoredEvent,
    StoreStats,
    TokenInfo,
    User,
    WriteResult,
)

__all__ = [
    "BREAKDOWNS",
    "COUNT_CAP",
    "FACETS",
    "MAX_LIMIT",
    "OVERRIDABLE",
    "Account",
    "ActorOption",
    "AuditRecord",
    "BBox",
    "Breakdown",
    "BreakdownRow",
    "DocumentRef",
    "EventFilter",
    "EventPage",
    "EventSummary",
    "FacetValue",
    "FeedItem",
    "FeedStatus",
    "LinkRecord",
    "NewItem",
    "Order",
    "PeriodCount",
    "QueueItem",
    "RegionCount",
    "RejectionRecord",
    "RunCounts",
    "RunRecord",
    "Session",
    "Store",
    "StoreStats",
    "StoredEvent",
    "Timeline",
    "TimelineBucket",
    "TokenInfo",
    "User",
    "WriteResult",
    "country_names",
    "cursor_of",
    "open_store",
]
