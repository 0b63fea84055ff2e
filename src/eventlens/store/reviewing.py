"""The Store's review surface: confirm, edit, merge and split events, the review queue, and the
one audit trail every action lands in (the CLI's and the API's alike)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eventlens.errors import ReviewError
from eventlens.model import Event
from eventlens.store import edits, review
from eventlens.store.audit import audit_records
from eventlens.store.base import StoreBase, now
from eventlens.store.events import load_events
from eventlens.store.queue import QueueItem, review_queue
from eventlens.store.types import AuditRecord

__all__ = ["Reviews"]


class Reviews(StoreBase):
    def confirm(self, event_id: str, user: str, note: str | None = None) -> None:
        """Mark an event as checked by an analyst (kept as-is by later runs)."""
        with self._write() as conn:
            edits.confirm(conn, event_id, user, note, now())

    def edit(
        self, event_id: str, changes: Mapping[str, Any], user: str, note: str | None = None
    ) -> dict[str, Any]:
        """Override fields of an event (kept across re-processing); returns the new values."""
        with self._write() as conn:
            return edits.edit(conn, event_id, changes, user, note, now())

    def merge(self, event_ids: Sequence[str], user: str, note: str | None = None) -> Event:
        """Merge events into the first one; later runs never undo it."""
        with self._write() as conn:
            target = review.merge_events(conn, event_ids, user, note, now())
        return self._must_get(target)

    def split(self, event_id: str, mention_ids: Sequence[str], user: str, note: str | None = None) -> Event:
        """Move some mentions of an event into a new event (returned); later runs never undo it."""
        with self._write() as conn:
            new_id = review.split_event(conn, event_id, mention_ids, user, note, now())
        return self._must_get(new_id)

    def _must_get(self, event_id: str) -> Event:
        found = self._read(lambda c: load_events(c, [event_id]))
        if not found:
            raise ReviewError(f"event {event_id} vanished during review")
        return found[0]

    def audit(
        self, event_id: str | None = None, *, newest_first: bool = False, limit: int | None = None
    ) -> list[AuditRecord]:
        """Analyst actions (confirm, edit, merge, split; CLI and API), oldest first unless
        ``newest_first``; only those touching ``event_id`` if given; at most ``limit``."""
        return self._read(lambda c: audit_records(c, event_id, newest_first=newest_first, limit=limit))

    def review_queue(self, limit: int = 50, low_confidence: float = 0.6) -> list[QueueItem]:
        """Conflicting events first, then unreviewed events by rising confidence (below the threshold)."""
        return self._read(lambda c: review_queue(c, limit, low_confidence))
