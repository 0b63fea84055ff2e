"""Result types of the store's public methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "AuditRecord",
    "LinkRecord",
    "RejectionRecord",
    "RunCounts",
    "RunRecord",
    "StoreStats",
    "WriteResult",
]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one ``write_document`` did. ``skipped``: the document was already stored (nothing changed)."""

    doc_id: str
    skipped: bool
    articles: int = 0
    near_duplicates: int = 0
    mentions: int = 0
    new_events: int = 0
    linked_events: int = 0
    event_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoreStats:
    documents: int
    articles: int
    near_duplicate_articles: int
    mentions: int
    events: int
    rejections: int
    runs: int


@dataclass(frozen=True, slots=True)
class RejectionRecord:
    source: str
    reason: str
    first_seen: datetime
    last_seen: datetime
    attempts: int


@dataclass(frozen=True, slots=True)
class RunCounts:
    """Counts a run reports when it finishes."""

    documents: int = 0
    skipped: int = 0
    articles: int = 0
    mentions: int = 0
    events: int = 0
    rejections: int = 0


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int
    started: datetime
    finished: datetime | None
    status: str
    counts: RunCounts


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """Why a mention belongs to its event: per-criterion scores, reason, and who decided."""

    mention_id: str
    event_id: str
    score: float | None
    scores: dict[str, float]
    reason: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One analyst merge or split, with the events before and after (as stored JSON)."""

    id: int
    at: datetime
    who: str
    action: str
    event_ids: tuple[str, ...]
    note: str | None
    before: Any
    after: Any
