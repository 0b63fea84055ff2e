"""Result types of the store's public methods."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from eventlens.model import Article, Event, Rejection

__all__ = [
    "STORED_RUN_COUNTS",
    "Account",
    "AuditRecord",
    "DocumentRef",
    "LinkRecord",
    "RejectionRecord",
    "RunCounts",
    "RunRecord",
    "Session",
    "StoreStats",
    "StoredEvent",
    "TokenInfo",
    "User",
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


@dataclass(slots=True)
class RunCounts:
    """What a run did: the one run-summary type. The runner counts into it, the CLI prints it
    (and exits non-zero on rejections), and the run record stores its :data:`STORED_RUN_COUNTS`.

    ``read`` and ``rejected`` (the rejections themselves) live only in the running process: a
    run record read back has them 0 and empty."""

    documents: int = 0  # new documents written
    skipped: int = 0  # documents already stored (or repeated within the run)
    articles: int = 0
    mentions: int = 0
    events: int = 0
    rejections: int = 0
    read: int = 0  # documents read (new + skipped + quarantined by the engine)
    rejected: list[Rejection] = field(default_factory=list)

    def reject(self, rejection: Rejection) -> None:
        """Count a rejected input or quarantined document and keep it for the report."""
        self.rejected.append(rejection)
        self.rejections += 1


#: the :class:`RunCounts` fields the ``runs`` table keeps
STORED_RUN_COUNTS = ("documents", "skipped", "articles", "mentions", "events", "rejections")


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
    """One analyst action (confirm, edit, merge, split), from the CLI or the API, with what it
    changed before and after (as stored JSON: merges and splits keep snapshots of the events).

    ``event_id``: the event acted on (a merge's survivor, a split's source); ``event_ids``: every
    event it touched.
    """

    id: int
    at: datetime
    who: str
    action: str
    event_ids: tuple[str, ...]
    note: str | None
    before: Any
    after: Any
    event_id: str


@dataclass(frozen=True, slots=True)
class User:
    """Someone who may log in or hold API tokens; ``role``: viewer, reviewer or admin."""

    id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """An API token as `eventlens user list` shows it (never the secret: only its hash is stored)."""

    id: int
    label: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True, slots=True)
class Account:
    """A user with what an admin needs to see: disabled or not, whether a password is set, tokens."""

    user: User
    disabled: bool
    has_password: bool
    tokens: tuple[TokenInfo, ...]


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in dashboard session: who, and the CSRF token its forms must echo."""

    user: User
    csrf_token: str


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """Where a document came from, without its text."""

    id: str
    source: str
    url: str | None
    title: str | None
    published: date | None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One event with everything stored about it: coding (overrides applied) and mentions, its
    review status, which fields an analyst overrode, its documents and articles (in mention
    order) and its audit history (newest first)."""

    event: Event
    review_status: str
    n_sources: int
    overridden: tuple[str, ...]
    documents: tuple[DocumentRef, ...]
    articles: tuple[Article, ...]
    history: tuple[AuditRecord, ...]
